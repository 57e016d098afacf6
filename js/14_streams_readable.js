// Readable stream algorithms, ReadableStreamDefaultReader, ReadableStreamDefaultController.
// https://streams.spec.whatwg.org/#rs-abstract-ops
// https://streams.spec.whatwg.org/#default-reader-class
// https://streams.spec.whatwg.org/#rs-default-controller-class
// Byte streams and BYOB readers: 14_streams_readable_byte*.js; the ReadableStream interface:
// 14_streams_readable_stream.js.
'use strict';

const { FunctionPrototypeCall, TypeError } = primordials;
const S = internals.streams.impl;
const {
  K, createObject, attachSlots, recordOf, thisRecord, promiseResolve, promiseResolvedWith,
  promiseReject, returnUndefined, resolvedUndefined, Deferred, resolveDeferred, rejectDeferred,
  resolvedDeferred, rejectedDeferred, setPromiseHandled, uponPromise, transformPromise, call1,
  sizeOne, Queue, dequeueValue, enqueueValueWithSize, resetQueue,
} = S;

// ---- Records ------------------------------------------------------------------------------------
// https://streams.spec.whatwg.org/#rs-internal-slots
class ReadableStreamRecord {
  kind = K.RS;
  obj = undefined;
  controller = undefined;
  detached = false;
  disturbed = false;
  reader = undefined;
  state = 'readable';
  storedError = undefined;
  // Cloudflare: byte count a FixedLengthStream promises, used for Content-Length.
  knownLength = undefined;
}

// https://streams.spec.whatwg.org/#generic-reader-internal-slots
class ReaderRecord {
  kind = 0;
  obj = undefined;
  closedPromise = undefined;
  stream = undefined;
  readRequests = new Queue();  // [[readRequests]] or [[readIntoRequests]]
  constructor(kind) { this.kind = kind; }
}

// https://streams.spec.whatwg.org/#read-request
class ReadRequest {
  chunkSteps = undefined;
  closeSteps = undefined;
  errorSteps = undefined;
  constructor(chunkSteps, closeSteps, errorSteps) {
    this.chunkSteps = chunkSteps;
    this.closeSteps = closeSteps;
    this.errorSteps = errorSteps;
  }
}

// A read request settling a promise with a ReadableStreamReadResult dictionary.
function promiseReadRequest(deferred) {
  return new ReadRequest(
      (chunk) => resolveDeferred(deferred, { value: chunk, done: false }),
      (chunk) => resolveDeferred(deferred, { value: chunk, done: true }),
      (e) => rejectDeferred(deferred, e));
}

// https://streams.spec.whatwg.org/#rs-default-controller-internal-slots
class DefaultControllerRecord {
  kind = K.RSDefaultController;
  obj = undefined;
  cancelAlgorithm = undefined;
  closeRequested = false;
  pullAgain = false;
  pullAlgorithm = undefined;
  pulling = false;
  queue = new Queue();
  queueTotalSize = 0;
  started = false;
  strategyHWM = 0;
  strategySizeAlgorithm = undefined;
  stream = undefined;

  // https://streams.spec.whatwg.org/#rs-default-controller-private-cancel
  cancelSteps(reason) {
    resetQueue(this);
    const result = this.cancelAlgorithm(reason);
    readableStreamDefaultControllerClearAlgorithms(this);
    return result;
  }
  // https://streams.spec.whatwg.org/#rs-default-controller-private-pull
  pullSteps(readRequest) {
    const stream = this.stream;
    if (this.queue.size > 0) {
      const chunk = dequeueValue(this);
      if (this.closeRequested && this.queue.size === 0) {
        readableStreamDefaultControllerClearAlgorithms(this);
        readableStreamClose(stream);
      } else {
        readableStreamDefaultControllerCallPullIfNeeded(this);
      }
      readRequest.chunkSteps(chunk);
    } else {
      readableStreamAddReadRequest(stream, readRequest);
      readableStreamDefaultControllerCallPullIfNeeded(this);
    }
  }
  // https://streams.spec.whatwg.org/#abstract-opdef-readablestreamdefaultcontroller-releasesteps
  releaseSteps() {}
}

function newReadableStreamRecord() {
  const stream = new ReadableStreamRecord();
  createObject(S.ReadableStreamPrototype, stream);
  return stream;
}

