// The WritableStream interface.
// https://streams.spec.whatwg.org/#ws-class
'use strict';

const { RangeError, TypeError } = primordials;
const S = internals.streams.impl;
const {
  K, attachSlots, recordOf, thisRecord, promiseReject, dictionaryObject, callbackMember,
  toQueuingStrategy, extractHighWaterMark, extractSizeAlgorithm, WritableStreamRecord,
  acquireWritableStreamDefaultWriter, isWritableStreamLocked, writableStreamAbort,
  writableStreamClose, writableStreamCloseQueuedOrInFlight,
  setUpWritableStreamDefaultControllerFromUnderlyingSink,
} = S;

class WritableStream {
  // https://streams.spec.whatwg.org/#ws-constructor
  constructor(underlyingSink = undefined, strategy = undefined) {
    const context = 'Failed to construct \'WritableStream\'';
    if (underlyingSink !== undefined && !S.isObject(underlyingSink)) {
      throw new TypeError(`${context}: parameter 1 is not an object.`);
    }
    const strategyDict = toQueuingStrategy(strategy, context);
    const sinkDict = dictionaryObject(underlyingSink, context);
    // UnderlyingSink members in lexicographic order.
    const abort = callbackMember(sinkDict, 'abort', context);
    const close = callbackMember(sinkDict, 'close', context);
    const start = callbackMember(sinkDict, 'start', context);
    const type = sinkDict === undefined ? undefined : sinkDict.type;
    const write = callbackMember(sinkDict, 'write', context);
    if (type !== undefined) throw new RangeError(`${context}: invalid type is specified.`);
    const stream = new WritableStreamRecord();
    attachSlots(this, stream);
    const sizeAlgorithm = extractSizeAlgorithm(strategyDict);
    const highWaterMark = extractHighWaterMark(strategyDict, 1);
    setUpWritableStreamDefaultControllerFromUnderlyingSink(stream, underlyingSink, abort, close,
        start, write, highWaterMark, sizeAlgorithm);
  }

  // https://streams.spec.whatwg.org/#ws-locked
  get locked() {
    return isWritableStreamLocked(thisRecord(this, K.WS));
  }

  // https://streams.spec.whatwg.org/#ws-abort
  abort(reason = undefined) {
    const stream = recordOf(this, K.WS);
    if (stream === undefined) return promiseReject(new TypeError('Illegal invocation'));
    if (isWritableStreamLocked(stream)) {
      return promiseReject(new TypeError('Cannot abort a WritableStream that is locked.'));
    }
    return writableStreamAbort(stream, reason);
  }

  // https://streams.spec.whatwg.org/#ws-close
  close() {
    const stream = recordOf(this, K.WS);
    if (stream === undefined) return promiseReject(new TypeError('Illegal invocation'));
    if (isWritableStreamLocked(stream)) {
      return promiseReject(new TypeError('Cannot close a WritableStream that is locked.'));
    }
    if (writableStreamCloseQueuedOrInFlight(stream)) {
      return promiseReject(new TypeError('The stream is already closing.'));
    }
    return writableStreamClose(stream);
  }

  // https://streams.spec.whatwg.org/#ws-get-writer
  getWriter() {
    return acquireWritableStreamDefaultWriter(thisRecord(this, K.WS)).obj;
  }
}
S.configureInterface(WritableStream, 'WritableStream');
const WritableStreamPrototype = WritableStream.prototype;

S.WritableStream = WritableStream;
S.WritableStreamPrototype = WritableStreamPrototype;

internals.defineGlobals({ WritableStream });
