// Event, EventTarget, CustomEvent, ErrorEvent and DOMException: construction, dispatch order,
// listener options, cancelation, error reporting, subclassing, brand checks.
// https://dom.spec.whatwg.org/#events · https://webidl.spec.whatwg.org/#idl-DOMException
import assert from 'node:assert';

export const domExceptionBasics = {
  test() {
    const e = new DOMException('went wrong', 'AbortError');
    assert.strictEqual(e.name, 'AbortError');
    assert.strictEqual(e.message, 'went wrong');
    assert.strictEqual(e.code, 20);
    assert.ok(e instanceof Error);
    assert.ok(e instanceof DOMException);
    assert.strictEqual(typeof e.stack, 'string');
    assert.match(e.stack, /^AbortError: went wrong/);
    assert.strictEqual(String(e), 'AbortError: went wrong');
    assert.strictEqual(Object.prototype.toString.call(e), '[object DOMException]');
    // name/message/code are prototype getters, not own properties.
    assert.deepStrictEqual(Object.keys(e), []);
    assert.ok(!Object.prototype.hasOwnProperty.call(e, 'message'));
    for (const key of ['name', 'message', 'code']) {
      const desc = Object.getOwnPropertyDescriptor(DOMException.prototype, key);
      assert.strictEqual(typeof desc.get, 'function');
      assert.strictEqual(desc.enumerable, true);
      assert.throws(() => desc.get.call({}), TypeError);
    }
    const plain = new DOMException();
    assert.strictEqual(plain.name, 'Error');
    assert.strictEqual(plain.message, '');
    assert.strictEqual(plain.code, 0);
    assert.strictEqual(new DOMException('x', 'EncodingError').code, 0);
    assert.strictEqual(new DOMException('x', 'NotSupportedError').code, 9);
    assert.strictEqual(new DOMException(undefined, undefined).name, 'Error');
    assert.strictEqual(new DOMException(null, null).message, 'null');
    assert.throws(() => new DOMException(Symbol('s')), TypeError);
    // Legacy code constants on the interface object and its prototype, read-only.
    assert.strictEqual(DOMException.INDEX_SIZE_ERR, 1);
    assert.strictEqual(DOMException.DATA_CLONE_ERR, 25);
    assert.strictEqual(DOMException.prototype.TIMEOUT_ERR, 23);
    assert.strictEqual(e.VALIDATION_ERR, 16);
    const desc = Object.getOwnPropertyDescriptor(DOMException, 'ABORT_ERR');
    assert.deepStrictEqual([desc.writable, desc.enumerable, desc.configurable],
                           [false, true, false]);
    // Global property is non-enumerable, writable, configurable.
    const g = Object.getOwnPropertyDescriptor(globalThis, 'DOMException');
    assert.deepStrictEqual([g.writable, g.enumerable, g.configurable], [true, false, true]);
  },
};

export const domExceptionSubclassAndCause = {
  test() {
    class MyError extends DOMException {
      constructor() { super('mine', 'SyntaxError'); }
    }
    const e = new MyError();
    assert.strictEqual(e.name, 'SyntaxError');
    assert.strictEqual(e.code, 12);
    assert.ok(e instanceof MyError && e instanceof DOMException);
    const withCause = new DOMException('wrapped', { name: 'DataError', cause: 42 });
    assert.strictEqual(withCause.name, 'DataError');
    assert.strictEqual(withCause.cause, 42);
  },
};