// https://streams.spec.whatwg.org/#create-readable-stream
function createReadableStream(startAlgorithm, pullAlgorithm, cancelAlgorithm, highWaterMark = 1,
                              sizeAlgorithm = sizeOne) {
  const stream = newReadableStreamRecord();
  const controller = new DefaultControllerRecord();
  createObject(ReadableStreamDefaultControllerPrototype, controller);
  setUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm,
      cancelAlgorithm, highWaterMark, sizeAlgorithm);
  return stream;
}

// https://streams.spec.whatwg.org/#is-readable-stream-locked
function isReadableStreamLocked(stream) {
  return stream.reader !== undefined;
}

// https://streams.spec.whatwg.org/#readable-stream-add-read-request
function readableStreamAddReadRequest(stream, readRequest) {
  stream.reader.readRequests.push(readRequest);
}

// https://streams.spec.whatwg.org/#readable-stream-cancel
function readableStreamCancel(stream, reason) {
  stream.disturbed = true;
  if (stream.state === 'closed') return promiseResolve(undefined);
  if (stream.state === 'errored') return promiseReject(stream.storedError);
  readableStreamClose(stream);
  const reader = stream.reader;
  if (reader !== undefined && reader.kind === K.RSBYOBReader) {
    const readIntoRequests = reader.readRequests;
    reader.readRequests = new Queue();
    while (readIntoRequests.size > 0) readIntoRequests.shift().closeSteps(undefined);
  }
  const sourceCancelPromise = stream.controller.cancelSteps(reason);
  return transformPromise(sourceCancelPromise, returnUndefined);
}

// https://streams.spec.whatwg.org/#readable-stream-close
function readableStreamClose(stream) {
  stream.state = 'closed';
  const reader = stream.reader;
  if (reader === undefined) return;
  resolveDeferred(reader.closedPromise, undefined);
  if (reader.kind === K.RSDefaultReader) {
    const readRequests = reader.readRequests;
    reader.readRequests = new Queue();
    while (readRequests.size > 0) readRequests.shift().closeSteps(undefined);
  }
}

// https://streams.spec.whatwg.org/#readable-stream-error
function readableStreamError(stream, e) {
  stream.state = 'errored';
  stream.storedError = e;
  const reader = stream.reader;
  if (reader === undefined) return;
  rejectDeferred(reader.closedPromise, e);
  setPromiseHandled(reader.closedPromise.promise);
  const requests = reader.readRequests;
  reader.readRequests = new Queue();
  while (requests.size > 0) requests.shift().errorSteps(e);
}

// https://streams.spec.whatwg.org/#readable-stream-fulfill-read-request (also read-into requests)
function readableStreamFulfillReadRequest(stream, chunk, done) {
  const readRequest = stream.reader.readRequests.shift();
  if (done) readRequest.closeSteps(chunk);
  else readRequest.chunkSteps(chunk);
}

// https://streams.spec.whatwg.org/#readable-stream-get-num-read-requests
function readableStreamGetNumReadRequests(stream) {
  return stream.reader.readRequests.size;
}

// https://streams.spec.whatwg.org/#readable-stream-has-default-reader
function readableStreamHasDefaultReader(stream) {
  const reader = stream.reader;
  return reader !== undefined && reader.kind === K.RSDefaultReader;
}

// https://streams.spec.whatwg.org/#readable-stream-has-byob-reader
function readableStreamHasBYOBReader(stream) {
  const reader = stream.reader;
  return reader !== undefined && reader.kind === K.RSBYOBReader;
}

// ---- Readers ------------------------------------------------------------------------------------
// https://streams.spec.whatwg.org/#readable-stream-reader-generic-cancel
function readableStreamReaderGenericCancel(reader, reason) {
  return readableStreamCancel(reader.stream, reason);
}

// https://streams.spec.whatwg.org/#readable-stream-reader-generic-initialize
function readableStreamReaderGenericInitialize(reader, stream) {
  reader.stream = stream;
  stream.reader = reader;
  if (stream.state === 'readable') {
    reader.closedPromise = new Deferred();
  } else if (stream.state === 'closed') {
    reader.closedPromise = resolvedDeferred(undefined);
  } else {
    reader.closedPromise = rejectedDeferred(stream.storedError);
  }
}

// https://streams.spec.whatwg.org/#readable-stream-reader-generic-release
function readableStreamReaderGenericRelease(reader) {
  const stream = reader.stream;
  const e = new TypeError('The reader was released.');
  if (stream.state === 'readable') {
    rejectDeferred(reader.closedPromise, e);
  } else {
    reader.closedPromise = new Deferred();
    rejectDeferred(reader.closedPromise, e);
  }
  setPromiseHandled(reader.closedPromise.promise);
  stream.controller.releaseSteps();
  stream.reader = undefined;
  reader.stream = undefined;
}

