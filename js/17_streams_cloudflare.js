// Cloudflare Workers' IdentityTransformStream and FixedLengthStream.
// https://developers.cloudflare.com/workers/runtime-apis/streams/transformstream/
//
// Both are TransformStream subclasses whose writable side accepts only BufferSource chunks and
// whose readable side is a byte stream (BYOB reads supported). As in workerd, a write completes
// only once a reader has consumed its bytes (nothing is buffered beyond the writable's queue); the
// optional `{ highWaterMark }` strategy counts bytes, and without one `desiredSize` stays at 1.
// FixedLengthStream(n) errors if more or fewer than n bytes pass through; its readable side
// reports the length for Content-Length (`internals.streams.getKnownLength`).
'use strict';

const {
  ArrayBufferIsView, MathMin, Number, ObjectCreate, TypeError, TypedArrayPrototypeGetLength,
  TypedArrayPrototypeSet, TypedArrayPrototypeSubarray, Uint8Array,
} = primordials;
const S = internals.streams.impl;
const {
  attachSlots, promiseResolve, promiseReject, Deferred, resolveDeferred, rejectDeferred,
  viewInfo, createReadableByteStream, createWritableStream, readableByteStreamControllerClose,
  readableByteStreamControllerEnqueue, readableByteStreamControllerError,
  readableByteStreamControllerGetBYOBRequest, readableByteStreamControllerRespond,
  writableStreamDefaultControllerErrorIfNeeded, TransformStream, TransformStreamRecord,
} = S;

const kNotBytes = 'This TransformStream is being used as a byte stream, but received an object ' +
  'of non-ArrayBuffer/ArrayBufferView type on its writable side.';
const kString = 'This TransformStream is being used as a byte stream, but received a string on ' +
  'its writable side. If you wish to write a string, you\'ll probably want to explicitly ' +
  'UTF-8-encode it with TextEncoder.';

// A Uint8Array over the chunk's bytes (no copy), or a TypeError.
function chunkBytes(chunk) {
  if (ArrayBufferIsView(chunk)) {
    const info = viewInfo(chunk);
    return new Uint8Array(info.buffer, info.byteOffset, info.byteLength);
  }
  if (internals.webidl.isBufferSource(chunk)) return new Uint8Array(chunk);
  throw new TypeError(typeof chunk === 'string' ? kString : kNotBytes);
}

function validateChunk(chunk) {
  if (!internals.webidl.isBufferSource(chunk)) {
    throw new TypeError(typeof chunk === 'string' ? kString : kNotBytes);
  }
}

class PendingWrite {
  bytes = undefined;
  offset = 0;
  deferred = new Deferred();
  constructor(bytes) { this.bytes = bytes; }
}

