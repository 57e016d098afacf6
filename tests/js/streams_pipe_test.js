// pipeTo and pipeThrough: close/error propagation both ways, prevent* options, AbortSignal,
// backpressure, option conversion order.
// https://streams.spec.whatwg.org/#readable-stream-pipe-to
import assert from 'node:assert';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));
const flush = async () => {
  for (let i = 0; i < 4; i++) await tick();
};

function source(chunks, { close = true, cancel } = {}) {
  return new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      if (close) c.close();
    },
    cancel,
  });
}

function sink(events, extra = {}) {
  return new WritableStream({
    write(chunk) { events.push(['write', chunk]); },
    close() { events.push(['close']); },
    abort(reason) { events.push(['abort', reason]); },
    ...extra,
  });
}

export const pipeClosesDestination = {
  async test() {
    const events = [];
    const rs = source(['a', 'b']);
    const ws = sink(events);
    const p = rs.pipeTo(ws);
    assert.strictEqual(rs.locked, true);
    assert.strictEqual(ws.locked, true);
    await p;
    assert.deepStrictEqual(events, [['write', 'a'], ['write', 'b'], ['close']]);
    assert.strictEqual(rs.locked, false);
    assert.strictEqual(ws.locked, false);
  },
};

export const preventClose = {
  async test() {
    const events = [];
    const ws = sink(events);
    await source(['a']).pipeTo(ws, { preventClose: true });
    assert.deepStrictEqual(events, [['write', 'a']]);
    const writer = ws.getWriter();
    await writer.write('b');
    assert.deepStrictEqual(events, [['write', 'a'], ['write', 'b']]);
  },
};

export const sourceErrorAbortsDestination = {
  async test() {
    const err = new Error('source');
    const events = [];
    const rs = new ReadableStream({ start(c) { c.enqueue('a'); c.error(err); } });
    await assert.rejects(rs.pipeTo(sink(events)), (e) => e === err);
    assert.deepStrictEqual(events, [['abort', err]]);
    const events2 = [];
    const rs2 = new ReadableStream({ start(c) { c.error(err); } });
    const ws2 = sink(events2);
    await assert.rejects(rs2.pipeTo(ws2, { preventAbort: true }), (e) => e === err);
    assert.deepStrictEqual(events2, []);
    assert.strictEqual(ws2.locked, false);
  },
};

export const destinationErrorCancelsSource = {
  async test() {
    const err = new Error('dest');
    let reason;
    const rs = new ReadableStream({
      pull(c) { c.enqueue('x'); },
      cancel(r) { reason = r; },
    });
    const ws = new WritableStream({ write() { throw err; } });
    await assert.rejects(rs.pipeTo(ws), (e) => e === err);
    assert.strictEqual(reason, err);
    let reason2 = 'untouched';
    const rs2 = new ReadableStream({ cancel(r) { reason2 = r; } });
    const ws2 = new WritableStream({ start(c) { c.error(err); } });
    await assert.rejects(rs2.pipeTo(ws2, { preventCancel: true }), (e) => e === err);
    assert.strictEqual(reason2, 'untouched');
    assert.strictEqual(rs2.locked, false);
  },
};

export const closedDestinationCancelsSource = {
  async test() {
    let reason;
    const rs = new ReadableStream({ cancel(r) { reason = r; } });
    const ws = new WritableStream();
    await ws.close();
    await assert.rejects(rs.pipeTo(ws), TypeError);
    assert.ok(reason instanceof TypeError);
  },
};

export const abortSignal = {
  async test() {
    let controller;
    let canceled;
    const rs = new ReadableStream({
      start(c) { controller = c; },
      cancel(r) { canceled = r; },
    });
    const events = [];
    const ac = new AbortController();
    const p = rs.pipeTo(sink(events), { signal: ac.signal });
    controller.enqueue('first');
    await flush();
    ac.abort();
    await assert.rejects(p, (e) => e instanceof DOMException && e.name === 'AbortError');
    assert.deepStrictEqual(events.slice(0, 1), [['write', 'first']]);
    assert.strictEqual(events[1][0], 'abort');
    assert.strictEqual(events[1][1], ac.signal.reason);
    assert.strictEqual(canceled, ac.signal.reason);
    // Custom reasons, and preventAbort/preventCancel.
    const ac2 = new AbortController();
    let canceled2 = 'no';
    const events2 = [];
    const p2 = new ReadableStream({ cancel(r) { canceled2 = r; } })
        .pipeTo(sink(events2), { signal: ac2.signal, preventAbort: true, preventCancel: true });
    ac2.abort('custom');
    await assert.rejects(p2, (e) => e === 'custom');
    assert.strictEqual(canceled2, 'no');
    assert.deepStrictEqual(events2, []);
  },
};