export const eventConstruction = {
  test() {
    assert.throws(() => new Event(), TypeError);
    const e = new Event('test');
    assert.strictEqual(e.type, 'test');
    assert.strictEqual(e.bubbles, false);
    assert.strictEqual(e.cancelable, false);
    assert.strictEqual(e.composed, false);
    assert.strictEqual(e.defaultPrevented, false);
    assert.strictEqual(e.returnValue, true);
    assert.strictEqual(e.isTrusted, false);
    assert.strictEqual(e.target, null);
    assert.strictEqual(e.srcElement, null);
    assert.strictEqual(e.currentTarget, null);
    assert.strictEqual(e.eventPhase, Event.NONE);
    assert.strictEqual(e.cancelBubble, false);
    assert.strictEqual(typeof e.timeStamp, 'number');
    assert.ok(e.timeStamp >= 0);
    assert.deepStrictEqual(e.composedPath(), []);
    const init = new Event(42, { bubbles: 1, cancelable: 'yes', composed: true });
    assert.strictEqual(init.type, '42');
    assert.strictEqual(init.bubbles, true);
    assert.strictEqual(init.cancelable, true);
    assert.strictEqual(init.composed, true);
    assert.throws(() => new Event('x', 5), TypeError);
    assert.strictEqual(new Event('x', null).bubbles, false);
    // Constants.
    assert.deepStrictEqual([Event.NONE, Event.CAPTURING_PHASE, Event.AT_TARGET,
                            Event.BUBBLING_PHASE], [0, 1, 2, 3]);
    assert.strictEqual(e.AT_TARGET, 2);
    assert.strictEqual(Object.prototype.toString.call(e), '[object Event]');
  },
};

export const isTrustedIsUnforgeable = {
  test() {
    const a = new Event('a');
    const b = new Event('b');
    const da = Object.getOwnPropertyDescriptor(a, 'isTrusted');
    const db = Object.getOwnPropertyDescriptor(b, 'isTrusted');
    assert.strictEqual(typeof da.get, 'function');
    assert.strictEqual(da.get, db.get);
    assert.strictEqual(da.configurable, false);
    assert.throws(() => Object.defineProperty(a, 'isTrusted', { value: true }), TypeError);
    assert.throws(() => da.get.call({}), TypeError);
  },
};

export const brandChecks = {
  test() {
    const typeGetter = Object.getOwnPropertyDescriptor(Event.prototype, 'type').get;
    assert.throws(() => typeGetter.call({}), TypeError);
    assert.throws(() => Event.prototype.preventDefault.call({}), TypeError);
    assert.throws(() => EventTarget.prototype.addEventListener.call({}, 'x', () => {}), TypeError);
    assert.throws(() => EventTarget.prototype.dispatchEvent.call(new EventTarget(), {}),
                  TypeError);
    const detail = Object.getOwnPropertyDescriptor(CustomEvent.prototype, 'detail').get;
    assert.throws(() => detail.call(new Event('x')), TypeError);
    // Interface members are enumerable accessors/methods on the prototype.
    assert.ok(Object.keys(Event.prototype).includes('preventDefault'));
    assert.ok(Object.keys(EventTarget.prototype).includes('addEventListener'));
  },
};

export const dispatchBasics = {
  test() {
    const target = new EventTarget();
    const seen = [];
    const event = new Event('ping');
    target.addEventListener('ping', function (e) {
      seen.push(['fn', this === target, e === event, e.target === target,
                 e.currentTarget === target, e.eventPhase, e.composedPath().length]);
    });
    target.addEventListener('other', () => seen.push('other'));
    assert.strictEqual(target.dispatchEvent(event), true);
    assert.deepStrictEqual(seen, [['fn', true, true, true, true, Event.AT_TARGET, 1]]);
    // After dispatch: phase and currentTarget reset, target kept, path empty.
    assert.strictEqual(event.eventPhase, Event.NONE);
    assert.strictEqual(event.currentTarget, null);
    assert.strictEqual(event.target, target);
    assert.deepStrictEqual(event.composedPath(), []);
    // The same event can be dispatched again.
    assert.strictEqual(target.dispatchEvent(event), true);
    assert.strictEqual(seen.length, 2);
    assert.throws(() => target.dispatchEvent(), TypeError);
    assert.throws(() => target.dispatchEvent('ping'), TypeError);
  },
};

