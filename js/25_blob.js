// Blob and File.
// https://w3c.github.io/FileAPI/#blob-section
// https://w3c.github.io/FileAPI/#file-section
//
// A Blob's bytes are a list of Uint8Array chunks that no script can reach: every way out
// (arrayBuffer, bytes, stream, text, internals.blob.bytes) copies. So the chunks are immutable and
// slices, Files made from Blobs and Blobs made from Blobs share them without copying.
// Limits and messages follow workerd (128 MiB per Blob). Where workerd departs from the spec, the
// spec wins: `endings: 'native'` converts line endings (workerd throws "not implemented").
// Exposes `internals.blob` (the hooks js/21_body.js and js/26_formdata.js use).
'use strict';

const {
  ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, ArrayPrototypePush,
  DataViewPrototypeGetBuffer, DataViewPrototypeGetByteLength, DataViewPrototypeGetByteOffset,
  DateNow, FunctionPrototypeCall, MathMax, MathMin, ObjectDefineProperty, RangeError,
  StringPrototypeCharCodeAt, StringPrototypeSlice, StringPrototypeToLowerCase, SymbolIterator,
  TypeError, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeSet, TypedArrayPrototypeSubarray, Uint8Array,
} = primordials;
const {
  configureInterface, requiredArguments, toDOMString, toLongLong, toUSVString,
} = internals.webidl;

const kMaxBlobSize = 128 * 1024 * 1024;
// Blob.stream() hands out at most this many bytes per chunk.
const kStreamChunkSize = 65536;
// Passed as the first constructor argument by built-ins: the second is the Blob's state, taken
// as is. No script can reach this object.
const kInternal = { __proto__: null };

const isObject = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';

function isArrayBuffer(v) {
  try {
    ArrayBufferPrototypeGetByteLength(v);
    return true;
  } catch {
    return false;
  }
}

// A Uint8Array over the bytes of an ArrayBufferView.
function viewBytes(view) {
  if (TypedArrayPrototypeGetSymbolToStringTag(view) !== undefined) {
    return new Uint8Array(TypedArrayPrototypeGetBuffer(view),
                          TypedArrayPrototypeGetByteOffset(view),
                          TypedArrayPrototypeGetByteLength(view));
  }
  return new Uint8Array(DataViewPrototypeGetBuffer(view), DataViewPrototypeGetByteOffset(view),
                        DataViewPrototypeGetByteLength(view));
}

function copyOf(u8) {
  const out = new Uint8Array(TypedArrayPrototypeGetByteLength(u8));
  TypedArrayPrototypeSet(out, u8);
  return out;
}

// The concatenation of `chunks` (`size` bytes in all), in a new buffer.
function concat(chunks, size) {
  const out = new Uint8Array(size);
  let offset = 0;
  for (let i = 0; i < chunks.length; i++) {
    TypedArrayPrototypeSet(out, chunks[i], offset);
    offset += TypedArrayPrototypeGetByteLength(chunks[i]);
  }
  return out;
}

// Step 3 of https://w3c.github.io/FileAPI/#constructorBlob and of #dfn-slice: a type with a code
// unit outside U+0020..U+007E becomes the empty string; otherwise it is ASCII-lowercased.
function normalizeType(t) {
  for (let i = 0; i < t.length; i++) {
    const c = StringPrototypeCharCodeAt(t, i);
    if (c < 0x20 || c > 0x7e) return '';
  }
  return StringPrototypeToLowerCase(t);
}

// https://w3c.github.io/FileAPI/#convert-line-endings-to-native (native is LF here).
function convertLineEndingsToNative(s) {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    if (StringPrototypeCharCodeAt(s, i) !== 0x0d) continue;
    out += `${StringPrototypeSlice(s, start, i)}\n`;
    if (StringPrototypeCharCodeAt(s, i + 1) === 0x0a) i++;
    start = i + 1;
  }
  return start === 0 ? s : out + StringPrototypeSlice(s, start);
}

