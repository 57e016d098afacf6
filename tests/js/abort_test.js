// AbortController and AbortSignal: abort reasons, the abort event, throwIfAborted, the static
// abort/timeout/any factories and dependent-signal rules.
// https://dom.spec.whatwg.org/#aborting-ongoing-activities
import assert from 'node:assert';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const controllerBasics = {
  test() {
    const controller = new AbortController();
    const { signal } = controller;
    assert.ok(signal instanceof AbortSignal);
    assert.ok(signal instanceof EventTarget);
    assert.strictEqual(controller.signal, signal);
    assert.strictEqual(signal.aborted, false);
    assert.strictEqual(signal.reason, undefined);
    assert.doesNotThrow(() => signal.throwIfAborted());
    const events = [];
    signal.addEventListener('abort', (e) => {
      events.push([e.type, e.isTrusted, e.target === signal, signal.aborted]);
    });
    controller.abort();
    assert.strictEqual(signal.aborted, true);
    assert.ok(signal.reason instanceof DOMException);
    assert.strictEqual(signal.reason.name, 'AbortError');
    assert.strictEqual(signal.reason.code, 20);
    assert.strictEqual(signal.reason.message, 'The operation was aborted');
    assert.deepStrictEqual(events, [['abort', true, true, true]]);
    // A second abort changes nothing and fires nothing.
    const first = signal.reason;
    controller.abort('again');
    assert.strictEqual(signal.reason, first);
    assert.strictEqual(events.length, 1);
    assert.throws(() => signal.throwIfAborted(), (e) => e === first);
  },
};

export const customReasons = {
  test() {
    for (const reason of ['why', 0, null, false, { code: 1 }, new Error('e')]) {
      const controller = new AbortController();
      controller.abort(reason);
      assert.strictEqual(controller.signal.reason, reason);
      assert.throws(() => controller.signal.throwIfAborted(), (e) => e === reason);
    }
    const controller = new AbortController();
    controller.abort(undefined);
    assert.strictEqual(controller.signal.reason.name, 'AbortError');
  },
};

export const onabortHandler = {
  test() {
    const controller = new AbortController();
    const order = [];
    controller.signal.addEventListener('abort', () => order.push('listener1'));
    controller.signal.onabort = (e) => order.push(`handler:${e.type}`);
    controller.signal.addEventListener('abort', () => order.push('listener2'));
    assert.strictEqual(typeof controller.signal.onabort, 'function');
    controller.abort();
    assert.deepStrictEqual(order, ['listener1', 'handler:abort', 'listener2']);
    // Non-object values read back as null.
    const other = new AbortController().signal;
    other.onabort = 'not a function';
    assert.strictEqual(other.onabort, null);
    const fn = () => {};
    other.onabort = fn;
    assert.strictEqual(other.onabort, fn);
    other.onabort = null;
    assert.strictEqual(other.onabort, null);
  },
};

export const abortAlgorithmsRunBeforeTheEvent = {
  test() {
    // addEventListener's `signal` option is an abort algorithm: the listener is removed before
    // the abort event fires, so a listener on the signal itself does not see it.
    const controller = new AbortController();
    const calls = [];
    controller.signal.addEventListener('abort', () => calls.push('removed'),
                                       { signal: controller.signal });
    controller.signal.addEventListener('abort', () => calls.push('kept'));
    controller.abort();
    assert.deepStrictEqual(calls, ['kept']);
  },
};

export const illegalConstructor = {
  test() {
    assert.throws(() => new AbortSignal(), TypeError);
    assert.throws(() => AbortSignal(), TypeError);
    const getter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted').get;
    assert.throws(() => getter.call(new EventTarget()), TypeError);
    assert.throws(() => AbortController.prototype.abort.call({}), TypeError);
    assert.strictEqual(Object.prototype.toString.call(new AbortController().signal),
                       '[object AbortSignal]');
  },
};

export const staticAbort = {
  test() {
    const signal = AbortSignal.abort();
    assert.strictEqual(signal.aborted, true);
    assert.strictEqual(signal.reason.name, 'AbortError');
    const reason = new Error('custom');
    assert.strictEqual(AbortSignal.abort(reason).reason, reason);
    assert.notStrictEqual(AbortSignal.abort().reason, AbortSignal.abort().reason);
    let fired = false;
    signal.onabort = () => { fired = true; };
    assert.strictEqual(fired, false);
  },
};