export const captureListenersRunFirst = {
  test() {
    const target = new EventTarget();
    const order = [];
    target.addEventListener('x', () => order.push('bubble1'));
    target.addEventListener('x', () => order.push('capture1'), true);
    target.addEventListener('x', () => order.push('bubble2'), { capture: false });
    target.addEventListener('x', () => order.push('capture2'), { capture: true });
    target.dispatchEvent(new Event('x'));
    assert.deepStrictEqual(order, ['capture1', 'capture2', 'bubble1', 'bubble2']);
  },
};

export const duplicateAndRemove = {
  test() {
    const target = new EventTarget();
    let count = 0;
    const fn = () => count++;
    target.addEventListener('x', fn);
    target.addEventListener('x', fn);
    target.addEventListener('x', fn, { once: true });  // same (type, callback, capture): ignored
    target.addEventListener('x', fn, true);  // different capture: added
    target.dispatchEvent(new Event('x'));
    assert.strictEqual(count, 2);
    target.removeEventListener('x', fn);  // removes the non-capture one only
    target.dispatchEvent(new Event('x'));
    assert.strictEqual(count, 3);
    target.removeEventListener('x', fn, { capture: true });
    target.dispatchEvent(new Event('x'));
    assert.strictEqual(count, 3);
    // Null/undefined callbacks are accepted and ignored; primitives are a TypeError.
    target.addEventListener('x', null);
    target.addEventListener('x', undefined);
    target.removeEventListener('x', null);
    assert.throws(() => target.addEventListener('x', 5), TypeError);
    assert.throws(() => target.addEventListener('x'), TypeError);
    assert.throws(() => target.removeEventListener('x'), TypeError);
  },
};

export const onceListener = {
  test() {
    const target = new EventTarget();
    let count = 0;
    target.addEventListener('x', () => {
      count++;
      // Re-dispatching from inside a once listener must not re-enter it.
      if (count === 1) target.dispatchEvent(new Event('x'));
    }, { once: true });
    target.dispatchEvent(new Event('x'));
    target.dispatchEvent(new Event('x'));
    assert.strictEqual(count, 1);
  },
};

export const cancelation = {
  test() {
    const target = new EventTarget();
    target.addEventListener('x', (e) => e.preventDefault());
    const notCancelable = new Event('x');
    assert.strictEqual(target.dispatchEvent(notCancelable), true);
    assert.strictEqual(notCancelable.defaultPrevented, false);
    const cancelable = new Event('x', { cancelable: true });
    assert.strictEqual(target.dispatchEvent(cancelable), false);
    assert.strictEqual(cancelable.defaultPrevented, true);
    assert.strictEqual(cancelable.returnValue, false);
    // returnValue = false cancels too; setting true does not un-cancel.
    const viaReturnValue = new Event('y', { cancelable: true });
    viaReturnValue.returnValue = false;
    assert.strictEqual(viaReturnValue.defaultPrevented, true);
    viaReturnValue.returnValue = true;
    assert.strictEqual(viaReturnValue.defaultPrevented, true);
    // Passive listeners cannot cancel.
    const passive = new EventTarget();
    let sawPassive = null;
    passive.addEventListener('x', (e) => {
      e.preventDefault();
      sawPassive = e.defaultPrevented;
    }, { passive: true });
    const e = new Event('x', { cancelable: true });
    assert.strictEqual(passive.dispatchEvent(e), true);
    assert.strictEqual(sawPassive, false);
    // A later non-passive listener can.
    passive.addEventListener('x', (ev) => ev.preventDefault());
    assert.strictEqual(passive.dispatchEvent(new Event('x', { cancelable: true })), false);
  },
};

