// Writable stream algorithms and WritableStreamDefaultWriter.
// https://streams.spec.whatwg.org/#ws-abstract-ops
// https://streams.spec.whatwg.org/#default-writer-class
// The controller is in 15_streams_writable_controller.js, the WritableStream interface in
// 15_streams_writable_stream.js.
'use strict';

const { TypeError } = primordials;
const S = internals.streams.impl;
const {
  K, createObject, attachSlots, recordOf, thisRecord, promiseResolve, promiseReject, Deferred,
  resolveDeferred, rejectDeferred, resolvedDeferred, rejectedDeferred, setPromiseHandled,
  uponPromise, Queue, signalAbort,
} = S;

// https://streams.spec.whatwg.org/#ws-internal-slots
class WritableStreamRecord {
  kind = K.WS;
  obj = undefined;
  backpressure = false;
  closeRequest = undefined;  // Deferred
  controller = undefined;
  detached = false;
  inFlightWriteRequest = undefined;  // Deferred
  inFlightCloseRequest = undefined;  // Deferred
  pendingAbortRequest = undefined;
  state = 'writable';
  storedError = undefined;
  writer = undefined;
  writeRequests = new Queue();  // of Deferred
  // Cloudflare IdentityTransformStream: validates chunks synchronously in writer.write().
  validateChunk = undefined;
}

// https://streams.spec.whatwg.org/#pending-abort-request
class PendingAbortRequest {
  deferred = undefined;
  reason = undefined;
  wasAlreadyErroring = false;
  constructor(deferred, reason, wasAlreadyErroring) {
    this.deferred = deferred;
    this.reason = reason;
    this.wasAlreadyErroring = wasAlreadyErroring;
  }
}

// https://streams.spec.whatwg.org/#default-writer-internal-slots
class WriterRecord {
  kind = K.WSWriter;
  obj = undefined;
  closedPromise = undefined;
  readyPromise = undefined;
  stream = undefined;
}

// https://streams.spec.whatwg.org/#acquire-writable-stream-default-writer
function acquireWritableStreamDefaultWriter(stream) {
  const writer = new WriterRecord();
  setUpWritableStreamDefaultWriter(writer, stream);
  createObject(WritableStreamDefaultWriterPrototype, writer);
  return writer;
}

// https://streams.spec.whatwg.org/#is-writable-stream-locked
function isWritableStreamLocked(stream) {
  return stream.writer !== undefined;
}

// https://streams.spec.whatwg.org/#set-up-writable-stream-default-writer
function setUpWritableStreamDefaultWriter(writer, stream) {
  if (isWritableStreamLocked(stream)) {
    throw new TypeError('This WritableStream is currently locked to a writer.');
  }
  writer.stream = stream;
  stream.writer = writer;
  const state = stream.state;
  if (state === 'writable') {
    if (!writableStreamCloseQueuedOrInFlight(stream) && stream.backpressure) {
      writer.readyPromise = new Deferred();
    } else {
      writer.readyPromise = resolvedDeferred(undefined);
    }
    writer.closedPromise = new Deferred();
  } else if (state === 'erroring') {
    writer.readyPromise = rejectedDeferred(stream.storedError);
    writer.closedPromise = new Deferred();
  } else if (state === 'closed') {
    writer.readyPromise = resolvedDeferred(undefined);
    writer.closedPromise = resolvedDeferred(undefined);
  } else {
    writer.readyPromise = rejectedDeferred(stream.storedError);
    writer.closedPromise = rejectedDeferred(stream.storedError);
  }
}

// https://streams.spec.whatwg.org/#writable-stream-abort
function writableStreamAbort(stream, reason) {
  if (stream.state === 'closed' || stream.state === 'errored') return promiseResolve(undefined);
  const abortController = stream.controller.abortController;
  if (abortController !== undefined) signalAbort(abortController, reason);
  const state = stream.state;
  if (state === 'closed' || state === 'errored') return promiseResolve(undefined);
  if (stream.pendingAbortRequest !== undefined) {
    return stream.pendingAbortRequest.deferred.promise;
  }
  let wasAlreadyErroring = false;
  if (state === 'erroring') {
    wasAlreadyErroring = true;
    reason = undefined;
  }
  const deferred = new Deferred();
  stream.pendingAbortRequest = new PendingAbortRequest(deferred, reason, wasAlreadyErroring);
  if (!wasAlreadyErroring) writableStreamStartErroring(stream, reason);
  return deferred.promise;
}

// https://streams.spec.whatwg.org/#writable-stream-close
function writableStreamClose(stream) {
  const state = stream.state;
  if (state === 'closed' || state === 'errored') {
    return promiseReject(new TypeError('The stream is closed or errored.'));
  }
  const deferred = new Deferred();
  stream.closeRequest = deferred;
  const writer = stream.writer;
  if (writer !== undefined && stream.backpressure && state === 'writable') {
    resolveDeferred(writer.readyPromise, undefined);
  }
  S.writableStreamDefaultControllerClose(stream.controller);
  return deferred.promise;
}

