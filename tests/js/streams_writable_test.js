// WritableStream, WritableStreamDefaultWriter, WritableStreamDefaultController (incl. signal),
// TransformStream and TransformStreamDefaultController.
// https://streams.spec.whatwg.org/#ws-class
// https://streams.spec.whatwg.org/#ts-class
import assert from 'node:assert';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const flush = async () => {
  for (let i = 0; i < 4; i++) await tick();
};

function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const writeAndClose = {
  async test() {
    const events = [];
    const ws = new WritableStream({
      start(c) { events.push(['start', c instanceof WritableStreamDefaultController]); },
      write(chunk, c) { events.push(['write', chunk, c instanceof WritableStreamDefaultController]); },
      close() { events.push(['close']); },
    });
    const writer = ws.getWriter();
    assert.strictEqual(ws.locked, true);
    await writer.write('a');
    await writer.write('b');
    await writer.close();
    await writer.closed;
    assert.deepStrictEqual(events, [['start', true], ['write', 'a', true], ['write', 'b', true],
      ['close']]);
    await assert.rejects(writer.write('c'), TypeError);
  },
};

export const constructorValidation = {
  test() {
    new WritableStream();
    new WritableStream({});
    assert.throws(() => new WritableStream(null), TypeError);
    assert.throws(() => new WritableStream({ write: 1 }), TypeError);
    assert.throws(() => new WritableStream({ type: 'bytes' }), RangeError);
    assert.throws(() => new WritableStream({}, { highWaterMark: -1 }), RangeError);
    const order = [];
    new WritableStream({
      get abort() { order.push('abort'); },
      get close() { order.push('close'); },
      get start() { order.push('start'); },
      get type() { order.push('type'); },
      get write() { order.push('write'); },
    });
    assert.deepStrictEqual(order, ['abort', 'close', 'start', 'type', 'write']);
  },
};

export const backpressureAndReady = {
  async test() {
    const gate = deferred();
    const ws = new WritableStream({
      write() { return gate.promise; },
    }, { highWaterMark: 2, size: (chunk) => chunk.length });
    const writer = ws.getWriter();
    assert.strictEqual(writer.desiredSize, 2);
    const ready0 = writer.ready;
    await ready0;
    const w1 = writer.write('ab');
    assert.strictEqual(writer.desiredSize, 0);
    assert.notStrictEqual(writer.ready, ready0, 'backpressure replaces the ready promise');
    let ready = false;
    writer.ready.then(() => { ready = true; });
    const w2 = writer.write('c');
    assert.strictEqual(writer.desiredSize, -1);
    await flush();
    assert.strictEqual(ready, false);
    gate.resolve();
    await Promise.all([w1, w2]);
    assert.strictEqual(writer.desiredSize, 2);
    assert.strictEqual(ready, true);
  },
};

export const writeRejectionErrorsStream = {
  async test() {
    const err = new Error('sink');
    let aborted = false;
    const ws = new WritableStream({
      write() { throw err; },
      abort() { aborted = true; },
    });
    const writer = ws.getWriter();
    await assert.rejects(writer.write('x'), (e) => e === err);
    await assert.rejects(writer.closed, (e) => e === err);
    await assert.rejects(writer.ready, (e) => e === err);
    await assert.rejects(writer.write('y'), (e) => e === err);
    assert.strictEqual(writer.desiredSize, null);
    assert.strictEqual(aborted, false);
  },
};

export const abortWithSignal = {
  async test() {
    const gate = deferred();
    let signal;
    const reasons = [];
    const ws = new WritableStream({
      start(c) { signal = c.signal; },
      write() { return gate.promise; },
      abort(reason) { reasons.push(reason); },
    });
    assert.ok(signal instanceof AbortSignal);
    assert.strictEqual(signal.aborted, false);
    const writer = ws.getWriter();
    const events = [];
    signal.addEventListener('abort', () => events.push('abort event'));
    const w1 = writer.write('in flight');
    const w2 = writer.write('queued');
    await tick();
    const abort = writer.abort('stop');
    assert.strictEqual(signal.aborted, true, 'the signal aborts synchronously');
    assert.strictEqual(signal.reason, 'stop');
    assert.deepStrictEqual(events, ['abort event']);
    let w2Settled = false;
    w2.catch(() => { w2Settled = true; });
    await flush();
    assert.strictEqual(w2Settled, false, 'queued writes wait for the in-flight write');
    assert.deepStrictEqual(reasons, [], 'sink abort waits for the in-flight write');
    gate.resolve();
    await w1;
    await assert.rejects(w2, (e) => e === 'stop');
    await abort;
    assert.deepStrictEqual(reasons, ['stop']);
    await assert.rejects(writer.closed, (e) => e === 'stop');
    // Aborting a closed stream resolves.
    const closed = new WritableStream();
    await closed.close();
    await closed.abort('late');
  },
};

export const controllerError = {
  async test() {
    let controller;
    const ws = new WritableStream({ start(c) { controller = c; } });
    const writer = ws.getWriter();
    const err = new Error('controller');
    controller.error(err);
    controller.error(new Error('second is ignored'));
    await assert.rejects(writer.closed, (e) => e === err);
    await assert.rejects(writer.write(1), (e) => e === err);
  },
};

