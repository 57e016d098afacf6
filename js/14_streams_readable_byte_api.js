// Readable byte stream interfaces: ReadableByteStreamController, ReadableStreamBYOBRequest,
// ReadableStreamBYOBReader.
// https://streams.spec.whatwg.org/#rbs-controller-class
// https://streams.spec.whatwg.org/#rs-byob-request-class
// https://streams.spec.whatwg.org/#byob-reader-class
// The algorithms are in 14_streams_readable_byte.js.
'use strict';

const { FunctionPrototypeCall, RangeError, TypeError } = primordials;
const S = internals.streams.impl;
const {
  K, attachSlots, createObject, recordOf, thisRecord, promiseReject, returnUndefined,
  resolvedUndefined, Deferred, call1, viewInfo, toArrayBufferView, arrayBufferByteLength,
  isDetachedBuffer, ReaderRecord, promiseReadRequest, isReadableStreamLocked,
  readableStreamReaderGenericCancel, readableStreamReaderGenericInitialize,
  readableStreamReaderRelease, readableStreamBYOBReaderRead, readableByteStreamControllerClose,
  readableByteStreamControllerEnqueue, readableByteStreamControllerError,
  readableByteStreamControllerGetBYOBRequest, readableByteStreamControllerGetDesiredSize,
  readableByteStreamControllerRespond, readableByteStreamControllerRespondWithNewView,
  newByteControllerRecord, setUpReadableByteStreamController,
} = S;

// ---- ReadableByteStreamController ---------------------------------------------------------------
class ReadableByteStreamController {
  constructor() {
    throw new TypeError('Illegal constructor');
  }

  // https://streams.spec.whatwg.org/#rbs-controller-byob-request
  get byobRequest() {
    const request = readableByteStreamControllerGetBYOBRequest(
        thisRecord(this, K.RSByteController));
    return request === null ? null : request.obj;
  }

  // https://streams.spec.whatwg.org/#rbs-controller-desired-size
  get desiredSize() {
    return readableByteStreamControllerGetDesiredSize(thisRecord(this, K.RSByteController));
  }

  // https://streams.spec.whatwg.org/#rbs-controller-close
  close() {
    const controller = thisRecord(this, K.RSByteController);
    if (controller.closeRequested) throw new TypeError('The stream is already closing.');
    if (controller.stream.state !== 'readable') {
      throw new TypeError('The stream is not in a state that permits close.');
    }
    readableByteStreamControllerClose(controller);
  }

  // https://streams.spec.whatwg.org/#rbs-controller-enqueue
  enqueue(chunk) {
    const controller = thisRecord(this, K.RSByteController);
    const context = 'Failed to execute \'enqueue\' on \'ReadableByteStreamController\'';
    internals.webidl.requiredArguments(arguments.length, 1, context);
    const info = toArrayBufferView(chunk, context);
    if (info.byteLength === 0) throw new TypeError(`${context}: chunk is empty.`);
    if (arrayBufferByteLength(info.buffer) === 0) {
      throw new TypeError(`${context}: chunk's buffer is detached or empty.`);
    }
    if (controller.closeRequested) throw new TypeError(`${context}: the stream is closing.`);
    if (controller.stream.state !== 'readable') {
      throw new TypeError(`${context}: the stream is not readable.`);
    }
    readableByteStreamControllerEnqueue(controller, chunk, info);
  }

  // https://streams.spec.whatwg.org/#rbs-controller-error
  error(e = undefined) {
    readableByteStreamControllerError(thisRecord(this, K.RSByteController), e);
  }
}
S.configureInterface(ReadableByteStreamController, 'ReadableByteStreamController');
const ReadableByteStreamControllerPrototype = ReadableByteStreamController.prototype;

// ---- ReadableStreamBYOBRequest ------------------------------------------------------------------
class ReadableStreamBYOBRequest {
  constructor() {
    throw new TypeError('Illegal constructor');
  }

  // https://streams.spec.whatwg.org/#rs-byob-request-view
  get view() {
    return thisRecord(this, K.BYOBRequest).view;
  }