// https://streams.spec.whatwg.org/#abstract-opdef-readablestreamdefaultreaderrelease (and the BYOB
// twin: both error the pending requests with a TypeError).
function readableStreamReaderRelease(reader) {
  readableStreamReaderGenericRelease(reader);
  const e = new TypeError('The reader was released.');
  const requests = reader.readRequests;
  reader.readRequests = new Queue();
  while (requests.size > 0) requests.shift().errorSteps(e);
}

// https://streams.spec.whatwg.org/#readable-stream-default-reader-read
function readableStreamDefaultReaderRead(reader, readRequest) {
  const stream = reader.stream;
  stream.disturbed = true;
  if (stream.state === 'closed') readRequest.closeSteps(undefined);
  else if (stream.state === 'errored') readRequest.errorSteps(stream.storedError);
  else stream.controller.pullSteps(readRequest);
}

// https://streams.spec.whatwg.org/#set-up-readable-stream-default-reader
function setUpReadableStreamDefaultReader(reader, stream) {
  if (isReadableStreamLocked(stream)) {
    throw new TypeError('This ReadableStream is currently locked to a reader.');
  }
  readableStreamReaderGenericInitialize(reader, stream);
}

// https://streams.spec.whatwg.org/#acquire-readable-stream-reader
function acquireReadableStreamDefaultReader(stream) {
  const reader = new ReaderRecord(K.RSDefaultReader);
  setUpReadableStreamDefaultReader(reader, stream);
  createObject(ReadableStreamDefaultReaderPrototype, reader);
  return reader;
}

// https://streams.spec.whatwg.org/#default-reader-class
class ReadableStreamDefaultReader {
  // https://streams.spec.whatwg.org/#default-reader-constructor
  constructor(stream) {
    internals.webidl.requiredArguments(arguments.length, 1,
        'Failed to construct \'ReadableStreamDefaultReader\'');
    const streamRec = recordOf(stream, K.RS);
    if (streamRec === undefined) {
      throw new TypeError('Failed to construct \'ReadableStreamDefaultReader\': parameter 1 is ' +
                          'not of type \'ReadableStream\'.');
    }
    const reader = new ReaderRecord(K.RSDefaultReader);
    setUpReadableStreamDefaultReader(reader, streamRec);
    attachSlots(this, reader);
  }

  // https://streams.spec.whatwg.org/#generic-reader-closed
  get closed() {
    const reader = recordOf(this, K.RSDefaultReader);
    if (reader === undefined) return promiseReject(new TypeError('Illegal invocation'));
    return reader.closedPromise.promise;
  }

  // https://streams.spec.whatwg.org/#generic-reader-cancel
  cancel(reason = undefined) {
    const reader = recordOf(this, K.RSDefaultReader);
    if (reader === undefined) return promiseReject(new TypeError('Illegal invocation'));
    if (reader.stream === undefined) {
      return promiseReject(new TypeError('This reader has been released.'));
    }
    return readableStreamReaderGenericCancel(reader, reason);
  }

  // https://streams.spec.whatwg.org/#default-reader-read
  read() {
    const reader = recordOf(this, K.RSDefaultReader);
    if (reader === undefined) return promiseReject(new TypeError('Illegal invocation'));
    if (reader.stream === undefined) {
      return promiseReject(new TypeError('This reader has been released.'));
    }
    const deferred = new Deferred();
    readableStreamDefaultReaderRead(reader, promiseReadRequest(deferred));
    return deferred.promise;
  }

  // https://streams.spec.whatwg.org/#default-reader-release-lock
  releaseLock() {
    const reader = thisRecord(this, K.RSDefaultReader);
    if (reader.stream === undefined) return;
    readableStreamReaderRelease(reader);
  }
}
S.configureInterface(ReadableStreamDefaultReader, 'ReadableStreamDefaultReader');
const ReadableStreamDefaultReaderPrototype = ReadableStreamDefaultReader.prototype;

// ---- ReadableStreamDefaultController ------------------------------------------------------------
class ReadableStreamDefaultController {
  constructor() {
    throw new TypeError('Illegal constructor');
  }

  // https://streams.spec.whatwg.org/#rs-default-controller-desired-size
  get desiredSize() {
    return readableStreamDefaultControllerGetDesiredSize(
        thisRecord(this, K.RSDefaultController));
  }

