// The Body mixin (Request and Response) and body extraction.
// https://fetch.spec.whatwg.org/#body-mixin
// https://fetch.spec.whatwg.org/#concept-bodyinit-extract
// https://mimesniff.spec.whatwg.org/#parsing-a-mime-type
//
// A body whose bytes are known in memory (string, buffer, URLSearchParams, Blob, FormData) keeps
// them as a string or Uint8Array and only builds a ReadableStream when `.body` is read; consuming
// it (`text()`, `arrayBuffer()`, ...) or handing it to the server then skips stream machinery.
// Error messages follow workerd.
//
// Streams come from `internals.streams` (js/14-17), Blob and FormData from `internals.blob` and
// `internals.formData` when those files exist (looked up at call time):
//   internals.blob     = { isBlob(v), bytes(blob) -> Uint8Array, type(blob) -> string,
//                          create(u8, type) -> Blob }
//   internals.formData = { isFormData(v), serialize(fd) -> { bytes: Uint8Array, type: string },
//                          fromEntries([[name, value], ...]) -> FormData,
//                          parseMultipart(u8, boundary) -> FormData }
// Exposes `internals.fetch.body`.
'use strict';

const {
  ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, ArrayIsArray,
  DataViewPrototypeGetBuffer, DataViewPrototypeGetByteLength, DataViewPrototypeGetByteOffset,
  FunctionPrototypeCall, JSONParse, ObjectDefineProperty, ObjectPrototype, PromisePrototypeThen,
  RegExpPrototypeExec, SafeMap, SharedArrayBufferPrototypeGetByteLength,
  StringPrototypeCharCodeAt, StringPrototypeIndexOf, StringPrototypeSlice,
  StringPrototypeToLowerCase, SymbolAsyncIterator, SymbolIterator, SymbolToPrimitive, TypeError,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSet, Uint8Array,
} = primordials;
const { getHeader } = internals.fetch.headers;

const kBodyUsed = 'Body has already been used. It can only be used once. Use tee() first if you ' +
                  'need to read it twice.';
const kLocked = 'This ReadableStream is currently locked to a reader.';
const kDisturbedInit = 'This ReadableStream is disturbed (has already been read from), and ' +
                       'cannot be used as a body.';
const kTextType = 'text/plain;charset=UTF-8';
const kFormUrlencodedType = 'application/x-www-form-urlencoded;charset=UTF-8';

// URLSearchParams (js/11) serializes its list with its own toString; the original is captured so
// a patched or overridden toString is not used. Returns null for anything else.
const SearchParamsToString = globalThis.URLSearchParams ?
  globalThis.URLSearchParams.prototype.toString : null;
function searchParamsToString(v) {
  if (SearchParamsToString === null) return null;
  try {
    return FunctionPrototypeCall(SearchParamsToString, v);
  } catch {
    return null;  // not a URLSearchParams (brand check failed)
  }
}

// ---- byte helpers -----------------------------------------------------------------------------

const emptyBytes = () => new Uint8Array(0);

function copyBytes(buffer, offset, length) {
  const out = new Uint8Array(length);
  if (length > 0) TypedArrayPrototypeSet(out, new Uint8Array(buffer, offset, length));
  return out;
}

const isArrayBuffer = ops.isArrayBuffer;
const isSharedArrayBuffer = ops.isSharedArrayBuffer;

// A copy of the bytes of a BufferSource, or null if `v` is not one.
// https://webidl.spec.whatwg.org/#dfn-get-buffer-source-copy
function bufferSourceCopy(v) {
  if (ArrayBufferIsView(v)) {
    if (TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined) {
      return copyBytes(TypedArrayPrototypeGetBuffer(v), TypedArrayPrototypeGetByteOffset(v),
                       TypedArrayPrototypeGetByteLength(v));
    }
    return copyBytes(DataViewPrototypeGetBuffer(v), DataViewPrototypeGetByteOffset(v),
                     DataViewPrototypeGetByteLength(v));
  }
  if (isArrayBuffer(v)) return copyBytes(v, 0, ArrayBufferPrototypeGetByteLength(v));
  if (isSharedArrayBuffer(v)) return copyBytes(v, 0, SharedArrayBufferPrototypeGetByteLength(v));
  return null;
}

