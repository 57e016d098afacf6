// AbortController and AbortSignal.
// https://dom.spec.whatwg.org/#aborting-ongoing-activities
// Exposes `internals.abort` (see the bottom of this file) and the globals AbortController,
// AbortSignal.
'use strict';

const {
  ArrayPrototypePush, FunctionPrototypeCall, ObjectGetOwnPropertyDescriptor, SafeSet, Symbol,
  SymbolIterator, TypeError, WeakRef, WeakRefPrototypeDeref,
} = primordials;
const { requiredArguments, toUnsignedLongLong, configureInterface, illegalConstructor } =
  internals.webidl;
const { EventTarget, Event, defineEventHandler, setIsTrusted, reportException } = internals.events;
const DOMException = internals.DOMException;

const kConstruct = Symbol('AbortSignal.construct');

// Messages match workerd's.
function newAbortError() {
  return new DOMException('The operation was aborted', 'AbortError');
}
function newTimeoutError() {
  return new DOMException('The operation was aborted due to timeout', 'TimeoutError');
}

let isAbortSignal;
let signalAbort;
let addAbortAlgorithm;
let removeAbortAlgorithm;
let createDependentAbortSignal;

class AbortSignal extends EventTarget {
  #aborted = false;
  #reason = undefined;
  // Abort algorithms: a SafeSet of functions, created on first use.
  #algorithms = null;
  #dependent = false;
  // On a dependent signal: WeakRefs to its source signals (only read to flatten AbortSignal.any).
  #sources = null;
  // On a source signal: WeakRefs to its dependent signals, and the dependents it must keep alive
  // because they have abort listeners or algorithms (DOM "Garbage collection" for AbortSignal).
  #dependents = null;
  #dependentsPruneAt = 16;
  #pinned = null;

  constructor(key) {
    if (key !== kConstruct) illegalConstructor();
    super();
  }

  // https://dom.spec.whatwg.org/#dom-abortsignal-abort
  static abort(reason = undefined) {
    const signal = new AbortSignal(kConstruct);
    signal.#aborted = true;
    signal.#reason = reason === undefined ? newAbortError() : reason;
    return signal;
  }

  // https://dom.spec.whatwg.org/#dom-abortsignal-timeout
  static timeout(milliseconds) {
    requiredArguments(arguments.length, 1, "Failed to execute 'timeout' on 'AbortSignal'");
    const ms = toUnsignedLongLong(milliseconds, { enforceRange: true },
                                  "Failed to execute 'timeout' on 'AbortSignal': parameter 1");
    const signal = new AbortSignal(kConstruct);
    // The timer holds the signal until it fires.
    internals.timers.setTimeout(() => {
      signalAbort(signal, newTimeoutError());
    }, ms);
    return signal;
  }

  // https://dom.spec.whatwg.org/#dom-abortsignal-any
  static any(signals) {
    requiredArguments(arguments.length, 1, "Failed to execute 'any' on 'AbortSignal'");
    const list = toSignalSequence(signals);
    return createDependentAbortSignal(list);
  }

  // https://dom.spec.whatwg.org/#dom-abortsignal-aborted
  get aborted() {
    if (!isAbortSignal(this)) throw new TypeError('Illegal invocation');
    return this.#aborted;
  }

  // https://dom.spec.whatwg.org/#dom-abortsignal-reason
  get reason() {
    if (!isAbortSignal(this)) throw new TypeError('Illegal invocation');
    return this.#reason;
  }