export const stopPropagationFlags = {
  test() {
    const target = new EventTarget();
    const order = [];
    target.addEventListener('x', (e) => { order.push(1); e.stopImmediatePropagation(); });
    target.addEventListener('x', () => order.push(2));
    target.dispatchEvent(new Event('x'));
    assert.deepStrictEqual(order, [1]);
    // stopPropagation in a capture listener skips the target's non-capture listeners.
    const t2 = new EventTarget();
    const order2 = [];
    t2.addEventListener('x', (e) => { order2.push('c1'); e.stopPropagation(); }, true);
    t2.addEventListener('x', () => order2.push('c2'), true);
    t2.addEventListener('x', () => order2.push('b'));
    t2.dispatchEvent(new Event('x'));
    assert.deepStrictEqual(order2, ['c1', 'c2']);
    // cancelBubble mirrors the flag; flags are cleared after dispatch.
    const e = new Event('x');
    e.cancelBubble = true;
    assert.strictEqual(e.cancelBubble, true);
    e.cancelBubble = false;
    assert.strictEqual(e.cancelBubble, true);
    let ran = false;
    const t3 = new EventTarget();
    t3.addEventListener('x', () => { ran = true; });
    t3.dispatchEvent(e);
    assert.strictEqual(ran, false);
    assert.strictEqual(e.cancelBubble, false);
    t3.dispatchEvent(e);
    assert.strictEqual(ran, true);
  },
};

export const handleEventObjects = {
  test() {
    const target = new EventTarget();
    const calls = [];
    const listener = {
      handleEvent(e) { calls.push([this === listener, e.type]); },
    };
    target.addEventListener('x', listener);
    target.dispatchEvent(new Event('x'));
    // handleEvent is looked up at each dispatch.
    listener.handleEvent = function () { calls.push('replaced'); };
    target.dispatchEvent(new Event('x'));
    assert.deepStrictEqual(calls, [[true, 'x'], 'replaced']);
    // A function listener with a handleEvent property is called as a function.
    const fn = () => calls.push('fn');
    fn.handleEvent = () => calls.push('wrong');
    target.addEventListener('y', fn);
    target.dispatchEvent(new Event('y'));
    assert.strictEqual(calls[calls.length - 1], 'fn');
  },
};

export const listenerErrorsDoNotStopDispatch = {
  test() {
    const target = new EventTarget();
    const order = [];
    target.addEventListener('x', () => { order.push(1); throw new Error('listener failure'); });
    target.addEventListener('x', { handleEvent: 5 });  // not callable: reported, skipped
    target.addEventListener('x', () => order.push(3));
    assert.doesNotThrow(() => target.dispatchEvent(new Event('x')));
    assert.deepStrictEqual(order, [1, 3]);
  },
};

export const listenersAddedOrRemovedDuringDispatch = {
  test() {
    const target = new EventTarget();
    const order = [];
    const late = () => order.push('late');
    const removed = () => order.push('removed');
    target.addEventListener('x', () => {
      order.push('first');
      target.addEventListener('x', late);
      target.removeEventListener('x', removed);
    });
    target.addEventListener('x', removed);
    target.dispatchEvent(new Event('x'));
    assert.deepStrictEqual(order, ['first']);
    target.dispatchEvent(new Event('x'));
    assert.deepStrictEqual(order, ['first', 'first', 'late']);
  },
};

export const redispatchWhileDispatchingThrows = {
  test() {
    const target = new EventTarget();
    const event = new Event('x');
    let error = null;
    target.addEventListener('x', () => {
      try {
        target.dispatchEvent(event);
      } catch (e) {
        error = e;
      }
    });
    target.dispatchEvent(event);
    assert.ok(error instanceof DOMException);
    assert.strictEqual(error.name, 'InvalidStateError');
  },
};