// An ArrayBuffer holding exactly the bytes of `u8` (no copy when `u8` spans its whole buffer).
function toArrayBuffer(u8) {
  const buffer = TypedArrayPrototypeGetBuffer(u8);
  const length = TypedArrayPrototypeGetByteLength(u8);
  if (TypedArrayPrototypeGetByteOffset(u8) === 0 && ArrayBufferPrototypeGetByteLength(buffer) ===
      length) {
    return buffer;
  }
  return TypedArrayPrototypeGetBuffer(copyBytes(buffer, TypedArrayPrototypeGetByteOffset(u8),
                                                length));
}

// https://encoding.spec.whatwg.org/#utf-8-decode (one leading BOM dropped, errors replaced).
function utf8Decode(u8) {
  return internals.encoding.utf8Decode(u8);
}

// What UTF-8 encoding then decoding a string gives: lone surrogates become U+FFFD and one
// leading BOM is dropped. Strings without surrogates or BOM (nearly all) pass unchanged.
const surrogateRe = /[\ud800-\udfff]/;
function utf8RoundTrip(s) {
  if (s.length > 0 && StringPrototypeCharCodeAt(s, 0) === 0xfeff) s = StringPrototypeSlice(s, 1);
  if (RegExpPrototypeExec(surrogateRe, s) === null) return s;
  return internals.url.toUSVString(s);
}

// ---- MIME types (https://mimesniff.spec.whatwg.org/#parsing-a-mime-type) ------------------------

const mimeTokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const mimeQuotedRe = /^[\t\u0020-\u007e\u0080-\u00ff]*$/;
const isMimeToken = (s) => RegExpPrototypeExec(mimeTokenRe, s) !== null;
const isWs = (c) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;

function trimWs(s) {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(StringPrototypeCharCodeAt(s, a))) a++;
  while (b > a && isWs(StringPrototypeCharCodeAt(s, b - 1))) b--;
  return StringPrototypeSlice(s, a, b);
}

// -> { type, subtype, essence, params: SafeMap } or null on failure.
function parseMimeType(input) {
  input = trimWs(input);
  const slash = StringPrototypeIndexOf(input, '/');
  if (slash <= 0) return null;
  const type = StringPrototypeSlice(input, 0, slash);
  if (!isMimeToken(type)) return null;
  let semi = StringPrototypeIndexOf(input, ';', slash + 1);
  if (semi === -1) semi = input.length;
  const subtype = trimWs(StringPrototypeSlice(input, slash + 1, semi));
  if (subtype === '' || !isMimeToken(subtype)) return null;
  const mime = {
    type: StringPrototypeToLowerCase(type), subtype: StringPrototypeToLowerCase(subtype),
    essence: '', params: new SafeMap(),
  };
  mime.essence = `${mime.type}/${mime.subtype}`;
  let pos = semi;
  const n = input.length;
  while (pos < n) {
    pos++;  // skip ';'
    while (pos < n && isWs(StringPrototypeCharCodeAt(input, pos))) pos++;
    let end = pos;
    while (end < n && input[end] !== ';' && input[end] !== '=') end++;
    const name = StringPrototypeToLowerCase(StringPrototypeSlice(input, pos, end));
    pos = end;
    if (pos < n && input[pos] === ';') continue;
    if (pos >= n) break;
    pos++;  // skip '='
    let value;
    if (pos < n && input[pos] === '"') {
      // https://fetch.spec.whatwg.org/#collect-an-http-quoted-string (extract-value)
      value = '';
      pos++;
      while (pos < n) {
        const c = input[pos];
        if (c === '"') { pos++; break; }
        if (c === '\\') {
          pos++;
          if (pos >= n) { value += '\\'; break; }
        }
        value += input[pos];
        pos++;
      }
      while (pos < n && input[pos] !== ';') pos++;
    } else {
      end = StringPrototypeIndexOf(input, ';', pos);
      if (end === -1) end = n;
      value = trimWs(StringPrototypeSlice(input, pos, end));
      pos = end;
      if (value === '') continue;
    }
    if (name !== '' && isMimeToken(name) && RegExpPrototypeExec(mimeQuotedRe, value) !== null &&
        !mime.params.has(name)) {
      mime.params.set(name, value);
    }
  }
  return mime;
}

