// The ReadableStream interface.
// https://streams.spec.whatwg.org/#rs-class
// https://streams.spec.whatwg.org/#rs-prototype
// The algorithms live in 14_streams_readable*.js; pipeTo/tee/from/async iteration in
// 16_streams_*.js (reached through `S` at call time).
'use strict';

const {
  ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, RangeError, SymbolAsyncIterator, TypeError,
} = primordials;
const S = internals.streams.impl;
const {
  K, attachSlots, recordOf, thisRecord, promiseReject, dictionaryObject, callbackMember,
  toQueuingStrategy, extractHighWaterMark, extractSizeAlgorithm, ReadableStreamRecord,
  isReadableStreamLocked, readableStreamCancel, acquireReadableStreamDefaultReader,
  acquireReadableStreamBYOBReader, setUpReadableStreamDefaultControllerFromUnderlyingSource,
  setUpReadableByteStreamControllerFromUnderlyingSource,
} = S;

// ---- ReadableStream -----------------------------------------------------------------------------
class ReadableStream {
  // https://streams.spec.whatwg.org/#rs-constructor
  constructor(underlyingSource = undefined, strategy = undefined) {
    const context = 'Failed to construct \'ReadableStream\'';
    if (underlyingSource !== undefined && !S.isObject(underlyingSource)) {
      throw new TypeError(`${context}: parameter 1 is not an object.`);
    }
    const strategyDict = toQueuingStrategy(strategy, context);
    // UnderlyingSource members in lexicographic order.
    const source = underlyingSource;
    const sourceDict = dictionaryObject(source, context);
    let autoAllocateChunkSize;
    if (sourceDict !== undefined) {
      const v = sourceDict.autoAllocateChunkSize;
      if (v !== undefined) {
        autoAllocateChunkSize = internals.webidl.toUnsignedLongLong(v, { enforceRange: true },
            `${context}: autoAllocateChunkSize`);
      }
    }
    const cancel = callbackMember(sourceDict, 'cancel', context);
    const pull = callbackMember(sourceDict, 'pull', context);
    const start = callbackMember(sourceDict, 'start', context);
    let type;
    if (sourceDict !== undefined) {
      type = sourceDict.type;
      if (type !== undefined) {
        type = internals.webidl.toDOMString(type);
        if (type !== 'bytes') {
          throw new TypeError(`${context}: '${type}' is not a valid ReadableStreamType.`);
        }
      }
    }
    const stream = new ReadableStreamRecord();
    attachSlots(this, stream);
    if (type === 'bytes') {
      if (strategyDict.size !== undefined) {
        throw new RangeError(`${context}: a byte stream's strategy cannot have a size function.`);
      }
      const highWaterMark = extractHighWaterMark(strategyDict, 0);
      setUpReadableByteStreamControllerFromUnderlyingSource(stream, source, start, pull, cancel,
          highWaterMark, autoAllocateChunkSize);
    } else {
      const sizeAlgorithm = extractSizeAlgorithm(strategyDict);
      const highWaterMark = extractHighWaterMark(strategyDict, 1);
      setUpReadableStreamDefaultControllerFromUnderlyingSource(stream, source, start, pull, cancel,
          highWaterMark, sizeAlgorithm);
    }
  }

  // https://streams.spec.whatwg.org/#rs-from
  static from(asyncIterable) {
    return S.readableStreamFromIterable(asyncIterable).obj;
  }

  // https://streams.spec.whatwg.org/#rs-locked
  get locked() {
    return isReadableStreamLocked(thisRecord(this, K.RS));
  }

  // https://streams.spec.whatwg.org/#rs-cancel
  cancel(reason = undefined) {
    const stream = recordOf(this, K.RS);
    if (stream === undefined) return promiseReject(new TypeError('Illegal invocation'));
    if (isReadableStreamLocked(stream)) {
      return promiseReject(new TypeError('Cannot cancel a ReadableStream that is locked.'));
    }
    return readableStreamCancel(stream, reason);
  }

  // https://streams.spec.whatwg.org/#rs-get-reader
  getReader(options = undefined) {
    const stream = thisRecord(this, K.RS);
    const dict = dictionaryObject(options, 'Failed to execute \'getReader\' on \'ReadableStream\'');
    let mode;
    if (dict !== undefined) {
      mode = dict.mode;
      if (mode !== undefined) {
        mode = internals.webidl.toDOMString(mode);
        if (mode !== 'byob') {
          throw new TypeError(`Failed to execute 'getReader' on 'ReadableStream': '${mode}' is ` +
                              'not a valid ReadableStreamReaderMode.');
        }
      }
    }
    if (mode === undefined) return acquireReadableStreamDefaultReader(stream).obj;
    return acquireReadableStreamBYOBReader(stream).obj;
  }

  // https://streams.spec.whatwg.org/#rs-pipe-through
  pipeThrough(transform, options = undefined) {
    return S.pipeThrough(thisRecord(this, K.RS), transform, options);
  }

  // https://streams.spec.whatwg.org/#rs-pipe-to
  pipeTo(destination, options = undefined) {
    const stream = recordOf(this, K.RS);
    if (stream === undefined) return promiseReject(new TypeError('Illegal invocation'));
    return S.pipeToMethod(stream, destination, options);
  }

  // https://streams.spec.whatwg.org/#rs-tee
  tee() {
    const branches = S.readableStreamTee(thisRecord(this, K.RS), false);
    return [branches[0].obj, branches[1].obj];
  }

  // https://streams.spec.whatwg.org/#rs-asynciterator
  values(options = undefined) {
    return S.readableStreamValues(thisRecord(this, K.RS), options);
  }
}
S.configureInterface(ReadableStream, 'ReadableStream');
{
  const proto = ReadableStream.prototype;
  ObjectDefineProperty(proto, SymbolAsyncIterator, {
    __proto__: null, value: proto.values, writable: true, enumerable: false, configurable: true,
  });
  const from = ObjectGetOwnPropertyDescriptor(ReadableStream, 'from');
  from.enumerable = true;
  ObjectDefineProperty(ReadableStream, 'from', from);
}
const ReadableStreamPrototype = ReadableStream.prototype;

S.ReadableStream = ReadableStream;
S.ReadableStreamPrototype = ReadableStreamPrototype;

internals.defineGlobals({ ReadableStream });
