// pipeTo, pipeThrough and tee.
// https://streams.spec.whatwg.org/#readable-stream-pipe-to
// https://streams.spec.whatwg.org/#rs-pipe-through
// https://streams.spec.whatwg.org/#readable-stream-tee
//
// Piping uses internal read requests and reacts only to internal promises with the captured
// Promise.prototype.then; no reaction returns a promise (that would make the engine look up `then`
// on it), so a script patching Promise.prototype.then or Object.prototype.then cannot observe it.
'use strict';

const { TypeError } = primordials;
const S = internals.streams.impl;
const {
  K, recordOf, promiseResolve, promiseReject, noop, Deferred, resolveDeferred, rejectDeferred,
  setPromiseHandled, uponPromise, dictionaryObject, isAbortSignal, signalAborted,
  signalReason, addAbortAlgorithm, cloneAsUint8Array, ReadRequest, isReadableStreamLocked,
  readableStreamCancel, readableStreamReaderRelease, readableStreamDefaultReaderRead,
  acquireReadableStreamDefaultReader, createReadableStream, readableStreamDefaultControllerClose,
  readableStreamDefaultControllerEnqueue, readableStreamDefaultControllerError,
  acquireWritableStreamDefaultWriter, isWritableStreamLocked, writableStreamAbort,
  writableStreamCloseQueuedOrInFlight, writableStreamDefaultWriterCloseWithErrorPropagation,
  writableStreamDefaultWriterRelease, writableStreamDefaultWriterWrite,
} = S;

// https://streams.spec.whatwg.org/#dictdef-streampipeoptions (lexicographic member order).
class PipeOptions {
  preventAbort = false;
  preventCancel = false;
  preventClose = false;
  signal = undefined;
}
function toPipeOptions(options, context) {
  const dict = dictionaryObject(options, context);
  const out = new PipeOptions();
  if (dict === undefined) return out;
  out.preventAbort = !!dict.preventAbort;
  out.preventCancel = !!dict.preventCancel;
  out.preventClose = !!dict.preventClose;
  const signal = dict.signal;
  if (signal !== undefined) {
    if (!isAbortSignal(signal)) {
      throw new TypeError(`${context}: member signal is not of type AbortSignal.`);
    }
    out.signal = signal;
  }
  return out;
}

// ReadableStream.prototype.pipeTo after the brand check of `this`.
function pipeToMethod(source, destination, options) {
  const context = 'Failed to execute \'pipeTo\' on \'ReadableStream\'';
  const dest = recordOf(destination, K.WS);
  if (dest === undefined) {
    return promiseReject(new TypeError(`${context}: parameter 1 is not of type 'WritableStream'.`));
  }
  let opts;
  try {
    opts = toPipeOptions(options, context);
  } catch (e) {
    return promiseReject(e);
  }
  if (isReadableStreamLocked(source)) {
    return promiseReject(new TypeError(`${context}: the ReadableStream is locked.`));
  }
  if (isWritableStreamLocked(dest)) {
    return promiseReject(new TypeError(`${context}: the WritableStream is locked.`));
  }
  return readableStreamPipeTo(source, dest, opts.preventClose, opts.preventAbort,
      opts.preventCancel, opts.signal);
}

// https://streams.spec.whatwg.org/#rs-pipe-through
function pipeThrough(source, transform, options) {
  const context = 'Failed to execute \'pipeThrough\' on \'ReadableStream\'';
  // ReadableWritablePair: readable, then writable; both required.
  const pair = dictionaryObject(transform, context);
  const readableValue = pair === undefined ? undefined : pair.readable;
  if (readableValue === undefined) {
    throw new TypeError(`${context}: required member readable is undefined.`);
  }
  const readable = recordOf(readableValue, K.RS);
  if (readable === undefined) {
    throw new TypeError(`${context}: member readable is not of type ReadableStream.`);
  }
  const writableValue = pair.writable;
  if (writableValue === undefined) {
    throw new TypeError(`${context}: required member writable is undefined.`);
  }
  const writable = recordOf(writableValue, K.WS);
  if (writable === undefined) {
    throw new TypeError(`${context}: member writable is not of type WritableStream.`);
  }
  const opts = toPipeOptions(options, context);
  if (isReadableStreamLocked(source)) {
    throw new TypeError(`${context}: the ReadableStream is locked.`);
  }
  if (isWritableStreamLocked(writable)) {
    throw new TypeError(`${context}: the WritableStream is locked.`);
  }
  const promise = readableStreamPipeTo(source, writable, opts.preventClose, opts.preventAbort,
      opts.preventCancel, opts.signal);
  setPromiseHandled(promise);
  return readable.obj;
}

