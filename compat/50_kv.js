// Workers KV: the KV namespace binding (`env.MY_KV`).
// https://developers.cloudflare.com/kv/api/read-key-value-pairs/
// https://developers.cloudflare.com/kv/api/write-key-value-pairs/
// https://developers.cloudflare.com/kv/api/list-keys/
// https://developers.cloudflare.com/kv/api/delete-key-value-pairs/
// https://developers.cloudflare.com/kv/platform/limits/
//
// Two kinds of checks, as on Cloudflare: those workerd makes before sending a request
// (src/workerd/api/kv.c++: key names, value types, the response type) throw with workerd's
// classes and messages; those the KV service makes (TTLs, sizes, limits) reject with
// `Error: KV <OP> failed: <status> <text>`, worded as the service (and Miniflare's KV gateway).
// Storage failures reject with `KV <OP> failed: <message>`. OP is GET, GET_BULK, PUT or DELETE;
// list() reports as GET, as workerd does.
//
// Native work: ops kvGet/kvGetMany/kvPut/kvDelete/kvList (bindings/kv_ops.cc) take a request id
// and answer through internals.kv.complete(id, error, result).
// Registers internals.bindings.kv (used by compat/30_dispatch.js to build env).
'use strict';

const {
  ArrayBufferIsView, ArrayIsArray, DataViewPrototypeGetBuffer, DataViewPrototypeGetByteLength,
  DataViewPrototypeGetByteOffset, DateNow, Error, JSONParse, JSONStringify, Map, MapPrototypeSet,
  MathFloor, Promise, SafeMap, StringPrototypeCharCodeAt, TypeError, TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSet, Uint8Array,
} = primordials;
const {
  configureInterface, illegalConstructor, isArrayBuffer, toLong, toLongLong, toUSVString,
} = internals.webidl;
const S = internals.streams.impl;

// https://developers.cloudflare.com/kv/platform/limits/
const kMaxKeyBytes = 512;
const kMaxValueBytes = 25 * 1024 * 1024;
const kMaxMetadataBytes = 1024;
const kMinExpirationTtl = 60;
const kMinCacheTtl = 30;  // Cloudflare lowered it from 60 to 30 in January 2026
const kMaxListLimit = 1000;
const kMaxBulkKeys = 100;
const kMaxBulkBytes = 25 * 1024 * 1024;

const kUnknownType = 'Unknown response type. Possible types are "text", "arrayBuffer", ' +
    '"json", and "stream".';
const kBadValue = 'KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ' +
    'ReadableStreams as values.';

// ---- Native requests ---------------------------------------------------------------------------
// Operations in flight: id -> { op, resolve, reject }. Results travel in prototype-less boxes, so
// settling never looks up `then` on an array a script could have patched.
const pending = new SafeMap();
let nextRequestId = 1;

function nativeRequest(op, start) {
  const id = nextRequestId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { __proto__: null, op, resolve, reject });
    try {
      start(id);
    } catch (e) {
      pending.delete(id);
      reject(e);
    }
  });
}

function complete(id, error, result) {
  const request = pending.get(id);
  if (request === undefined) return;
  pending.delete(id);
  if (error !== undefined) {
    request.reject(new Error(`KV ${request.op} failed: ${error}`));
  } else {
    request.resolve({ __proto__: null, result });
  }
}

internals.kv = { __proto__: null, complete };

// ---- Validation --------------------------------------------------------------------------------
// The UTF-8 length of a string without lone surrogates (toUSVString output).
function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const serviceError = (op, status, text) => new Error(`KV ${op} failed: ${status} ${text}`);

const keyTooLong = (op, bytes) => serviceError(op, 414,
    `UTF-8 encoded length of ${bytes} exceeds key length limit of ${kMaxKeyBytes}.`);

// workerd's validateKeyName(): checked before any request is made.
function validateKeyName(op, key) {
  if (key === '') throw new TypeError('Key name cannot be empty.');
  if (key === '.') throw new TypeError('"." is not allowed as a key name.');
  if (key === '..') throw new TypeError('".." is not allowed as a key name.');
  const bytes = utf8Length(key);
  if (bytes > kMaxKeyBytes) throw keyTooLong(op, bytes);
}

// The service's check of a key in a bulk read (workerd does not check those itself).
function validateBulkKey(key) {
  if (key === '') throw serviceError('GET_BULK', 400, 'Key names must not be empty');
  if (key === '.' || key === '..') {
    throw serviceError('GET_BULK', 400, `Illegal key name "${key}". Please use a different name.`);
  }
  const bytes = utf8Length(key);
  if (bytes > kMaxKeyBytes) throw keyTooLong('GET_BULK', bytes);
}

