// Streams: shared machinery for 14_streams_*.js … 17_streams_*.js.
// https://streams.spec.whatwg.org/
//   #queue-with-sizes, #qs-abstract-ops, #misc-abstract-ops (TransferArrayBuffer, ...)
// https://webidl.spec.whatwg.org/#invoke-a-callback-function, #es-dictionary
//
// Every stream object (ReadableStream, readers, controllers, ...) keeps its spec internal slots in
// an internal record reachable only through a private brand (`slotsOf`). Spec algorithms work on
// records; `record.obj` is the JavaScript object handed to user code. Records are instances of
// internal classes whose fields are all declared (define semantics), so reads never reach
// Object.prototype. Files share algorithms through `internals.streams.impl` (`S` below).
'use strict';

const {
  ArrayBuffer, ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, DataView,
  DataViewPrototypeGetBuffer, DataViewPrototypeGetByteLength, DataViewPrototypeGetByteOffset,
  FunctionPrototypeBind, FunctionPrototypeCall, NumberIsNaN, ObjectCreate, Promise,
  PromisePrototypeThen, PromiseReject, PromiseResolve, RangeError, ReflectApply,
  SharedArrayBufferPrototypeGetByteLength, TypeError, TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetLength,
  TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSet, Uint8Array,
} = primordials;

// `internals.streams` is the API other built-ins use (17_streams_internal.js); the algorithms the
// stream files share live in `internals.streams.impl`.
const S = { __proto__: null };
internals.streams = { __proto__: null, impl: S };

