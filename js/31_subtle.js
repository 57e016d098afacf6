// Web Crypto foundations: CryptoKey, algorithm normalization, the registry the per-family files
// (32_subtle_*.js) fill, and helpers they share (buffer copies, usages, JWK checks, base64url).
// The SubtleCrypto interface itself is in 31_subtle_crypto.js.
// https://w3c.github.io/webcrypto/#cryptokey-interface
// https://w3c.github.io/webcrypto/#algorithm-normalization-normalize-an-algorithm
// https://developers.cloudflare.com/workers/runtime-apis/web-crypto/
//
// Key material: a secret key keeps its raw bytes (Uint8Array) and an asymmetric key keeps a native
// handle (a zero-length ArrayBuffer owning an OpenSSL EVP_PKEY, freed when V8 collects it; see
// bindings/crypto_util.h), both in CryptoKey #private fields, passed to ops on each call.
//
// Exposes `internals.subtle` and the `CryptoKey` global.
'use strict';

const {
  ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, ArrayIsArray, ArrayPrototypePush,
  DataViewPrototypeGetBuffer, DataViewPrototypeGetByteLength, DataViewPrototypeGetByteOffset,
  FunctionPrototypeCall, ObjectDefineProperty, ObjectFreeze, ObjectKeys,
  ObjectPrototypeHasOwnProperty, SafeMap, SafeSet, StringFromCharCode, StringPrototypeCharCodeAt,
  SymbolFor, SymbolIterator, TypeError, TypedArrayPrototypeGetBuffer,
  TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetByteOffset,
  TypedArrayPrototypeGetLength, TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSet,
  Uint8Array,
} = primordials;
const { webidl } = internals;

// Creates an own data property as object literals do: a setter a script put on Object.prototype
// never sees it (plain assignment would call it).
function defineData(obj, key, value) {
  ObjectDefineProperty(obj, key, { __proto__: null, value, writable: true, enumerable: true,
    configurable: true });
}

function domError(name, message) {
  return new internals.DOMException(message, name);
}

// ---- Buffer sources -----------------------------------------------------------------------------

// https://webidl.spec.whatwg.org/#dfn-get-buffer-source-copy: a fresh Uint8Array with the bytes of
// an ArrayBuffer or ArrayBufferView (empty if detached); TypeError for anything else, including a
// SharedArrayBuffer (BufferSource is not [AllowShared]).
function copyBuffer(v, what = 'The provided value') {
  let buffer, offset, length;
  if (ArrayBufferIsView(v)) {
    if (TypedArrayPrototypeGetSymbolToStringTag(v) !== undefined) {
      buffer = TypedArrayPrototypeGetBuffer(v);
      offset = TypedArrayPrototypeGetByteOffset(v);
      length = TypedArrayPrototypeGetByteLength(v);
    } else {
      buffer = DataViewPrototypeGetBuffer(v);
      offset = DataViewPrototypeGetByteOffset(v);
      length = DataViewPrototypeGetByteLength(v);
    }
    try {
      ArrayBufferPrototypeGetByteLength(buffer);
    } catch {
      throw new TypeError(`${what} is not of type '(ArrayBuffer or ArrayBufferView)'.`);
    }
  } else {
    try {
      length = ArrayBufferPrototypeGetByteLength(v);
    } catch {
      throw new TypeError(`${what} is not of type '(ArrayBuffer or ArrayBufferView)'.`);
    }
    buffer = v;
    offset = 0;
  }
  const out = new Uint8Array(length);
  if (length > 0) TypedArrayPrototypeSet(out, new Uint8Array(buffer, offset, length));
  return out;
}

function isBufferSource(v) {
  if (ArrayBufferIsView(v)) return true;
  try {
    ArrayBufferPrototypeGetByteLength(v);
    return true;
  } catch {
    return false;
  }
}

// ---- base64url (RFC 4648 §5, no padding), as JWK uses it ---------------------------------------

const kB64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const kB64Index = new Uint8Array(128).fill(255);
for (let i = 0; i < 64; i++) kB64Index[StringPrototypeCharCodeAt(kB64, i)] = i;

