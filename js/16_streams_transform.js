// TransformStream and TransformStreamDefaultController.
// https://streams.spec.whatwg.org/#ts-class
// https://streams.spec.whatwg.org/#ts-default-controller-class
// https://streams.spec.whatwg.org/#ts-all-abstract-ops
'use strict';

const { FunctionPrototypeCall, RangeError, TypeError } = primordials;
const S = internals.streams.impl;
const {
  K, createObject, attachSlots, thisRecord, promiseResolve, promiseReject, Deferred,
  resolveDeferred, rejectDeferred, uponPromise, transformPromise, call1, call2,
  dictionaryObject, callbackMember, toQueuingStrategy, extractHighWaterMark, extractSizeAlgorithm,
  createReadableStream, readableStreamDefaultControllerClose,
  readableStreamDefaultControllerEnqueue,
  readableStreamDefaultControllerError, readableStreamDefaultControllerGetDesiredSize,
  readableStreamDefaultControllerHasBackpressure, readableStreamDefaultControllerCanCloseOrEnqueue,
  createWritableStream, writableStreamDefaultControllerErrorIfNeeded, resolvedUndefined,
} = S;

// https://streams.spec.whatwg.org/#ts-internal-slots
class TransformStreamRecord {
  kind = K.TS;
  obj = undefined;
  backpressure = undefined;
  backpressureChangePromise = undefined;  // Deferred
  controller = undefined;
  detached = false;
  readable = undefined;
  writable = undefined;
}

// https://streams.spec.whatwg.org/#ts-default-controller-internal-slots
class TSControllerRecord {
  kind = K.TSController;
  obj = undefined;
  cancelAlgorithm = undefined;
  finishPromise = undefined;  // Deferred
  flushAlgorithm = undefined;
  stream = undefined;
  transformAlgorithm = undefined;
}

class TransformStream {
  // https://streams.spec.whatwg.org/#ts-constructor
  constructor(transformer = undefined, writableStrategy = undefined,
      readableStrategy = undefined) {
    const context = 'Failed to construct \'TransformStream\'';
    if (transformer !== undefined && !S.isObject(transformer)) {
      throw new TypeError(`${context}: parameter 1 is not an object.`);
    }
    const writableStrategyDict = toQueuingStrategy(writableStrategy, context);
    const readableStrategyDict = toQueuingStrategy(readableStrategy, context);
    const dict = dictionaryObject(transformer, context);
    // Transformer members in lexicographic order.
    const cancel = callbackMember(dict, 'cancel', context);
    const flush = callbackMember(dict, 'flush', context);
    const readableType = dict === undefined ? undefined : dict.readableType;
    const start = callbackMember(dict, 'start', context);
    const transform = callbackMember(dict, 'transform', context);
    const writableType = dict === undefined ? undefined : dict.writableType;
    if (readableType !== undefined) throw new RangeError(`${context}: invalid readableType.`);
    if (writableType !== undefined) throw new RangeError(`${context}: invalid writableType.`);
    const readableHighWaterMark = extractHighWaterMark(readableStrategyDict, 0);
    const readableSizeAlgorithm = extractSizeAlgorithm(readableStrategyDict);
    const writableHighWaterMark = extractHighWaterMark(writableStrategyDict, 1);
    const writableSizeAlgorithm = extractSizeAlgorithm(writableStrategyDict);
    const stream = new TransformStreamRecord();
    attachSlots(this, stream);
    const startPromise = new Deferred();
    initializeTransformStream(stream, startPromise, writableHighWaterMark, writableSizeAlgorithm,
        readableHighWaterMark, readableSizeAlgorithm);
    setUpTransformStreamDefaultControllerFromTransformer(stream, transformer, cancel, flush,
        transform);
    if (start !== undefined) {
      resolveDeferred(startPromise,
          FunctionPrototypeCall(start, transformer, stream.controller.obj));
    } else {
      resolveDeferred(startPromise, undefined);
    }
  }

  // https://streams.spec.whatwg.org/#ts-readable
  get readable() {
    return thisRecord(this, K.TS).readable.obj;
  }

  // https://streams.spec.whatwg.org/#ts-writable
  get writable() {
    return thisRecord(this, K.TS).writable.obj;
  }
}
S.configureInterface(TransformStream, 'TransformStream');

class TransformStreamDefaultController {
  constructor() {
    throw new TypeError('Illegal constructor');
  }

  // https://streams.spec.whatwg.org/#ts-default-controller-desired-size
  get desiredSize() {
    const controller = thisRecord(this, K.TSController);
    return readableStreamDefaultControllerGetDesiredSize(controller.stream.readable.controller);
  }

  // https://streams.spec.whatwg.org/#ts-default-controller-enqueue
  enqueue(chunk = undefined) {
    transformStreamDefaultControllerEnqueue(thisRecord(this, K.TSController), chunk);
  }

  // https://streams.spec.whatwg.org/#ts-default-controller-error
  error(reason = undefined) {
    transformStreamDefaultControllerError(thisRecord(this, K.TSController), reason);
  }