  // https://streams.spec.whatwg.org/#rs-default-controller-close
  close() {
    const controller = thisRecord(this, K.RSDefaultController);
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) {
      throw new TypeError('The stream is not in a state that permits close.');
    }
    readableStreamDefaultControllerClose(controller);
  }

  // https://streams.spec.whatwg.org/#rs-default-controller-enqueue
  enqueue(chunk = undefined) {
    const controller = thisRecord(this, K.RSDefaultController);
    if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) {
      throw new TypeError('The stream is not in a state that permits enqueue.');
    }
    readableStreamDefaultControllerEnqueue(controller, chunk);
  }

  // https://streams.spec.whatwg.org/#rs-default-controller-error
  error(e = undefined) {
    readableStreamDefaultControllerError(thisRecord(this, K.RSDefaultController), e);
  }
}
S.configureInterface(ReadableStreamDefaultController, 'ReadableStreamDefaultController');
const ReadableStreamDefaultControllerPrototype = ReadableStreamDefaultController.prototype;

// https://streams.spec.whatwg.org/#readable-stream-default-controller-call-pull-if-needed
function readableStreamDefaultControllerCallPullIfNeeded(controller) {
  if (!readableStreamDefaultControllerShouldCallPull(controller)) return;
  if (controller.pulling) {
    controller.pullAgain = true;
    return;
  }
  controller.pulling = true;
  const pullPromise = controller.pullAlgorithm();
  uponPromise(pullPromise, () => {
    controller.pulling = false;
    if (controller.pullAgain) {
      controller.pullAgain = false;
      readableStreamDefaultControllerCallPullIfNeeded(controller);
    }
  }, (e) => {
    readableStreamDefaultControllerError(controller, e);
  });
}

// https://streams.spec.whatwg.org/#readable-stream-default-controller-should-call-pull
function readableStreamDefaultControllerShouldCallPull(controller) {
  const stream = controller.stream;
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) return false;
  if (!controller.started) return false;
  if (isReadableStreamLocked(stream) && readableStreamGetNumReadRequests(stream) > 0) return true;
  return readableStreamDefaultControllerGetDesiredSize(controller) > 0;
}

// https://streams.spec.whatwg.org/#readable-stream-default-controller-clear-algorithms
function readableStreamDefaultControllerClearAlgorithms(controller) {
  controller.pullAlgorithm = undefined;
  controller.cancelAlgorithm = undefined;
  controller.strategySizeAlgorithm = undefined;
}

// https://streams.spec.whatwg.org/#readable-stream-default-controller-close
function readableStreamDefaultControllerClose(controller) {
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) return;
  controller.closeRequested = true;
  if (controller.queue.size === 0) {
    readableStreamDefaultControllerClearAlgorithms(controller);
    readableStreamClose(controller.stream);
  }
}

// https://streams.spec.whatwg.org/#readable-stream-default-controller-enqueue
function readableStreamDefaultControllerEnqueue(controller, chunk) {
  if (!readableStreamDefaultControllerCanCloseOrEnqueue(controller)) return;
  const stream = controller.stream;
  if (isReadableStreamLocked(stream) && readableStreamGetNumReadRequests(stream) > 0) {
    readableStreamFulfillReadRequest(stream, chunk, false);
  } else {
    let chunkSize;
    try {
      chunkSize = controller.strategySizeAlgorithm(chunk);
    } catch (e) {
      readableStreamDefaultControllerError(controller, e);
      throw e;
    }
    try {
      enqueueValueWithSize(controller, chunk, chunkSize);
    } catch (e) {
      readableStreamDefaultControllerError(controller, e);
      throw e;
    }
  }
  readableStreamDefaultControllerCallPullIfNeeded(controller);
}

// https://streams.spec.whatwg.org/#readable-stream-default-controller-error
function readableStreamDefaultControllerError(controller, e) {
  const stream = controller.stream;
  if (stream.state !== 'readable') return;
  resetQueue(controller);
  readableStreamDefaultControllerClearAlgorithms(controller);
  readableStreamError(stream, e);
}

// https://streams.spec.whatwg.org/#readable-stream-default-controller-get-desired-size
function readableStreamDefaultControllerGetDesiredSize(controller) {
  const state = controller.stream.state;
  if (state === 'errored') return null;
  if (state === 'closed') return 0;
  return controller.strategyHWM - controller.queueTotalSize;
}

// https://streams.spec.whatwg.org/#rs-default-controller-has-backpressure
function readableStreamDefaultControllerHasBackpressure(controller) {
  return !readableStreamDefaultControllerShouldCallPull(controller);
}

