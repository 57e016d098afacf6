// `internals.streams`: the stream API other built-ins (fetch bodies, dispatch) use. Everything here
// works on the public objects, goes through spec algorithms directly and never calls a method a
// script could patch.
// https://streams.spec.whatwg.org/#other-specs
// https://fetch.spec.whatwg.org/#body-fully-read (readAllBytes -> Promise<{bytes}>, boxed)
'use strict';

const {
  ArrayBufferIsView, ArrayPrototypePush, FunctionPrototypeCall, MathMin, ObjectFreeze, TypeError,
  TypedArrayPrototypeGetLength, TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSet,
  TypedArrayPrototypeSubarray, Uint8Array,
} = primordials;
const S = internals.streams.impl;
const {
  K, recordOf, promiseResolve, promiseReject, Deferred, resolveDeferred, rejectDeferred,
  invokePromiseCallback, viewInfo, cloneArrayBuffer, ReadRequest, promiseReadRequest,
  acquireReadableStreamDefaultReader, readableStreamDefaultReaderRead, readableStreamReaderRelease,
  readableStreamCancel, readableStreamTee, readableStreamPipeTo, newReadableStreamRecord,
  newByteControllerRecord, setUpReadableByteStreamController,
  readableByteStreamControllerGetBYOBRequest, readableByteStreamControllerGetDesiredSize,
  readableByteStreamControllerRespond, readableByteStreamControllerEnqueue,
  readableByteStreamControllerClose, readableByteStreamControllerError,
} = S;

// Original public methods, captured before any user code runs.
const byteControllerProto = S.ReadableByteStreamController.prototype;
const byobRequestProto = S.ReadableStreamBYOBRequest.prototype;
const originalEnqueue = byteControllerProto.enqueue;
const originalClose = byteControllerProto.close;
const originalRespond = byobRequestProto.respond;
const originalRespondWithNewView = byobRequestProto.respondWithNewView;

function streamRecord(stream) {
  const rec = recordOf(stream, K.RS);
  if (rec === undefined) throw new TypeError('The value is not a ReadableStream.');
  return rec;
}

function readerRecord(reader) {
  const rec = recordOf(reader, K.RSDefaultReader);
  if (rec === undefined) throw new TypeError('The value is not a ReadableStreamDefaultReader.');
  return rec;
}

const isReadableStream = (v) => recordOf(v, K.RS) !== undefined;
const isWritableStream = (v) => recordOf(v, K.WS) !== undefined;
const isReadableStreamLocked = (stream) => streamRecord(stream).reader !== undefined;
const isReadableStreamDisturbed = (stream) => streamRecord(stream).disturbed;
// 'readable' | 'closed' | 'errored'
const readableStreamState = (stream) => streamRecord(stream).state;
const isReadableByteStream = (stream) =>
  streamRecord(stream).controller.kind === K.RSByteController;
// The byte length a FixedLengthStream's readable side promises, else undefined.
const getKnownLength = (stream) => streamRecord(stream).knownLength;

// https://streams.spec.whatwg.org/#readablestream-cancel
function readableStreamCancelPublic(stream, reason) {
  return readableStreamCancel(streamRecord(stream), reason);
}

// A default reader acquired without going through ReadableStream.prototype.getReader.
function getReaderFor(stream) {
  return acquireReadableStreamDefaultReader(streamRecord(stream)).obj;
}

// reader.read(), unpatchable: resolves with { value, done }.
function readerRead(reader) {
  const rec = readerRecord(reader);
  if (rec.stream === undefined) return promiseReject(new TypeError('The reader was released.'));
  const d = new Deferred();
  readableStreamDefaultReaderRead(rec, promiseReadRequest(d));
  return d.promise;
}

function readerReleaseLock(reader) {
  const rec = readerRecord(reader);
  if (rec.stream !== undefined) readableStreamReaderRelease(rec);
}

function readerCancel(reader, reason) {
  const rec = readerRecord(reader);
  if (rec.stream === undefined) return promiseReject(new TypeError('The reader was released.'));
  return readableStreamCancel(rec.stream, reason);
}