function validateCacheTtl(op, cacheTtl) {
  if (cacheTtl !== undefined && cacheTtl < kMinCacheTtl) {
    throw serviceError(op, 400,
        `Invalid cache_ttl of ${cacheTtl}. Cache TTL must be at least ${kMinCacheTtl}.`);
  }
}

const isObject = (v) => (typeof v === 'object' && v !== null) || typeof v === 'function';

// get()'s second argument: a type string, or { type, cacheTtl }.
// https://developers.cloudflare.com/kv/api/read-key-value-pairs/#parameters
function parseGetOptions(options) {
  const parsed = { __proto__: null, type: undefined, cacheTtl: undefined };
  if (options === undefined || options === null) return parsed;
  if (isObject(options)) {
    const type = options.type;
    if (type !== undefined) parsed.type = toUSVString(type);
    const cacheTtl = options.cacheTtl;
    if (cacheTtl !== undefined) parsed.cacheTtl = toLong(cacheTtl);
  } else {
    parsed.type = toUSVString(options);
  }
  return parsed;
}

// A Uint8Array over the bytes of an ArrayBuffer or ArrayBufferView (no copy).
function bytesOf(value) {
  if (!ArrayBufferIsView(value)) return new Uint8Array(value);
  if (TypedArrayPrototypeGetSymbolToStringTag(value) !== undefined) {
    return new Uint8Array(TypedArrayPrototypeGetBuffer(value),
        TypedArrayPrototypeGetByteOffset(value), TypedArrayPrototypeGetByteLength(value));
  }
  return new Uint8Array(DataViewPrototypeGetBuffer(value), DataViewPrototypeGetByteOffset(value),
      DataViewPrototypeGetByteLength(value));
}

const valueTooLarge = (bytes) => serviceError('PUT', 413,
    `Value length of ${bytes} exceeds limit of ${kMaxValueBytes}.`);

// Reads a ReadableStream of bytes to its end and returns one buffer for kvPut: the chunks are
// collected, then copied once into memory the store can own. Past the size limit, chunks are
// only counted, so the error can give the value's full length (as the service does).
function readStreamForPut(stream) {
  const streamRec = S.recordOf(stream, S.K.RS);
  let reader;
  try {
    reader = S.acquireReadableStreamDefaultReader(streamRec);
  } catch (e) {
    return new Promise((resolve, reject) => reject(e));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let total = 0;
    let inRead = false;
    let readAgain = false;
    let failed = false;
    const fail = (e) => {
      failed = true;
      S.readableStreamReaderRelease(reader);
      reject(e);
    };
    const readRequest = new S.ReadRequest((chunk) => {
      if (!ArrayBufferIsView(chunk) && !isArrayBuffer(chunk)) {
        S.readableStreamCancel(streamRec, undefined);
        fail(new TypeError('This ReadableStream did not return bytes.'));
        return;
      }
      const bytes = bytesOf(chunk);
      const n = TypedArrayPrototypeGetByteLength(bytes);
      total += n;
      if (total <= kMaxValueBytes && n > 0) chunks[chunks.length] = bytes;
      if (inRead) readAgain = true;
      else loop();
    }, () => {
      S.readableStreamReaderRelease(reader);
      if (total > kMaxValueBytes) {
        reject(valueTooLarge(total));
        return;
      }
      const out = ops.kvAlloc(total);
      let offset = 0;
      for (let i = 0; i < chunks.length; i++) {
        TypedArrayPrototypeSet(out, chunks[i], offset);
        offset += TypedArrayPrototypeGetByteLength(chunks[i]);
        chunks[i] = undefined;
      }
      resolve({ __proto__: null, bytes: out });
    }, (e) => fail(e));
    // Chunks already queued are delivered synchronously; iterate instead of recursing.
    const loop = () => {
      do {
        readAgain = false;
        inRead = true;
        S.readableStreamDefaultReaderRead(reader, readRequest);
        inRead = false;
      } while (readAgain && !failed);
    };
    loop();
  });
}

// ---- KvNamespace -------------------------------------------------------------------------------
const kToken = { __proto__: null };

// Named KvNamespace as in workerd (the TypeScript type is KVNamespace); not a global.
class KvNamespace {
  #id;

  constructor(token, id) {
    if (token !== kToken) illegalConstructor();
    this.#id = id;
  }