// https://streams.spec.whatwg.org/#readable-stream-pipe-to
function readableStreamPipeTo(source, dest, preventClose, preventAbort, preventCancel,
                              signal = undefined) {
  const reader = acquireReadableStreamDefaultReader(source);
  const writer = acquireWritableStreamDefaultWriter(dest);
  source.disturbed = true;
  let shuttingDown = false;
  const result = new Deferred();
  // The promise of the latest write, never rejecting; writes settle in order.
  let currentWrite = promiseResolve(undefined);
  let removeAbortAlgorithm;

  if (signal !== undefined) {
    const abortAlgorithm = () => {
      const error = signalReason(signal);
      const abortDest = !preventAbort;
      const cancelSource = !preventCancel;
      shutdownWithAnAction(() => {
        const promises = [];
        if (abortDest) {
          promises[promises.length] = dest.state === 'writable' ?
            writableStreamAbort(dest, error) : promiseResolve(undefined);
        }
        if (cancelSource) {
          promises[promises.length] = source.state === 'readable' ?
            readableStreamCancel(source, error) : promiseResolve(undefined);
        }
        return waitForAll(promises);
      }, true, error);
    };
    if (signalAborted(signal)) {
      abortAlgorithm();
      return result.promise;
    }
    removeAbortAlgorithm = addAbortAlgorithm(signal, abortAlgorithm);
  }

  // Errors must be propagated forward.
  if (source.state === 'errored') sourceErrored(source.storedError);
  else uponPromise(reader.closedPromise.promise, noop, sourceErrored);
  // Errors must be propagated backward.
  if (dest.state === 'errored') destErrored(dest.storedError);
  else uponPromise(writer.closedPromise.promise, noop, destErrored);
  // Closing must be propagated forward.
  if (source.state === 'closed') sourceClosed();
  else uponPromise(reader.closedPromise.promise, sourceClosed, noop);
  // Closing must be propagated backward.
  if (writableStreamCloseQueuedOrInFlight(dest) || dest.state === 'closed') {
    const destClosed = new TypeError(
        'The destination WritableStream closed before all data could be piped to it.');
    if (!preventCancel) {
      shutdownWithAnAction(() => readableStreamCancel(source, destClosed), true, destClosed);
    } else {
      shutdown(true, destClosed);
    }
  }
  pipeStep();
  return result.promise;

  function sourceErrored(storedError) {
    if (!preventAbort) {
      shutdownWithAnAction(() => writableStreamAbort(dest, storedError), true, storedError);
    } else {
      shutdown(true, storedError);
    }
  }
  function destErrored(storedError) {
    if (!preventCancel) {
      shutdownWithAnAction(() => readableStreamCancel(source, storedError), true, storedError);
    } else {
      shutdown(true, storedError);
    }
  }
  function sourceClosed() {
    if (!preventClose) {
      shutdownWithAnAction(() => writableStreamDefaultWriterCloseWithErrorPropagation(writer));
    } else {
      shutdown();
    }
  }

  // Waits for backpressure to clear, then reads one chunk and writes it. The write happens in a
  // later microtask so that controller.enqueue() never runs the sink's write() synchronously;
  // `currentWrite` covers the chunk from the moment it is read.
  function pipeStep() {
    if (shuttingDown) return;
    uponPromise(writer.readyPromise.promise, () => {
      if (shuttingDown) return;
      readableStreamDefaultReaderRead(reader, new ReadRequest((chunk) => {
        const written = new Deferred();
        currentWrite = written.promise;
        queueMicrotask(() => {
          if (writer.stream === undefined) {
            resolveDeferred(written, undefined);
            return;
          }
          const done = () => resolveDeferred(written, undefined);
          uponPromise(writableStreamDefaultWriterWrite(writer, chunk), done, done);
          pipeStep();
        });
      }, noop, noop));
    }, noop);
  }

  function waitForWritesToFinish(then) {
    const oldCurrentWrite = currentWrite;
    uponPromise(currentWrite, () => {
      if (oldCurrentWrite !== currentWrite) waitForWritesToFinish(then);
      else then();
    }, noop);
  }

  function shutdownWithAnAction(action, isError = false, originalError = undefined) {
    if (shuttingDown) return;
    shuttingDown = true;
    const doTheRest = () => {
      uponPromise(action(), () => finalize(isError, originalError),
          (newError) => finalize(true, newError));
    };
    if (dest.state === 'writable' && !writableStreamCloseQueuedOrInFlight(dest)) {
      waitForWritesToFinish(doTheRest);
    } else {
      doTheRest();
    }
  }

  function shutdown(isError = false, error = undefined) {
    if (shuttingDown) return;
    shuttingDown = true;
    if (dest.state === 'writable' && !writableStreamCloseQueuedOrInFlight(dest)) {
      waitForWritesToFinish(() => finalize(isError, error));
    } else {
      finalize(isError, error);
    }
  }

  function finalize(isError, error) {
    writableStreamDefaultWriterRelease(writer);
    readableStreamReaderRelease(reader);
    if (removeAbortAlgorithm !== undefined) removeAbortAlgorithm();
    if (isError) rejectDeferred(result, error);
    else resolveDeferred(result, undefined);
  }
}