// Reads `stream` to its end; every chunk must be a Uint8Array. Resolves with the concatenation.
// https://fetch.spec.whatwg.org/#body-fully-read, "read all bytes"
function readAllBytes(stream) {
  let reader;
  try {
    reader = acquireReadableStreamDefaultReader(streamRecord(stream));
  } catch (e) {
    return promiseReject(e);
  }
  const d = new Deferred();
  const chunks = [];
  let total = 0;
  let inRead = false;
  let readAgain = false;
  const readRequest = new ReadRequest((chunk) => {
    if (TypedArrayPrototypeGetSymbolToStringTag(chunk) !== 'Uint8Array') {
      rejectDeferred(d, new TypeError('This ReadableStream did not return bytes.'));
      return;
    }
    ArrayPrototypePush(chunks, chunk);
    total += TypedArrayPrototypeGetLength(chunk);
    if (inRead) readAgain = true;
    else loop();
  }, () => {
    // Results travel in a prototype-less box: resolving a promise with a Uint8Array would look up
    // `then` on it, which a patched Object.prototype.then could intercept.
    if (chunks.length === 1) {
      resolveDeferred(d, { __proto__: null, bytes: chunks[0] });
      return;
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (let i = 0; i < chunks.length; i++) {
      TypedArrayPrototypeSet(out, chunks[i], offset);
      offset += TypedArrayPrototypeGetLength(chunks[i]);
    }
    resolveDeferred(d, { __proto__: null, bytes: out });
  }, (e) => rejectDeferred(d, e));
  // Chunks already queued are delivered synchronously; iterate instead of recursing.
  const loop = () => {
    do {
      readAgain = false;
      inRead = true;
      readableStreamDefaultReaderRead(reader, readRequest);
      inRead = false;
    } while (readAgain);
  };
  loop();
  return d.promise;
}

// Controller handed to native sources: the ReadableByteStreamController interface through its
// original methods.
function controllerFacade(controller) {
  return ObjectFreeze({
    __proto__: null,
    enqueue(chunk) { FunctionPrototypeCall(originalEnqueue, controller.obj, chunk); },
    close() { FunctionPrototypeCall(originalClose, controller.obj); },
    error(e) { readableByteStreamControllerError(controller, e); },
    get desiredSize() { return readableByteStreamControllerGetDesiredSize(controller); },
    get byobRequest() {
      const request = readableByteStreamControllerGetBYOBRequest(controller);
      if (request === null) return null;
      return ObjectFreeze({
        __proto__: null,
        view: request.view,
        respond(n) { FunctionPrototypeCall(originalRespond, request.obj, n); },
        respondWithNewView(v) {
          FunctionPrototypeCall(originalRespondWithNewView, request.obj, v);
        },
      });
    },
  });
}

// A readable byte stream over a native source: `source.start?(controller)`,
// `source.pull?(controller)`, `source.cancel?(reason)`; pull/cancel may return promises.
function createReadableByteStream(source, highWaterMark = 0) {
  const stream = newReadableStreamRecord();
  const controller = newByteControllerRecord();
  const facade = controllerFacade(controller);
  const start = source.start;
  const pull = source.pull;
  const cancel = source.cancel;
  const startAlgorithm = start === undefined ? () => undefined :
    () => FunctionPrototypeCall(start, source, facade);
  const pullAlgorithm = pull === undefined ? () => promiseResolve(undefined) :
    () => invokePromiseCallback(pull, source, [facade]);
  const cancelAlgorithm = cancel === undefined ? () => promiseResolve(undefined) :
    (reason) => invokePromiseCallback(cancel, source, [reason]);
  setUpReadableByteStreamController(stream, controller, startAlgorithm, pullAlgorithm,
      cancelAlgorithm, highWaterMark, undefined);
  return stream.obj;
}

// Default reads of readableStreamFromBytes get at most this many bytes per chunk.
const kFromBytesChunkSize = 65536;

// A byte stream that yields `bytes` (copied as it is read, in chunks of up to 64 KiB; the caller
// keeps its buffer) and closes.
function readableStreamFromBytes(bytes) {
  const info = viewInfo(bytes);
  const all = new Uint8Array(info.buffer, info.byteOffset, info.byteLength);
  let offset = 0;
  const stream = newReadableStreamRecord();
  const controller = newByteControllerRecord();
  const finishIfDone = () => {
    if (offset === info.byteLength) {
      readableByteStreamControllerClose(controller);
      if (controller.pendingPullIntos.size > 0) readableByteStreamControllerRespond(controller, 0);
    }
  };
  const pullAlgorithm = () => {
    const request = readableByteStreamControllerGetBYOBRequest(controller);
    const available = info.byteLength - offset;
    if (request !== null) {
      const n = MathMin(TypedArrayPrototypeGetLength(request.view), available);
      TypedArrayPrototypeSet(request.view, TypedArrayPrototypeSubarray(all, offset, offset + n));
      offset += n;
      readableByteStreamControllerRespond(controller, n);
    } else {
      const n = MathMin(available, kFromBytesChunkSize);
      readableByteStreamControllerEnqueue(controller,
          new Uint8Array(cloneArrayBuffer(info.buffer, info.byteOffset + offset, n)));
      offset += n;
    }
    finishIfDone();
    return promiseResolve(undefined);
  };
  setUpReadableByteStreamController(stream, controller, () => {
    if (info.byteLength === 0) readableByteStreamControllerClose(controller);
  }, pullAlgorithm, () => promiseResolve(undefined), 0, undefined);
  return stream.obj;
}

// StructuredClone for tee(cloneForBranch2): the runtime's serializer when present, else copies of
// buffer views (other chunks are shared).
const capturedStructuredClone = globalThis.structuredClone;
S.structuredClone = (v) => {
  const sc = internals.structuredClone !== undefined ? internals.structuredClone :
    capturedStructuredClone;
  if (sc !== undefined) return sc(v);
  if (ArrayBufferIsView(v)) {
    const info = viewInfo(v);
    const buffer = cloneArrayBuffer(info.buffer, info.byteOffset, info.byteLength);
    return new info.ctor(buffer, 0, info.length);
  }
  return v;
};

// Response/Request clone(): https://streams.spec.whatwg.org/#readablestream-tee
function teeForClone(stream) {
  const branches = readableStreamTee(streamRecord(stream), true);
  return [branches[0].obj, branches[1].obj];
}

// pipeTo without the public method: options { preventClose, preventAbort, preventCancel, signal }.
function pipeTo(source, dest, options = undefined) {
  const destRec = recordOf(dest, K.WS);
  if (destRec === undefined) {
    return promiseReject(new TypeError('The value is not a WritableStream.'));
  }
  const o = options === undefined ? undefined : options;
  return readableStreamPipeTo(streamRecord(source), destRec,
      o !== undefined && !!o.preventClose, o !== undefined && !!o.preventAbort,
      o !== undefined && !!o.preventCancel, o === undefined ? undefined : o.signal);
}

const api = internals.streams;
api.ReadableStream = S.ReadableStream;
api.WritableStream = S.WritableStream;
api.TransformStream = S.TransformStream;
api.ReadableStreamDefaultReader = S.ReadableStreamDefaultReader;
api.ReadableStreamBYOBReader = S.ReadableStreamBYOBReader;
api.WritableStreamDefaultWriter = S.WritableStreamDefaultWriter;
api.TransformStreamDefaultController = S.TransformStreamDefaultController;
api.IdentityTransformStream = S.IdentityTransformStream;
api.FixedLengthStream = S.FixedLengthStream;
api.isReadableStream = isReadableStream;
api.isWritableStream = isWritableStream;
api.isReadableStreamLocked = isReadableStreamLocked;
api.isReadableStreamDisturbed = isReadableStreamDisturbed;
api.readableStreamState = readableStreamState;
api.isReadableByteStream = isReadableByteStream;
api.getKnownLength = getKnownLength;
api.readableStreamCancel = readableStreamCancelPublic;
api.readAllBytes = readAllBytes;
api.createReadableByteStream = createReadableByteStream;
api.readableStreamFromBytes = readableStreamFromBytes;
api.teeForClone = teeForClone;
api.getReaderFor = getReaderFor;
api.readerRead = readerRead;
api.readerReleaseLock = readerReleaseLock;
api.readerCancel = readerCancel;
api.pipeTo = pipeTo;
