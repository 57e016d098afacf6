// Event, EventTarget, CustomEvent, and event handler attributes (`onabort`, ...).
// https://dom.spec.whatwg.org/#events
// https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-attributes
//
// Workers have no node tree: an event's path is its target alone, so dispatch runs the target's
// capturing listeners, then its non-capturing ones (both at AT_TARGET).
// Exposes `internals.events` (see the bottom of this file) and the globals Event, EventTarget,
// CustomEvent, ErrorEvent.
'use strict';

const {
  ArrayPrototypePush, ArrayPrototypeSlice, ArrayPrototypeSplice, ArrayPrototypeIndexOf, DateNow,
  FunctionPrototypeCall, ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, SafeMap,
  SafeWeakMap, TypeError,
} = primordials;
const {
  requiredArguments, toDOMString, toUSVString, toDictionary, configureInterface, illegalConstructor,
} = internals.webidl;

const NONE = 0;
const CAPTURING_PHASE = 1;
const AT_TARGET = 2;
const BUBBLING_PHASE = 3;

// https://dom.spec.whatwg.org/#dom-event-timestamp: ms since the time origin, as performance.now()
// (ops.hrtimeMs); the wall clock where that op is absent.
function now() {
  return typeof ops.hrtimeMs === 'function' ? ops.hrtimeMs() : DateNow();
}

// https://html.spec.whatwg.org/multipage/webappapis.html#report-the-exception
function reportException(error) {
  try {
    const report = internals.reportError;
    if (typeof report === 'function') {
      report(error);
      return;
    }
    const consoleError = internals.console?.error;
    if (typeof consoleError === 'function') consoleError(error);
  } catch {
    // Reporting must never break dispatch.
  }
}

// Filled in by Event's static block: the only code that touches Event's private state.
let isEvent;
let dispatchInternal;
let setTrusted;
let initializeEvent;
let setCanceledByHandler;
let dispatchFromScript;
let kIsTrustedDescriptor;

class Event {
  #type = '';
  #bubbles = false;
  #cancelable = false;
  #composed = false;
  #target = null;
  #currentTarget = null;
  #eventPhase = NONE;
  #stopPropagation = false;
  #stopImmediatePropagation = false;
  #canceled = false;
  #inPassiveListener = false;
  #dispatching = false;
  #isTrusted = false;
  #timeStamp = 0;

  // https://dom.spec.whatwg.org/#concept-event-constructor
  constructor(type, eventInitDict = undefined) {
    requiredArguments(arguments.length, 1, "Failed to construct 'Event'");
    const typeString = toDOMString(type);
    const init = toDictionary(eventInitDict, "Failed to construct 'Event': parameter 2");
    // Dictionary members are read in lexicographic order.
    const bubbles = !!init.bubbles;
    const cancelable = !!init.cancelable;
    const composed = !!init.composed;
    this.#type = typeString;
    this.#bubbles = bubbles;
    this.#cancelable = cancelable;
    this.#composed = composed;
    this.#timeStamp = now();
    // [LegacyUnforgeable] readonly attribute boolean isTrusted: an own accessor on every instance.
    ObjectDefineProperty(this, 'isTrusted', kIsTrustedDescriptor);
  }

  get type() {
    return brand(this).#type;
  }

  get target() {
    return brand(this).#target;
  }

  // Legacy alias of target.
  get srcElement() {
    return brand(this).#target;
  }

  get currentTarget() {
    return brand(this).#currentTarget;
  }

  // https://dom.spec.whatwg.org/#dom-event-composedpath (a path of one: the current target)
  composedPath() {
    const self = brand(this);
    return self.#currentTarget === null ? [] : [self.#currentTarget];
  }

  get eventPhase() {
    return brand(this).#eventPhase;
  }

  stopPropagation() {
    brand(this).#stopPropagation = true;
  }

  get cancelBubble() {
    return brand(this).#stopPropagation;
  }

  set cancelBubble(value) {
    const self = brand(this);
    if (value) self.#stopPropagation = true;
  }

  stopImmediatePropagation() {
    const self = brand(this);
    self.#stopPropagation = true;
    self.#stopImmediatePropagation = true;
  }

  get bubbles() {
    return brand(this).#bubbles;
  }

  get cancelable() {
    return brand(this).#cancelable;
  }

  get returnValue() {
    return !brand(this).#canceled;
  }

  set returnValue(value) {
    const self = brand(this);
    if (!value) self.#setCanceled();
  }

