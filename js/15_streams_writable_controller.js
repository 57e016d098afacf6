// WritableStreamDefaultController and its algorithms.
// https://streams.spec.whatwg.org/#ws-default-controller-class
// https://streams.spec.whatwg.org/#ws-default-controller-abstract-ops
'use strict';

const { FunctionPrototypeCall, TypeError } = primordials;
const S = internals.streams.impl;
const {
  K, createObject, thisRecord, promiseResolvedWith, returnUndefined, resolvedUndefined, uponPromise,
  call0, call1, call2, dequeueValue, enqueueValueWithSize, peekQueueValue, resetQueue, Queue,
  newAbortController, abortControllerSignal, WritableStreamRecord,
  writableStreamCloseQueuedOrInFlight, writableStreamDealWithRejection,
  writableStreamFinishErroring, writableStreamFinishInFlightClose,
  writableStreamFinishInFlightCloseWithError, writableStreamFinishInFlightWrite,
  writableStreamFinishInFlightWriteWithError, writableStreamMarkCloseRequestInFlight,
  writableStreamMarkFirstWriteRequestInFlight, writableStreamStartErroring,
  writableStreamUpdateBackpressure,
} = S;

// The close sentinel: https://streams.spec.whatwg.org/#close-sentinel
const closeSentinel = { __proto__: null };

// https://streams.spec.whatwg.org/#ws-default-controller-internal-slots
class WSControllerRecord {
  kind = K.WSController;
  obj = undefined;
  abortAlgorithm = undefined;
  abortController = undefined;
  closeAlgorithm = undefined;
  queue = new Queue();
  queueTotalSize = 0;
  started = false;
  strategyHWM = 1;
  strategySizeAlgorithm = undefined;
  stream = undefined;
  writeAlgorithm = undefined;

  // https://streams.spec.whatwg.org/#ws-default-controller-private-abort
  abortSteps(reason) {
    const result = this.abortAlgorithm(reason);
    writableStreamDefaultControllerClearAlgorithms(this);
    return result;
  }
  // https://streams.spec.whatwg.org/#ws-default-controller-private-error
  errorSteps() {
    resetQueue(this);
  }
}

// ---- WritableStreamDefaultController ------------------------------------------------------------
class WritableStreamDefaultController {
  constructor() {
    throw new TypeError('Illegal constructor');
  }

  // https://streams.spec.whatwg.org/#ws-default-controller-signal
  get signal() {
    const controller = thisRecord(this, K.WSController);
    if (controller.abortController === undefined) return undefined;
    return abortControllerSignal(controller.abortController);
  }

  // https://streams.spec.whatwg.org/#ws-default-controller-error
  error(e = undefined) {
    const controller = thisRecord(this, K.WSController);
    if (controller.stream.state !== 'writable') return;
    writableStreamDefaultControllerError(controller, e);
  }
}
S.configureInterface(WritableStreamDefaultController, 'WritableStreamDefaultController');
const WritableStreamDefaultControllerPrototype = WritableStreamDefaultController.prototype;

// https://streams.spec.whatwg.org/#set-up-writable-stream-default-controller
function setUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm,
                                              closeAlgorithm, abortAlgorithm, highWaterMark,
                                              sizeAlgorithm) {
  controller.stream = stream;
  stream.controller = controller;
  resetQueue(controller);
  controller.abortController = newAbortController();
  controller.started = false;
  controller.strategySizeAlgorithm = sizeAlgorithm;
  controller.strategyHWM = highWaterMark;
  controller.writeAlgorithm = writeAlgorithm;
  controller.closeAlgorithm = closeAlgorithm;
  controller.abortAlgorithm = abortAlgorithm;
  const backpressure = writableStreamDefaultControllerGetBackpressure(controller);
  writableStreamUpdateBackpressure(stream, backpressure);
  const startResult = startAlgorithm();
  uponPromise(promiseResolvedWith(startResult), () => {
    controller.started = true;
    writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
  }, (r) => {
    controller.started = true;
    writableStreamDealWithRejection(stream, r);
  });
}