// https://streams.spec.whatwg.org/#readable-stream-default-controller-can-close-or-enqueue
function readableStreamDefaultControllerCanCloseOrEnqueue(controller) {
  return !controller.closeRequested && controller.stream.state === 'readable';
}

// https://streams.spec.whatwg.org/#set-up-readable-stream-default-controller
function setUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm,
                                              cancelAlgorithm, highWaterMark, sizeAlgorithm) {
  controller.stream = stream;
  resetQueue(controller);
  controller.started = false;
  controller.closeRequested = false;
  controller.pullAgain = false;
  controller.pulling = false;
  controller.strategySizeAlgorithm = sizeAlgorithm;
  controller.strategyHWM = highWaterMark;
  controller.pullAlgorithm = pullAlgorithm;
  controller.cancelAlgorithm = cancelAlgorithm;
  stream.controller = controller;
  const startResult = startAlgorithm();
  uponPromise(promiseResolvedWith(startResult), () => {
    controller.started = true;
    readableStreamDefaultControllerCallPullIfNeeded(controller);
  }, (r) => {
    readableStreamDefaultControllerError(controller, r);
  });
}

// https://streams.spec.whatwg.org/#set-up-readable-stream-default-controller-from-underlying-source
function setUpReadableStreamDefaultControllerFromUnderlyingSource(
    stream, source, start, pull, cancel, highWaterMark, sizeAlgorithm) {
  const controller = new DefaultControllerRecord();
  createObject(ReadableStreamDefaultControllerPrototype, controller);
  const startAlgorithm = start === undefined ? returnUndefined :
    () => FunctionPrototypeCall(start, source, controller.obj);
  const pullAlgorithm = pull === undefined ? resolvedUndefined :
    () => call1(pull, source, controller.obj);
  const cancelAlgorithm = cancel === undefined ? resolvedUndefined :
    (reason) => call1(cancel, source, reason);
  setUpReadableStreamDefaultController(stream, controller, startAlgorithm, pullAlgorithm,
      cancelAlgorithm, highWaterMark, sizeAlgorithm);
}

S.ReadableStreamDefaultReader = ReadableStreamDefaultReader;
S.ReadableStreamDefaultController = ReadableStreamDefaultController;
S.ReadableStreamDefaultReaderPrototype = ReadableStreamDefaultReaderPrototype;
for (const [name, fn] of [
  ['ReadableStreamRecord', ReadableStreamRecord], ['ReaderRecord', ReaderRecord],
  ['ReadRequest', ReadRequest], ['promiseReadRequest', promiseReadRequest],
  ['newReadableStreamRecord', newReadableStreamRecord],
  ['createReadableStream', createReadableStream],
  ['isReadableStreamLocked', isReadableStreamLocked],
  ['readableStreamAddReadRequest', readableStreamAddReadRequest],
  ['readableStreamCancel', readableStreamCancel], ['readableStreamClose', readableStreamClose],
  ['readableStreamError', readableStreamError],
  ['readableStreamFulfillReadRequest', readableStreamFulfillReadRequest],
  ['readableStreamGetNumReadRequests', readableStreamGetNumReadRequests],
  ['readableStreamHasDefaultReader', readableStreamHasDefaultReader],
  ['readableStreamHasBYOBReader', readableStreamHasBYOBReader],
  ['readableStreamReaderGenericCancel', readableStreamReaderGenericCancel],
  ['readableStreamReaderGenericInitialize', readableStreamReaderGenericInitialize],
  ['readableStreamReaderRelease', readableStreamReaderRelease],
  ['readableStreamDefaultReaderRead', readableStreamDefaultReaderRead],
  ['acquireReadableStreamDefaultReader', acquireReadableStreamDefaultReader],
  ['readableStreamDefaultControllerClose', readableStreamDefaultControllerClose],
  ['readableStreamDefaultControllerEnqueue', readableStreamDefaultControllerEnqueue],
  ['readableStreamDefaultControllerError', readableStreamDefaultControllerError],
  ['readableStreamDefaultControllerGetDesiredSize', readableStreamDefaultControllerGetDesiredSize],
  ['readableStreamDefaultControllerHasBackpressure',
    readableStreamDefaultControllerHasBackpressure],
  ['readableStreamDefaultControllerCanCloseOrEnqueue',
    readableStreamDefaultControllerCanCloseOrEnqueue],
  ['setUpReadableStreamDefaultControllerFromUnderlyingSource',
    setUpReadableStreamDefaultControllerFromUnderlyingSource],
]) {
  S[name] = fn;
}

internals.defineGlobals({ ReadableStreamDefaultReader, ReadableStreamDefaultController });
