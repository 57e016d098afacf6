// Readable byte streams: ReadableByteStreamController, BYOB readers and requests,
// autoAllocateChunkSize, read({ min }), readAtLeast (Cloudflare), and the byte tee.
// https://streams.spec.whatwg.org/#rbs-controller-class
import assert from 'node:assert';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

const isDetached = (buffer) => {
  if (buffer.byteLength !== 0) return false;
  try {
    new Uint8Array(buffer);
    return false;
  } catch {
    return true;
  }
};

export const enqueueAndDefaultRead = {
  async test() {
    let controller;
    const rs = new ReadableStream({
      type: 'bytes',
      start(c) { controller = c; },
    });
    assert.ok(controller instanceof ReadableByteStreamController);
    assert.strictEqual(controller.desiredSize, 0, 'byte streams default to highWaterMark 0');
    assert.strictEqual(controller.byobRequest, null);
    const chunk = new Uint8Array([1, 2, 3]);
    const buffer = chunk.buffer;
    controller.enqueue(chunk);
    assert.ok(isDetached(buffer), 'enqueue transfers the buffer');
    assert.strictEqual(controller.desiredSize, -3);
    const { value, done } = await rs.getReader().read();
    assert.strictEqual(done, false);
    assert.ok(value instanceof Uint8Array);
    assert.deepStrictEqual([...value], [1, 2, 3]);
  },
};

