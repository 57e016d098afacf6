// Cloudflare's IdentityTransformStream and FixedLengthStream, and streams as fetch bodies (the
// internal stream API behind Response: readAllBytes, byte streams from bytes, tee for clone()).
// https://developers.cloudflare.com/workers/runtime-apis/streams/transformstream/
import assert from 'node:assert';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const bytes = (...b) => new Uint8Array(b);

export const identityShape = {
  test() {
    const ts = new IdentityTransformStream();
    assert.ok(ts instanceof TransformStream);
    assert.ok(ts.readable instanceof ReadableStream);
    assert.ok(ts.writable instanceof WritableStream);
    const fl = new FixedLengthStream(3);
    assert.ok(fl instanceof IdentityTransformStream);
    assert.ok(fl instanceof TransformStream);
    assert.strictEqual(Object.prototype.toString.call(fl), '[object FixedLengthStream]');
  },
};

export const identityPassesBytes = {
  async test() {
    const { readable, writable } = new IdentityTransformStream();
    const writer = writable.getWriter();
    const reader = readable.getReader();
    const source = bytes(1, 2, 3);
    const w = writer.write(source);
    const r = await reader.read();
    assert.deepStrictEqual([...r.value], [1, 2, 3]);
    assert.notStrictEqual(r.value.buffer, source.buffer, 'the reader gets its own copy');
    assert.strictEqual(source.byteLength, 3, 'the written buffer is not detached');
    await w;
    writer.write(new ArrayBuffer(2));
    assert.deepStrictEqual([...(await reader.read()).value], [0, 0]);
    writer.write(new DataView(new ArrayBuffer(1)));
    assert.deepStrictEqual([...(await reader.read()).value], [0]);
    await writer.write(bytes());  // empty writes complete at once
    const closed = writer.close();
    assert.strictEqual((await reader.read()).done, true);
    await closed;
  },
};

export const identityWritesCompleteWhenRead = {
  async test() {
    const { readable, writable } = new IdentityTransformStream();
    const writer = writable.getWriter();
    let done = false;
    writer.write(bytes(1, 2)).then(() => { done = true; });
    await tick();
    await tick();
    assert.strictEqual(done, false, 'nothing has read the bytes yet');
    await readable.getReader().read();
    await tick();
    assert.strictEqual(done, true);
  },
};

export const identityRejectsNonBytes = {
  async test() {
    const { readable, writable } = new IdentityTransformStream();
    const writer = writable.getWriter();
    assert.throws(() => writer.write('text'), (e) => e instanceof TypeError &&
        /explicitly UTF-8-encode it with TextEncoder/.test(e.message));
    assert.throws(() => writer.write(42), (e) => e instanceof TypeError &&
        /non-ArrayBuffer\/ArrayBufferView/.test(e.message));
    // The stream survives.
    const read = readable.getReader().read();
    await writer.write(bytes(7));
    assert.deepStrictEqual([...(await read).value], [7]);
    // Piped non-bytes chunks error the pipe instead.
    const { writable: w2 } = new IdentityTransformStream();
    await assert.rejects(ReadableStream.from(['str']).pipeTo(w2), TypeError);
  },
};

export const identityByobReads = {
  async test() {
    const { readable, writable } = new IdentityTransformStream();
    const writer = writable.getWriter();
    const reader = readable.getReader({ mode: 'byob' });
    const w = writer.write(bytes(1, 2, 3, 4, 5));
    const first = await reader.read(new Uint8Array(2));
    assert.deepStrictEqual([...first.value], [1, 2]);
    const second = await reader.read(new Uint8Array(8));
    assert.deepStrictEqual([...second.value], [3, 4, 5]);
    await w;
    const end = reader.read(new Uint8Array(1));
    await writer.close();
    assert.strictEqual((await end).done, true);
  },
};

export const identityHighWaterMark = {
  async test() {
    const ts = new IdentityTransformStream({ highWaterMark: 10 });
    const writer = ts.writable.getWriter();
    const reader = ts.readable.getReader();
    assert.strictEqual(writer.desiredSize, 10);
    const firstReady = writer.ready;
    await firstReady;
    writer.write(new Uint8Array(1));
    assert.strictEqual(writer.desiredSize, 9);
    writer.write(new Uint8Array(9));
    assert.strictEqual(writer.desiredSize, 0);
    assert.notStrictEqual(firstReady, writer.ready);
    const waitForReady = async () => {
      await writer.ready;
      assert.strictEqual(writer.desiredSize, 1);
    };
    await Promise.all([waitForReady(), reader.read()]);
    await reader.read();
    assert.strictEqual(writer.desiredSize, 10);
    // Without a strategy desiredSize stays 1, as in workerd.
    const plain = new IdentityTransformStream().writable.getWriter();
    assert.strictEqual(plain.desiredSize, 1);
    const ready = plain.ready;
    plain.write(new Uint8Array(100));
    assert.strictEqual(plain.desiredSize, 1);
    assert.strictEqual(plain.ready, ready);
  },
};

