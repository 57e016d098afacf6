// ReadableStream (default streams), readers, controllers, tee, async iteration, from(), queuing
// strategies, and tamper-proofing against patched prototypes.
// https://streams.spec.whatwg.org/
import assert from 'node:assert';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const flush = async () => {
  for (let i = 0; i < 4; i++) await tick();
};

function recorder() {
  const events = [];
  return { events, push: (...e) => events.push(e.length === 1 ? e[0] : e) };
}

export const interfaceShape = {
  test() {
    for (const name of ['ReadableStream', 'ReadableStreamDefaultReader',
      'ReadableStreamBYOBReader', 'ReadableStreamDefaultController', 'ReadableByteStreamController',
      'ReadableStreamBYOBRequest', 'WritableStream', 'WritableStreamDefaultWriter',
      'WritableStreamDefaultController', 'TransformStream', 'TransformStreamDefaultController',
      'ByteLengthQueuingStrategy', 'CountQueuingStrategy', 'IdentityTransformStream',
      'FixedLengthStream']) {
      const d = Object.getOwnPropertyDescriptor(globalThis, name);
      assert.ok(d, name);
      assert.strictEqual(d.enumerable, false, name);
      assert.strictEqual(d.writable, true, name);
      assert.strictEqual(typeof d.value, 'function', name);
      assert.strictEqual(d.value.prototype[Symbol.toStringTag], name);
    }
    assert.strictEqual(ReadableStream.length, 0);
    assert.strictEqual(ReadableStreamDefaultReader.length, 1);
    assert.strictEqual(ReadableStream.prototype.pipeTo.length, 1);
    assert.strictEqual(ReadableStream.prototype[Symbol.asyncIterator],
        ReadableStream.prototype.values);
    assert.ok(Object.getOwnPropertyDescriptor(ReadableStream.prototype, 'getReader').enumerable);
    assert.throws(() => new ReadableStreamDefaultController(), TypeError);
    assert.throws(() => new ReadableByteStreamController(), TypeError);
    assert.throws(() => new ReadableStreamBYOBRequest(), TypeError);
    assert.throws(() => Object.getOwnPropertyDescriptor(ReadableStream.prototype, 'locked')
        .get.call({}), TypeError);
  },
};

export const constructorValidation = {
  test() {
    new ReadableStream();
    new ReadableStream(undefined);
    new ReadableStream({});
    assert.throws(() => new ReadableStream(null), TypeError);
    assert.throws(() => new ReadableStream(1), TypeError);
    assert.throws(() => new ReadableStream({ start: 1 }), TypeError);
    assert.throws(() => new ReadableStream({ pull: 'x' }), TypeError);
    assert.throws(() => new ReadableStream({ type: 'nope' }), TypeError);
    assert.throws(() => new ReadableStream({}, { highWaterMark: -1 }), RangeError);
    assert.throws(() => new ReadableStream({}, { highWaterMark: NaN }), RangeError);
    assert.throws(() => new ReadableStream({}, { size: 1 }), TypeError);
    assert.throws(() => new ReadableStream({ type: 'bytes' }, { size() { return 1; } }),
        RangeError);
    // The strategy converts first (at the IDL layer), then the source dictionary in
    // lexicographic member order.
    const order = [];
    const source = {
      get autoAllocateChunkSize() { order.push('autoAllocateChunkSize'); },
      get cancel() { order.push('cancel'); },
      get pull() { order.push('pull'); },
      get start() { order.push('start'); },
      get type() { order.push('type'); },
    };
    new ReadableStream(source, {
      get highWaterMark() { order.push('highWaterMark'); return 1; },
      get size() { order.push('size'); },
    });
    assert.deepStrictEqual(order, ['highWaterMark', 'size', 'autoAllocateChunkSize', 'cancel',
      'pull', 'start', 'type']);
    const err = new Error('start failed');
    assert.throws(() => new ReadableStream({ start() { throw err; } }), (e) => e === err);
  },
};