// https://streams.spec.whatwg.org/#writable-stream-add-write-request
function writableStreamAddWriteRequest(stream) {
  const deferred = new Deferred();
  stream.writeRequests.push(deferred);
  return deferred.promise;
}

// https://streams.spec.whatwg.org/#writable-stream-close-queued-or-in-flight
function writableStreamCloseQueuedOrInFlight(stream) {
  return stream.closeRequest !== undefined || stream.inFlightCloseRequest !== undefined;
}

// https://streams.spec.whatwg.org/#writable-stream-deal-with-rejection
function writableStreamDealWithRejection(stream, error) {
  if (stream.state === 'writable') {
    writableStreamStartErroring(stream, error);
    return;
  }
  writableStreamFinishErroring(stream);
}

// https://streams.spec.whatwg.org/#writable-stream-finish-erroring
function writableStreamFinishErroring(stream) {
  stream.state = 'errored';
  stream.controller.errorSteps();
  const storedError = stream.storedError;
  const writeRequests = stream.writeRequests;
  stream.writeRequests = new Queue();
  while (writeRequests.size > 0) rejectDeferred(writeRequests.shift(), storedError);
  if (stream.pendingAbortRequest === undefined) {
    writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  const abortRequest = stream.pendingAbortRequest;
  stream.pendingAbortRequest = undefined;
  if (abortRequest.wasAlreadyErroring) {
    rejectDeferred(abortRequest.deferred, storedError);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
    return;
  }
  const promise = stream.controller.abortSteps(abortRequest.reason);
  uponPromise(promise, () => {
    resolveDeferred(abortRequest.deferred, undefined);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
  }, (reason) => {
    rejectDeferred(abortRequest.deferred, reason);
    writableStreamRejectCloseAndClosedPromiseIfNeeded(stream);
  });
}

// https://streams.spec.whatwg.org/#writable-stream-finish-in-flight-close
function writableStreamFinishInFlightClose(stream) {
  resolveDeferred(stream.inFlightCloseRequest, undefined);
  stream.inFlightCloseRequest = undefined;
  if (stream.state === 'erroring') {
    stream.storedError = undefined;
    if (stream.pendingAbortRequest !== undefined) {
      resolveDeferred(stream.pendingAbortRequest.deferred, undefined);
      stream.pendingAbortRequest = undefined;
    }
  }
  stream.state = 'closed';
  const writer = stream.writer;
  if (writer !== undefined) resolveDeferred(writer.closedPromise, undefined);
}

// https://streams.spec.whatwg.org/#writable-stream-finish-in-flight-close-with-error
function writableStreamFinishInFlightCloseWithError(stream, error) {
  rejectDeferred(stream.inFlightCloseRequest, error);
  stream.inFlightCloseRequest = undefined;
  if (stream.pendingAbortRequest !== undefined) {
    rejectDeferred(stream.pendingAbortRequest.deferred, error);
    stream.pendingAbortRequest = undefined;
  }
  writableStreamDealWithRejection(stream, error);
}

// https://streams.spec.whatwg.org/#writable-stream-finish-in-flight-write
function writableStreamFinishInFlightWrite(stream) {
  resolveDeferred(stream.inFlightWriteRequest, undefined);
  stream.inFlightWriteRequest = undefined;
}

// https://streams.spec.whatwg.org/#writable-stream-finish-in-flight-write-with-error
function writableStreamFinishInFlightWriteWithError(stream, error) {
  rejectDeferred(stream.inFlightWriteRequest, error);
  stream.inFlightWriteRequest = undefined;
  writableStreamDealWithRejection(stream, error);
}

// https://streams.spec.whatwg.org/#writable-stream-has-operation-marked-in-flight
function writableStreamHasOperationMarkedInFlight(stream) {
  return stream.inFlightWriteRequest !== undefined || stream.inFlightCloseRequest !== undefined;
}

// https://streams.spec.whatwg.org/#writable-stream-mark-close-request-in-flight
function writableStreamMarkCloseRequestInFlight(stream) {
  stream.inFlightCloseRequest = stream.closeRequest;
  stream.closeRequest = undefined;
}

// https://streams.spec.whatwg.org/#writable-stream-mark-first-write-request-in-flight
function writableStreamMarkFirstWriteRequestInFlight(stream) {
  stream.inFlightWriteRequest = stream.writeRequests.shift();
}

// https://streams.spec.whatwg.org/#writable-stream-reject-close-and-closed-promise-if-needed
function writableStreamRejectCloseAndClosedPromiseIfNeeded(stream) {
  if (stream.closeRequest !== undefined) {
    rejectDeferred(stream.closeRequest, stream.storedError);
    stream.closeRequest = undefined;
  }
  const writer = stream.writer;
  if (writer !== undefined) {
    rejectDeferred(writer.closedPromise, stream.storedError);
    setPromiseHandled(writer.closedPromise.promise);
  }
}

// https://streams.spec.whatwg.org/#writable-stream-start-erroring
function writableStreamStartErroring(stream, reason) {
  const controller = stream.controller;
  stream.state = 'erroring';
  stream.storedError = reason;
  const writer = stream.writer;
  if (writer !== undefined) writableStreamDefaultWriterEnsureReadyPromiseRejected(writer, reason);
  if (!writableStreamHasOperationMarkedInFlight(stream) && controller.started) {
    writableStreamFinishErroring(stream);
  }
}

// https://streams.spec.whatwg.org/#writable-stream-update-backpressure
function writableStreamUpdateBackpressure(stream, backpressure) {
  const writer = stream.writer;
  if (writer !== undefined && backpressure !== stream.backpressure) {
    if (backpressure) writer.readyPromise = new Deferred();
    else resolveDeferred(writer.readyPromise, undefined);
  }
  stream.backpressure = backpressure;
}

// ---- Writers ------------------------------------------------------------------------------------
// https://streams.spec.whatwg.org/#writable-stream-default-writer-close-with-error-propagation
function writableStreamDefaultWriterCloseWithErrorPropagation(writer) {
  const stream = writer.stream;
  const state = stream.state;
  if (writableStreamCloseQueuedOrInFlight(stream) || state === 'closed') {
    return promiseResolve(undefined);
  }
  if (state === 'errored') return promiseReject(stream.storedError);
  return writableStreamClose(stream);
}

// https://streams.spec.whatwg.org/#writable-stream-default-writer-ensure-closed-promise-rejected
function writableStreamDefaultWriterEnsureClosedPromiseRejected(writer, error) {
  if (writer.closedPromise.state === 'pending') rejectDeferred(writer.closedPromise, error);
  else writer.closedPromise = rejectedDeferred(error);
  setPromiseHandled(writer.closedPromise.promise);
}

// https://streams.spec.whatwg.org/#writable-stream-default-writer-ensure-ready-promise-rejected
function writableStreamDefaultWriterEnsureReadyPromiseRejected(writer, error) {
  if (writer.readyPromise.state === 'pending') rejectDeferred(writer.readyPromise, error);
  else writer.readyPromise = rejectedDeferred(error);
  setPromiseHandled(writer.readyPromise.promise);
}

// https://streams.spec.whatwg.org/#writable-stream-default-writer-get-desired-size
function writableStreamDefaultWriterGetDesiredSize(writer) {
  const stream = writer.stream;
  const state = stream.state;
  if (state === 'errored' || state === 'erroring') return null;
  if (state === 'closed') return 0;
  return S.writableStreamDefaultControllerGetDesiredSize(stream.controller);
}

// https://streams.spec.whatwg.org/#writable-stream-default-writer-release
function writableStreamDefaultWriterRelease(writer) {
  const stream = writer.stream;
  const releasedError = new TypeError('The writer was released.');
  writableStreamDefaultWriterEnsureReadyPromiseRejected(writer, releasedError);
  writableStreamDefaultWriterEnsureClosedPromiseRejected(writer, releasedError);
  stream.writer = undefined;
  writer.stream = undefined;
}

// https://streams.spec.whatwg.org/#writable-stream-default-writer-write
function writableStreamDefaultWriterWrite(writer, chunk) {
  const stream = writer.stream;
  const controller = stream.controller;
  const chunkSize = S.writableStreamDefaultControllerGetChunkSize(controller, chunk);
  if (stream !== writer.stream) {
    return promiseReject(new TypeError('The writer was released during write().'));
  }
  const state = stream.state;
  if (state === 'errored') return promiseReject(stream.storedError);
  if (writableStreamCloseQueuedOrInFlight(stream) || state === 'closed') {
    return promiseReject(new TypeError('The stream is closing or closed.'));
  }
  if (state === 'erroring') return promiseReject(stream.storedError);
  const promise = writableStreamAddWriteRequest(stream);
  S.writableStreamDefaultControllerWrite(controller, chunk, chunkSize);
  return promise;
}

class WritableStreamDefaultWriter {
  // https://streams.spec.whatwg.org/#default-writer-constructor
  constructor(stream) {
    const context = 'Failed to construct \'WritableStreamDefaultWriter\'';
    internals.webidl.requiredArguments(arguments.length, 1, context);
    const streamRec = recordOf(stream, K.WS);
    if (streamRec === undefined) {
      throw new TypeError(`${context}: parameter 1 is not of type 'WritableStream'.`);
    }
    const writer = new WriterRecord();
    setUpWritableStreamDefaultWriter(writer, streamRec);
    attachSlots(this, writer);
  }

  // https://streams.spec.whatwg.org/#default-writer-closed
  get closed() {
    const writer = recordOf(this, K.WSWriter);
    if (writer === undefined) return promiseReject(new TypeError('Illegal invocation'));
    return writer.closedPromise.promise;
  }

  // https://streams.spec.whatwg.org/#default-writer-desired-size
  get desiredSize() {
    const writer = thisRecord(this, K.WSWriter);
    if (writer.stream === undefined) throw new TypeError('This writer has been released.');
    return writableStreamDefaultWriterGetDesiredSize(writer);
  }

  // https://streams.spec.whatwg.org/#default-writer-ready
  get ready() {
    const writer = recordOf(this, K.WSWriter);
    if (writer === undefined) return promiseReject(new TypeError('Illegal invocation'));
    return writer.readyPromise.promise;
  }

  // https://streams.spec.whatwg.org/#default-writer-abort
  abort(reason = undefined) {
    const writer = recordOf(this, K.WSWriter);
    if (writer === undefined) return promiseReject(new TypeError('Illegal invocation'));
    if (writer.stream === undefined) {
      return promiseReject(new TypeError('This writer has been released.'));
    }
    return writableStreamAbort(writer.stream, reason);
  }

  // https://streams.spec.whatwg.org/#default-writer-close
  close() {
    const writer = recordOf(this, K.WSWriter);
    if (writer === undefined) return promiseReject(new TypeError('Illegal invocation'));
    const stream = writer.stream;
    if (stream === undefined) return promiseReject(new TypeError('This writer has been released.'));
    if (writableStreamCloseQueuedOrInFlight(stream)) {
      return promiseReject(new TypeError('The stream is already closing.'));
    }
    return writableStreamClose(stream);
  }

  // https://streams.spec.whatwg.org/#default-writer-release-lock
  releaseLock() {
    const writer = thisRecord(this, K.WSWriter);
    if (writer.stream === undefined) return;
    writableStreamDefaultWriterRelease(writer);
  }

  // https://streams.spec.whatwg.org/#default-writer-write
  write(chunk = undefined) {
    const writer = recordOf(this, K.WSWriter);
    if (writer === undefined) return promiseReject(new TypeError('Illegal invocation'));
    if (writer.stream === undefined) {
      return promiseReject(new TypeError('This writer has been released.'));
    }
    const validateChunk = writer.stream.validateChunk;
    if (validateChunk !== undefined) validateChunk(chunk);
    return writableStreamDefaultWriterWrite(writer, chunk);
  }
}
S.configureInterface(WritableStreamDefaultWriter, 'WritableStreamDefaultWriter');
const WritableStreamDefaultWriterPrototype = WritableStreamDefaultWriter.prototype;

for (const [name, fn] of [
  ['WritableStreamRecord', WritableStreamRecord],
  ['acquireWritableStreamDefaultWriter', acquireWritableStreamDefaultWriter],
  ['isWritableStreamLocked', isWritableStreamLocked],
  ['writableStreamAbort', writableStreamAbort],
  ['writableStreamClose', writableStreamClose],
  ['writableStreamCloseQueuedOrInFlight', writableStreamCloseQueuedOrInFlight],
  ['writableStreamDealWithRejection', writableStreamDealWithRejection],
  ['writableStreamFinishErroring', writableStreamFinishErroring],
  ['writableStreamFinishInFlightClose', writableStreamFinishInFlightClose],
  ['writableStreamFinishInFlightCloseWithError', writableStreamFinishInFlightCloseWithError],
  ['writableStreamFinishInFlightWrite', writableStreamFinishInFlightWrite],
  ['writableStreamFinishInFlightWriteWithError', writableStreamFinishInFlightWriteWithError],
  ['writableStreamMarkCloseRequestInFlight', writableStreamMarkCloseRequestInFlight],
  ['writableStreamMarkFirstWriteRequestInFlight', writableStreamMarkFirstWriteRequestInFlight],
  ['writableStreamStartErroring', writableStreamStartErroring],
  ['writableStreamUpdateBackpressure', writableStreamUpdateBackpressure],
  ['writableStreamDefaultWriterCloseWithErrorPropagation',
    writableStreamDefaultWriterCloseWithErrorPropagation],
  ['writableStreamDefaultWriterGetDesiredSize', writableStreamDefaultWriterGetDesiredSize],
  ['writableStreamDefaultWriterRelease', writableStreamDefaultWriterRelease],
  ['writableStreamDefaultWriterWrite', writableStreamDefaultWriterWrite],
]) {
  S[name] = fn;
}
S.WritableStreamDefaultWriter = WritableStreamDefaultWriter;

internals.defineGlobals({ WritableStreamDefaultWriter });