function base64urlEncode(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const n = TypedArrayPrototypeGetLength(u8);
  let out = '';
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (u8[i] << 16) | (u8[i + 1] << 8) | u8[i + 2];
    out += kB64[v >> 18] + kB64[(v >> 12) & 63] + kB64[(v >> 6) & 63] + kB64[v & 63];
  }
  if (i + 1 === n) {
    const v = u8[i] << 16;
    out += kB64[v >> 18] + kB64[(v >> 12) & 63];
  } else if (i + 2 === n) {
    const v = (u8[i] << 16) | (u8[i + 1] << 8);
    out += kB64[v >> 18] + kB64[(v >> 12) & 63] + kB64[(v >> 6) & 63];
  }
  return out;
}

// Strict decode; a trailing '=' padding is tolerated. Throws DataError on malformed input.
function base64urlDecode(str, member = 'key') {
  let n = str.length;
  while (n > 0 && StringPrototypeCharCodeAt(str, n - 1) === 0x3d) n--;
  const bad = () => domError('DataError',
                             `Invalid base64url encoding in JSON Web Key "${member}".`);
  if (n % 4 === 1) throw bad();
  const out = new Uint8Array((n * 3) >> 2);
  let acc = 0;
  let bits = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    const v = c < 128 ? kB64Index[c] : 255;
    if (v === 255) throw bad();
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[j++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

// ---- Key usages ---------------------------------------------------------------------------------

// https://w3c.github.io/webcrypto/#dfn-RecognizedKeyUsage, in the spec's order.
const kUsages = ['encrypt', 'decrypt', 'sign', 'verify', 'deriveKey', 'deriveBits', 'wrapKey',
  'unwrapKey'];
const kUsageSet = new SafeSet(kUsages);

// sequence<DOMString> conversion (WebIDL): iterate an object with its own iterator.
function toSequence(v, convert, what) {
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) {
    throw new TypeError(`${what} is not iterable.`);
  }
  const method = v[SymbolIterator];
  if (typeof method !== 'function') throw new TypeError(`${what} is not iterable.`);
  const it = FunctionPrototypeCall(method, v);
  const next = it.next;
  const out = [];
  for (;;) {
    const r = FunctionPrototypeCall(next, it);
    if (r === null || typeof r !== 'object') {
      throw new TypeError('Iterator result is not an object');
    }
    if (r.done) break;
    ArrayPrototypePush(out, convert(r.value));
  }
  return out;
}

// sequence<KeyUsage>: TypeError for values outside the enum.
function toKeyUsages(v) {
  return toSequence(v, (u) => {
    const s = webidl.toDOMString(u);
    if (!kUsageSet.has(s)) {
      throw new TypeError(`Failed to read the 'keyUsages' property: '${s}' is not a valid ` +
                          'enum value of type KeyUsage.');
    }
    return s;
  }, 'keyUsages');
}

// Deduplicated, in the spec's order ("normalized value" / usage intersection).
function normalizeUsages(usages, allowed = kUsages) {
  const out = [];
  for (let i = 0; i < kUsages.length; i++) {
    const u = kUsages[i];
    let inUsages = false;
    for (let j = 0; j < usages.length; j++) if (usages[j] === u) inUsages = true;
    let inAllowed = false;
    for (let j = 0; j < allowed.length; j++) if (allowed[j] === u) inAllowed = true;
    if (inUsages && inAllowed) ArrayPrototypePush(out, u);
  }
  return out;
}

function hasUsage(usages, u) {
  for (let i = 0; i < usages.length; i++) if (usages[i] === u) return true;
  return false;
}

// SyntaxError unless every usage is in `allowed` (workerd's message; `op` is "generate",
// "import secret", "import public" or "import private").
function checkUsages(usages, allowed, algName, op) {
  for (let i = 0; i < usages.length; i++) {
    if (!hasUsage(allowed, usages[i])) {
      throw domError('SyntaxError',
                     `Attempt to ${op} ${algName} key with invalid usage "${usages[i]}".`);
    }
  }
}

// ---- JsonWebKey ---------------------------------------------------------------------------------

// https://w3c.github.io/webcrypto/#JsonWebKey-dictionary, members in WebIDL (lexicographic) order.
const kJwkStringMembers = new SafeSet(['alg', 'crv', 'd', 'dp', 'dq', 'e', 'k', 'kty', 'n', 'p',
  'q', 'qi', 'use', 'x', 'y']);
const kJwkMembers = ['alg', 'crv', 'd', 'dp', 'dq', 'e', 'ext', 'k', 'key_ops', 'kty', 'n', 'oth',
  'p', 'q', 'qi', 'use', 'x', 'y'];

function toJsonWebKey(v) {
  if (v !== undefined && v !== null && typeof v !== 'object' && typeof v !== 'function') {
    throw new TypeError('Key data must be a JsonWebKey dictionary.');
  }
  const out = { __proto__: null };
  if (v === undefined || v === null) return out;
  for (let i = 0; i < kJwkMembers.length; i++) {
    const key = kJwkMembers[i];
    const value = v[key];
    if (value === undefined) continue;
    if (kJwkStringMembers.has(key)) {
      out[key] = webidl.toDOMString(value);
    } else if (key === 'ext') {
      out[key] = !!value;
    } else if (key === 'key_ops') {
      out[key] = toSequence(value, webidl.toDOMString, 'key_ops');
    } else {
      out[key] = toSequence(value, (o) => {
        if (o !== undefined && o !== null && typeof o !== 'object' && typeof o !== 'function') {
          throw new TypeError('oth entries must be RsaOtherPrimesInfo dictionaries.');
        }
        const info = { __proto__: null };
        const names = ['d', 'r', 't'];
        for (let j = 0; j < 3; j++) {
          const x = o == null ? undefined : o[names[j]];
          if (x !== undefined) info[names[j]] = webidl.toDOMString(x);
        }
        return info;
      }, 'oth');
    }
  }
  return out;
}

// The checks every JWK import shares (usages against "use" / "key_ops", "ext").
// https://w3c.github.io/webcrypto/#aes-cbc-operations (import key, "jwk" steps)
function checkJwkUsages(jwk, usages, extractable, expectedUse) {
  if (usages.length > 0 && jwk.use !== undefined && jwk.use !== expectedUse) {
    throw domError('DataError', `JWK "use" member must be "${expectedUse}".`);
  }
  if (jwk.key_ops !== undefined) {
    const seen = new SafeSet();
    for (let i = 0; i < jwk.key_ops.length; i++) {
      const op = jwk.key_ops[i];
      if (seen.has(op)) throw domError('DataError', 'JWK "key_ops" member contains duplicates.');
      seen.add(op);
    }
    for (let i = 0; i < usages.length; i++) {
      if (!seen.has(usages[i])) {
        throw domError('DataError',
                       `JWK "key_ops" member does not contain the requested usage "${usages[i]}".`);
      }
    }
  }
  if (jwk.ext === false && extractable) {
    throw domError('DataError', 'JWK "ext" member is false but extractable is true.');
  }
}

// A JsonWebKey dictionary as an ECMAScript object (members in WebIDL order, as the conversion of a
// dictionary lays them out). `rec.key_ops` is copied.
function jwkObject(rec) {
  const out = {};
  for (let i = 0; i < kJwkMembers.length; i++) {
    const key = kJwkMembers[i];
    if (!ObjectPrototypeHasOwnProperty(rec, key)) continue;
    const value = rec[key];
    if (value === undefined) continue;
    if (key === 'key_ops') {
      const ops = [];
      for (let j = 0; j < value.length; j++) ArrayPrototypePush(ops, value[j]);
      defineData(out, key, ops);
    } else {
      defineData(out, key, value);
    }
  }
  return out;
}

function jwkRequire(jwk, member, what) {
  const v = jwk[member];
  if (v === undefined) {
    throw domError('DataError', `Invalid ${what} JSON Web Key: missing "${member}" member.`);
  }
  return v;
}

// ---- CryptoKey ----------------------------------------------------------------------------------

// The KeyAlgorithm dictionary a key exposes, built from the internal algorithm record.
function exposeAlgorithm(alg) {
  const out = { name: alg.name };
  if (alg.namedCurve !== undefined) defineData(out, 'namedCurve', alg.namedCurve);
  if (alg.modulusLength !== undefined) {
    defineData(out, 'modulusLength', alg.modulusLength);
    defineData(out, 'publicExponent', copyBuffer(alg.publicExponent));
  }
  if (alg.hash !== undefined) defineData(out, 'hash', { name: alg.hash.name });
  if (alg.length !== undefined) defineData(out, 'length', alg.length);
  return out;
}

let pendingKey = null;

// https://w3c.github.io/webcrypto/#cryptokey-interface
class CryptoKey {
  #type;
  #extractable;
  #algorithm;
  #usages;
  #material;
  #algorithmCached;
  #usagesCached;

  constructor() {
    const init = pendingKey;
    pendingKey = null;
    if (init === null) webidl.illegalConstructor();
    this.#type = init.type;
    this.#extractable = init.extractable;
    this.#algorithm = init.algorithm;
    this.#usages = init.usages;
    this.#material = init.material;
  }

  get type() {
    return CryptoKey.#check(this).#type;
  }

  get extractable() {
    return CryptoKey.#check(this).#extractable;
  }

  get algorithm() {
    const key = CryptoKey.#check(this);
    if (key.#algorithmCached === undefined) key.#algorithmCached = exposeAlgorithm(key.#algorithm);
    return key.#algorithmCached;
  }

  get usages() {
    const key = CryptoKey.#check(this);
    if (key.#usagesCached === undefined) {
      const out = [];
      for (let i = 0; i < key.#usages.length; i++) ArrayPrototypePush(out, key.#usages[i]);
      key.#usagesCached = out;
    }
    return key.#usagesCached;
  }

  static #check(v) {
    if (typeof v !== 'object' || v === null || !(#type in v)) {
      throw new TypeError('Illegal invocation');
    }
    return v;
  }

  static is(v) {
    return typeof v === 'object' && v !== null && #type in v;
  }

  // Internal views for the algorithm files (never reachable from user code: `CryptoKey` as seen by
  // scripts has these removed below).
  static slots(key) {
    return {
      __proto__: null,
      type: key.#type,
      extractable: key.#extractable,
      algorithm: key.#algorithm,
      usages: key.#usages,
      material: key.#material,
    };
  }
}
const isCryptoKey = CryptoKey.is;
const keySlots = CryptoKey.slots;
delete CryptoKey.is;
delete CryptoKey.slots;
webidl.configureInterface(CryptoKey);
ObjectDefineProperty(CryptoKey.prototype, SymbolFor('nodejs.util.inspect.custom'), {
  value(depth, options, inspect) {
    if (!isCryptoKey(this)) return this;
    const view = { type: this.type, extractable: this.extractable, algorithm: this.algorithm,
      usages: this.usages };
    return `CryptoKey ${inspect(view, options)}`;
  },
  enumerable: false, writable: true, configurable: true,
});

// Creates a key. `algorithm` is a record like the KeyAlgorithm dictionaries (name, length, hash:
// {name}, namedCurve, modulusLength, publicExponent); `material` is { raw: Uint8Array } or
// { handle }. `usages` must already be normalized.
function createKey(type, extractable, algorithm, usages, material) {
  // Prototype-less copies: nothing a script adds to Object.prototype shows through.
  const record = { __proto__: null, ...algorithm };
  if (record.hash !== undefined) {
    record.hash = ObjectFreeze({ __proto__: null, name: record.hash.name });
  }
  pendingKey = {
    __proto__: null, type, extractable: !!extractable, algorithm: ObjectFreeze(record),
    usages: ObjectFreeze(usages), material: ObjectFreeze({ __proto__: null, ...material }),
  };
  return new CryptoKey();
}

// ---- Algorithm normalization --------------------------------------------------------------------

// Member converters for the algorithm dictionaries.
const conv = {
  __proto__: null,
  DOMString: (v) => webidl.toDOMString(v),
  'unsigned long': (v, name) => webidl.toUnsignedLong(v, { enforceRange: true }, name),
  'unsigned short': (v, name) => webidl.toUnsignedShort(v, { enforceRange: true }, name),
  octet: (v, name) => webidl.toOctet(v, { enforceRange: true }, name),
  BufferSource: (v, name) => copyBuffer(v, name),
  BigInteger: (v, name) => {
    if (!ArrayBufferIsView(v) || TypedArrayPrototypeGetSymbolToStringTag(v) !== 'Uint8Array') {
      throw new TypeError(`${name} is not of type 'Uint8Array'.`);
    }
    return copyBuffer(v, name);
  },
  // Normalized after the dictionary is converted (see normalizeAlgorithm).
  HashAlgorithmIdentifier: (v) => {
    if (v !== null && (typeof v === 'object' || typeof v === 'function')) return v;
    return webidl.toDOMString(v);
  },
  CryptoKey: (v, name) => {
    if (!isCryptoKey(v)) throw new TypeError(`${name} is not of type 'CryptoKey'.`);
    return v;
  },
};

// Dictionary members: [identifier, type, required], inherited members first, each level sorted.
const kDictionaries = {
  __proto__: null,
  Algorithm: [],
  AesKeyGenParams: [['length', 'unsigned short', true]],
  AesDerivedKeyParams: [['length', 'unsigned short', true]],
  AesCbcParams: [['iv', 'BufferSource', true]],
  AesCtrParams: [['counter', 'BufferSource', true], ['length', 'octet', true]],
  AesGcmParams: [['additionalData', 'BufferSource', false], ['iv', 'BufferSource', true],
    ['tagLength', 'octet', false]],
  HmacKeyGenParams: [['hash', 'HashAlgorithmIdentifier', true],
    ['length', 'unsigned long', false]],
  HmacImportParams: [['hash', 'HashAlgorithmIdentifier', true],
    ['length', 'unsigned long', false]],
  RsaHashedKeyGenParams: [['modulusLength', 'unsigned long', true],
    ['publicExponent', 'BigInteger', true], ['hash', 'HashAlgorithmIdentifier', true]],
  RsaHashedImportParams: [['hash', 'HashAlgorithmIdentifier', true]],
  RsaPssParams: [['saltLength', 'unsigned long', true]],
  RsaOaepParams: [['label', 'BufferSource', false]],
  EcdsaParams: [['hash', 'HashAlgorithmIdentifier', true]],
  EcKeyGenParams: [['namedCurve', 'DOMString', true]],
  EcKeyImportParams: [['namedCurve', 'DOMString', true]],
  EcdhKeyDeriveParams: [['public', 'CryptoKey', true]],
  HkdfParams: [['hash', 'HashAlgorithmIdentifier', true], ['info', 'BufferSource', true],
    ['salt', 'BufferSource', true]],
  Pbkdf2Params: [['hash', 'HashAlgorithmIdentifier', true],
    ['iterations', 'unsigned long', true], ['salt', 'BufferSource', true]],
  // Cloudflare's legacy NODE-ED25519: { name, namedCurve: "NODE-ED25519" }.
  NodeEd25519Params: [['namedCurve', 'DOMString', false]],
};

// https://w3c.github.io/webcrypto/#dfn-supportedAlgorithms: operation → upper-case name →
// [registered name, dictionary]. "hash" is "digest" without MD5 (Cloudflare accepts MD5 for digest
// only). The algorithm files add their rows with registerAlgorithm().
const supportedAlgorithms = {
  __proto__: null,
  digest: new SafeMap(), hash: new SafeMap(), generateKey: new SafeMap(), importKey: new SafeMap(),
  sign: new SafeMap(), verify: new SafeMap(), encrypt: new SafeMap(), decrypt: new SafeMap(),
  deriveBits: new SafeMap(), wrapKey: new SafeMap(), unwrapKey: new SafeMap(),
  'get key length': new SafeMap(),
};
// Registered name → { op name → implementation }.
const implementations = new SafeMap();

// registerAlgorithm(name, { op: [dictionary, fn] | fn, ... }); `exportKey` takes no dictionary.
// Names match ASCII case-insensitively ("ſha-256" is not SHA-256, as toUpperCase would have it).
function asciiUpper(str) {
  let out = '';
  for (let i = 0; i < str.length; i++) {
    const c = StringPrototypeCharCodeAt(str, i);
    out += StringFromCharCode(c >= 0x61 && c <= 0x7a ? c - 0x20 : c);
  }
  return out;
}

function registerAlgorithm(name, table) {
  const impl = { __proto__: null };
  const names = ObjectKeys(table);
  for (let i = 0; i < names.length; i++) {
    const op = names[i];
    const entry = table[op];
    if (ArrayIsArray(entry)) {
      supportedAlgorithms[op].set(asciiUpper(name), [name, entry[0]]);
      impl[op] = entry[1];
    } else {
      if (supportedAlgorithms[op] !== undefined) {
        supportedAlgorithms[op].set(asciiUpper(name), [name, 'Algorithm']);
      }
      impl[op] = entry;
    }
  }
  implementations.set(name, impl);
}

function implementation(name, op) {
  const impl = implementations.get(name);
  return impl === undefined ? undefined : impl[op];
}

// https://w3c.github.io/webcrypto/#algorithm-normalization-normalize-an-algorithm
function normalizeAlgorithm(alg, op) {
  // 1. A string is normalized as { name: alg }.
  if (alg === null || (typeof alg !== 'object' && typeof alg !== 'function')) {
    return normalizeAlgorithm({ name: webidl.toDOMString(alg) }, op);
  }
  const registered = supportedAlgorithms[op];
  // 2.3-2.4. Convert to the Algorithm dictionary: `name` is required.
  const nameValue = alg.name;
  if (nameValue === undefined) {
    throw new TypeError("Failed to normalize algorithm: required member 'name' is undefined.");
  }
  const algName = webidl.toDOMString(nameValue);
  // 2.5-2.6. Case-insensitive lookup.
  const entry = registered.get(asciiUpper(algName));
  if (entry === undefined) {
    throw domError('NotSupportedError', `Unrecognized algorithm name "${algName}".`);
  }
  // 2.7-2.9. Convert to the registered dictionary type.
  const members = kDictionaries[entry[1]];
  const normalized = { __proto__: null, name: entry[0] };
  for (let i = 0; i < members.length; i++) {
    const { 0: key, 1: type, 2: required } = members[i];
    const value = alg[key];
    if (value === undefined) {
      if (required) {
        throw new TypeError(`Failed to normalize algorithm: required member '${key}' of ` +
                            `${entry[1]} is undefined.`);
      }
      continue;
    }
    normalized[key] = conv[type](value, `${entry[1]}.${key}`);
  }
  // 2.10. Nested hash algorithm identifiers are normalized for "digest".
  for (let i = 0; i < members.length; i++) {
    if (members[i][1] === 'HashAlgorithmIdentifier' && normalized[members[i][0]] !== undefined) {
      normalized[members[i][0]] = normalizeAlgorithm(normalized[members[i][0]], 'hash');
    }
  }
  return normalized;
}

// Block size in bits of a SHA hash (HMAC default key length).
function hashBlockBits(hashName) {
  return hashName === 'SHA-384' || hashName === 'SHA-512' ? 1024 : 512;
}

// Takes the first `length` bits of `bytes` (ECDH / X25519 / deriveKey); OperationError if longer.
function truncateBits(bytes, length) {
  if (length === null) return bytes;
  const total = TypedArrayPrototypeGetLength(bytes);
  if (length > total * 8) {
    throw domError('OperationError', `Derived bit length ${length} exceeds the ${total * 8} bits ` +
                   'available.');
  }
  const n = (length + 7) >> 3;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = bytes[i];
  const rem = length % 8;
  if (rem !== 0) out[n - 1] &= (0xff << (8 - rem)) & 0xff;
  return out;
}

internals.subtle = {
  __proto__: null,
  CryptoKey, createKey, isCryptoKey, keySlots, domError, copyBuffer, isBufferSource,
  base64urlEncode, base64urlDecode, toKeyUsages, normalizeUsages, hasUsage, checkUsages,
  toJsonWebKey, checkJwkUsages, jwkRequire, jwkObject, registerAlgorithm, implementation,
  normalizeAlgorithm, hashBlockBits, truncateBits,
  instance: undefined,  // the SubtleCrypto object, set by 31_subtle_crypto.js
};
internals.defineGlobals({ CryptoKey });
