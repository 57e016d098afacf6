// CompressionStream and DecompressionStream.
// https://compression.spec.whatwg.org/
//
// Each is a GenericTransformStream over a TransformStream whose transform feeds the chunk to a
// native zlib context (bindings/zlib_ops.cc) and enqueues the output in pieces of at most 64 KiB.
// Formats are those workerd supports: 'deflate', 'deflate-raw', 'gzip' (no 'brotli').
// Memory stays bounded: when 16 pieces wait unread in the readable side, the transform waits for
// the reader before producing more, so a small input that inflates hugely is never held whole.
// Contexts are freed when the stream finishes, errors or is cancelled, or (abandoned streams)
// when the transformer is garbage collected.
'use strict';

const {
  ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, FinalizationRegistry,
  FinalizationRegistryPrototypeRegister, FinalizationRegistryPrototypeUnregister,
  FunctionPrototypeCall, ObjectGetOwnPropertyDescriptor,
  TypeError, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetSymbolToStringTag,
  DataViewPrototypeGetBuffer,
} = primordials;
const { configureInterface, requiredArguments, toDOMString } = internals.webidl;

const S = internals.streams?.impl;
const TransformStream = internals.streams?.TransformStream;

const kBadFormat = "The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.";
const kNotBytes = 'This WritableStream only supports writing byte types.';
// Pieces (each at most 64 KiB) allowed to wait in the readable side before the transform waits.
const kMaxQueuedPieces = 16;

function isArrayBuffer(v) {
  try {
    ArrayBufferPrototypeGetByteLength(v);
    return true;
  } catch {
    return false;
  }
}

// A BufferSource (https://webidl.spec.whatwg.org/#BufferSource): an ArrayBuffer or a view, not
// backed by a SharedArrayBuffer.
function isBufferSource(v) {
  if (ArrayBufferIsView(v)) {
    // A view's buffer is an ArrayBuffer unless it is a SharedArrayBuffer. (That global may be
    // missing when the snapshot is made, so SharedArrayBuffer's own methods are not used.)
    return isArrayBuffer(TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined ?
      TypedArrayPrototypeGetBuffer(v) : DataViewPrototypeGetBuffer(v));
  }
  return typeof v === 'object' && v !== null && isArrayBuffer(v);
}

// https://compression.spec.whatwg.org/#enumdef-compressionformat
function toFormat(format) {
  const s = toDOMString(format);
  if (s !== 'deflate' && s !== 'deflate-raw' && s !== 'gzip') throw new TypeError(kBadFormat);
  return s;
}

// Contexts of streams dropped before they finished are freed by the garbage collector. Made on
// first use: nothing of it belongs in the startup snapshot.
let registry;
function contextRegistry() {
  if (registry === undefined) registry = new FinalizationRegistry((id) => ops.zlibClose(id));
  return registry;
}

// The native context of a stream, made on first use: a stream that is never written holds none.
function contextOf(state) {
  if (state.id === 0) {
    state.id = ops.zlibCreate(state.format, state.decompress);
    FinalizationRegistryPrototypeRegister(contextRegistry(), state, state.id, state);
  }
  return state.id;
}

function closeContext(state) {
  if (!state.open) return;
  state.open = false;
  if (state.id === 0) return;
  ops.zlibClose(state.id);
  FinalizationRegistryPrototypeUnregister(contextRegistry(), state);
}

if (S !== undefined && TransformStream !== undefined) {
  const getter = (proto, name) => ObjectGetOwnPropertyDescriptor(proto, name).get;
  const getReadable = getter(TransformStream.prototype, 'readable');
  const getWritable = getter(TransformStream.prototype, 'writable');
  const controllerProto = S.TransformStreamDefaultController.prototype;
  const enqueue = controllerProto.enqueue;
  const getDesiredSize = getter(controllerProto, 'desiredSize');

  // Reads the context's output until it has none, enqueueing each piece. `finish` ends the
  // stream (flush): the context then emits its trailer, or throws if the compressed data is
  // incomplete.
  const drain = async (state, controller, finish) => {
    for (;;) {
      if (!state.open) return;  // cancelled or aborted while waiting for the reader
      const piece = ops.zlibRead(contextOf(state), finish);
      if (piece === null) return;
      FunctionPrototypeCall(enqueue, controller, piece);
      if (FunctionPrototypeCall(getDesiredSize, controller) <= -kMaxQueuedPieces) {
        // Resolved by the readable side's next pull, i.e. once its queue is empty and a read is
        // waiting (or when the stream errors or is cancelled).
        const stream = state.stream;
        if (stream.backpressure) await stream.backpressureChangePromise.promise;
      }
    }
  };

  // https://compression.spec.whatwg.org/#compress-and-enqueue-a-chunk
  // https://compression.spec.whatwg.org/#decompress-and-enqueue-a-chunk
  const transform = async (state, chunk, controller) => {
    try {
      if (!isBufferSource(chunk)) throw new TypeError(kNotBytes);
      ops.zlibWrite(contextOf(state), chunk);
      await drain(state, controller, false);
    } catch (e) {
      closeContext(state);
      throw e;
    }
  };

  // https://compression.spec.whatwg.org/#compress-flush-and-enqueue
  // https://compression.spec.whatwg.org/#decompress-flush-and-enqueue
  const flush = async (state, controller) => {
    try {
      await drain(state, controller, true);
    } finally {
      closeContext(state);
    }
  };

  const newTransformStream = (format, decompress) => {
    const state = { __proto__: null, format, decompress, id: 0, open: true, stream: undefined };
    const transformer = {
      __proto__: null,
      transform: (chunk, controller) => transform(state, chunk, controller),
      flush: (controller) => flush(state, controller),
      cancel: () => closeContext(state),
    };
    const stream = new TransformStream(transformer);
    state.stream = S.recordOf(stream, S.K.TS);
    return stream;
  };

  const illegal = () => {
    throw new TypeError('Illegal invocation');
  };

  // https://compression.spec.whatwg.org/#compressionstream
  class CompressionStream {
    #transform;

    constructor(format) {
      requiredArguments(arguments.length, 1, "Failed to construct 'CompressionStream'");
      this.#transform = newTransformStream(toFormat(format), false);
    }

    get readable() {
      if (!(typeof this === 'object' && this !== null && #transform in this)) illegal();
      return FunctionPrototypeCall(getReadable, this.#transform);
    }

    get writable() {
      if (!(typeof this === 'object' && this !== null && #transform in this)) illegal();
      return FunctionPrototypeCall(getWritable, this.#transform);
    }
  }

  // https://compression.spec.whatwg.org/#decompressionstream
  class DecompressionStream {
    #transform;

    constructor(format) {
      requiredArguments(arguments.length, 1, "Failed to construct 'DecompressionStream'");
      this.#transform = newTransformStream(toFormat(format), true);
    }

    get readable() {
      if (!(typeof this === 'object' && this !== null && #transform in this)) illegal();
      return FunctionPrototypeCall(getReadable, this.#transform);
    }

    get writable() {
      if (!(typeof this === 'object' && this !== null && #transform in this)) illegal();
      return FunctionPrototypeCall(getWritable, this.#transform);
    }
  }

  configureInterface(CompressionStream);
  configureInterface(DecompressionStream);
  internals.compression = { __proto__: null, CompressionStream, DecompressionStream };
  internals.defineGlobals({ CompressionStream, DecompressionStream });
}