// ---- Private brand ------------------------------------------------------------------------------
// A base class whose constructor returns its argument lets a subclass stamp a private field onto an
// object created elsewhere (Object.create(proto) or a subclass instance of a public class).
class Stamper {
  constructor(o) { return o; }
}
class Slots extends Stamper {
  #rec;
  constructor(o, rec) {
    super(o);
    this.#rec = rec;
  }
  static get(o) {
    return (typeof o === 'object' && o !== null && #rec in o) ? o.#rec : undefined;
  }
}
const slotsOf = Slots.get;

function attachSlots(obj, rec) {
  new Slots(obj, rec);
  rec.obj = obj;
  return obj;
}

// Creates the JavaScript object for `rec` with the given interface prototype, as WebIDL's "new".
function createObject(proto, rec) {
  return attachSlots(ObjectCreate(proto), rec);
}

// Record kinds (the brand check compares these).
const K = {
  __proto__: null,
  RS: 1, RSDefaultReader: 2, RSBYOBReader: 3, RSDefaultController: 4, RSByteController: 5,
  BYOBRequest: 6, WS: 7, WSWriter: 8, WSController: 9, TS: 10, TSController: 11, AsyncIterator: 12,
  ByteLengthStrategy: 13, CountStrategy: 14,
};

// Returns the record of `o` if it is of `kind`, else undefined.
function recordOf(o, kind) {
  const rec = slotsOf(o);
  return rec !== undefined && rec.kind === kind ? rec : undefined;
}

// Brand check for `this` in interface members.
function thisRecord(o, kind) {
  const rec = slotsOf(o);
  if (rec === undefined || rec.kind !== kind) throw new TypeError('Illegal invocation');
  return rec;
}

// ---- Promises -----------------------------------------------------------------------------------
// ECMAScript PromiseResolve: returns `x` itself when it is already a native promise.
const promiseResolve = FunctionPrototypeBind(PromiseResolve, Promise);
const promiseReject = FunctionPrototypeBind(PromiseReject, Promise);
const noop = () => {};

// https://webidl.spec.whatwg.org/#a-promise-resolved-with — always a new promise, so a promise or
// thenable `x` is adopted through a then job (as the spec's microtask timing requires).
function promiseResolvedWith(x) {
  return new Promise((resolve) => resolve(x));
}

// A promise with its resolving functions and whether it has settled (the spec inspects
// [[PromiseState]] of writer promises).
class Deferred {
  promise = undefined;
  state = 'pending';
  res = undefined;
  rej = undefined;
  constructor() {
    this.promise = new Promise((res, rej) => {
      this.res = res;
      this.rej = rej;
    });
  }
}
function resolveDeferred(d, value) {
  if (d.state !== 'pending') return;
  d.state = 'fulfilled';
  d.res(value);
}
function rejectDeferred(d, reason) {
  if (d.state !== 'pending') return;
  d.state = 'rejected';
  d.rej(reason);
}
function resolvedDeferred(value) {
  const d = new Deferred();
  resolveDeferred(d, value);
  return d;
}
function rejectedDeferred(reason) {
  const d = new Deferred();
  rejectDeferred(d, reason);
  setPromiseHandled(d.promise);
  return d;
}

// Sets [[PromiseIsHandled]]: a rejection reaction that swallows.
function setPromiseHandled(p) {
  PromisePrototypeThen(p, undefined, noop);
}

// https://webidl.spec.whatwg.org/#dfn-perform-steps-once-promise-is-settled (never user `then`).
function uponPromise(p, onFulfilled, onRejected) {
  PromisePrototypeThen(p, onFulfilled, onRejected);
}
// https://webidl.spec.whatwg.org/#dfn-perform-steps-once-promise-is-settled, result kept.
function transformPromise(p, onFulfilled, onRejected) {
  return PromisePrototypeThen(p, onFulfilled, onRejected);
}

const returnUndefined = () => undefined;
const resolvedUndefined = () => promiseResolve(undefined);

// ---- Callbacks (WebIDL "invoke") ----------------------------------------------------------------
// Invokes a callback whose IDL return type is Promise<...>: exceptions become rejections.
function invokePromiseCallback(fn, thisArg, args) {
  try {
    return promiseResolvedWith(ReflectApply(fn, thisArg, args));
  } catch (e) {
    return promiseReject(e);
  }
}
function call0(fn, thisArg) {
  try {
    return promiseResolvedWith(FunctionPrototypeCall(fn, thisArg));
  } catch (e) {
    return promiseReject(e);
  }
}
function call1(fn, thisArg, a) {
  try {
    return promiseResolvedWith(FunctionPrototypeCall(fn, thisArg, a));
  } catch (e) {
    return promiseReject(e);
  }
}
function call2(fn, thisArg, a, b) {
  try {
    return promiseResolvedWith(FunctionPrototypeCall(fn, thisArg, a, b));
  } catch (e) {
    return promiseReject(e);
  }
}

// ---- WebIDL dictionary helpers ------------------------------------------------------------------
function isObject(v) {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

// Dictionary argument: undefined/null become an empty dictionary, other non-objects are errors.
function dictionaryObject(v, context) {
  if (v === undefined || v === null) return undefined;
  if (!isObject(v)) throw new TypeError(`${context}: the argument is not an object.`);
  return v;
}

// A callback member: undefined if absent, TypeError if present but not callable.
function callbackMember(dict, name, context) {
  if (dict === undefined) return undefined;
  const v = dict[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'function') {
    throw new TypeError(`${context}: '${name}' must be a function.`);
  }
  return v;
}

// https://streams.spec.whatwg.org/#dictdef-queuingstrategy, converted at the IDL layer
// (highWaterMark then size, lexicographic order).
class StrategyDict {
  highWaterMark = undefined;
  size = undefined;
}
function toQueuingStrategy(v, context) {
  const dict = dictionaryObject(v, context);
  const out = new StrategyDict();
  if (dict === undefined) return out;
  const hwm = dict.highWaterMark;
  if (hwm !== undefined) out.highWaterMark = +hwm;
  out.size = callbackMember(dict, 'size', context);
  return out;
}

// https://streams.spec.whatwg.org/#validate-and-normalize-high-water-mark
function extractHighWaterMark(strategy, defaultHWM) {
  if (strategy.highWaterMark === undefined) return defaultHWM;
  const hwm = strategy.highWaterMark;
  if (NumberIsNaN(hwm) || hwm < 0) {
    throw new RangeError('The highWaterMark must be a non-negative number.');
  }
  return hwm;
}

const sizeOne = () => 1;
// https://streams.spec.whatwg.org/#make-size-algorithm-from-size-function
function extractSizeAlgorithm(strategy) {
  const size = strategy.size;
  if (size === undefined) return sizeOne;
  // Invoked with an undefined this value; the result is converted to unrestricted double.
  return (chunk) => +FunctionPrototypeCall(size, undefined, chunk);
}

// https://streams.spec.whatwg.org/#is-non-negative-number
function isNonNegativeNumber(v) {
  return typeof v === 'number' && !NumberIsNaN(v) && v >= 0;
}

// ---- Queues -------------------------------------------------------------------------------------
// A FIFO list (spec lists used as queues: [[queue]], [[readRequests]], [[pendingPullIntos]],
// [[writeRequests]]). Linked nodes: no array index writes that a patched Array.prototype could see.
class QueueNode {
  value = undefined;
  next = null;
  constructor(value) { this.value = value; }
}
class Queue {
  head = null;
  tail = null;
  size = 0;
  push(value) {
    const node = new QueueNode(value);
    if (this.tail === null) this.head = node;
    else this.tail.next = node;
    this.tail = node;
    this.size++;
  }
  shift() {
    const node = this.head;
    this.head = node.next;
    if (this.head === null) this.tail = null;
    this.size--;
    return node.value;
  }
  peek() {
    return this.head.value;
  }
}

// https://streams.spec.whatwg.org/#value-with-size
class ValueWithSize {
  value = undefined;
  size = 0;
  constructor(value, size) {
    this.value = value;
    this.size = size;
  }
}

// https://streams.spec.whatwg.org/#dequeue-value
function dequeueValue(container) {
  const pair = container.queue.shift();
  container.queueTotalSize -= pair.size;
  if (container.queueTotalSize < 0) container.queueTotalSize = 0;
  return pair.value;
}
// https://streams.spec.whatwg.org/#enqueue-value-with-size
function enqueueValueWithSize(container, value, size) {
  if (!isNonNegativeNumber(size) || size === Infinity) {
    throw new RangeError('The chunk size must be a finite, non-negative number.');
  }
  container.queue.push(new ValueWithSize(value, size));
  container.queueTotalSize += size;
}
// https://streams.spec.whatwg.org/#peek-queue-value
function peekQueueValue(container) {
  return container.queue.peek().value;
}
// https://streams.spec.whatwg.org/#reset-queue
function resetQueue(container) {
  container.queue = new Queue();
  container.queueTotalSize = 0;
}

// ---- Buffers ------------------------------------------------------------------------------------
const typedArrayInfo = { __proto__: null };
for (const name of ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array']) {
  const C = primordials[name];
  typedArrayInfo[C.name] = { __proto__: null, ctor: C, elementSize: C.BYTES_PER_ELEMENT };
}

// Describes an ArrayBufferView without calling anything a script can patch. `typeName` is
// undefined for a DataView.
class ViewInfo {
  buffer = undefined;
  byteOffset = 0;
  byteLength = 0;
  typeName = undefined;
  ctor = undefined;
  elementSize = 1;
  length = 0;
}
function viewInfo(view) {
  const info = new ViewInfo();
  const typeName = TypedArrayPrototypeGetSymbolToStringTag(view);
  if (typeName === undefined) {
    info.buffer = DataViewPrototypeGetBuffer(view);
    info.byteOffset = DataViewPrototypeGetByteOffset(view);
    info.byteLength = DataViewPrototypeGetByteLength(view);
    info.ctor = DataView;
    info.length = info.byteLength;
  } else {
    const t = typedArrayInfo[typeName];
    info.buffer = TypedArrayPrototypeGetBuffer(view);
    info.byteOffset = TypedArrayPrototypeGetByteOffset(view);
    info.byteLength = TypedArrayPrototypeGetByteLength(view);
    info.typeName = typeName;
    info.ctor = t.ctor;
    info.elementSize = t.elementSize;
    info.length = TypedArrayPrototypeGetLength(view);
  }
  return info;
}

const isSharedArrayBuffer = ops.isSharedArrayBuffer;

// https://webidl.spec.whatwg.org/#ArrayBufferView (no [AllowShared]).
function toArrayBufferView(v, context) {
  if (!ArrayBufferIsView(v)) {
    throw new TypeError(`${context}: the argument is not an ArrayBufferView.`);
  }
  const info = viewInfo(v);
  if (isSharedArrayBuffer(info.buffer)) {
    throw new TypeError(`${context}: the view must not be backed by a SharedArrayBuffer.`);
  }
  return info;
}

function arrayBufferByteLength(buffer) {
  return ArrayBufferPrototypeGetByteLength(buffer);
}

// https://tc39.es/ecma262/#sec-isdetachedbuffer — a detached buffer has length 0 and refuses views.
const isDetachedBuffer = ops.isDetachedBuffer;

// Detaching needs native help on V8 10.2 (no ArrayBuffer.prototype.transfer): the runtime's
// `transferArrayBuffer` op, the engine's own transfer() where it exists, or structured cloning
// with a transfer list (the `structuredClone` op, else the global). As a last resort the buffer is
// handed on as is (data flows correctly; the source is not detached).
const nativeTransfer = ops.transferArrayBuffer;
const protoTransfer = ArrayBuffer.prototype.transfer;
const opStructuredClone = ops.structuredClone;
const capturedStructuredClone = globalThis.structuredClone;
function detachAndMove(buffer) {
  if (nativeTransfer !== undefined) return nativeTransfer(buffer);
  if (protoTransfer !== undefined) return FunctionPrototypeCall(protoTransfer, buffer);
  if (opStructuredClone !== undefined) return opStructuredClone(buffer, [buffer]);
  if (capturedStructuredClone !== undefined) {
    return capturedStructuredClone(buffer, { __proto__: null, transfer: [buffer] });
  }
  return buffer;
}

// https://streams.spec.whatwg.org/#transfer-array-buffer
function transferArrayBuffer(buffer) {
  if (isDetachedBuffer(buffer)) throw new TypeError('The ArrayBuffer is detached.');
  return detachAndMove(buffer);
}

// https://streams.spec.whatwg.org/#can-transfer-array-buffer
function canTransferArrayBuffer(buffer) {
  return !isDetachedBuffer(buffer);
}

// https://tc39.es/ecma262/#sec-clonearraybuffer
function cloneArrayBuffer(src, byteOffset, byteLength) {
  if (isDetachedBuffer(src)) throw new TypeError('The ArrayBuffer is detached.');
  const out = new ArrayBuffer(byteLength);
  TypedArrayPrototypeSet(new Uint8Array(out), new Uint8Array(src, byteOffset, byteLength));
  return out;
}

// https://streams.spec.whatwg.org/#abstract-opdef-cloneasuint8array
function cloneAsUint8Array(view) {
  const info = viewInfo(view);
  return new Uint8Array(cloneArrayBuffer(info.buffer, info.byteOffset, info.byteLength));
}

// https://tc39.es/ecma262/#sec-copydatablockbytes
function copyDataBlockBytes(to, toIndex, from, fromIndex, count) {
  TypedArrayPrototypeSet(new Uint8Array(to, toIndex, count),
      new Uint8Array(from, fromIndex, count));
}

// ---- AbortSignal --------------------------------------------------------------------------------
// AbortSignal plumbing: `internals.abort` (05_abort.js) when present, else the AbortSignal and
// EventTarget methods captured here, before any user code runs.
const abortFallback = (() => {
  const AC = globalThis.AbortController;
  const AS = globalThis.AbortSignal;
  if (AC === undefined || AS === undefined) return undefined;
  const getter = (proto, name) => primordials.ReflectGetOwnPropertyDescriptor(proto, name).get;
  return {
    __proto__: null,
    isAbortSignal: (v) => {
      try {
        FunctionPrototypeCall(getter(AS.prototype, 'aborted'), v);
        return true;
      } catch {
        return false;
      }
    },
    isAborted: (signal) => FunctionPrototypeCall(getter(AS.prototype, 'aborted'), signal),
    getReason: (signal) => FunctionPrototypeCall(getter(AS.prototype, 'reason'), signal),
    addEventListener: AS.prototype.addEventListener,
    removeEventListener: AS.prototype.removeEventListener,
    newAbortController: () => new AC(),
    getSignal: (controller) => FunctionPrototypeCall(getter(AC.prototype, 'signal'), controller),
    signalAbort: (controller, reason) =>
      FunctionPrototypeCall(AC.prototype.abort, controller, reason),
  };
})();
function abortApi() {
  return internals.abort !== undefined ? internals.abort : abortFallback;
}

function isAbortSignal(v) {
  const api = abortApi();
  return api !== undefined && isObject(v) && api.isAbortSignal(v);
}
function signalAborted(signal) {
  return abortApi().isAborted(signal);
}
function signalReason(signal) {
  return abortApi().getReason(signal);
}
// https://dom.spec.whatwg.org/#abortsignal-add; returns a function that removes the algorithm.
function addAbortAlgorithm(signal, algorithm) {
  const api = abortApi();
  if (api.addAbortAlgorithm !== undefined) {
    api.addAbortAlgorithm(signal, algorithm);
    return () => api.removeAbortAlgorithm(signal, algorithm);
  }
  const listener = () => algorithm();
  FunctionPrototypeCall(api.addEventListener, signal, 'abort', listener);
  return () => FunctionPrototypeCall(api.removeEventListener, signal, 'abort', listener);
}
// WritableStreamDefaultController.[[abortController]]; undefined when AbortController is absent.
function newAbortController() {
  const api = abortApi();
  return api === undefined ? undefined : api.newAbortController();
}
function abortControllerSignal(controller) {
  return abortApi().getSignal(controller);
}
// https://dom.spec.whatwg.org/#abortcontroller-signal-abort
function signalAbort(controller, reason) {
  abortApi().signalAbort(controller, reason);
}

// Installs interface members as WebIDL does.
function configureInterface(klass, name) {
  internals.webidl.configureInterface(klass, name);
}

ObjectAssignInto(S, {
  K, slotsOf, attachSlots, createObject, recordOf, thisRecord, promiseResolve,
  promiseResolvedWith, promiseReject, noop, returnUndefined, resolvedUndefined, Deferred,
  resolveDeferred, rejectDeferred, resolvedDeferred, rejectedDeferred, setPromiseHandled,
  uponPromise, transformPromise, invokePromiseCallback, call0, call1, call2, isObject,
  dictionaryObject, callbackMember, toQueuingStrategy, extractHighWaterMark, extractSizeAlgorithm,
  sizeOne, isNonNegativeNumber, Queue, dequeueValue, enqueueValueWithSize, peekQueueValue,
  resetQueue, typedArrayInfo, viewInfo, toArrayBufferView, arrayBufferByteLength,
  isDetachedBuffer, transferArrayBuffer, canTransferArrayBuffer, cloneArrayBuffer,
  cloneAsUint8Array, copyDataBlockBytes, isSharedArrayBuffer, isAbortSignal, signalAborted,
  signalReason, addAbortAlgorithm, newAbortController, abortControllerSignal, signalAbort,
  configureInterface,
});

function ObjectAssignInto(target, source) {
  for (const key of primordials.ObjectKeys(source)) target[key] = source[key];
}