// https://webidl.spec.whatwg.org/#es-sequence for sequence<BlobPart>: each element becomes a
// Blob, an ArrayBuffer or view (not yet copied: the spec copies when processing the parts, after
// every element was converted), or a string.
function convertBlobParts(value, prefix) {
  if (!isObject(value)) {
    throw new TypeError(`${prefix}: The provided value cannot be converted to a sequence.`);
  }
  const method = value[SymbolIterator];
  if (typeof method !== 'function') {
    throw new TypeError(`${prefix}: The object must have a callable @@iterator property.`);
  }
  const iterator = FunctionPrototypeCall(method, value);
  if (!isObject(iterator)) throw new TypeError(`${prefix}: The iterator is not an object.`);
  const next = iterator.next;
  const parts = [];
  for (;;) {
    const result = FunctionPrototypeCall(next, iterator);
    if (!isObject(result)) throw new TypeError(`${prefix}: The iterator result is not an object.`);
    if (result.done) return parts;
    ArrayPrototypePush(parts, convertBlobPart(result.value, prefix));
  }
}

// The (BufferSource or Blob or USVString) union: https://webidl.spec.whatwg.org/#es-union. A
// SharedArrayBuffer (not a BufferSource) is stringified. Lone surrogates are replaced when the
// string is UTF-8 encoded.
function convertBlobPart(v, prefix) {
  if (isObject(v)) {
    if (isBlob(v)) return v;
    if (ArrayBufferIsView(v)) {
      const u8 = viewBytes(v);
      // A view backed by a SharedArrayBuffer is rejected (no [AllowShared]). Its buffer is tested
      // as "not an ArrayBuffer": the SharedArrayBuffer global may be missing when the snapshot
      // is made.
      if (!isArrayBuffer(TypedArrayPrototypeGetBuffer(u8))) {
        throw new TypeError(`${prefix}: The provided ArrayBufferView value must not be shared.`);
      }
      return u8;
    } else if (isArrayBuffer(v)) {
      return new Uint8Array(v);
    }
  }
  return toDOMString(v);
}

function checkSize(size) {
  if (size > kMaxBlobSize) {
    throw new RangeError(`Blob size ${size} exceeds limit ${kMaxBlobSize}`);
  }
}

// https://w3c.github.io/FileAPI/#process-blob-parts -> { chunks, size }. Strings and buffers are
// copied (runs of them into one chunk); Blobs contribute their chunks as they are.
function processBlobParts(parts, endings) {
  const chunks = [];
  let size = 0;
  let run = [];
  let runSize = 0;
  const endRun = () => {
    if (runSize > 0) ArrayPrototypePush(chunks, run.length === 1 ? run[0] : concat(run, runSize));
    run = [];
    runSize = 0;
  };
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (typeof part === 'string') {
      const bytes = ops.utf8Encode(endings === 'native' ? convertLineEndingsToNative(part) : part);
      const n = TypedArrayPrototypeGetByteLength(bytes);
      checkSize(size + n);
      if (n > 0) ArrayPrototypePush(run, bytes);
      size += n;
      runSize += n;
    } else if (ArrayBufferIsView(part)) {
      // A view made by convertBlobPart: byteLength is 0 if the buffer was detached since.
      const n = TypedArrayPrototypeGetByteLength(part);
      checkSize(size + n);
      if (n > 0) ArrayPrototypePush(run, copyOf(part));
      size += n;
      runSize += n;
    } else {
      const data = blobState(part);
      checkSize(size + data.size);
      if (data.size > 0) {
        endRun();
        for (let j = 0; j < data.chunks.length; j++) ArrayPrototypePush(chunks, data.chunks[j]);
        size += data.size;
      }
    }
  }
  endRun();
  return { chunks, size };
}

// The chunks covering bytes [start, start + span) of `chunks`, as views (no copy).
function sliceChunks(chunks, start, span) {
  const out = [];
  if (span === 0) return out;
  let offset = 0;
  const end = start + span;
  for (let i = 0; i < chunks.length && offset < end; i++) {
    const chunk = chunks[i];
    const n = TypedArrayPrototypeGetByteLength(chunk);
    const from = MathMax(start - offset, 0);
    const to = MathMin(end - offset, n);
    if (from < to) {
      ArrayPrototypePush(out, from === 0 && to === n ? chunk :
        TypedArrayPrototypeSubarray(chunk, from, to));
    }
    offset += n;
  }
  return out;
}