export const signalOption = {
  test() {
    const target = new EventTarget();
    const controller = new AbortController();
    let count = 0;
    target.addEventListener('x', () => count++, { signal: controller.signal });
    target.dispatchEvent(new Event('x'));
    controller.abort();
    target.dispatchEvent(new Event('x'));
    assert.strictEqual(count, 1);
    // Already-aborted signal: the listener is never added.
    target.addEventListener('x', () => count++, { signal: AbortSignal.abort() });
    target.dispatchEvent(new Event('x'));
    assert.strictEqual(count, 1);
    // Aborting from inside the listener stops later dispatches.
    const c2 = new AbortController();
    target.addEventListener('y', () => { count++; c2.abort(); }, { signal: c2.signal });
    target.dispatchEvent(new Event('y'));
    target.dispatchEvent(new Event('y'));
    assert.strictEqual(count, 2);
    assert.throws(() => target.addEventListener('x', () => {}, { signal: {} }), TypeError);
    assert.throws(() => target.addEventListener('x', () => {}, { signal: null }), TypeError);
  },
};

export const subclassing = {
  test() {
    class Emitter extends EventTarget {
      constructor() {
        super();
        this.fired = 0;
      }
      fire() { return this.dispatchEvent(new PingEvent(7)); }
    }
    class PingEvent extends Event {
      constructor(value) {
        super('ping', { cancelable: true });
        this.value = value;
      }
      get doubled() { return this.value * 2; }
    }
    const emitter = new Emitter();
    let got = null;
    emitter.addEventListener('ping', function (e) {
      this.fired++;
      got = [e instanceof PingEvent, e instanceof Event, e.doubled, e.type, e.target === emitter];
      e.preventDefault();
    });
    assert.strictEqual(emitter.fire(), false);
    assert.strictEqual(emitter.fired, 1);
    assert.deepStrictEqual(got, [true, true, 14, 'ping', true]);
    assert.ok(emitter instanceof EventTarget);
  },
};

export const customEvent = {
  test() {
    const e = new CustomEvent('c', { detail: { x: 1 }, bubbles: true });
    assert.deepStrictEqual(e.detail, { x: 1 });
    assert.strictEqual(e.bubbles, true);
    assert.ok(e instanceof Event);
    assert.strictEqual(new CustomEvent('c').detail, null);
    e.initCustomEvent('d', false, true, 'detail');
    assert.strictEqual(e.type, 'd');
    assert.strictEqual(e.cancelable, true);
    assert.strictEqual(e.detail, 'detail');
    assert.throws(() => new CustomEvent(), TypeError);
    // initEvent during dispatch is ignored.
    const target = new EventTarget();
    target.addEventListener('c', (ev) => ev.initEvent('changed'));
    const f = new CustomEvent('c');
    target.dispatchEvent(f);
    assert.strictEqual(f.type, 'c');
    f.initEvent('after', true);
    assert.strictEqual(f.type, 'after');
    assert.strictEqual(f.bubbles, true);
  },
};

export const errorEvent = {
  test() {
    const error = new Error('x');
    const e = new ErrorEvent('error',
                             { message: 'msg', filename: 'f.js', lineno: 3, colno: 4, error });
    assert.deepStrictEqual([e.message, e.filename, e.lineno, e.colno, e.error === error],
                           ['msg', 'f.js', 3, 4, true]);
    const empty = new ErrorEvent('error');
    assert.deepStrictEqual([empty.message, empty.filename, empty.lineno, empty.colno],
                           ['', '', 0, 0]);
    assert.ok(empty instanceof Event);
  },
};

export const tamperProofDispatch = {
  test() {
    const push = Array.prototype.push;
    const slice = Array.prototype.slice;
    const call = Function.prototype.call;
    const target = new EventTarget();
    const seen = [];
    target.addEventListener('x', () => { seen[seen.length] = 1; });
    try {
      Array.prototype.push = () => { throw new Error('patched push'); };
      Array.prototype.slice = () => { throw new Error('patched slice'); };
      Function.prototype.call = () => { throw new Error('patched call'); };
      target.addEventListener('x', () => { seen[seen.length] = 2; });
      target.dispatchEvent(new Event('x'));
    } finally {
      Array.prototype.push = push;
      Array.prototype.slice = slice;
      Function.prototype.call = call;
    }
    assert.deepStrictEqual(seen, [1, 2]);
  },
};