// https://streams.spec.whatwg.org/#set-up-writable-stream-default-controller-from-underlying-sink
function setUpWritableStreamDefaultControllerFromUnderlyingSink(
    stream, sink, abort, close, start, write, highWaterMark, sizeAlgorithm) {
  const controller = new WSControllerRecord();
  createObject(WritableStreamDefaultControllerPrototype, controller);
  const startAlgorithm = start === undefined ? returnUndefined :
    () => FunctionPrototypeCall(start, sink, controller.obj);
  const writeAlgorithm = write === undefined ? resolvedUndefined :
    (chunk) => call2(write, sink, chunk, controller.obj);
  const closeAlgorithm = close === undefined ? resolvedUndefined : () => call0(close, sink);
  const abortAlgorithm = abort === undefined ? resolvedUndefined :
    (reason) => call1(abort, sink, reason);
  setUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm,
      closeAlgorithm, abortAlgorithm, highWaterMark, sizeAlgorithm);
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-advance-queue-if-needed
function writableStreamDefaultControllerAdvanceQueueIfNeeded(controller) {
  const stream = controller.stream;
  if (!controller.started) return;
  if (stream.inFlightWriteRequest !== undefined) return;
  const state = stream.state;
  if (state === 'erroring') {
    writableStreamFinishErroring(stream);
    return;
  }
  if (controller.queue.size === 0) return;
  const value = peekQueueValue(controller);
  if (value === closeSentinel) writableStreamDefaultControllerProcessClose(controller);
  else writableStreamDefaultControllerProcessWrite(controller, value);
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-clear-algorithms
function writableStreamDefaultControllerClearAlgorithms(controller) {
  controller.writeAlgorithm = undefined;
  controller.closeAlgorithm = undefined;
  controller.abortAlgorithm = undefined;
  controller.strategySizeAlgorithm = undefined;
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-close
function writableStreamDefaultControllerClose(controller) {
  enqueueValueWithSize(controller, closeSentinel, 0);
  writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-error
function writableStreamDefaultControllerError(controller, error) {
  writableStreamDefaultControllerClearAlgorithms(controller);
  writableStreamStartErroring(controller.stream, error);
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-error-if-needed
function writableStreamDefaultControllerErrorIfNeeded(controller, error) {
  if (controller.stream.state === 'writable') {
    writableStreamDefaultControllerError(controller, error);
  }
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-get-backpressure
function writableStreamDefaultControllerGetBackpressure(controller) {
  return writableStreamDefaultControllerGetDesiredSize(controller) <= 0;
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-get-chunk-size
function writableStreamDefaultControllerGetChunkSize(controller, chunk) {
  if (controller.strategySizeAlgorithm === undefined) return 1;
  try {
    return controller.strategySizeAlgorithm(chunk);
  } catch (e) {
    writableStreamDefaultControllerErrorIfNeeded(controller, e);
    return 1;
  }
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-get-desired-size
function writableStreamDefaultControllerGetDesiredSize(controller) {
  return controller.strategyHWM - controller.queueTotalSize;
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-process-close
function writableStreamDefaultControllerProcessClose(controller) {
  const stream = controller.stream;
  writableStreamMarkCloseRequestInFlight(stream);
  dequeueValue(controller);
  const sinkClosePromise = controller.closeAlgorithm();
  writableStreamDefaultControllerClearAlgorithms(controller);
  uponPromise(sinkClosePromise, () => {
    writableStreamFinishInFlightClose(stream);
  }, (reason) => {
    writableStreamFinishInFlightCloseWithError(stream, reason);
  });
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-process-write
function writableStreamDefaultControllerProcessWrite(controller, chunk) {
  const stream = controller.stream;
  writableStreamMarkFirstWriteRequestInFlight(stream);
  const sinkWritePromise = controller.writeAlgorithm(chunk);
  uponPromise(sinkWritePromise, () => {
    writableStreamFinishInFlightWrite(stream);
    const state = stream.state;
    dequeueValue(controller);
    if (!writableStreamCloseQueuedOrInFlight(stream) && state === 'writable') {
      const backpressure = writableStreamDefaultControllerGetBackpressure(controller);
      writableStreamUpdateBackpressure(stream, backpressure);
    }
    writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
  }, (reason) => {
    if (stream.state === 'writable') writableStreamDefaultControllerClearAlgorithms(controller);
    writableStreamFinishInFlightWriteWithError(stream, reason);
  });
}

// https://streams.spec.whatwg.org/#writable-stream-default-controller-write
function writableStreamDefaultControllerWrite(controller, chunk, chunkSize) {
  try {
    enqueueValueWithSize(controller, chunk, chunkSize);
  } catch (e) {
    writableStreamDefaultControllerErrorIfNeeded(controller, e);
    return;
  }
  const stream = controller.stream;
  if (!writableStreamCloseQueuedOrInFlight(stream) && stream.state === 'writable') {
    const backpressure = writableStreamDefaultControllerGetBackpressure(controller);
    writableStreamUpdateBackpressure(stream, backpressure);
  }
  writableStreamDefaultControllerAdvanceQueueIfNeeded(controller);
}

// https://streams.spec.whatwg.org/#create-writable-stream
function createWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm, abortAlgorithm,
                              highWaterMark, sizeAlgorithm) {
  const stream = new WritableStreamRecord();
  createObject(S.WritableStreamPrototype, stream);
  const controller = new WSControllerRecord();
  createObject(WritableStreamDefaultControllerPrototype, controller);
  setUpWritableStreamDefaultController(stream, controller, startAlgorithm, writeAlgorithm,
      closeAlgorithm, abortAlgorithm, highWaterMark, sizeAlgorithm);
  return stream;
}

for (const [name, fn] of [
  ['createWritableStream', createWritableStream],
  ['setUpWritableStreamDefaultControllerFromUnderlyingSink',
    setUpWritableStreamDefaultControllerFromUnderlyingSink],
  ['writableStreamDefaultControllerClose', writableStreamDefaultControllerClose],
  ['writableStreamDefaultControllerErrorIfNeeded', writableStreamDefaultControllerErrorIfNeeded],
  ['writableStreamDefaultControllerGetChunkSize', writableStreamDefaultControllerGetChunkSize],
  ['writableStreamDefaultControllerGetDesiredSize', writableStreamDefaultControllerGetDesiredSize],
  ['writableStreamDefaultControllerWrite', writableStreamDefaultControllerWrite],
]) {
  S[name] = fn;
}
S.WritableStreamDefaultController = WritableStreamDefaultController;

internals.defineGlobals({ WritableStreamDefaultController });