// https://w3c.github.io/FileAPI/#dfn-BlobPropertyBag endings member.
function convertEndings(value, prefix) {
  if (value === undefined) return 'transparent';
  const s = toDOMString(value);
  if (s !== 'transparent' && s !== 'native') {
    throw new TypeError(`${prefix}: The provided value '${s}' is not a valid enum value of type ` +
                        'EndingType.');
  }
  return s;
}

function checkDictionary(options, prefix) {
  if (!isObject(options)) {
    throw new TypeError(`${prefix}: The provided value is not of type 'BlobPropertyBag'.`);
  }
}

let blobState;  // (blob) -> { chunks, size, type }; TypeError if not a Blob
let isBlob;

class Blob {
  #chunks;  // Uint8Array[], each non-empty; never handed to scripts
  #size;
  #type;

  // https://w3c.github.io/FileAPI/#constructorBlob
  constructor(blobParts = undefined, options = undefined) {
    if (blobParts === kInternal) {
      this.#chunks = options.chunks;
      this.#size = options.size;
      this.#type = options.type;
      return;
    }
    const prefix = "Failed to construct 'Blob'";
    const parts = blobParts === undefined ? [] : convertBlobParts(blobParts, prefix);
    let endings = 'transparent';
    let type = '';
    if (options !== undefined && options !== null) {
      checkDictionary(options, prefix);
      // Dictionary members are read in lexicographic order.
      endings = convertEndings(options.endings, prefix);
      const t = options.type;
      if (t !== undefined) type = normalizeType(toDOMString(t));
    }
    const data = processBlobParts(parts, endings);
    this.#chunks = data.chunks;
    this.#size = data.size;
    this.#type = type;
  }

  get size() {
    return blobState(this).size;
  }

  get type() {
    return blobState(this).type;
  }

  // https://w3c.github.io/FileAPI/#dfn-slice
  slice(start = undefined, end = undefined, contentType = undefined) {
    const data = blobState(this);
    const size = data.size;
    let relativeStart = 0;
    let relativeEnd = size;
    if (start !== undefined) {
      const s = toLongLong(start, { clamp: true });
      relativeStart = s < 0 ? MathMax(size + s, 0) : MathMin(s, size);
    }
    if (end !== undefined) {
      const e = toLongLong(end, { clamp: true });
      relativeEnd = e < 0 ? MathMax(size + e, 0) : MathMin(e, size);
    }
    const type = contentType === undefined ? '' : normalizeType(toDOMString(contentType));
    const span = MathMax(relativeEnd - relativeStart, 0);
    return new Blob(kInternal, {
      __proto__: null, chunks: sliceChunks(data.chunks, relativeStart, span), size: span, type,
    });
  }

  // https://w3c.github.io/FileAPI/#dom-blob-stream
  stream() {
    return blobStream(blobState(this));
  }

  // https://w3c.github.io/FileAPI/#dom-blob-text
  async text() {
    const data = blobState(this);
    return internals.encoding.utf8Decode(concat(data.chunks, data.size));
  }

  // https://w3c.github.io/FileAPI/#dom-blob-arraybuffer
  async arrayBuffer() {
    const data = blobState(this);
    return TypedArrayPrototypeGetBuffer(concat(data.chunks, data.size));
  }

  // https://w3c.github.io/FileAPI/#dom-blob-bytes
  async bytes() {
    const data = blobState(this);
    return concat(data.chunks, data.size);
  }