  // https://streams.spec.whatwg.org/#rs-byob-request-respond
  respond(bytesWritten) {
    const request = thisRecord(this, K.BYOBRequest);
    const context = 'Failed to execute \'respond\' on \'ReadableStreamBYOBRequest\'';
    internals.webidl.requiredArguments(arguments.length, 1, context);
    bytesWritten = internals.webidl.toUnsignedLongLong(bytesWritten, { enforceRange: true },
        `${context}: bytesWritten`);
    if (request.controller === undefined) {
      throw new TypeError(`${context}: this request has already been responded to.`);
    }
    if (isDetachedBuffer(viewInfo(request.view).buffer)) {
      throw new TypeError(`${context}: the view's buffer is detached.`);
    }
    readableByteStreamControllerRespond(request.controller, bytesWritten);
  }

  // https://streams.spec.whatwg.org/#rs-byob-request-respond-with-new-view
  respondWithNewView(view) {
    const request = thisRecord(this, K.BYOBRequest);
    const context = 'Failed to execute \'respondWithNewView\' on \'ReadableStreamBYOBRequest\'';
    internals.webidl.requiredArguments(arguments.length, 1, context);
    const info = toArrayBufferView(view, context);
    if (request.controller === undefined) {
      throw new TypeError(`${context}: this request has already been responded to.`);
    }
    if (isDetachedBuffer(info.buffer)) {
      throw new TypeError(`${context}: the view's buffer is detached.`);
    }
    readableByteStreamControllerRespondWithNewView(request.controller, info);
  }
}
S.configureInterface(ReadableStreamBYOBRequest, 'ReadableStreamBYOBRequest');
const ReadableStreamBYOBRequestPrototype = ReadableStreamBYOBRequest.prototype;

// ---- ReadableStreamBYOBReader -------------------------------------------------------------------
// https://streams.spec.whatwg.org/#set-up-readable-stream-byob-reader
function setUpReadableStreamBYOBReader(reader, stream) {
  if (isReadableStreamLocked(stream)) {
    throw new TypeError('This ReadableStream is currently locked to a reader.');
  }
  if (stream.controller.kind !== K.RSByteController) {
    throw new TypeError('A BYOB reader can only be used with a byte stream.');
  }
  readableStreamReaderGenericInitialize(reader, stream);
}

// https://streams.spec.whatwg.org/#acquire-readable-stream-byob-reader
function acquireReadableStreamBYOBReader(stream) {
  const reader = new ReaderRecord(K.RSBYOBReader);
  setUpReadableStreamBYOBReader(reader, stream);
  createObject(ReadableStreamBYOBReaderPrototype, reader);
  return reader;
}

// https://streams.spec.whatwg.org/#readable-stream-byob-reader-read
// The steps of read(view, options) after `this` and argument conversion; returns a promise.
function byobReaderReadSteps(reader, view, options, context) {
  let info;
  let min = 1;
  try {
    info = toArrayBufferView(view, context);
    const dict = S.dictionaryObject(options, context);
    if (dict !== undefined && dict.min !== undefined) {
      min = internals.webidl.toUnsignedLongLong(dict.min, { enforceRange: true },
          `${context}: min`);
    }
  } catch (e) {
    return promiseReject(e);
  }
  if (info.byteLength === 0) {
    return promiseReject(new TypeError(`${context}: the view must not be empty.`));
  }
  if (arrayBufferByteLength(info.buffer) === 0) {
    return promiseReject(new TypeError(`${context}: the view's buffer is detached or empty.`));
  }
  if (isDetachedBuffer(info.buffer)) {
    return promiseReject(new TypeError(`${context}: the view's buffer is detached.`));
  }
  if (min === 0) return promiseReject(new TypeError(`${context}: min must be positive.`));
  if (min > info.length) {
    return promiseReject(new RangeError(`${context}: min is larger than the view.`));
  }
  if (reader.stream === undefined) {
    return promiseReject(new TypeError(`${context}: this reader has been released.`));
  }
  const deferred = new Deferred();
  readableStreamBYOBReaderRead(reader, view, info, min, promiseReadRequest(deferred));
  return deferred.promise;
}

class ReadableStreamBYOBReader {
  // https://streams.spec.whatwg.org/#byob-reader-constructor
  constructor(stream) {
    const context = 'Failed to construct \'ReadableStreamBYOBReader\'';
    internals.webidl.requiredArguments(arguments.length, 1, context);
    const streamRec = recordOf(stream, K.RS);
    if (streamRec === undefined) {
      throw new TypeError(`${context}: parameter 1 is not of type 'ReadableStream'.`);
    }
    const reader = new ReaderRecord(K.RSBYOBReader);
    setUpReadableStreamBYOBReader(reader, streamRec);
    attachSlots(this, reader);
  }