  // https://dom.spec.whatwg.org/#dom-abortsignal-throwifaborted
  throwIfAborted() {
    if (!isAbortSignal(this)) throw new TypeError('Illegal invocation');
    if (this.#aborted) throw this.#reason;
  }

  // --- dependent signals and their lifetime ---

  // A dependent signal is "interesting" (must outlive its own references) while it can still
  // abort and someone would notice: it has abort listeners or abort algorithms.
  #isInteresting() {
    return !this.#aborted && this.#sources !== null &&
        ((this.#algorithms !== null && this.#algorithms.size > 0) ||
         internals.events.listenerCount(this, 'abort') > 0);
  }

  #updatePins() {
    if (!this.#dependent || this.#sources === null) return;
    const pin = this.#isInteresting();
    for (let i = 0; i < this.#sources.length; i++) {
      const source = WeakRefPrototypeDeref(this.#sources[i]);
      if (source === undefined) continue;
      if (pin) {
        if (source.#pinned === null) source.#pinned = new SafeSet();
        source.#pinned.add(this);
      } else if (source.#pinned !== null) {
        source.#pinned.delete(this);
      }
    }
  }

  #addDependent(dependent) {
    if (this.#dependents === null) this.#dependents = new SafeSet();
    if (this.#dependents.size >= this.#dependentsPruneAt) {
      for (const ref of this.#dependents) {
        if (WeakRefPrototypeDeref(ref) === undefined) this.#dependents.delete(ref);
      }
      this.#dependentsPruneAt = this.#dependents.size * 2 + 16;
    }
    this.#dependents.add(new WeakRef(dependent));
  }

  #hasSource(source) {
    for (let i = 0; i < this.#sources.length; i++) {
      if (WeakRefPrototypeDeref(this.#sources[i]) === source) return true;
    }
    return false;
  }

  static {
    isAbortSignal = (value) =>
      value !== null && typeof value === 'object' && #aborted in value;

    // https://dom.spec.whatwg.org/#abortsignal-add
    addAbortAlgorithm = (signal, algorithm) => {
      // 1. If signal is aborted, then return.
      if (signal.#aborted) return;
      // 2. Append algorithm to signal's abort algorithms.
      if (signal.#algorithms === null) signal.#algorithms = new SafeSet();
      signal.#algorithms.add(algorithm);
      if (signal.#dependent) signal.#updatePins();
    };

    // https://dom.spec.whatwg.org/#abortsignal-remove
    removeAbortAlgorithm = (signal, algorithm) => {
      if (signal.#algorithms === null) return;
      signal.#algorithms.delete(algorithm);
      if (signal.#dependent) signal.#updatePins();
    };

    // https://dom.spec.whatwg.org/#abortsignal-signal-abort
    signalAbort = (signal, reason) => {
      // 1. If signal is aborted, then return.
      if (signal.#aborted) return;
      // 2. Set signal's abort reason to reason if it is given; otherwise to a new AbortError.
      signal.#aborted = true;
      signal.#reason = reason === undefined ? newAbortError() : reason;
      // 3-4. Collect the dependent signals that are not yet aborted; they share the reason.
      const dependentsToAbort = [];
      if (signal.#dependents !== null) {
        for (const ref of signal.#dependents) {
          const dependent = WeakRefPrototypeDeref(ref);
          if (dependent === undefined || dependent.#aborted) continue;
          dependent.#aborted = true;
          dependent.#reason = signal.#reason;
          ArrayPrototypePush(dependentsToAbort, dependent);
        }
      }
      signal.#dependents = null;
      signal.#pinned = null;
      // 5. Run the abort steps for signal.
      runAbortSteps(signal);
      // 6. For each dependentSignal of dependentSignalsToAbort, run the abort steps.
      for (let i = 0; i < dependentsToAbort.length; i++) runAbortSteps(dependentsToAbort[i]);
    };

    // https://dom.spec.whatwg.org/#run-the-abort-steps
    const runAbortSteps = (signal) => {
      // 1-2. Run then empty the abort algorithms.
      const algorithms = signal.#algorithms;
      signal.#algorithms = null;
      if (signal.#sources !== null) {
        // An aborted dependent no longer needs its other sources to keep it alive.
        for (let i = 0; i < signal.#sources.length; i++) {
          const source = WeakRefPrototypeDeref(signal.#sources[i]);
          if (source !== undefined && source.#pinned !== null) source.#pinned.delete(signal);
        }
        signal.#sources = null;
      }
      if (algorithms !== null) {
        for (const algorithm of algorithms) {
          try {
            algorithm();
          } catch (error) {
            reportException(error);
          }
        }
      }
      // 3. Fire an event named abort at signal.
      const event = new Event('abort');
      setIsTrusted(event);
      internals.events.dispatchEvent(signal, event);
    };

    // https://dom.spec.whatwg.org/#create-a-dependent-abort-signal
    createDependentAbortSignal = (signals) => {
      // 1. Let resultSignal be a new object implementing signalInterface.
      const result = new AbortSignal(kConstruct);
      // 2. If any signal is aborted, take its reason and return.
      for (let i = 0; i < signals.length; i++) {
        if (signals[i].#aborted) {
          result.#aborted = true;
          result.#reason = signals[i].#reason;
          return result;
        }
      }
      // 3. Set resultSignal's dependent to true.
      result.#dependent = true;
      result.#sources = [];
      // 4. Link each (flattened) source signal both ways.
      for (let i = 0; i < signals.length; i++) {
        const signal = signals[i];
        if (!signal.#dependent) {
          linkSource(result, signal);
        } else if (signal.#sources !== null) {
          for (let j = 0; j < signal.#sources.length; j++) {
            const source = WeakRefPrototypeDeref(signal.#sources[j]);
            if (source !== undefined) linkSource(result, source);
          }
        }
      }
      internals.events.setListenerObserver(result, (type) => {
        if (type === 'abort') result.#updatePins();
      });
      return result;
    };

    const linkSource = (result, source) => {
      if (result.#hasSource(source)) return;
      ArrayPrototypePush(result.#sources, new WeakRef(source));
      source.#addDependent(result);
    };
  }
}

// WebIDL sequence<AbortSignal> conversion.
function toSignalSequence(value) {
  const prefix = "Failed to execute 'any' on 'AbortSignal'";
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw new TypeError(`${prefix}: The provided value cannot be converted to a sequence.`);
  }
  const method = value[SymbolIterator];
  if (typeof method !== 'function') {
    throw new TypeError(`${prefix}: The object must have a callable @@iterator property.`);
  }
  const result = [];
  for (const item of { [SymbolIterator]: () => FunctionPrototypeCall(method, value) }) {
    if (!isAbortSignal(item)) {
      throw new TypeError(`${prefix}: Failed to convert value to 'AbortSignal'.`);
    }
    ArrayPrototypePush(result, item);
  }
  return result;
}

defineEventHandler(AbortSignal.prototype, 'abort');
configureInterface(AbortSignal);

let isAbortController;
let getControllerSignal;

// https://dom.spec.whatwg.org/#interface-abortcontroller
class AbortController {
  #signal = new AbortSignal(kConstruct);

  get signal() {
    if (!isAbortController(this)) throw new TypeError('Illegal invocation');
    return this.#signal;
  }

  // https://dom.spec.whatwg.org/#dom-abortcontroller-abort
  abort(reason = undefined) {
    if (!isAbortController(this)) throw new TypeError('Illegal invocation');
    signalAbort(this.#signal, reason);
  }

  static {
    isAbortController = (value) => value !== null && typeof value === 'object' && #signal in value;
    getControllerSignal = (controller) => controller.#signal;
  }
}
configureInterface(AbortController);

const abortedGetter = ObjectGetOwnPropertyDescriptor(AbortSignal.prototype, 'aborted').get;
const reasonGetter = ObjectGetOwnPropertyDescriptor(AbortSignal.prototype, 'reason').get;

internals.abort = {
  AbortSignal,
  AbortController,
  isAbortSignal,
  // Runs `algorithm()` when `signal` aborts (nothing if it already has).
  addAbortAlgorithm: (signal, algorithm) => addAbortAlgorithm(signal, algorithm),
  removeAbortAlgorithm: (signal, algorithm) => removeAbortAlgorithm(signal, algorithm),
  // Aborts `signal` with `reason` (undefined → a new AbortError DOMException). An AbortController
  // is accepted too and aborts its signal.
  signalAbort: (signalOrController, reason) => signalAbort(
    isAbortController(signalOrController) ? getControllerSignal(signalOrController) :
      signalOrController, reason),
  newSignal: () => new AbortSignal(kConstruct),
  newAbortController: () => new AbortController(),
  getSignal: (controller) => getControllerSignal(controller),
  isAborted: (signal) => FunctionPrototypeCall(abortedGetter, signal),
  getReason: (signal) => FunctionPrototypeCall(reasonGetter, signal),
  // AbortSignal.any() without the argument conversion: `signals` is an array of AbortSignals.
  anySignal: (signals) => createDependentAbortSignal(signals),
  newAbortError,
};

internals.defineGlobals({ AbortController, AbortSignal });