export const identityCancelAndAbort = {
  async test() {
    const ts = new IdentityTransformStream();
    const writer = ts.writable.getWriter();
    const pending = writer.write(bytes(1));
    await ts.readable.cancel('gone');
    await assert.rejects(pending, (e) => e === 'gone');
    await assert.rejects(writer.closed, (e) => e === 'gone');
    const ts2 = new IdentityTransformStream();
    const reader = ts2.readable.getReader();
    const read = reader.read();
    await ts2.writable.abort('stopped');
    await assert.rejects(read, (e) => e === 'stopped');
  },
};

export const fixedLengthExact = {
  async test() {
    const { readable, writable } = new FixedLengthStream(4);
    const writer = writable.getWriter();
    const all = new Response(readable).arrayBuffer();
    await writer.write(bytes(1, 2));
    await writer.write(bytes(3, 4));
    await writer.close();
    assert.deepStrictEqual([...new Uint8Array(await all)], [1, 2, 3, 4]);
    new FixedLengthStream(0n);
    new FixedLengthStream(2 ** 53 - 1);
    assert.throws(() => new FixedLengthStream(), TypeError);
    assert.throws(() => new FixedLengthStream(-1), TypeError);
    assert.throws(() => new FixedLengthStream(2n ** 53n), TypeError);
  },
};

export const fixedLengthTooMany = {
  async test() {
    const { readable, writable } = new FixedLengthStream(2);
    const writer = writable.getWriter();
    const reader = readable.getReader();
    await assert.rejects(writer.write(bytes(1, 2, 3)), (e) => e instanceof TypeError &&
        e.message === 'Attempt to write too many bytes through a FixedLengthStream.');
    await assert.rejects(reader.read(), TypeError);
  },
};

export const fixedLengthTooFew = {
  async test() {
    const { readable, writable } = new FixedLengthStream(3);
    const writer = writable.getWriter();
    const reader = readable.getReader();
    const read = reader.read();
    await writer.write(bytes(1));
    assert.deepStrictEqual([...(await read).value], [1]);
    await assert.rejects(writer.close(), (e) => e instanceof TypeError &&
        e.message === 'FixedLengthStream did not see all expected bytes before close().');
    await assert.rejects(reader.read(), TypeError);
  },
};

export const fixedLengthHighWaterMarkCapped = {
  test() {
    const ts = new FixedLengthStream(10, { highWaterMark: 100 });
    assert.strictEqual(ts.writable.getWriter().desiredSize, 10);
  },
};

export const responseReadsStreams = {
  async test() {
    const rs = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('he'));
        c.enqueue(new TextEncoder().encode('llo'));
        c.close();
      },
    });
    const res = new Response(rs);
    assert.strictEqual(await res.text(), 'hello');
    assert.strictEqual(rs.locked, true);
    const bad = new Response(new ReadableStream({ start(c) { c.enqueue('not bytes'); } }));
    await assert.rejects(bad.text(), TypeError);
    // Every chunk must be a Uint8Array, not just any view.
    const wide = new Response(new ReadableStream({
      start(c) {
        c.enqueue(new Uint16Array([0x4141]));
        c.close();
      },
    }));
    await assert.rejects(wide.text(), TypeError);
  },
};

export const responseBodyStreamAndClone = {
  async test() {
    const res = new Response('payload');
    const body = res.body;
    assert.ok(body instanceof ReadableStream);
    const reader = body.getReader({ mode: 'byob' });
    const { value } = await reader.read(new Uint8Array(3));
    assert.strictEqual(new TextDecoder().decode(value), 'pay');
    reader.releaseLock();
    const res2 = new Response(ReadableStream.from([new TextEncoder().encode('abc')]));
    const clone = res2.clone();
    assert.deepStrictEqual(await Promise.all([res2.text(), clone.text()]), ['abc', 'abc']);
  },
};