// https://webidl.spec.whatwg.org/#wait-for-all (results are not needed here).
function waitForAll(promises) {
  const d = new Deferred();
  let remaining = promises.length;
  if (remaining === 0) {
    resolveDeferred(d, undefined);
    return d.promise;
  }
  for (let i = 0; i < promises.length; i++) {
    uponPromise(promises[i], () => {
      if (--remaining === 0) resolveDeferred(d, undefined);
    }, (e) => rejectDeferred(d, e));
  }
  return d.promise;
}

// Queues a microtask (no queueMicrotask in the bootstrap realm).
const resolvedPromise = promiseResolve(undefined);
function queueMicrotask(fn) {
  uponPromise(resolvedPromise, fn, undefined);
}

// https://streams.spec.whatwg.org/#readable-stream-tee
function readableStreamTee(stream, cloneForBranch2) {
  if (stream.controller.kind === K.RSByteController) return readableByteStreamTee(stream);
  return readableStreamDefaultTee(stream, cloneForBranch2);
}

// https://streams.spec.whatwg.org/#abstract-opdef-readablestreamdefaulttee
function readableStreamDefaultTee(stream, cloneForBranch2) {
  const reader = acquireReadableStreamDefaultReader(stream);
  let reading = false;
  let readAgain = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelPromise = new Deferred();
  const structuredClone = S.structuredClone;

  const readRequest = new ReadRequest((chunk) => {
    queueMicrotask(() => {
      readAgain = false;
      const chunk1 = chunk;
      let chunk2 = chunk;
      if (!canceled2 && cloneForBranch2) {
        try {
          chunk2 = structuredClone(chunk2);
        } catch (e) {
          readableStreamDefaultControllerError(branch1.controller, e);
          readableStreamDefaultControllerError(branch2.controller, e);
          resolveDeferred(cancelPromise, readableStreamCancel(stream, e));
          return;
        }
      }
      if (!canceled1) readableStreamDefaultControllerEnqueue(branch1.controller, chunk1);
      if (!canceled2) readableStreamDefaultControllerEnqueue(branch2.controller, chunk2);
      reading = false;
      if (readAgain) pullAlgorithm();
    });
  }, () => {
    reading = false;
    if (!canceled1) readableStreamDefaultControllerClose(branch1.controller);
    if (!canceled2) readableStreamDefaultControllerClose(branch2.controller);
    if (!canceled1 || !canceled2) resolveDeferred(cancelPromise, undefined);
  }, () => {
    reading = false;
  });

  function pullAlgorithm() {
    if (reading) {
      readAgain = true;
      return promiseResolve(undefined);
    }
    reading = true;
    readableStreamDefaultReaderRead(reader, readRequest);
    return promiseResolve(undefined);
  }
  function cancel1Algorithm(reason) {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) {
      resolveDeferred(cancelPromise, readableStreamCancel(stream, [reason1, reason2]));
    }
    return cancelPromise.promise;
  }
  function cancel2Algorithm(reason) {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) {
      resolveDeferred(cancelPromise, readableStreamCancel(stream, [reason1, reason2]));
    }
    return cancelPromise.promise;
  }
  const startAlgorithm = () => undefined;
  branch1 = createReadableStream(startAlgorithm, pullAlgorithm, cancel1Algorithm);
  branch2 = createReadableStream(startAlgorithm, pullAlgorithm, cancel2Algorithm);
  uponPromise(reader.closedPromise.promise, noop, (r) => {
    readableStreamDefaultControllerError(branch1.controller, r);
    readableStreamDefaultControllerError(branch2.controller, r);
    if (!canceled1 || !canceled2) resolveDeferred(cancelPromise, undefined);
  });
  return [branch1, branch2];
}