export const closeWhileLockedOrClosing = {
  async test() {
    const ws = new WritableStream();
    const writer = ws.getWriter();
    await assert.rejects(ws.close(), TypeError);
    await assert.rejects(ws.abort(), TypeError);
    assert.throws(() => ws.getWriter(), TypeError);
    const closing = writer.close();
    await assert.rejects(writer.close(), TypeError);
    await closing;
    writer.releaseLock();
    await assert.rejects(writer.closed, TypeError);
    assert.throws(() => writer.desiredSize, TypeError);
    await assert.rejects(writer.write(), TypeError);
    assert.strictEqual(ws.locked, false);
  },
};

export const startRejectionErrors = {
  async test() {
    const err = new Error('start');
    const ws = new WritableStream({ start() { return Promise.reject(err); } });
    const writer = ws.getWriter();
    await assert.rejects(writer.write('x'), (e) => e === err);
    await assert.rejects(writer.closed, (e) => e === err);
  },
};

export const transformBasics = {
  async test() {
    const ts = new TransformStream({
      transform(chunk, c) {
        c.enqueue(chunk.toUpperCase());
        c.enqueue('!');
      },
      flush(c) { c.enqueue('end'); },
    });
    assert.ok(ts.readable instanceof ReadableStream);
    assert.ok(ts.writable instanceof WritableStream);
    const writer = ts.writable.getWriter();
    writer.write('a');
    writer.close();
    const out = [];
    for await (const x of ts.readable) out.push(x);
    assert.deepStrictEqual(out, ['A', '!', 'end']);
  },
};

export const identityTransformByDefault = {
  async test() {
    const ts = new TransformStream();
    const writer = ts.writable.getWriter();
    const reader = ts.readable.getReader();
    writer.write({ any: 'value' });
    assert.deepStrictEqual(await reader.read(), { value: { any: 'value' }, done: false });
    writer.close();
    assert.strictEqual((await reader.read()).done, true);
  },
};

export const transformBackpressure = {
  async test() {
    let transforms = 0;
    const ts = new TransformStream({
      transform(chunk, c) { transforms++; c.enqueue(chunk); },
    });
    const writer = ts.writable.getWriter();
    // readable highWaterMark 0, writable 1: one write is accepted, transform waits for a read.
    writer.write(1);
    writer.write(2);
    await flush();
    assert.strictEqual(transforms, 0, 'no transform until the readable side pulls');
    const reader = ts.readable.getReader();
    assert.deepStrictEqual(await reader.read(), { value: 1, done: false });
    assert.strictEqual(transforms, 1);
  },
};

export const transformErrors = {
  async test() {
    const err = new Error('transform');
    const ts = new TransformStream({ transform() { throw err; } });
    const writer = ts.writable.getWriter();
    const reader = ts.readable.getReader();
    // The readable side's highWaterMark is 0: transform() runs once a read pulls.
    const read = reader.read();
    await assert.rejects(writer.write('x'), (e) => e === err);
    await assert.rejects(read, (e) => e === err);
    await assert.rejects(writer.closed, (e) => e === err);
    // controller.error() errors both sides.
    let controller;
    const ts2 = new TransformStream({ start(c) { controller = c; } });
    const e2 = new Error('c.error');
    controller.error(e2);
    await assert.rejects(ts2.readable.getReader().closed, (e) => e === e2);
    await assert.rejects(ts2.writable.getWriter().closed, (e) => e === e2);
  },
};

export const transformTerminate = {
  async test() {
    const ts = new TransformStream({
      transform(chunk, c) {
        c.enqueue(chunk);
        c.terminate();
      },
    });
    const writer = ts.writable.getWriter();
    const reader = ts.readable.getReader();
    writer.write('last');
    assert.deepStrictEqual(await reader.read(), { value: 'last', done: false });
    assert.strictEqual((await reader.read()).done, true);
    await assert.rejects(writer.closed, TypeError);
  },
};

export const transformCancelAndAbort = {
  async test() {
    const calls = [];
    const ts = new TransformStream({ cancel(reason) { calls.push(reason); } });
    await ts.readable.cancel('by reader');
    assert.deepStrictEqual(calls, ['by reader']);
    await assert.rejects(ts.writable.getWriter().closed, (e) => e === 'by reader');
    const calls2 = [];
    const ts2 = new TransformStream({ cancel(reason) { calls2.push(reason); } });
    await ts2.writable.abort('by writer');
    assert.deepStrictEqual(calls2, ['by writer']);
    await assert.rejects(ts2.readable.getReader().closed, (e) => e === 'by writer');
  },
};

export const transformStrategiesAndValidation = {
  async test() {
    const ts = new TransformStream({}, { highWaterMark: 3 }, { highWaterMark: 2 });
    assert.strictEqual(ts.writable.getWriter().desiredSize, 3);
    assert.throws(() => new TransformStream({ readableType: 'bytes' }), RangeError);
    assert.throws(() => new TransformStream({ writableType: 'bytes' }), RangeError);
    assert.throws(() => new TransformStream({ transform: 1 }), TypeError);
    assert.throws(() => new TransformStream(null), TypeError);
    let desired;
    new TransformStream({ start(c) { desired = c.desiredSize; } }, undefined,
        { highWaterMark: 5 });
    assert.strictEqual(desired, 5);
    assert.throws(() => new TransformStreamDefaultController(), TypeError);
  },
};