export const enqueueValidation = {
  test() {
    let controller;
    new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
    assert.throws(() => controller.enqueue(), TypeError);
    assert.throws(() => controller.enqueue('str'), TypeError);
    assert.throws(() => controller.enqueue(new ArrayBuffer(4)), TypeError);
    assert.throws(() => controller.enqueue(new Uint8Array(0)), TypeError);
    const detached = new Uint8Array(4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    assert.throws(() => controller.enqueue(detached), TypeError);
    controller.close();
    assert.throws(() => controller.enqueue(new Uint8Array(1)), TypeError);
    assert.throws(() => controller.close(), TypeError);
  },
};

export const byobReadWithRespond = {
  async test() {
    const rs = new ReadableStream({
      type: 'bytes',
      pull(c) {
        const req = c.byobRequest;
        assert.ok(req instanceof ReadableStreamBYOBRequest);
        assert.ok(req.view instanceof Uint8Array);
        assert.strictEqual(req.view.byteLength, 8);
        req.view.set([9, 8, 7]);
        req.respond(3);
        assert.strictEqual(req.view, null, 'the request is invalidated');
        assert.throws(() => req.respond(1), TypeError);
      },
    });
    const reader = rs.getReader({ mode: 'byob' });
    assert.ok(reader instanceof ReadableStreamBYOBReader);
    const buffer = new ArrayBuffer(8);
    const { value, done } = await reader.read(new Uint8Array(buffer));
    assert.strictEqual(done, false);
    assert.ok(isDetached(buffer), 'the caller\'s buffer is detached');
    assert.strictEqual(value.byteLength, 3);
    assert.strictEqual(value.buffer.byteLength, 8, 'same memory, returned');
    assert.deepStrictEqual([...value], [9, 8, 7]);
  },
};

export const byobReadTypedViews = {
  async test() {
    const rs = new ReadableStream({
      type: 'bytes',
      start(c) {
        c.enqueue(new Uint8Array([1, 0, 2, 0, 3]));
        c.close();
      },
    });
    const reader = rs.getReader({ mode: 'byob' });
    const first = await reader.read(new Uint16Array(4));
    assert.ok(first.value instanceof Uint16Array);
    assert.deepStrictEqual([...first.value], [1, 2], 'only whole elements');
    const second = await reader.read(new Uint8Array(4));
    assert.deepStrictEqual([...second.value], [3], 'the remainder byte');
    const end = await reader.read(new Uint8Array(4));
    assert.strictEqual(end.done, true);
    assert.ok(end.value instanceof Uint8Array);
    assert.strictEqual(end.value.byteLength, 0, 'closed: an empty view on the same memory');
    assert.strictEqual(end.value.buffer.byteLength, 4);
  },
};

export const byobReadValidation = {
  async test() {
    const rs = new ReadableStream({ type: 'bytes' });
    const reader = rs.getReader({ mode: 'byob' });
    await assert.rejects(reader.read(), TypeError);
    await assert.rejects(reader.read(new Uint8Array(0)), TypeError);
    await assert.rejects(reader.read(new ArrayBuffer(4)), TypeError);
    await assert.rejects(reader.read(new Uint8Array(4), { min: 0 }), TypeError);
    await assert.rejects(reader.read(new Uint8Array(4), { min: 5 }), RangeError);
    await assert.rejects(reader.read(new Uint16Array(2), { min: 3 }), RangeError);
    const detached = new Uint8Array(4);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    await assert.rejects(reader.read(detached), TypeError);
    reader.releaseLock();
    await assert.rejects(reader.read(new Uint8Array(1)), TypeError);
    assert.throws(() => new ReadableStream().getReader({ mode: 'byob' }), TypeError);
    assert.throws(() => new ReadableStreamBYOBReader(new ReadableStream()), TypeError);
  },
};

export const readMin = {
  async test() {
    let controller;
    const rs = new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
    const reader = rs.getReader({ mode: 'byob' });
    const p = reader.read(new Uint8Array(6), { min: 4 });
    controller.enqueue(new Uint8Array([1, 2]));
    await tick();
    let settled = false;
    p.then(() => { settled = true; });
    await tick();
    assert.strictEqual(settled, false, 'waits for min bytes');
    controller.enqueue(new Uint8Array([3, 4, 5]));
    const { value } = await p;
    assert.deepStrictEqual([...value], [1, 2, 3, 4, 5]);
    // Closing with fewer than min bytes: the pending read stays until the source responds with 0
    // bytes, then yields what is there with done = true.
    const p2 = reader.read(new Uint8Array(4), { min: 4 });
    controller.enqueue(new Uint8Array([6]));
    controller.close();
    await tick();
    let settled2 = false;
    p2.then(() => { settled2 = true; });
    await tick();
    assert.strictEqual(settled2, false);
    controller.byobRequest.respond(0);
    const r2 = await p2;
    assert.strictEqual(r2.done, true);
    assert.deepStrictEqual([...r2.value], [6]);
    assert.strictEqual((await reader.read(new Uint8Array(1))).done, true);
  },
};

export const readAtLeastExtension = {
  async test() {
    let controller;
    const rs = new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
    const reader = rs.getReader({ mode: 'byob' });
    const p = reader.readAtLeast(3, new Uint8Array(8));
    controller.enqueue(new Uint8Array([1]));
    controller.enqueue(new Uint8Array([2, 3]));
    const { value } = await p;
    assert.deepStrictEqual([...value], [1, 2, 3]);
    await assert.rejects(reader.readAtLeast(0, new Uint8Array(2)), TypeError);
    await assert.rejects(reader.readAtLeast(3, new Uint8Array(2)), RangeError);
  },
};

export const respondWithNewView = {
  async test() {
    const rs = new ReadableStream({
      type: 'bytes',
      pull(c) {
        const view = c.byobRequest.view;
        const filled = new Uint8Array(view.buffer, view.byteOffset, 2);
        filled.set([5, 6]);
        assert.throws(() => c.byobRequest.respondWithNewView(new Uint8Array(2)), RangeError);
        c.byobRequest.respondWithNewView(filled);
      },
    });
    const { value } = await rs.getReader({ mode: 'byob' }).read(new Uint8Array(4));
    assert.deepStrictEqual([...value], [5, 6]);
  },
};

export const respondRanges = {
  async test() {
    let request;
    const rs = new ReadableStream({
      type: 'bytes',
      pull(c) { request = c.byobRequest; },
    });
    const reader = rs.getReader({ mode: 'byob' });
    reader.read(new Uint8Array(2));
    await tick();
    assert.throws(() => request.respond(3), RangeError);
    assert.throws(() => request.respond(0), TypeError, 'readable stream needs > 0');
    assert.throws(() => request.respond(-1), TypeError, '[EnforceRange]');
    request.respond(2);
  },
};

export const autoAllocateChunkSize = {
  async test() {
    let sizes = [];
    const rs = new ReadableStream({
      type: 'bytes',
      autoAllocateChunkSize: 16,
      pull(c) {
        const req = c.byobRequest;
        sizes.push(req.view.byteLength);
        req.view[0] = 42;
        req.respond(1);
      },
    });
    const { value } = await rs.getReader().read();
    assert.deepStrictEqual(sizes, [16]);
    assert.deepStrictEqual([...value], [42]);
    assert.strictEqual(value.buffer.byteLength, 16);
    assert.throws(() => new ReadableStream({ type: 'bytes', autoAllocateChunkSize: 0 }), TypeError);
    assert.throws(() => new ReadableStream({ type: 'bytes', autoAllocateChunkSize: -1 }),
        TypeError);
    sizes = [];
  },
};

export const closeWithPartialElementErrors = {
  async test() {
    let controller;
    const rs = new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
    const reader = rs.getReader({ mode: 'byob' });
    const read = reader.read(new Uint16Array(2));
    await tick();
    controller.byobRequest.view[0] = 1;
    controller.byobRequest.respond(1);
    assert.throws(() => controller.close(), TypeError);
    await assert.rejects(read, TypeError);
  },
};

export const cancelPendingByobRead = {
  async test() {
    let reason;
    const rs = new ReadableStream({ type: 'bytes', cancel(r) { reason = r; } });
    const reader = rs.getReader({ mode: 'byob' });
    const read = reader.read(new Uint8Array(4));
    await reader.cancel('done');
    assert.deepStrictEqual(await read, { value: undefined, done: true });
    assert.strictEqual(reason, 'done');
  },
};

export const releaseWithPendingPullInto = {
  async test() {
    let controller;
    const rs = new ReadableStream({ type: 'bytes', start(c) { controller = c; } });
    const byob = rs.getReader({ mode: 'byob' });
    const pending = byob.read(new Uint8Array(4));
    byob.releaseLock();
    await assert.rejects(pending, TypeError);
    // The detached pull-into still accepts bytes; they reach the next reader.
    const request = controller.byobRequest;
    request.view.set([1, 2]);
    request.respond(2);
    const { value } = await rs.getReader().read();
    assert.deepStrictEqual([...value], [1, 2]);
  },
};

export const byteTee = {
  async test() {
    const rs = new ReadableStream({
      type: 'bytes',
      start(c) {
        c.enqueue(new Uint8Array([1, 2]));
        c.enqueue(new Uint8Array([3]));
        c.close();
      },
    });
    const [b1, b2] = rs.tee();
    const byob = b1.getReader({ mode: 'byob' });
    const def = b2.getReader();
    // The BYOB branch pulls into its view, which takes both queued chunks at once; the other
    // branch gets a copy of the same bytes.
    const r1 = await byob.read(new Uint8Array(4));
    const r2 = await def.read();
    assert.deepStrictEqual([...r1.value], [1, 2, 3]);
    assert.deepStrictEqual([...r2.value], [1, 2, 3]);
    assert.notStrictEqual(r1.value.buffer, r2.value.buffer, 'chunks are cloned per branch');
    r2.value[0] = 99;
    assert.strictEqual(r1.value[0], 1);
    assert.strictEqual((await def.read()).done, true);
    const end = await byob.read(new Uint8Array(4));
    assert.strictEqual(end.done, true);
    assert.strictEqual(end.value.byteLength, 0);
    // Branches are byte streams.
    const [c1] = new ReadableStream({ type: 'bytes' }).tee();
    c1.getReader({ mode: 'byob' });
  },
};

export const byteStreamAsyncIteration = {
  async test() {
    const rs = new ReadableStream({
      type: 'bytes',
      start(c) { c.enqueue(new Uint8Array([7])); c.close(); },
    });
    const out = [];
    for await (const chunk of rs) out.push([...chunk]);
    assert.deepStrictEqual(out, [[7]]);
  },
};