export const timeoutSignal = {
  async test() {
    const signal = AbortSignal.timeout(10);
    assert.strictEqual(signal.aborted, false);
    let event = null;
    signal.addEventListener('abort', (e) => { event = e; });
    for (let i = 0; i < 100 && !signal.aborted; i++) await sleep(10);
    assert.strictEqual(signal.aborted, true);
    assert.ok(signal.reason instanceof DOMException);
    assert.strictEqual(signal.reason.name, 'TimeoutError');
    assert.strictEqual(signal.reason.code, 23);
    assert.ok(event !== null && event.isTrusted);
    assert.strictEqual(AbortSignal.timeout(0).aborted, false);
    // [EnforceRange] unsigned long long.
    assert.throws(() => AbortSignal.timeout(-1), TypeError);
    assert.throws(() => AbortSignal.timeout(NaN), TypeError);
    assert.throws(() => AbortSignal.timeout(Infinity), TypeError);
    assert.throws(() => AbortSignal.timeout(), TypeError);
  },
};

export const anySignal = {
  test() {
    assert.strictEqual(AbortSignal.any([]).aborted, false);
    assert.throws(() => AbortSignal.any(), TypeError);
    assert.throws(() => AbortSignal.any([{}]), TypeError);
    assert.throws(() => AbortSignal.any(5), TypeError);
    // Already aborted input: the result is aborted with the first aborted reason.
    const a = new AbortController();
    const b = new AbortController();
    b.abort('b reason');
    const early = AbortSignal.any([a.signal, b.signal, AbortSignal.abort('later')]);
    assert.strictEqual(early.aborted, true);
    assert.strictEqual(early.reason, 'b reason');
    // Follows its sources; the reason is shared by identity.
    const c = new AbortController();
    const d = new AbortController();
    const any = AbortSignal.any([c.signal, d.signal]);
    const order = [];
    c.signal.addEventListener('abort', () => order.push(['source', any.aborted]));
    any.addEventListener('abort', (e) => order.push(['dependent', e.isTrusted]));
    const reason = { why: 'c' };
    c.abort(reason);
    assert.strictEqual(any.aborted, true);
    assert.strictEqual(any.reason, reason);
    // The dependent is already aborted when the source's listeners run; its event fires after.
    assert.deepStrictEqual(order, [['source', true], ['dependent', true]]);
    d.abort('d');
    assert.strictEqual(any.reason, reason);
    // Iterables other than arrays are accepted; duplicates are fine.
    const e = new AbortController();
    const fromSet = AbortSignal.any(new Set([e.signal, e.signal]));
    e.abort();
    assert.strictEqual(fromSet.aborted, true);
  },
};

export const anyFlattensDependentSignals = {
  test() {
    const root = new AbortController();
    const other = new AbortController();
    const inner = AbortSignal.any([root.signal]);
    const outer = AbortSignal.any([inner, other.signal]);
    let outerFired = 0;
    outer.onabort = () => outerFired++;
    root.abort('root');
    assert.strictEqual(inner.aborted, true);
    assert.strictEqual(outer.aborted, true);
    assert.strictEqual(outer.reason, 'root');
    assert.strictEqual(outerFired, 1);
  },
};

export const anyWithTimeout = {
  async test() {
    const controller = new AbortController();
    const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(5)]);
    let fired = 0;
    signal.addEventListener('abort', () => fired++);
    for (let i = 0; i < 100 && !signal.aborted; i++) await sleep(10);
    assert.strictEqual(signal.reason.name, 'TimeoutError');
    controller.abort();
    assert.strictEqual(signal.reason.name, 'TimeoutError');
    assert.strictEqual(fired, 1);
  },
};

export const listenerErrorsDoNotStopAbort = {
  test() {
    const controller = new AbortController();
    const calls = [];
    controller.signal.addEventListener('abort', () => { throw new Error('listener throws'); });
    controller.signal.addEventListener('abort', () => calls.push('second'));
    assert.doesNotThrow(() => controller.abort());
    assert.deepStrictEqual(calls, ['second']);
  },
};