export const alreadyAbortedSignal = {
  async test() {
    const events = [];
    const rs = source(['a']);
    const p = rs.pipeTo(sink(events), { signal: AbortSignal.abort('early') });
    await assert.rejects(p, (e) => e === 'early');
    assert.deepStrictEqual(events, [['abort', 'early']]);
  },
};

export const optionValidation = {
  async test() {
    const rs = new ReadableStream();
    await assert.rejects(rs.pipeTo({}), TypeError);
    await assert.rejects(rs.pipeTo(new WritableStream(), { signal: {} }), TypeError);
    await assert.rejects(ReadableStream.prototype.pipeTo.call({}, new WritableStream()),
        TypeError);
    const touched = [];
    const options = {
      get preventAbort() { touched.push('preventAbort'); return false; },
      get preventCancel() { touched.push('preventCancel'); return false; },
      get preventClose() { touched.push('preventClose'); return false; },
      get signal() { touched.push('signal'); return undefined; },
    };
    rs.pipeTo(new WritableStream(), options);
    assert.deepStrictEqual(touched, ['preventAbort', 'preventCancel', 'preventClose', 'signal']);
    const locked = new ReadableStream();
    locked.getReader();
    await assert.rejects(locked.pipeTo(new WritableStream()), TypeError);
    const lockedWs = new WritableStream();
    lockedWs.getWriter();
    await assert.rejects(new ReadableStream().pipeTo(lockedWs), TypeError);
  },
};

export const backpressureLimitsReads = {
  async test() {
    let pulls = 0;
    const rs = new ReadableStream({
      pull(c) {
        pulls++;
        c.enqueue(pulls);
      },
    }, { highWaterMark: 0 });
    const gate = [];
    const ws = new WritableStream({
      write() { return new Promise((resolve) => gate.push(resolve)); },
    }, { highWaterMark: 2 });
    rs.pipeTo(ws);
    await flush();
    // highWaterMark 2 counts the in-flight write: after two reads desiredSize is 0 and the pipe
    // stops reading.
    assert.strictEqual(pulls, 2, `pulled ${pulls} chunks`);
    const before = pulls;
    await flush();
    assert.strictEqual(pulls, before, 'no more reads while backpressure lasts');
    gate.shift()();
    await flush();
    assert.ok(pulls > before, 'reading resumes when the sink drains');
  },
};

export const pipeThroughTransform = {
  async test() {
    const rs = source([1, 2, 3]);
    const out = rs.pipeThrough(new TransformStream({
      transform(chunk, c) { c.enqueue(chunk * 10); },
    }));
    assert.ok(out instanceof ReadableStream);
    const values = [];
    for await (const v of out) values.push(v);
    assert.deepStrictEqual(values, [10, 20, 30]);
    assert.throws(() => rs.pipeThrough({ readable: out, writable: new WritableStream() }),
        TypeError, 'the source is locked');
    assert.throws(() => new ReadableStream().pipeThrough({}), TypeError);
    assert.throws(() => new ReadableStream().pipeThrough({ readable: new ReadableStream() }),
        TypeError);
    const pair = { readable: new ReadableStream(), writable: new WritableStream() };
    pair.writable.getWriter();
    assert.throws(() => new ReadableStream().pipeThrough(pair), TypeError);
  },
};

export const pipeToDoesNotUsePublicMethods = {
  async test() {
    const saved = WritableStreamDefaultWriter.prototype.write;
    const savedGetWriter = WritableStream.prototype.getWriter;
    let calls = 0;
    WritableStreamDefaultWriter.prototype.write = function() { calls++; };
    WritableStream.prototype.getWriter = function() { calls++; };
    try {
      const events = [];
      await source(['z']).pipeTo(sink(events));
      assert.deepStrictEqual(events, [['write', 'z'], ['close']]);
    } finally {
      WritableStreamDefaultWriter.prototype.write = saved;
      WritableStream.prototype.getWriter = savedGetWriter;
    }
    assert.strictEqual(calls, 0);
  },
};