  // https://developers.cloudflare.com/kv/api/read-key-value-pairs/#get-method
  async get(key, options = undefined) {
    if (ArrayIsArray(key)) return await this.#getBulk(key, options, false);
    const result = await this.#getSingle(key, options);
    return result === null ? null : result.value;
  }

  // https://developers.cloudflare.com/kv/api/read-key-value-pairs/#getwithmetadata-method
  async getWithMetadata(key, options = undefined) {
    if (ArrayIsArray(key)) return await this.#getBulk(key, options, true);
    const result = await this.#getSingle(key, options);
    if (result === null) return { value: null, metadata: null, cacheStatus: null };
    return { value: result.value, metadata: result.metadata, cacheStatus: null };
  }

  // Resolves with null (no such key) or { value, metadata }.
  async #getSingle(key, options) {
    key = toUSVString(key);
    const { type, cacheTtl } = parseGetOptions(options);
    validateKeyName('GET', key);
    validateCacheTtl('GET', cacheTtl);
    const typeName = type === undefined ? 'text' : type;
    const asText = typeName === 'text' || typeName === 'json';
    const id = this.#id;
    const { result } = await nativeRequest('GET', (rid) => ops.kvGet(rid, id, key, asText));
    if (result === null) return null;
    // As in workerd, the type is checked once a value was found.
    let value;
    if (typeName === 'text') value = result[0];
    else if (typeName === 'json') value = JSONParse(result[0]);
    else if (typeName === 'arrayBuffer') value = result[0];
    else if (typeName === 'stream') {
      value = internals.streams.readableStreamFromBytes(new Uint8Array(result[0]));
    } else throw new TypeError(kUnknownType);
    const metadata = result[1] === undefined ? null : JSONParse(result[1]);
    return { __proto__: null, value, metadata };
  }

  // Bulk reads: up to 100 keys, text or json, resolved as a Map in the order of `keys`.
  async #getBulk(keys, options, withMetadata) {
    const names = [];
    for (let i = 0; i < keys.length; i++) names[i] = toUSVString(keys[i]);
    const { type, cacheTtl } = parseGetOptions(options);
    if (type !== undefined && type !== '' && type !== 'text' && type !== 'json') {
      throw serviceError('GET_BULK', 400, `"${type}" is not a valid type. Use "json" or "text"`);
    }
    if (names.length > kMaxBulkKeys) {
      throw serviceError('GET_BULK', 400, `You can request a maximum of ${kMaxBulkKeys} keys`);
    }
    if (names.length < 1) {
      throw serviceError('GET_BULK', 400, 'You must request a minimum of 1 key');
    }
    for (let i = 0; i < names.length; i++) {
      validateBulkKey(names[i]);
      validateCacheTtl('GET_BULK', cacheTtl);
    }
    const id = this.#id;
    const { result } = await nativeRequest('GET_BULK', (rid) => ops.kvGetMany(rid, id, names));
    const json = type === 'json';
    const map = new Map();
    let size = 0;
    for (let i = 0; i < names.length; i++) {
      const text = result[2 * i];
      let value = text;
      if (text !== null) {
        size += text.length;
        if (json) {
          try {
            value = JSONParse(text);
          } catch {
            throw serviceError('GET_BULK', 400,
                'At least one of the requested keys corresponds to a non-json value');
          }
        }
        if (withMetadata) {
          const metadata = result[2 * i + 1];
          value = { value, metadata: metadata === undefined ? null : JSONParse(metadata) };
        }
      }
      MapPrototypeSet(map, names[i], value);
    }
    if (size > kMaxBulkBytes) {
      throw serviceError('GET_BULK', 413,
          `Total size of request exceeds the limit of ${kMaxBulkBytes / 1024 / 1024}MB`);
    }
    return map;
  }

  // https://developers.cloudflare.com/kv/api/write-key-value-pairs/
  async put(key, value, options = undefined) {
    key = toUSVString(key);
    let expiration;
    let expirationTtl;
    let metadataValue;
    if (isObject(options)) {
      if (options.expiration !== undefined) expiration = toLongLong(options.expiration);
      if (options.expirationTtl !== undefined) expirationTtl = toLongLong(options.expirationTtl);
      metadataValue = options.metadata;
    }
    validateKeyName('PUT', key);
    // null metadata means none, as in workerd; so does a value JSON cannot represent (a function).
    const metadata = metadataValue === undefined || metadataValue === null ? undefined :
      JSONStringify(metadataValue);
    // The value: a string (any other primitive is converted to one), bytes, or a stream.
    let kind;
    if (typeof value === 'string') kind = 'text';
    else if (ArrayBufferIsView(value) || isArrayBuffer(value)) kind = 'bytes';
    else if (S.recordOf(value, S.K.RS) !== undefined) kind = 'stream';
    else if (isObject(value)) throw new TypeError(kBadValue);
    else {
      value = toUSVString(value);
      kind = 'text';
    }
    // The service's checks: expirationTtl wins over expiration.
    const now = MathFloor(DateNow() / 1000);
    if (expirationTtl !== undefined) {
      if (expirationTtl <= 0) {
        throw serviceError('PUT', 400,
            `Invalid expiration_ttl of ${expirationTtl}. Please specify integer greater than 0.`);
      }
      if (expirationTtl < kMinExpirationTtl) {
        throw serviceError('PUT', 400, `Invalid expiration_ttl of ${expirationTtl}. ` +
            `Expiration TTL must be at least ${kMinExpirationTtl}.`);
      }
      expiration = now + expirationTtl;
    } else if (expiration !== undefined) {
      if (expiration <= now) {
        throw serviceError('PUT', 400, `Invalid expiration of ${expiration}. Please specify ` +
            'integer greater than the current number of seconds since the UNIX epoch.');
      }
      if (expiration < now + kMinExpirationTtl) {
        throw serviceError('PUT', 400, `Invalid expiration of ${expiration}. Expiration times ` +
            `must be at least ${kMinExpirationTtl} seconds in the future.`);
      }
    }
    if (metadata !== undefined) {
      const bytes = utf8Length(metadata);
      if (bytes > kMaxMetadataBytes) {
        throw serviceError('PUT', 413,
            `Metadata length of ${bytes} exceeds limit of ${kMaxMetadataBytes}.`);
      }
    }
    let bytes;
    if (kind === 'text') {
      bytes = ops.kvEncodeText(value);
      const n = TypedArrayPrototypeGetByteLength(bytes);
      if (n > kMaxValueBytes) throw valueTooLarge(n);
    } else if (kind === 'bytes') {
      const view = bytesOf(value);
      const n = TypedArrayPrototypeGetByteLength(view);
      if (n > kMaxValueBytes) throw valueTooLarge(n);
      bytes = ops.kvAlloc(n);
      TypedArrayPrototypeSet(bytes, view, 0);
    } else {
      bytes = (await readStreamForPut(value)).bytes;
    }
    const id = this.#id;
    await nativeRequest('PUT',
        (rid) => ops.kvPut(rid, id, key, bytes, expiration, metadata));
  }

  // https://developers.cloudflare.com/kv/api/delete-key-value-pairs/
  async delete(key) {
    key = toUSVString(key);
    validateKeyName('DELETE', key);
    const id = this.#id;
    await nativeRequest('DELETE', (rid) => ops.kvDelete(rid, id, key));
  }

  // https://developers.cloudflare.com/kv/api/list-keys/
  async list(options = undefined) {
    let limit;
    let prefix = '';
    let cursor = '';
    if (isObject(options)) {
      if (options.limit !== undefined) limit = toLong(options.limit);
      const p = options.prefix;
      if (p !== undefined && p !== null) prefix = toUSVString(p);
      const c = options.cursor;
      if (c !== undefined && c !== null) cursor = toUSVString(c);
    }
    // workerd sends only a positive limit; the service checks its upper bound and the prefix.
    if (limit !== undefined && limit <= 0) limit = undefined;
    if (limit !== undefined && limit > kMaxListLimit) {
      throw serviceError('GET', 400, `Invalid key_count_limit of ${limit}. Please specify an ` +
          `integer less than ${kMaxListLimit}.`);
    }
    const prefixBytes = utf8Length(prefix);
    if (prefixBytes > kMaxKeyBytes) throw keyTooLong('GET', prefixBytes);
    const id = this.#id;
    const { result } = await nativeRequest('GET',
        (rid) => ops.kvList(rid, id, prefix, limit === undefined ? kMaxListLimit : limit, cursor));
    const keys = [];
    for (let i = 2; i < result.length; i += 3) {
      const entry = { name: result[i] };
      if (result[i + 1] !== undefined) entry.expiration = result[i + 1];
      if (result[i + 2] !== undefined) entry.metadata = JSONParse(result[i + 2]);
      keys[keys.length] = entry;
    }
    if (result[0]) return { keys, list_complete: true, cacheStatus: null };
    return { keys, list_complete: false, cursor: result[1], cacheStatus: null };
  }
}
configureInterface(KvNamespace);

internals.bindings ??= {};
internals.bindings.kv = (binding) => new KvNamespace(kToken, binding.id);