  preventDefault() {
    brand(this).#setCanceled();
  }

  get defaultPrevented() {
    return brand(this).#canceled;
  }

  get composed() {
    return brand(this).#composed;
  }

  get timeStamp() {
    return brand(this).#timeStamp;
  }

  // https://dom.spec.whatwg.org/#dom-event-initevent
  initEvent(type, bubbles = false, cancelable = false) {
    const self = brand(this);
    requiredArguments(arguments.length, 1, "Failed to execute 'initEvent' on 'Event'");
    if (self.#dispatching) return;
    self.#initialize(toDOMString(type), !!bubbles, !!cancelable);
  }

  // https://dom.spec.whatwg.org/#set-the-canceled-flag
  #setCanceled() {
    if (this.#cancelable && !this.#inPassiveListener) this.#canceled = true;
  }

  // https://dom.spec.whatwg.org/#concept-event-initialize
  #initialize(type, bubbles, cancelable) {
    this.#stopPropagation = false;
    this.#stopImmediatePropagation = false;
    this.#canceled = false;
    this.#isTrusted = false;
    this.#target = null;
    this.#type = type;
    this.#bubbles = bubbles;
    this.#cancelable = cancelable;
  }

  static {
    isEvent = (value) => value !== null && typeof value === 'object' && #type in value;
    setTrusted = (event) => {
      event.#isTrusted = true;
    };
    initializeEvent = (event, type, bubbles, cancelable) => {
      if (event.#dispatching) return false;
      event.#initialize(type, bubbles, cancelable);
      return true;
    };
    setCanceledByHandler = (event) => event.#setCanceled();

    const kIsTrustedGetter = ObjectGetOwnPropertyDescriptor({
      get isTrusted() {
        if (!isEvent(this)) throw new TypeError('Illegal invocation');
        return this.#isTrusted;
      },
    }, 'isTrusted').get;
    kIsTrustedDescriptor = {
      get: kIsTrustedGetter, set: undefined, enumerable: true, configurable: false,
    };

    // https://dom.spec.whatwg.org/#concept-event-dispatch, for a target without parents.
    dispatchInternal = (target, event) => {
      if (event.#dispatching) {
        throw new internals.DOMException('The event is already being dispatched.',
                                         'InvalidStateError');
      }
      event.#dispatching = true;
      try {
        event.#target = target;
        event.#eventPhase = AT_TARGET;
        invoke(target, event, CAPTURING_PHASE);
        invoke(target, event, BUBBLING_PHASE);
      } finally {
        event.#eventPhase = NONE;
        event.#currentTarget = null;
        event.#dispatching = false;
        event.#stopPropagation = false;
        event.#stopImmediatePropagation = false;
      }
      return !event.#canceled;
    };

    dispatchFromScript = (target, event) => {
      // 1. If event's dispatch flag is set (or its initialized flag is not), throw.
      if (event.#dispatching) {
        throw new internals.DOMException('The event is already being dispatched.',
                                         'InvalidStateError');
      }
      // 2. Initialize event's isTrusted attribute to false.
      event.#isTrusted = false;
      return dispatchInternal(target, event);
    };

    // https://dom.spec.whatwg.org/#concept-event-listener-invoke
    const invoke = (target, event, phase) => {
      if (event.#stopPropagation) return;
      event.#currentTarget = target;
      const state = getState(target);
      const list = state?.listeners?.get(event.#type);
      if (list === undefined || list.length === 0) return;
      // Listeners added during dispatch do not run; removed ones are flagged `removed`.
      const listeners = ArrayPrototypeSlice(list);
      // https://dom.spec.whatwg.org/#concept-event-listener-inner-invoke
      for (let i = 0; i < listeners.length; i++) {
        const listener = listeners[i];
        if (listener.removed) continue;
        if (phase === CAPTURING_PHASE && !listener.capture) continue;
        if (phase === BUBBLING_PHASE && listener.capture) continue;
        if (listener.once) removeListenerRecord(state, listener);
        if (listener.passive) event.#inPassiveListener = true;
        callListener(listener.callback, target, event);
        event.#inPassiveListener = false;
        if (event.#stopImmediatePropagation) break;
      }
    };
  }
}

function brand(value) {
  if (!isEvent(value)) throw new TypeError('Illegal invocation');
  return value;
}

// https://webidl.spec.whatwg.org/#call-a-user-objects-operation
function callListener(callback, thisArg, event) {
  try {
    if (typeof callback === 'function') {
      FunctionPrototypeCall(callback, thisArg, event);
      return;
    }
    const handleEvent = callback.handleEvent;
    if (typeof handleEvent !== 'function') {
      throw new TypeError("The listener's 'handleEvent' property is not callable.");
    }
    FunctionPrototypeCall(handleEvent, callback, event);
  } catch (error) {
    reportException(error);
  }
}

const kConstants = [
  ['NONE', NONE], ['CAPTURING_PHASE', CAPTURING_PHASE], ['AT_TARGET', AT_TARGET],
  ['BUBBLING_PHASE', BUBBLING_PHASE],
];
configureInterface(Event);
for (let i = 0; i < kConstants.length; i++) {
  const desc = { value: kConstants[i][1], writable: false, enumerable: true, configurable: false };
  ObjectDefineProperty(Event, kConstants[i][0], desc);
  ObjectDefineProperty(Event.prototype, kConstants[i][0], desc);
}

// https://dom.spec.whatwg.org/#interface-customevent
class CustomEvent extends Event {
  #detail = null;

  constructor(type, eventInitDict = undefined) {
    requiredArguments(arguments.length, 1, "Failed to construct 'CustomEvent'");
    const init = toDictionary(eventInitDict, "Failed to construct 'CustomEvent': parameter 2");
    super(type, init);
    this.#detail = init.detail === undefined ? null : init.detail;
  }

  get detail() {
    if (!isCustomEvent(this)) throw new TypeError('Illegal invocation');
    return this.#detail;
  }

  // https://dom.spec.whatwg.org/#dom-customevent-initcustomevent
  initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
    if (!isCustomEvent(this)) throw new TypeError('Illegal invocation');
    requiredArguments(arguments.length, 1, "Failed to execute 'initCustomEvent' on 'CustomEvent'");
    if (initializeEvent(this, toDOMString(type), !!bubbles, !!cancelable)) this.#detail = detail;
  }

  static isCustomEvent(value) {
    return value !== null && typeof value === 'object' && #detail in value;
  }
}
const isCustomEvent = CustomEvent.isCustomEvent;
delete CustomEvent.isCustomEvent;
configureInterface(CustomEvent);

// https://html.spec.whatwg.org/multipage/webappapis.html#the-errorevent-interface
let isErrorEvent;
class ErrorEvent extends Event {
  #message = '';
  #filename = '';
  #lineno = 0;
  #colno = 0;
  #error = undefined;

  constructor(type, eventInitDict = undefined) {
    requiredArguments(arguments.length, 1, "Failed to construct 'ErrorEvent'");
    const init = toDictionary(eventInitDict, "Failed to construct 'ErrorEvent': parameter 2");
    super(type, init);
    const { toUnsignedLong } = internals.webidl;
    if (init.colno !== undefined) this.#colno = toUnsignedLong(init.colno);
    this.#error = init.error;
    if (init.filename !== undefined) this.#filename = toUSVString(init.filename);
    if (init.lineno !== undefined) this.#lineno = toUnsignedLong(init.lineno);
    if (init.message !== undefined) this.#message = toDOMString(init.message);
  }

  get message() {
    return errorEventBrand(this).#message;
  }

  get filename() {
    return errorEventBrand(this).#filename;
  }

  get lineno() {
    return errorEventBrand(this).#lineno;
  }

  get colno() {
    return errorEventBrand(this).#colno;
  }

  get error() {
    return errorEventBrand(this).#error;
  }

  static {
    isErrorEvent = (value) => value !== null && typeof value === 'object' && #colno in value;
  }
}
function errorEventBrand(value) {
  if (!isErrorEvent(value)) throw new TypeError('Illegal invocation');
  return value;
}
configureInterface(ErrorEvent);

// --- EventTarget -------------------------------------------------------------------------------

// Listener state of one target: `listeners` maps type → array of records
// { type, callback, capture, passive, once, signal, abortAlgorithm, removed }; `handlers` maps an
// event handler name → { value, record }; `observer(type)` (optional) runs after the listener
// list of `type` changed (AbortSignal uses it to pin dependent signals that have listeners).
function newState() {
  return { listeners: null, handlers: null, observer: null };
}

// Objects that are event targets without having run the EventTarget constructor (the global
// object) keep their state here.
const foreignStates = new SafeWeakMap();

let getOwnState;

function getState(target) {
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
    return undefined;
  }
  return getOwnState(target) ?? foreignStates.get(target);
}

function thisState(self) {
  // WebIDL: an operation called with an undefined `this` targets the global object.
  const state = getState(self ?? globalThis);
  if (state === undefined) throw new TypeError('Illegal invocation');
  return state;
}

// https://dom.spec.whatwg.org/#concept-flatten-options
function flattenCapture(options) {
  if (options !== null && typeof options === 'object') return !!options.capture;
  return !!options;
}

function removeListenerRecord(state, record) {
  if (record.removed) return;
  record.removed = true;
  const list = state.listeners?.get(record.type);
  if (list !== undefined) {
    const index = ArrayPrototypeIndexOf(list, record);
    if (index !== -1) ArrayPrototypeSplice(list, index, 1);
    if (list.length === 0) state.listeners.delete(record.type);
  }
  if (record.signal !== null) {
    internals.abort.removeAbortAlgorithm(record.signal, record.abortAlgorithm);
  }
  if (state.observer !== null) state.observer(record.type);
}

// https://dom.spec.whatwg.org/#add-an-event-listener
function addListenerRecord(state, record) {
  // 2. If listener's signal is not null and is aborted, then return.
  if (record.signal !== null && record.signal.aborted) return;
  // 3. If listener's callback is null, then return.
  if (record.callback === null) return;
  // 4. Append if no equal listener (type, callback, capture) is in the list.
  if (state.listeners === null) state.listeners = new SafeMap();
  let list = state.listeners.get(record.type);
  if (list === undefined) {
    list = [];
    state.listeners.set(record.type, list);
  }
  for (let i = 0; i < list.length; i++) {
    if (list[i].callback === record.callback && list[i].capture === record.capture) return;
  }
  ArrayPrototypePush(list, record);
  // 5. If listener's signal is not null, add abort steps removing the listener.
  if (record.signal !== null) {
    record.abortAlgorithm = () => removeListenerRecord(state, record);
    internals.abort.addAbortAlgorithm(record.signal, record.abortAlgorithm);
  }
  if (state.observer !== null) state.observer(record.type);
}

class EventTarget {
  #state = newState();

  // https://dom.spec.whatwg.org/#dom-eventtarget-eventtarget
  constructor() {}

  // https://dom.spec.whatwg.org/#dom-eventtarget-addeventlistener
  addEventListener(type, callback, options = undefined) {
    const state = thisState(this);
    const prefix = "Failed to execute 'addEventListener' on 'EventTarget'";
    requiredArguments(arguments.length, 2, prefix);
    const typeString = toDOMString(type);
    const cb = toCallbackInterface(callback, prefix);
    // https://dom.spec.whatwg.org/#event-flatten-more (members in lexicographic order)
    let capture = false;
    let once = false;
    let passive = false;
    let signal = null;
    if (options === null || options === undefined || typeof options === 'object' ||
        typeof options === 'function') {
      const dict = toDictionary(options, prefix);
      capture = !!dict.capture;
      once = !!dict.once;
      passive = !!dict.passive;
      const signalValue = dict.signal;
      if (signalValue !== undefined) {
        if (!internals.abort.isAbortSignal(signalValue)) {
          throw new TypeError(`${prefix}: member signal is not of type AbortSignal.`);
        }
        signal = signalValue;
      }
    } else {
      capture = !!options;
    }
    addListenerRecord(state, {
      type: typeString, callback: cb, capture, passive, once, signal, abortAlgorithm: null,
      removed: false,
    });
  }

  // https://dom.spec.whatwg.org/#dom-eventtarget-removeeventlistener
  removeEventListener(type, callback, options = undefined) {
    const state = thisState(this);
    const prefix = "Failed to execute 'removeEventListener' on 'EventTarget'";
    requiredArguments(arguments.length, 2, prefix);
    const typeString = toDOMString(type);
    const cb = toCallbackInterface(callback, prefix);
    const capture = flattenCapture(options);
    const list = state.listeners?.get(typeString);
    if (list === undefined || cb === null) return;
    for (let i = 0; i < list.length; i++) {
      if (list[i].callback === cb && list[i].capture === capture) {
        removeListenerRecord(state, list[i]);
        return;
      }
    }
  }

  // https://dom.spec.whatwg.org/#dom-eventtarget-dispatchevent
  dispatchEvent(event) {
    const target = this ?? globalThis;
    thisState(target);
    const prefix = "Failed to execute 'dispatchEvent' on 'EventTarget'";
    requiredArguments(arguments.length, 1, prefix);
    if (!isEvent(event)) throw new TypeError(`${prefix}: parameter 1 is not of type 'Event'.`);
    return dispatchFromScript(target, event);
  }

  static {
    getOwnState = (target) => (#state in target ? target.#state : undefined);
  }
}
configureInterface(EventTarget);

// WebIDL callback interface conversion (EventListener?): null/undefined → null, objects and
// functions as-is, other values are a TypeError.
function toCallbackInterface(value, prefix) {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' && typeof value !== 'function') {
    throw new TypeError(`${prefix}: parameter 2 is not of type 'Object'.`);
  }
  return value;
}

// --- Event handler attributes ------------------------------------------------------------------

// https://html.spec.whatwg.org/multipage/webappapis.html#the-event-handler-processing-algorithm
function handlerListener(state, name) {
  return function eventHandlerListener(event) {
    const handler = state.handlers.get(name);
    const callback = handler?.value;
    // [LegacyTreatNonObjectAsNull]: a non-callable object is not called.
    if (typeof callback !== 'function') return;
    const result = FunctionPrototypeCall(callback, this, event);
    if (result === false && name !== 'error') setCanceledByHandler(event);
  };
}

// Defines `on<type>` on `prototype` as an event handler IDL attribute.
// https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-idl-attributes
function defineEventHandler(prototype, type) {
  const name = `on${type}`;
  const accessors = {
    get [name]() {
      const state = thisState(this);
      return state.handlers?.get(type)?.value ?? null;
    },
    set [name](value) {
      const state = thisState(this);
      const handlerValue = (value !== null && (typeof value === 'object' ||
                                               typeof value === 'function')) ? value : null;
      if (state.handlers === null) state.handlers = new SafeMap();
      let handler = state.handlers.get(type);
      if (handler === undefined) {
        handler = { value: null, record: null };
        state.handlers.set(type, handler);
      }
      handler.value = handlerValue;
      if (handlerValue === null) {
        // Deactivate: the listener leaves the list; a later set appends a new one.
        if (handler.record !== null) removeListenerRecord(state, handler.record);
        handler.record = null;
      } else if (handler.record === null) {
        handler.record = {
          type, callback: handlerListener(state, type), capture: false, passive: false,
          once: false, signal: null, abortAlgorithm: null, removed: false,
        };
        addListenerRecord(state, handler.record);
      }
    },
  };
  const desc = ObjectGetOwnPropertyDescriptor(accessors, name);
  desc.enumerable = true;
  desc.configurable = true;
  ObjectDefineProperty(prototype, name, desc);
}

// https://html.spec.whatwg.org/multipage/webappapis.html#report-the-exception: fires a trusted,
// cancelable ErrorEvent at the global object when it has 'error' listeners. Returns true when a
// listener canceled it (the error counts as handled and is not logged).
let inErrorReporting = false;
function dispatchErrorEvent(error) {
  if (inErrorReporting || listenerCount(globalThis, 'error') === 0) return false;
  inErrorReporting = true;
  try {
    let message = '';
    try {
      if (error !== null && typeof error === 'object') message = `${error.message}`;
      else message = `${error}`;
    } catch {
      // A throwing message getter leaves the message empty.
    }
    const event = new ErrorEvent('error', { cancelable: true, error, message });
    setTrusted(event);
    return !dispatchInternal(globalThis, event);
  } finally {
    inErrorReporting = false;
  }
}

function listenerCount(target, type) {
  const state = getState(target);
  return state?.listeners?.get(type)?.length ?? 0;
}

internals.events = {
  Event,
  EventTarget,
  CustomEvent,
  ErrorEvent,
  isEvent,
  dispatchErrorEvent,
  // True when `value` is an EventTarget (constructed, or registered with initEventTarget).
  isEventTarget: (value) => getState(value) !== undefined,
  // Makes an object that did not run the EventTarget constructor (the global object) a target.
  initEventTarget(object) {
    if (getState(object) === undefined) foreignStates.set(object, newState());
  },
  // Runs the dispatch algorithm without resetting isTrusted; returns !defaultPrevented. Throws
  // InvalidStateError if the event is already being dispatched.
  dispatchEvent: (target, event) => dispatchInternal(target, event),
  setIsTrusted: (event) => setTrusted(event),
  defineEventHandler,
  listenerCount,
  // Called with the type after a target's listener list for that type changed.
  setListenerObserver(target, observer) {
    const state = getState(target);
    if (state !== undefined) state.observer = observer;
  },
  reportException,
  illegalConstructor,
};

internals.defineGlobals({ Event, EventTarget, CustomEvent, ErrorEvent });