export const startPullAndRead = {
  async test() {
    const r = recorder();
    let n = 0;
    const rs = new ReadableStream({
      start(c) {
        r.push('start', c instanceof ReadableStreamDefaultController);
        c.enqueue('a');
      },
      pull(c) {
        r.push('pull');
        c.enqueue(++n);
        if (n === 3) c.close();
      },
    });
    const reader = rs.getReader();
    assert.strictEqual(rs.locked, true);
    assert.deepStrictEqual(await reader.read(), { value: 'a', done: false });
    assert.deepStrictEqual(await reader.read(), { value: 1, done: false });
    assert.deepStrictEqual(await reader.read(), { value: 2, done: false });
    assert.deepStrictEqual(await reader.read(), { value: 3, done: false });
    assert.deepStrictEqual(await reader.read(), { value: undefined, done: true });
    await reader.closed;
    assert.deepStrictEqual(r.events, [['start', true], 'pull', 'pull', 'pull']);
  },
};

export const startIsCalledWithSource = {
  async test() {
    const source = {
      start(c) { this.self = this; c.close(); },
    };
    new ReadableStream(source);
    assert.strictEqual(source.self, source);
  },
};

export const desiredSizeAndBackpressure = {
  async test() {
    let controller;
    let pulls = 0;
    const rs = new ReadableStream({
      start(c) { controller = c; },
      pull() { pulls++; },
    }, { highWaterMark: 3, size: (chunk) => chunk.length });
    assert.strictEqual(controller.desiredSize, 3);
    controller.enqueue('ab');
    assert.strictEqual(controller.desiredSize, 1);
    controller.enqueue('cd');
    assert.strictEqual(controller.desiredSize, -1);
    await flush();
    assert.strictEqual(pulls, 0, 'no pull while the queue is full');
    const reader = rs.getReader();
    await reader.read();
    await flush();
    assert.strictEqual(controller.desiredSize, 1);
    assert.strictEqual(pulls, 1, 'pull once there is room');
    controller.close();
    assert.strictEqual(controller.desiredSize, 1, 'close requested but chunks remain');
    await reader.read();
    assert.strictEqual(controller.desiredSize, 0, 'closed');
    const errored = new ReadableStream({ start(c) { c.error(new Error('x')); controller = c; } });
    assert.strictEqual(controller.desiredSize, null);
    assert.strictEqual(errored.locked, false);
  },
};

export const defaultHighWaterMarkIsOne = {
  async test() {
    let pulls = 0;
    new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); } });
    await flush();
    assert.strictEqual(pulls, 1, 'fills up to the high water mark of 1');
    let zeroPulls = 0;
    new ReadableStream({ pull() { zeroPulls++; } }, { highWaterMark: 0 });
    await flush();
    assert.strictEqual(zeroPulls, 0);
  },
};

export const sizeFunctionErrors = {
  async test() {
    const err = new Error('size');
    let controller;
    const rs = new ReadableStream({ start(c) { controller = c; } }, { size() { throw err; } });
    assert.throws(() => controller.enqueue('x'), (e) => e === err);
    await assert.rejects(rs.getReader().closed, (e) => e === err);
    let c2;
    new ReadableStream({ start(c) { c2 = c; } }, { size() { return -1; } });
    assert.throws(() => c2.enqueue('x'), RangeError);
    let c3;
    new ReadableStream({ start(c) { c3 = c; } }, { size() { return Infinity; } });
    assert.throws(() => c3.enqueue('x'), RangeError);
  },
};

export const controllerMisuse = {
  async test() {
    let controller;
    new ReadableStream({ start(c) { controller = c; } });
    controller.close();
    assert.throws(() => controller.close(), TypeError);
    assert.throws(() => controller.enqueue('x'), TypeError);
    controller.error(new Error('ignored after close'));
  },
};

export const erroredStream = {
  async test() {
    const err = new Error('boom');
    const rs = new ReadableStream({ start(c) { c.error(err); } });
    const reader = rs.getReader();
    await assert.rejects(reader.read(), (e) => e === err);
    await assert.rejects(reader.closed, (e) => e === err);
    await assert.rejects(rs.cancel(), TypeError);  // locked
    reader.releaseLock();
    await assert.rejects(rs.cancel(), (e) => e === err);
  },
};