  static {
    isBlob = (v) => isObject(v) && #chunks in v;
    blobState = (v) => {
      if (!isBlob(v)) throw new TypeError('Illegal invocation');
      return { __proto__: null, chunks: v.#chunks, size: v.#size, type: v.#type };
    };
  }
}

// https://w3c.github.io/FileAPI/#blob-get-stream: a byte stream that copies the chunks out as it
// is read.
function blobStream(data) {
  const chunks = data.chunks;
  let index = 0;
  let offset = 0;
  const finish = (controller) => {
    controller.close();
    const request = controller.byobRequest;
    if (request !== null) request.respond(0);
  };
  return internals.streams.createReadableByteStream({
    __proto__: null,
    start(controller) {
      if (chunks.length === 0) finish(controller);
    },
    pull(controller) {
      const chunk = chunks[index];
      const length = TypedArrayPrototypeGetByteLength(chunk);
      const n = MathMin(length - offset, kStreamChunkSize);
      const piece = copyOf(TypedArrayPrototypeSubarray(chunk, offset, offset + n));
      offset += n;
      if (offset === length) {
        index++;
        offset = 0;
      }
      controller.enqueue(piece);
      if (index === chunks.length) finish(controller);
    },
  }, 0);
}

let fileState;  // (file) -> { name, lastModified }; TypeError if not a File
let isFile;

class File extends Blob {
  #name;
  #lastModified;

  // https://w3c.github.io/FileAPI/#file-constructor
  constructor(fileBits, fileName, options = undefined) {
    if (fileBits === kInternal) {
      super(kInternal, fileName);
      this.#name = fileName.name;
      this.#lastModified = fileName.lastModified;
      return;
    }
    const prefix = "Failed to construct 'File'";
    requiredArguments(arguments.length, 2, prefix);
    const parts = convertBlobParts(fileBits, prefix);
    const name = toUSVString(fileName);
    let endings = 'transparent';
    let lastModified;
    let type = '';
    if (options !== undefined && options !== null) {
      checkDictionary(options, prefix);
      endings = convertEndings(options.endings, prefix);
      const m = options.lastModified;
      if (m !== undefined) lastModified = toLongLong(m);
      const t = options.type;
      if (t !== undefined) type = normalizeType(toDOMString(t));
    }
    if (lastModified === undefined) lastModified = DateNow();
    const data = processBlobParts(parts, endings);
    super(kInternal, { __proto__: null, chunks: data.chunks, size: data.size, type });
    this.#name = name;
    this.#lastModified = lastModified;
  }

  get name() {
    return fileState(this).name;
  }

  get lastModified() {
    return fileState(this).lastModified;
  }

  static {
    isFile = (v) => isObject(v) && #name in v;
    fileState = (v) => {
      if (!isFile(v)) throw new TypeError('Illegal invocation');
      return { __proto__: null, name: v.#name, lastModified: v.#lastModified };
    };
  }
}

configureInterface(Blob);
configureInterface(File);

// How console.log shows them (workerd: `Blob { size: 3, type: 'text/plain' }`).
const kInspect = internals.console?.kInspect;
if (kInspect !== undefined) {
  const define = (klass, fn) => ObjectDefineProperty(klass.prototype, kInspect, {
    value: fn, writable: false, enumerable: false, configurable: false,
  });
  define(Blob, function inspectBlob() {
    const data = blobState(this);
    return { size: data.size, type: data.type };
  });
  define(File, function inspectFile() {
    const data = blobState(this);
    const file = fileState(this);
    return { name: file.name, lastModified: file.lastModified, size: data.size, type: data.type };
  });
}

// A File sharing `chunks` (the internal chunks of another Blob, or bytes the caller owns).
function createFile(chunks, size, name, type, lastModified) {
  return new File(kInternal, { __proto__: null, chunks, size, type, name, lastModified });
}

internals.blob = {
  __proto__: null,
  Blob,
  File,
  isBlob,
  isFile,
  normalizeType,
  // A copy of the bytes.
  bytes(blob) {
    const data = blobState(blob);
    return concat(data.chunks, data.size);
  },
  type: (blob) => blobState(blob).type,
  // A Blob over `u8` (not copied: the caller hands it over) with `type` exactly as given.
  create(u8, type) {
    const size = TypedArrayPrototypeGetByteLength(u8);
    return new Blob(kInternal, { __proto__: null, chunks: size === 0 ? [] : [u8], size, type });
  },
  // { chunks, size, type } of a Blob: the chunks are shared and must not be modified or exposed.
  state: blobState,
  // { name, lastModified } of a File.
  fileState,
  createFile,
};

internals.defineGlobals({ Blob, File });