  // https://streams.spec.whatwg.org/#generic-reader-closed
  get closed() {
    const reader = recordOf(this, K.RSBYOBReader);
    if (reader === undefined) return promiseReject(new TypeError('Illegal invocation'));
    return reader.closedPromise.promise;
  }

  // https://streams.spec.whatwg.org/#generic-reader-cancel
  cancel(reason = undefined) {
    const reader = recordOf(this, K.RSBYOBReader);
    if (reader === undefined) return promiseReject(new TypeError('Illegal invocation'));
    if (reader.stream === undefined) {
      return promiseReject(new TypeError('This reader has been released.'));
    }
    return readableStreamReaderGenericCancel(reader, reason);
  }

  // https://streams.spec.whatwg.org/#byob-reader-read
  read(view, options = undefined) {
    const reader = recordOf(this, K.RSBYOBReader);
    if (reader === undefined) return promiseReject(new TypeError('Illegal invocation'));
    const context = 'Failed to execute \'read\' on \'ReadableStreamBYOBReader\'';
    if (arguments.length < 1) {
      return promiseReject(new TypeError(`${context}: 1 argument required, but only 0 present.`));
    }
    return byobReaderReadSteps(reader, view, options, context);
  }

  // Cloudflare extension: read(view, { min: minElements }).
  readAtLeast(minElements, view) {
    const reader = recordOf(this, K.RSBYOBReader);
    if (reader === undefined) return promiseReject(new TypeError('Illegal invocation'));
    const context = 'Failed to execute \'readAtLeast\' on \'ReadableStreamBYOBReader\'';
    if (arguments.length < 2) {
      return promiseReject(new TypeError(`${context}: 2 arguments required.`));
    }
    return byobReaderReadSteps(reader, view, { __proto__: null, min: minElements }, context);
  }

  // https://streams.spec.whatwg.org/#byob-reader-release-lock
  releaseLock() {
    const reader = thisRecord(this, K.RSBYOBReader);
    if (reader.stream === undefined) return;
    readableStreamReaderRelease(reader);
  }
}
S.configureInterface(ReadableStreamBYOBReader, 'ReadableStreamBYOBReader');
const ReadableStreamBYOBReaderPrototype = ReadableStreamBYOBReader.prototype;

// https://streams.spec.whatwg.org/#set-up-readable-byte-stream-controller-from-underlying-source
function setUpReadableByteStreamControllerFromUnderlyingSource(
    stream, source, start, pull, cancel, highWaterMark, autoAllocateChunkSize) {
  const controller = newByteControllerRecord();
  const startAlgorithm = start === undefined ? returnUndefined :
    () => FunctionPrototypeCall(start, source, controller.obj);
  const pullAlgorithm = pull === undefined ? resolvedUndefined :
    () => call1(pull, source, controller.obj);
  const cancelAlgorithm = cancel === undefined ? resolvedUndefined :
    (reason) => call1(cancel, source, reason);
  if (autoAllocateChunkSize === 0) {
    throw new TypeError('autoAllocateChunkSize must be greater than 0.');
  }
  setUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm,
      cancelAlgorithm, highWaterMark, autoAllocateChunkSize);
}

S.ReadableByteStreamController = ReadableByteStreamController;
S.ReadableByteStreamControllerPrototype = ReadableByteStreamControllerPrototype;
S.ReadableStreamBYOBRequest = ReadableStreamBYOBRequest;
S.ReadableStreamBYOBRequestPrototype = ReadableStreamBYOBRequestPrototype;
S.ReadableStreamBYOBReader = ReadableStreamBYOBReader;
S.acquireReadableStreamBYOBReader = acquireReadableStreamBYOBReader;
S.setUpReadableByteStreamControllerFromUnderlyingSource =
  setUpReadableByteStreamControllerFromUnderlyingSource;

internals.defineGlobals({
  ReadableByteStreamController, ReadableStreamBYOBRequest, ReadableStreamBYOBReader,
});