  // https://streams.spec.whatwg.org/#ts-default-controller-terminate
  terminate() {
    transformStreamDefaultControllerTerminate(thisRecord(this, K.TSController));
  }
}
S.configureInterface(TransformStreamDefaultController, 'TransformStreamDefaultController');
const TransformStreamDefaultControllerPrototype = TransformStreamDefaultController.prototype;

// https://streams.spec.whatwg.org/#initialize-transform-stream
function initializeTransformStream(stream, startPromise, writableHighWaterMark,
                                   writableSizeAlgorithm, readableHighWaterMark,
                                   readableSizeAlgorithm) {
  const startAlgorithm = () => startPromise.promise;
  const writeAlgorithm = (chunk) => transformStreamDefaultSinkWriteAlgorithm(stream, chunk);
  const abortAlgorithm = (reason) => transformStreamDefaultSinkAbortAlgorithm(stream, reason);
  const closeAlgorithm = () => transformStreamDefaultSinkCloseAlgorithm(stream);
  stream.writable = createWritableStream(startAlgorithm, writeAlgorithm, closeAlgorithm,
      abortAlgorithm, writableHighWaterMark, writableSizeAlgorithm);
  const pullAlgorithm = () => transformStreamDefaultSourcePullAlgorithm(stream);
  const cancelAlgorithm = (reason) => transformStreamDefaultSourceCancelAlgorithm(stream, reason);
  stream.readable = createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm,
      readableHighWaterMark, readableSizeAlgorithm);
  stream.backpressure = undefined;
  stream.backpressureChangePromise = undefined;
  transformStreamSetBackpressure(stream, true);
  stream.controller = undefined;
}

// https://streams.spec.whatwg.org/#transform-stream-error
function transformStreamError(stream, e) {
  readableStreamDefaultControllerError(stream.readable.controller, e);
  transformStreamErrorWritableAndUnblockWrite(stream, e);
}

// https://streams.spec.whatwg.org/#transform-stream-error-writable-and-unblock-write
function transformStreamErrorWritableAndUnblockWrite(stream, e) {
  transformStreamDefaultControllerClearAlgorithms(stream.controller);
  writableStreamDefaultControllerErrorIfNeeded(stream.writable.controller, e);
  transformStreamUnblockWrite(stream);
}

// https://streams.spec.whatwg.org/#transform-stream-set-backpressure
function transformStreamSetBackpressure(stream, backpressure) {
  if (stream.backpressureChangePromise !== undefined) {
    resolveDeferred(stream.backpressureChangePromise, undefined);
  }
  stream.backpressureChangePromise = new Deferred();
  stream.backpressure = backpressure;
}

// https://streams.spec.whatwg.org/#transform-stream-unblock-write
function transformStreamUnblockWrite(stream) {
  if (stream.backpressure) transformStreamSetBackpressure(stream, false);
}

// https://streams.spec.whatwg.org/#set-up-transform-stream-default-controller
function setUpTransformStreamDefaultController(stream, controller, transformAlgorithm,
                                               flushAlgorithm, cancelAlgorithm) {
  controller.stream = stream;
  stream.controller = controller;
  controller.transformAlgorithm = transformAlgorithm;
  controller.flushAlgorithm = flushAlgorithm;
  controller.cancelAlgorithm = cancelAlgorithm;
}

// https://streams.spec.whatwg.org/#set-up-transform-stream-default-controller-from-transformer
function setUpTransformStreamDefaultControllerFromTransformer(stream, transformer, cancel, flush,
                                                              transform) {
  const controller = new TSControllerRecord();
  createObject(TransformStreamDefaultControllerPrototype, controller);
  let transformAlgorithm = (chunk) => {
    try {
      transformStreamDefaultControllerEnqueue(controller, chunk);
    } catch (e) {
      return promiseReject(e);
    }
    return promiseResolve(undefined);
  };
  let flushAlgorithm = resolvedUndefined;
  let cancelAlgorithm = resolvedUndefined;
  if (transform !== undefined) {
    transformAlgorithm = (chunk) => call2(transform, transformer, chunk, controller.obj);
  }
  if (flush !== undefined) flushAlgorithm = () => call1(flush, transformer, controller.obj);
  if (cancel !== undefined) cancelAlgorithm = (reason) => call1(cancel, transformer, reason);
  setUpTransformStreamDefaultController(stream, controller, transformAlgorithm, flushAlgorithm,
      cancelAlgorithm);
}

// https://streams.spec.whatwg.org/#transform-stream-default-controller-clear-algorithms
function transformStreamDefaultControllerClearAlgorithms(controller) {
  controller.transformAlgorithm = undefined;
  controller.flushAlgorithm = undefined;
  controller.cancelAlgorithm = undefined;
}

// https://streams.spec.whatwg.org/#transform-stream-default-controller-enqueue
function transformStreamDefaultControllerEnqueue(controller, chunk) {
  const stream = controller.stream;
  const readableController = stream.readable.controller;
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(readableController)) {
    throw new TypeError('The readable side is not in a state that permits enqueue.');
  }
  try {
    readableStreamDefaultControllerEnqueue(readableController, chunk);
  } catch (e) {
    transformStreamErrorWritableAndUnblockWrite(stream, e);
    throw stream.readable.storedError;
  }
  const backpressure = readableStreamDefaultControllerHasBackpressure(readableController);
  if (backpressure !== stream.backpressure) transformStreamSetBackpressure(stream, true);
}