// https://streams.spec.whatwg.org/#abstract-opdef-readablebytestreamtee
function readableByteStreamTee(stream) {
  const {
    acquireReadableStreamBYOBReader, readableStreamBYOBReaderRead, createReadableByteStream,
    readableByteStreamControllerClose, readableByteStreamControllerEnqueue,
    readableByteStreamControllerError, readableByteStreamControllerRespond,
    readableByteStreamControllerRespondWithNewView, readableByteStreamControllerGetBYOBRequest,
    viewInfo,
  } = S;
  let reader = acquireReadableStreamDefaultReader(stream);
  let reading = false;
  let readAgainForBranch1 = false;
  let readAgainForBranch2 = false;
  let canceled1 = false;
  let canceled2 = false;
  let reason1;
  let reason2;
  let branch1;
  let branch2;
  const cancelPromise = new Deferred();

  function forwardReaderError(thisReader) {
    uponPromise(thisReader.closedPromise.promise, noop, (r) => {
      if (thisReader !== reader) return;
      readableByteStreamControllerError(branch1.controller, r);
      readableByteStreamControllerError(branch2.controller, r);
      if (!canceled1 || !canceled2) resolveDeferred(cancelPromise, undefined);
    });
  }

  function pullWithDefaultReader() {
    if (reader.kind === K.RSBYOBReader) {
      readableStreamReaderRelease(reader);
      reader = acquireReadableStreamDefaultReader(stream);
      forwardReaderError(reader);
    }
    const readRequest = new ReadRequest((chunk) => {
      queueMicrotask(() => {
        readAgainForBranch1 = false;
        readAgainForBranch2 = false;
        const chunk1 = chunk;
        let chunk2 = chunk;
        if (!canceled1 && !canceled2) {
          try {
            chunk2 = cloneAsUint8Array(chunk);
          } catch (e) {
            readableByteStreamControllerError(branch1.controller, e);
            readableByteStreamControllerError(branch2.controller, e);
            resolveDeferred(cancelPromise, readableStreamCancel(stream, e));
            return;
          }
        }
        if (!canceled1) readableByteStreamControllerEnqueue(branch1.controller, chunk1);
        if (!canceled2) readableByteStreamControllerEnqueue(branch2.controller, chunk2);
        reading = false;
        if (readAgainForBranch1) pull1Algorithm();
        else if (readAgainForBranch2) pull2Algorithm();
      });
    }, () => {
      reading = false;
      if (!canceled1) readableByteStreamControllerClose(branch1.controller);
      if (!canceled2) readableByteStreamControllerClose(branch2.controller);
      if (branch1.controller.pendingPullIntos.size > 0) {
        readableByteStreamControllerRespond(branch1.controller, 0);
      }
      if (branch2.controller.pendingPullIntos.size > 0) {
        readableByteStreamControllerRespond(branch2.controller, 0);
      }
      if (!canceled1 || !canceled2) resolveDeferred(cancelPromise, undefined);
    }, () => {
      reading = false;
    });
    readableStreamDefaultReaderRead(reader, readRequest);
  }

  function pullWithBYOBReader(view, forBranch2) {
    if (reader.kind === K.RSDefaultReader) {
      readableStreamReaderRelease(reader);
      reader = acquireReadableStreamBYOBReader(stream);
      forwardReaderError(reader);
    }
    const byobBranch = forBranch2 ? branch2 : branch1;
    const otherBranch = forBranch2 ? branch1 : branch2;
    const readIntoRequest = new ReadRequest((chunk) => {
      queueMicrotask(() => {
        readAgainForBranch1 = false;
        readAgainForBranch2 = false;
        const byobCanceled = forBranch2 ? canceled2 : canceled1;
        const otherCanceled = forBranch2 ? canceled1 : canceled2;
        if (!otherCanceled) {
          let clonedChunk;
          try {
            clonedChunk = cloneAsUint8Array(chunk);
          } catch (e) {
            readableByteStreamControllerError(byobBranch.controller, e);
            readableByteStreamControllerError(otherBranch.controller, e);
            resolveDeferred(cancelPromise, readableStreamCancel(stream, e));
            return;
          }
          if (!byobCanceled) {
            readableByteStreamControllerRespondWithNewView(byobBranch.controller, viewInfo(chunk));
          }
          readableByteStreamControllerEnqueue(otherBranch.controller, clonedChunk);
        } else if (!byobCanceled) {
          readableByteStreamControllerRespondWithNewView(byobBranch.controller, viewInfo(chunk));
        }
        reading = false;
        if (readAgainForBranch1) pull1Algorithm();
        else if (readAgainForBranch2) pull2Algorithm();
      });
    }, (chunk) => {
      reading = false;
      const byobCanceled = forBranch2 ? canceled2 : canceled1;
      const otherCanceled = forBranch2 ? canceled1 : canceled2;
      if (!byobCanceled) readableByteStreamControllerClose(byobBranch.controller);
      if (!otherCanceled) readableByteStreamControllerClose(otherBranch.controller);
      if (chunk !== undefined) {
        if (!byobCanceled) {
          readableByteStreamControllerRespondWithNewView(byobBranch.controller, viewInfo(chunk));
        }
        if (!otherCanceled && otherBranch.controller.pendingPullIntos.size > 0) {
          readableByteStreamControllerRespond(otherBranch.controller, 0);
        }
      }
      if (!byobCanceled || !otherCanceled) resolveDeferred(cancelPromise, undefined);
    }, () => {
      reading = false;
    });
    readableStreamBYOBReaderRead(reader, view, viewInfo(view), 1, readIntoRequest);
  }

  function pull1Algorithm() {
    if (reading) {
      readAgainForBranch1 = true;
      return promiseResolve(undefined);
    }
    reading = true;
    const byobRequest = readableByteStreamControllerGetBYOBRequest(branch1.controller);
    if (byobRequest === null) pullWithDefaultReader();
    else pullWithBYOBReader(byobRequest.view, false);
    return promiseResolve(undefined);
  }
  function pull2Algorithm() {
    if (reading) {
      readAgainForBranch2 = true;
      return promiseResolve(undefined);
    }
    reading = true;
    const byobRequest = readableByteStreamControllerGetBYOBRequest(branch2.controller);
    if (byobRequest === null) pullWithDefaultReader();
    else pullWithBYOBReader(byobRequest.view, true);
    return promiseResolve(undefined);
  }
  function cancel1Algorithm(reason) {
    canceled1 = true;
    reason1 = reason;
    if (canceled2) {
      resolveDeferred(cancelPromise, readableStreamCancel(stream, [reason1, reason2]));
    }
    return cancelPromise.promise;
  }
  function cancel2Algorithm(reason) {
    canceled2 = true;
    reason2 = reason;
    if (canceled1) {
      resolveDeferred(cancelPromise, readableStreamCancel(stream, [reason1, reason2]));
    }
    return cancelPromise.promise;
  }
  const startAlgorithm = () => undefined;
  branch1 = createReadableByteStream(startAlgorithm, pull1Algorithm, cancel1Algorithm);
  branch2 = createReadableByteStream(startAlgorithm, pull2Algorithm, cancel2Algorithm);
  forwardReaderError(reader);
  return [branch1, branch2];
}

S.pipeToMethod = pipeToMethod;
S.pipeThrough = pipeThrough;
S.readableStreamPipeTo = readableStreamPipeTo;
S.readableStreamTee = readableStreamTee;
S.queueMicrotask = queueMicrotask;
S.waitForAll = waitForAll;