export const pullRejectionErrorsStream = {
  async test() {
    const err = new Error('pull');
    const rs = new ReadableStream({ pull() { return Promise.reject(err); } });
    await assert.rejects(rs.getReader().read(), (e) => e === err);
  },
};

export const cancelPropagation = {
  async test() {
    const r = recorder();
    const rs = new ReadableStream({
      start(c) { c.enqueue('a'); },
      pull() { r.push('pull'); },
      cancel(reason) {
        r.push('cancel', reason);
        return new Promise((resolve) => setTimeout(resolve, 1));
      },
    });
    const reader = rs.getReader();
    const pending = reader.read();
    const result = await reader.cancel('why');
    assert.strictEqual(result, undefined);
    assert.deepStrictEqual(await pending, { value: 'a', done: false });
    assert.deepStrictEqual(await reader.read(), { value: undefined, done: true });
    assert.deepStrictEqual(r.events.filter((e) => e[0] === 'cancel'), [['cancel', 'why']]);
    // Cancel of a closed stream resolves, cancel's rejection propagates.
    const err = new Error('cancel failed');
    const failing = new ReadableStream({ cancel() { throw err; } });
    await assert.rejects(failing.cancel(), (e) => e === err);
  },
};

export const releaseLock = {
  async test() {
    let controller;
    const rs = new ReadableStream({ start(c) { controller = c; } });
    const reader = rs.getReader();
    const pending = reader.read();
    reader.releaseLock();
    await assert.rejects(pending, TypeError);
    await assert.rejects(reader.closed, TypeError);
    await assert.rejects(reader.read(), TypeError);
    assert.strictEqual(rs.locked, false);
    reader.releaseLock();  // no-op
    const reader2 = rs.getReader();
    controller.enqueue('x');
    assert.deepStrictEqual(await reader2.read(), { value: 'x', done: false });
    assert.throws(() => rs.getReader(), TypeError);
    assert.throws(() => new ReadableStreamDefaultReader(rs), TypeError);
    assert.throws(() => rs.getReader({ mode: 'byob' }), TypeError);
    assert.throws(() => rs.getReader({ mode: 'nope' }), TypeError);
  },
};

export const readRequestsQueue = {
  async test() {
    let controller;
    const rs = new ReadableStream({ start(c) { controller = c; } });
    const reader = rs.getReader();
    const reads = [reader.read(), reader.read(), reader.read()];
    controller.enqueue(1);
    controller.enqueue(2);
    controller.close();
    assert.deepStrictEqual(await Promise.all(reads), [
      { value: 1, done: false }, { value: 2, done: false }, { value: undefined, done: true },
    ]);
  },
};

export const teeBasics = {
  async test() {
    const rs = new ReadableStream({
      start(c) { c.enqueue('a'); c.enqueue('b'); c.close(); },
    });
    const [b1, b2] = rs.tee();
    assert.strictEqual(rs.locked, true);
    assert.ok(b1 instanceof ReadableStream);
    const read = async (s) => {
      const out = [];
      for await (const x of s) out.push(x);
      return out;
    };
    assert.deepStrictEqual(await Promise.all([read(b1), read(b2)]), [['a', 'b'], ['a', 'b']]);
  },
};

export const teeCancelBothBranches = {
  async test() {
    let reason;
    const rs = new ReadableStream({ cancel(r) { reason = r; } });
    const [b1, b2] = rs.tee();
    const p1 = b1.cancel('one');
    await tick();
    assert.strictEqual(reason, undefined, 'one branch alone does not cancel the source');
    const p2 = b2.cancel('two');
    await Promise.all([p1, p2]);
    assert.deepStrictEqual(reason, ['one', 'two']);
  },
};

export const teeErrorPropagates = {
  async test() {
    const err = new Error('tee error');
    let controller;
    const rs = new ReadableStream({ start(c) { controller = c; } });
    const [b1, b2] = rs.tee();
    controller.error(err);
    await assert.rejects(b1.getReader().closed, (e) => e === err);
    await assert.rejects(b2.getReader().closed, (e) => e === err);
  },
};