// https://streams.spec.whatwg.org/#transform-stream-default-controller-error
function transformStreamDefaultControllerError(controller, e) {
  transformStreamError(controller.stream, e);
}

// https://streams.spec.whatwg.org/#transform-stream-default-controller-perform-transform
function transformStreamDefaultControllerPerformTransform(controller, chunk) {
  const transformPromiseResult = controller.transformAlgorithm(chunk);
  return transformPromise(transformPromiseResult, undefined, (r) => {
    transformStreamError(controller.stream, r);
    throw r;
  });
}

// https://streams.spec.whatwg.org/#transform-stream-default-controller-terminate
function transformStreamDefaultControllerTerminate(controller) {
  const stream = controller.stream;
  readableStreamDefaultControllerClose(stream.readable.controller);
  const error = new TypeError('The TransformStream has been terminated.');
  transformStreamErrorWritableAndUnblockWrite(stream, error);
}

// https://streams.spec.whatwg.org/#transform-stream-default-sink-write-algorithm
function transformStreamDefaultSinkWriteAlgorithm(stream, chunk) {
  const controller = stream.controller;
  if (stream.backpressure) {
    const backpressureChangePromise = stream.backpressureChangePromise.promise;
    return transformPromise(backpressureChangePromise, () => {
      const writable = stream.writable;
      if (writable.state === 'erroring') throw writable.storedError;
      return transformStreamDefaultControllerPerformTransform(controller, chunk);
    });
  }
  return transformStreamDefaultControllerPerformTransform(controller, chunk);
}

// https://streams.spec.whatwg.org/#transform-stream-default-sink-abort-algorithm
function transformStreamDefaultSinkAbortAlgorithm(stream, reason) {
  const controller = stream.controller;
  if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
  const readable = stream.readable;
  controller.finishPromise = new Deferred();
  const cancelPromise = controller.cancelAlgorithm(reason);
  transformStreamDefaultControllerClearAlgorithms(controller);
  uponPromise(cancelPromise, () => {
    if (readable.state === 'errored') {
      rejectDeferred(controller.finishPromise, readable.storedError);
    } else {
      readableStreamDefaultControllerError(readable.controller, reason);
      resolveDeferred(controller.finishPromise, undefined);
    }
  }, (r) => {
    readableStreamDefaultControllerError(readable.controller, r);
    rejectDeferred(controller.finishPromise, r);
  });
  return controller.finishPromise.promise;
}

// https://streams.spec.whatwg.org/#transform-stream-default-sink-close-algorithm
function transformStreamDefaultSinkCloseAlgorithm(stream) {
  const controller = stream.controller;
  if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
  const readable = stream.readable;
  controller.finishPromise = new Deferred();
  const flushPromise = controller.flushAlgorithm();
  transformStreamDefaultControllerClearAlgorithms(controller);
  uponPromise(flushPromise, () => {
    if (readable.state === 'errored') {
      rejectDeferred(controller.finishPromise, readable.storedError);
    } else {
      readableStreamDefaultControllerClose(readable.controller);
      resolveDeferred(controller.finishPromise, undefined);
    }
  }, (r) => {
    readableStreamDefaultControllerError(readable.controller, r);
    rejectDeferred(controller.finishPromise, r);
  });
  return controller.finishPromise.promise;
}

// https://streams.spec.whatwg.org/#transform-stream-default-source-cancel
function transformStreamDefaultSourceCancelAlgorithm(stream, reason) {
  const controller = stream.controller;
  if (controller.finishPromise !== undefined) return controller.finishPromise.promise;
  const writable = stream.writable;
  controller.finishPromise = new Deferred();
  const cancelPromise = controller.cancelAlgorithm(reason);
  transformStreamDefaultControllerClearAlgorithms(controller);
  uponPromise(cancelPromise, () => {
    if (writable.state === 'errored') {
      rejectDeferred(controller.finishPromise, writable.storedError);
    } else {
      writableStreamDefaultControllerErrorIfNeeded(writable.controller, reason);
      transformStreamUnblockWrite(stream);
      resolveDeferred(controller.finishPromise, undefined);
    }
  }, (r) => {
    writableStreamDefaultControllerErrorIfNeeded(writable.controller, r);
    transformStreamUnblockWrite(stream);
    rejectDeferred(controller.finishPromise, r);
  });
  return controller.finishPromise.promise;
}

// https://streams.spec.whatwg.org/#transform-stream-default-source-pull
function transformStreamDefaultSourcePullAlgorithm(stream) {
  transformStreamSetBackpressure(stream, false);
  return stream.backpressureChangePromise.promise;
}

S.TransformStream = TransformStream;
S.TransformStreamDefaultController = TransformStreamDefaultController;
S.TransformStreamRecord = TransformStreamRecord;

internals.defineGlobals({ TransformStream, TransformStreamDefaultController });