// https://mimesniff.spec.whatwg.org/#serializing-a-mime-type
function serializeMimeType(mime) {
  let out = mime.essence;
  for (const e of mime.params) {
    let value = e[1];
    if (value === '' || !isMimeToken(value)) {
      let quoted = '"';
      for (let i = 0; i < value.length; i++) {
        const c = value[i];
        quoted += (c === '"' || c === '\\') ? `\\${c}` : c;
      }
      value = `${quoted}"`;
    }
    out += `;${e[0]}=${value}`;
  }
  return out;
}

// ---- the body of one Request or Response -------------------------------------------------------

function streams() {
  return internals.streams;
}

// Locks `stream` and cancels it: it then reads as used (disturbed, closed, locked), which is
// what a stream looks like after its bytes were taken another way.
function neutralize(stream) {
  const s = streams();
  s.getReaderFor(stream);
  PromisePrototypeThen(s.readableStreamCancel(stream, undefined), undefined, () => {});
}

// https://fetch.spec.whatwg.org/#concept-body
class InnerBody {
  #source;          // string | Uint8Array | null: in-memory bytes, authoritative while usable
  #stream;          // ReadableStream | null: given, or made from #source on demand
  #used = false;    // taken without its stream (consumed in memory, transferred, sent)
  #shared = false;  // #source is shared with a clone: copy before handing it out

  constructor(source, stream) {
    this.#source = source;
    this.#stream = stream;
  }

  // The in-memory source, if it still describes the body: the body is unused and its stream
  // (if one was made) was never locked or read.
  #usableSource() {
    if (this.#source === null || this.#used) return null;
    const st = this.#stream;
    if (st !== null) {
      const s = streams();
      if (s.isReadableStreamLocked(st) || s.isReadableStreamDisturbed(st)) {
        this.#source = null;
        return null;
      }
    }
    return this.#source;
  }

  // Takes the in-memory source and marks the body used; a stream already made for it is
  // neutralized. Precondition: #usableSource() !== null.
  #takeSource() {
    const source = this.#source;
    this.#source = null;
    this.#used = true;
    if (this.#stream !== null) neutralize(this.#stream);
    return source;
  }

  // The `body` attribute: the stream, made from the in-memory source on first access.
  get stream() {
    if (this.#stream === null) {
      const s = streams();
      if (this.#used) {
        this.#stream = s.readableStreamFromBytes(emptyBytes());
        neutralize(this.#stream);
      } else {
        // The stream copies as it is read: #source stays intact for the fast paths.
        const source = this.#source;
        this.#stream = s.readableStreamFromBytes(typeof source === 'string' ?
          ops.utf8Encode(source) : source);
      }
    }
    return this.#stream;
  }