export const asyncIteration = {
  async test() {
    const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
    const out = [];
    for await (const x of rs) out.push(x);
    assert.deepStrictEqual(out, [1, 2]);
    assert.strictEqual(rs.locked, false);
    // break cancels...
    let canceled = false;
    const rs2 = new ReadableStream({
      pull(c) { c.enqueue('x'); },
      cancel() { canceled = true; },
    });
    for await (const x of rs2) {
      assert.strictEqual(x, 'x');
      break;
    }
    assert.strictEqual(canceled, true);
    assert.strictEqual(rs2.locked, false);
    // ...unless preventCancel.
    let canceled3 = false;
    const rs3 = new ReadableStream({
      pull(c) { c.enqueue('y'); },
      cancel() { canceled3 = true; },
    });
    for await (const x of rs3.values({ preventCancel: true })) {
      assert.strictEqual(x, 'y');
      break;
    }
    assert.strictEqual(canceled3, false);
    assert.strictEqual(rs3.locked, false);
    assert.deepStrictEqual(await rs3.getReader().read(), { value: 'y', done: false });
  },
};

export const asyncIteratorProtocol = {
  async test() {
    const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.close(); } });
    const it = rs.values();
    const proto = Object.getPrototypeOf(it);
    assert.strictEqual(Object.getPrototypeOf(proto),
        Object.getPrototypeOf(Object.getPrototypeOf(async function* () {}).prototype));
    assert.strictEqual(it.return.length, 1);
    // Concurrent next() calls are queued.
    const [r1, r2, r3] = await Promise.all([it.next(), it.next(), it.next()]);
    assert.deepStrictEqual(r1, { value: 'a', done: false });
    assert.deepStrictEqual(r2, { value: undefined, done: true });
    assert.deepStrictEqual(r3, { value: undefined, done: true });
    assert.deepStrictEqual(await it.return('v'), { value: 'v', done: true });
    await assert.rejects(proto.next.call({}), TypeError);
    const err = new Error('it');
    const bad = new ReadableStream({ start(c) { c.error(err); } });
    const it2 = bad[Symbol.asyncIterator]();
    await assert.rejects(it2.next(), (e) => e === err);
    assert.deepStrictEqual(await it2.next(), { value: undefined, done: true });
  },
};

export const fromIterables = {
  async test() {
    const collect = async (s) => {
      const out = [];
      for await (const x of s) out.push(x);
      return out;
    };
    assert.deepStrictEqual(await collect(ReadableStream.from([1, 2, 3])), [1, 2, 3]);
    assert.deepStrictEqual(await collect(ReadableStream.from('ab')), ['a', 'b']);
    assert.deepStrictEqual(await collect(ReadableStream.from(new Set([1]))), [1]);
    async function* gen() { yield 'x'; yield 'y'; }
    assert.deepStrictEqual(await collect(ReadableStream.from(gen())), ['x', 'y']);
    assert.deepStrictEqual(await collect(ReadableStream.from([Promise.resolve(5)])), [5]);
    const inner = new ReadableStream({ start(c) { c.enqueue('s'); c.close(); } });
    assert.deepStrictEqual(await collect(ReadableStream.from(inner)), ['s']);
    for (const bad of [null, undefined, 1, {}, { [Symbol.iterator]: 1 },
      { [Symbol.asyncIterator]: () => 1 }]) {
      assert.throws(() => ReadableStream.from(bad), TypeError);
    }
  },
};

export const fromCancelClosesIterator = {
  async test() {
    let returned;
    const iterable = {
      [Symbol.asyncIterator]() {
        return {
          next: () => Promise.resolve({ value: 1, done: false }),
          return: (reason) => {
            returned = reason;
            return Promise.resolve({ done: true });
          },
        };
      },
    };
    const rs = ReadableStream.from(iterable);
    const reader = rs.getReader();
    assert.deepStrictEqual(await reader.read(), { value: 1, done: false });
    await reader.cancel('stop');
    assert.strictEqual(returned, 'stop');
    const err = new Error('next failed');
    const failing = ReadableStream.from({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(err) }),
    });
    await assert.rejects(failing.getReader().read(), (e) => e === err);
  },
};