// Builds the readable/writable pair on `ts` (a TransformStreamRecord). `expectedLength` is
// undefined for an IdentityTransformStream.
function setUpIdentityPair(ts, highWaterMark, expectedLength) {
  let pendingWrite = null;
  let pendingPull = null;  // Deferred resolved when a write arrives or the stream ends
  let remaining = expectedLength;
  let readable;
  let writable;

  const finishPull = () => {
    if (pendingPull !== null) {
      const p = pendingPull;
      pendingPull = null;
      resolveDeferred(p, undefined);
    }
  };
  // Moves bytes of the pending write into the pending read (BYOB view or a new chunk).
  const deliver = () => {
    const controller = readable.controller;
    const w = pendingWrite;
    const total = TypedArrayPrototypeGetLength(w.bytes);
    const available = total - w.offset;
    const request = readableByteStreamControllerGetBYOBRequest(controller);
    let n;
    if (request !== null) {
      const view = request.view;
      n = MathMin(TypedArrayPrototypeGetLength(view), available);
      TypedArrayPrototypeSet(view, TypedArrayPrototypeSubarray(w.bytes, w.offset, w.offset + n));
      readableByteStreamControllerRespond(controller, n);
    } else {
      n = available;
      const copy = new Uint8Array(n);
      TypedArrayPrototypeSet(copy, TypedArrayPrototypeSubarray(w.bytes, w.offset, w.offset + n));
      readableByteStreamControllerEnqueue(controller, copy);
    }
    w.offset += n;
    if (w.offset === total) {
      pendingWrite = null;
      resolveDeferred(w.deferred, undefined);
    }
  };
  const fail = (e) => {
    readableByteStreamControllerError(readable.controller, e);
    writableStreamDefaultControllerErrorIfNeeded(writable.controller, e);
    if (pendingWrite !== null) rejectDeferred(pendingWrite.deferred, e);
    pendingWrite = null;
    finishPull();
  };

  const writeAlgorithm = (chunk) => {
    let bytes;
    try {
      bytes = chunkBytes(chunk);
    } catch (e) {
      return promiseReject(e);
    }
    const length = TypedArrayPrototypeGetLength(bytes);
    if (length === 0) return promiseResolve(undefined);
    if (remaining !== undefined) {
      if (length > remaining) {
        const e = new TypeError('Attempt to write too many bytes through a FixedLengthStream.');
        fail(e);
        return promiseReject(e);
      }
      remaining -= length;
    }
    pendingWrite = new PendingWrite(bytes);
    const promise = pendingWrite.deferred.promise;
    if (pendingPull !== null) {
      deliver();
      finishPull();
    }
    return promise;
  };
  const closeAlgorithm = () => {
    if (remaining !== undefined && remaining !== 0) {
      const e = new TypeError('FixedLengthStream did not see all expected bytes before close().');
      fail(e);
      return promiseReject(e);
    }
    const controller = readable.controller;
    if (readable.state === 'readable' && !controller.closeRequested) {
      readableByteStreamControllerClose(controller);
      if (controller.pendingPullIntos.size > 0) readableByteStreamControllerRespond(controller, 0);
    }
    finishPull();
    return promiseResolve(undefined);
  };
  const abortAlgorithm = (reason) => {
    readableByteStreamControllerError(readable.controller, reason);
    finishPull();
    return promiseResolve(undefined);
  };
  const pullAlgorithm = () => {
    if (pendingWrite !== null) {
      deliver();
      return promiseResolve(undefined);
    }
    pendingPull = new Deferred();
    return pendingPull.promise;
  };
  const cancelAlgorithm = (reason) => {
    writableStreamDefaultControllerErrorIfNeeded(writable.controller, reason);
    if (pendingWrite !== null) rejectDeferred(pendingWrite.deferred, reason);
    pendingWrite = null;
    return promiseResolve(undefined);
  };

  const sizeAlgorithm = highWaterMark === undefined ? () => 0 : (chunk) => {
    if (ArrayBufferIsView(chunk)) return viewInfo(chunk).byteLength;
    if (internals.webidl.isBufferSource(chunk)) return S.arrayBufferByteLength(chunk);
    return 0;
  };
  writable = createWritableStream(() => undefined, writeAlgorithm, closeAlgorithm, abortAlgorithm,
      highWaterMark === undefined ? 1 : highWaterMark, sizeAlgorithm);
  writable.validateChunk = validateChunk;
  readable = createReadableByteStream(() => undefined, pullAlgorithm, cancelAlgorithm, 0);
  readable.knownLength = expectedLength;
  ts.readable = readable;
  ts.writable = writable;
}

// IdentityTransformStreamQueuingStrategy: { highWaterMark?: number | bigint }.
function strategyHighWaterMark(strategy, context) {
  const dict = S.dictionaryObject(strategy, context);
  if (dict === undefined) return undefined;
  const hwm = dict.highWaterMark;
  if (hwm === undefined) return undefined;
  return toByteCount(hwm, `${context}: highWaterMark`,
      `${context}: highWaterMark is outside the accepted range.`);
}

// A number or bigint byte count in [0, 2^53).
function toByteCount(v, context, rangeMessage) {
  if (typeof v === 'bigint') {
    if (v < 0n || v > 9007199254740991n) throw new TypeError(rangeMessage);
    return Number(v);
  }
  return internals.webidl.toUnsignedLongLong(v, { enforceRange: true }, context);
}

function newTransformStreamObject(newTarget) {
  const ts = new TransformStreamRecord();
  const obj = ObjectCreate(newTarget.prototype);
  attachSlots(obj, ts);
  return ts;
}

class IdentityTransformStream extends TransformStream {
  constructor(queuingStrategy = undefined) {
    const hwm = strategyHighWaterMark(queuingStrategy,
        'Failed to construct \'IdentityTransformStream\'');
    const ts = newTransformStreamObject(new.target);
    setUpIdentityPair(ts, hwm, undefined);
    return ts.obj;
  }
}
S.configureInterface(IdentityTransformStream, 'IdentityTransformStream');

class FixedLengthStream extends IdentityTransformStream {
  constructor(expectedLength, queuingStrategy = undefined) {
    const context = 'Failed to construct \'FixedLengthStream\'';
    internals.webidl.requiredArguments(arguments.length, 1, context);
    const length = toByteCount(expectedLength, `${context}: expectedLength`,
        'FixedLengthStream requires an integer expected length less than 2^53.');
    let hwm = strategyHighWaterMark(queuingStrategy, context);
    if (hwm !== undefined) hwm = MathMin(hwm, length);
    const ts = newTransformStreamObject(new.target);
    setUpIdentityPair(ts, hwm, length);
    return ts.obj;
  }
}
S.configureInterface(FixedLengthStream, 'FixedLengthStream');

S.IdentityTransformStream = IdentityTransformStream;
S.FixedLengthStream = FixedLengthStream;

internals.defineGlobals({ IdentityTransformStream, FixedLengthStream });