  // https://fetch.spec.whatwg.org/#dom-body-bodyused (disturbed)
  get used() {
    if (this.#used) return true;
    return this.#stream !== null && streams().isReadableStreamDisturbed(this.#stream);
  }

  // The TypeError that makes this body unusable (https://fetch.spec.whatwg.org/#body-unusable),
  // or null.
  unusableError() {
    if (this.used) return new TypeError(kBodyUsed);
    if (this.#stream !== null && streams().isReadableStreamLocked(this.#stream)) {
      return new TypeError(kLocked);
    }
    return null;
  }

  // True for an unused in-memory body of zero bytes.
  isEmptyInMemory() {
    const source = this.#usableSource();
    if (source === null) return false;
    return typeof source === 'string' ? source.length === 0 :
      TypedArrayPrototypeGetByteLength(source) === 0;
  }

  // https://fetch.spec.whatwg.org/#concept-body-consume-body, up to the bytes: resolves with
  // { bytes } (owned by the caller). The box has no prototype, so a script's
  // Object.prototype.then cannot intercept the promise's resolution.
  async readBytes() {
    const err = this.unusableError();
    if (err !== null) throw err;
    if (this.#usableSource() !== null) {
      const shared = this.#shared;
      const source = this.#takeSource();
      let bytes;
      if (typeof source === 'string') {
        bytes = ops.utf8Encode(source);
      } else {
        bytes = !shared ? source : copyBytes(TypedArrayPrototypeGetBuffer(source),
                                             TypedArrayPrototypeGetByteOffset(source),
                                             TypedArrayPrototypeGetByteLength(source));
      }
      return { __proto__: null, bytes };
    }
    // Await (never return) the promise: returning it would look up a patchable `then`.
    const box = await streams().readAllBytes(this.#stream);
    return box;
  }

  async text() {
    const err = this.unusableError();
    if (err !== null) throw err;
    const source = this.#usableSource();
    if (typeof source === 'string') return utf8RoundTrip(this.#takeSource());
    return utf8Decode((await this.readBytes()).bytes);
  }

  // https://fetch.spec.whatwg.org/#concept-body-clone. Precondition: usable.
  clone() {
    if (this.#usableSource() !== null) {
      // Both share the bytes; a stream made for this body before is replaced, as the spec's tee
      // replaces it.
      if (this.#stream !== null) {
        neutralize(this.#stream);
        this.#stream = null;
      }
      const copy = new InnerBody(this.#source, null);
      if (typeof this.#source !== 'string') {
        this.#shared = true;
        copy.#shared = true;
      }
      return copy;
    }
    const branches = streams().teeForClone(this.#stream);
    this.#stream = branches[0];
    this.#source = null;
    return new InnerBody(null, branches[1]);
  }

  // Moves this body into a new one and leaves this one used: the "proxy" step of
  // https://fetch.spec.whatwg.org/#dom-request (new Request(request)). Precondition: usable.
  transfer() {
    if (this.#usableSource() !== null) {
      const shared = this.#shared;
      const body = new InnerBody(this.#takeSource(), null);
      body.#shared = shared;
      return body;
    }
    // The new body reads through a tee branch; the other branch is cancelled at once. The old
    // stream is locked by the tee and this body reports used.
    const s = streams();
    const branches = s.teeForClone(this.#stream);
    PromisePrototypeThen(s.readableStreamCancel(branches[1], undefined), undefined, () => {});
    this.#used = true;
    return new InnerBody(null, branches[0]);
  }

  // For the server: the bytes (string, Uint8Array) when still in memory, else the stream; the
  // body is marked used. Throws when the body is unusable.
  take() {
    const err = this.unusableError();
    if (err !== null) throw err;
    if (this.#usableSource() !== null) return this.#takeSource();
    this.#used = true;
    return this.#stream;
  }
}

// ---- extraction (https://fetch.spec.whatwg.org/#concept-bodyinit-extract) ----------------------

function isObjectLike(v) {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

// Sync and async iterables as bodies (workerd's fetch_iterable_type_support): strings and String
// objects are not iterated; an object other than an Array with its own toString or
// Symbol.toPrimitive is stringified instead.
const ObjectToString = ObjectPrototype.toString;
const ObjectToPrimitive = ObjectPrototype[SymbolToPrimitive];
function iteratorMethodOf(v) {
  if (typeof v !== 'object' || v === null) return null;
  const asyncMethod = v[SymbolAsyncIterator];
  if (asyncMethod !== undefined && asyncMethod !== null) {
    return typeof asyncMethod === 'function' ? asyncMethod : null;
  }
  if (!ArrayIsArray(v) && (v.toString !== ObjectToString ||
                           v[SymbolToPrimitive] !== ObjectToPrimitive)) {
    return null;
  }
  const method = v[SymbolIterator];
  return typeof method === 'function' ? method : null;
}

function streamFromIterator(iterable, method) {
  const it = FunctionPrototypeCall(method, iterable);
  if (!isObjectLike(it)) {
    throw new TypeError('Result of the Symbol.iterator method is not an object');
  }
  const next = it.next;
  // Async functions with `await` only: resolving with a promise would look up its `then`.
  return streams().createReadableByteStream({
    __proto__: null,
    // One chunk per pull (empty chunks are skipped); a chunk that is not a BufferSource errors
    // the stream.
    async pull(controller) {
      for (;;) {
        const r = await FunctionPrototypeCall(next, it);
        if (!isObjectLike(r)) throw new TypeError(`Iterator result ${r} is not an object`);
        if (r.done) {
          controller.close();
          return;
        }
        const value = await r.value;
        // Copied: the iterable may reuse its buffer, and the byte stream detaches what it gets.
        const bytes = bufferSourceCopy(value);
        if (bytes === null) {
          throw new TypeError('This ReadableStream did not return bytes.');
        }
        if (TypedArrayPrototypeGetByteLength(bytes) > 0) {
          controller.enqueue(bytes);
          return;
        }
      }
    },
    async cancel(reason) {
      const ret = it.return;
      if (typeof ret === 'function') await FunctionPrototypeCall(ret, it, reason);
    },
  }, 0);
}

// -> { body: InnerBody, type: string | null }. `object` is not null/undefined.
function extractBody(object) {
  const s = streams();
  if (typeof object === 'string') return { body: new InnerBody(object, null), type: kTextType };
  if (isObjectLike(object)) {
    if (s.isReadableStream(object)) {
      if (s.isReadableStreamDisturbed(object)) throw new TypeError(kDisturbedInit);
      if (s.isReadableStreamLocked(object)) throw new TypeError(kLocked);
      return { body: new InnerBody(null, object), type: null };
    }
    const bytes = bufferSourceCopy(object);
    if (bytes !== null) return { body: new InnerBody(bytes, null), type: null };
    const query = searchParamsToString(object);
    if (query !== null) return { body: new InnerBody(query, null), type: kFormUrlencodedType };
    const blob = internals.blob;
    if (blob && blob.isBlob(object)) {
      const type = blob.type(object);
      return { body: new InnerBody(blob.bytes(object), null), type: type === '' ? null : type };
    }
    const formData = internals.formData;
    if (formData && formData.isFormData(object)) {
      const serialized = formData.serialize(object);
      return { body: new InnerBody(serialized.bytes, null), type: serialized.type };
    }
    const method = iteratorMethodOf(object);
    if (method !== null) {
      return { body: new InnerBody(null, streamFromIterator(object, method)), type: null };
    }
  }
  // Anything else is converted to a string (the USVString member of BodyInit).
  return { body: new InnerBody(internals.url.toUSVString(object), null), type: kTextType };
}

// ---- the mixin ----------------------------------------------------------------------------------

// The Content-Type of `headers` as a parsed MIME type, or null.
function mimeTypeOf(headers) {
  const value = getHeader(headers, 'content-type');
  return value === null ? null : parseMimeType(value);
}

async function consumeFormData(inner, headers) {
  if (inner !== null) {
    const err = inner.unusableError();
    if (err !== null) throw err;
  }
  const contentType = getHeader(headers, 'content-type');
  if (contentType === null) {
    throw new TypeError('Parsing a Body as FormData requires a Content-Type header.');
  }
  const mime = parseMimeType(contentType);
  const formData = internals.formData;
  if (mime !== null && mime.essence === 'multipart/form-data') {
    const boundary = mime.params.get('boundary');
    if (boundary === undefined) {
      throw new TypeError("No boundary string in Content-Type header. The multipart/form-data " +
                          "MIME type requires a boundary parameter, e.g. 'Content-Type: " +
                          "multipart/form-data; boundary=\"abcd\"'. See RFC 7578, section 4.");
    }
    if (!formData || !formData.parseMultipart) {
      throw new TypeError('Parsing a multipart/form-data body is not supported yet.');
    }
    const bytes = inner === null ? emptyBytes() : (await inner.readBytes()).bytes;
    return formData.parseMultipart(bytes, boundary);
  }
  if (mime !== null && mime.essence === 'application/x-www-form-urlencoded') {
    const charset = mime.params.get('charset');
    if (charset !== undefined) {
      const c = StringPrototypeToLowerCase(charset);
      if (c !== 'utf-8' && c !== 'utf8' && c !== 'unicode-1-1-utf-8') {
        throw new TypeError('Non-utf-8 application/x-www-form-urlencoded body.');
      }
    }
    if (!formData) throw new TypeError('FormData is not supported yet.');
    const text = inner === null ? '' : await inner.text();
    return formData.fromEntries(internals.url.urlencodedParse(text));
  }
  throw new TypeError('Unrecognized Content-Type header value. FormData can only parse the ' +
                      'following MIME types: multipart/form-data, ' +
                      'application/x-www-form-urlencoded');
}

// Installs the Body members on `klass.prototype`. `getInner(obj)` returns obj's InnerBody or
// null (null body) and throws a TypeError when obj is not a `klass`; `getHeaders(obj)` its
// Headers.
function mixinBody(klass, getInner, getHeaders) {
  const proto = klass.prototype;
  const members = {
    get body() {
      const inner = getInner(this);
      return inner === null ? null : inner.stream;
    },
    get bodyUsed() {
      const inner = getInner(this);
      return inner !== null && inner.used;
    },
    async arrayBuffer() {
      const inner = getInner(this);
      return toArrayBuffer(inner === null ? emptyBytes() : (await inner.readBytes()).bytes);
    },
    async bytes() {
      const inner = getInner(this);
      return inner === null ? emptyBytes() : (await inner.readBytes()).bytes;
    },
    async text() {
      const inner = getInner(this);
      return inner === null ? '' : await inner.text();
    },
    async json() {
      const inner = getInner(this);
      return JSONParse(inner === null ? '' : await inner.text());
    },
    async formData() {
      return await consumeFormData(getInner(this), getHeaders(this));
    },
    async blob() {
      const inner = getInner(this);
      const blob = internals.blob;
      if (!blob) {
        if (inner !== null) {
          const err = inner.unusableError();
          if (err !== null) throw err;
        }
        throw new TypeError('Blob is not supported yet.');
      }
      const bytes = inner === null ? emptyBytes() : (await inner.readBytes()).bytes;
      const mime = mimeTypeOf(getHeaders(this));
      return blob.create(bytes, mime === null ? '' : serializeMimeType(mime));
    },
  };
  const names = ['body', 'bodyUsed', 'arrayBuffer', 'bytes', 'text', 'json', 'formData', 'blob'];
  for (let i = 0; i < names.length; i++) {
    const desc = primordials.ReflectGetOwnPropertyDescriptor(members, names[i]);
    desc.enumerable = true;
    desc.configurable = true;
    ObjectDefineProperty(proto, names[i], desc);
  }
}

internals.fetch.body = {
  InnerBody, extractBody, mixinBody, parseMimeType, serializeMimeType, bufferSourceCopy,
  kBodyUsed, kLocked,
};