export const queuingStrategies = {
  test() {
    const b = new ByteLengthQueuingStrategy({ highWaterMark: 16 });
    assert.strictEqual(b.highWaterMark, 16);
    assert.strictEqual(b.size(new Uint8Array(5)), 5);
    assert.strictEqual(b.size, new ByteLengthQueuingStrategy({ highWaterMark: 1 }).size);
    assert.strictEqual(b.size.name, 'size');
    assert.strictEqual(b.size.length, 1);
    assert.throws(() => new b.size(), TypeError);
    const c = new CountQueuingStrategy({ highWaterMark: '3' });
    assert.strictEqual(c.highWaterMark, 3);
    assert.strictEqual(c.size(), 1);
    assert.strictEqual(c.size.length, 0);
    assert.throws(() => new CountQueuingStrategy(), TypeError);
    assert.throws(() => new CountQueuingStrategy({}), TypeError);
    assert.throws(() => Object.getOwnPropertyDescriptor(CountQueuingStrategy.prototype, 'size')
        .get.call(b), TypeError);
  },
};

export const countStrategyIntegration = {
  async test() {
    let controller;
    new ReadableStream({ start(c) { controller = c; } }, new CountQueuingStrategy({
      highWaterMark: 4,
    }));
    controller.enqueue('a');
    controller.enqueue('b');
    assert.strictEqual(controller.desiredSize, 2);
  },
};

export const patchedPrototypesDoNotLeakIn = {
  async test() {
    const saved = {
      getReader: ReadableStream.prototype.getReader,
      read: ReadableStreamDefaultReader.prototype.read,
      getWriter: WritableStream.prototype.getWriter,
      write: WritableStreamDefaultWriter.prototype.write,
      then: Promise.prototype.then,
      push: Array.prototype.push,
    };
    const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
    const written = [];
    const ws = new WritableStream({ write(chunk) { written[written.length] = chunk; } });
    const body = new ReadableStream({
      start(c) {
        c.enqueue(new Uint8Array([104, 105]));
        c.close();
      },
    });
    let thrown = 0;
    const trap = function() {
      thrown++;
      throw new Error('patched method called');
    };
    let first;
    let text;
    try {
      ReadableStream.prototype.getReader = trap;
      ReadableStreamDefaultReader.prototype.read = trap;
      WritableStream.prototype.getWriter = trap;
      WritableStreamDefaultWriter.prototype.write = trap;
      Array.prototype.push = trap;
      // `await` on native promises never looks `then` up, so it can stay patched throughout.
      Promise.prototype.then = trap;
      const [b1, b2] = rs.tee();
      await b1.pipeTo(ws);
      const it = b2.values();
      first = await it.next();
      text = await new Response(body).text();
    } finally {
      Object.assign(ReadableStream.prototype, { getReader: saved.getReader });
      ReadableStreamDefaultReader.prototype.read = saved.read;
      WritableStream.prototype.getWriter = saved.getWriter;
      WritableStreamDefaultWriter.prototype.write = saved.write;
      Promise.prototype.then = saved.then;
      Array.prototype.push = saved.push;
    }
    assert.strictEqual(thrown, 0);
    assert.deepStrictEqual(written, [1, 2]);
    assert.deepStrictEqual(first, { value: 1, done: false });
    assert.strictEqual(text, 'hi');
  },
};

export const objectPrototypeThenNotConsultedByPipe = {
  async test() {
    const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.close(); } });
    const written = [];
    const ws = new WritableStream({ write(chunk) { written.push(chunk); } });
    let intercepted = 0;
    Object.prototype.then = function() { intercepted++; };
    try {
      const p = rs.pipeTo(ws);
      delete Object.prototype.then;
      await p;
    } finally {
      delete Object.prototype.then;
    }
    assert.strictEqual(intercepted, 0);
    assert.deepStrictEqual(written, ['a']);
  },
};

export const subclassing = {
  async test() {
    class MyStream extends ReadableStream {
      constructor() {
        super({ start(c) { c.enqueue('sub'); c.close(); } });
        this.extra = true;
      }
    }
    const s = new MyStream();
    assert.ok(s instanceof ReadableStream);
    assert.strictEqual(s.extra, true);
    assert.deepStrictEqual(await s.getReader().read(), { value: 'sub', done: false });
  },
};
