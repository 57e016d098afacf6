// The SubtleCrypto interface: argument conversion, algorithm normalization and the key checks the
// spec puts before each operation, then dispatch to the algorithm implementations registered by
// js/32_subtle_*.js. Every method is async (validation errors become rejections); the crypto work
// itself runs synchronously in ops, as workerd does.
// https://w3c.github.io/webcrypto/#subtlecrypto-interface
// Cloudflare extension: timingSafeEqual(a, b).
// https://developers.cloudflare.com/workers/runtime-apis/web-crypto/#timingsafeequal
'use strict';

const {
  JSONParse, JSONStringify, ObjectDefineProperty, ObjectKeys, TypeError, Uint8Array,
} = primordials;
const { webidl } = internals;
const S = internals.subtle;
const { domError, copyBuffer, isCryptoKey, keySlots, normalizeAlgorithm, implementation } = S;

// https://w3c.github.io/webcrypto/#dfn-KeyFormat (with the raw-* formats of the current draft).
const kFormats = new primordials.SafeSet(['raw', 'spki', 'pkcs8', 'jwk', 'raw-public',
  'raw-private', 'raw-seed', 'raw-secret']);

function toKeyFormat(v) {
  const s = webidl.toDOMString(v);
  if (!kFormats.has(s)) {
    throw new TypeError(`Failed to read the 'format' argument: '${s}' is not a valid enum value ` +
                        'of type KeyFormat.');
  }
  return s;
}

function requireKey(v, method, index) {
  if (!isCryptoKey(v)) {
    throw new TypeError(`Failed to execute '${method}' on 'SubtleCrypto': parameter ${index} is ` +
                        "not of type 'CryptoKey'.");
  }
  return v;
}

function requireBuffer(v, method, index) {
  return copyBuffer(v, `Failed to execute '${method}' on 'SubtleCrypto': parameter ${index}`);
}

// The checks before a key is used: InvalidAccessError unless the key is for `name` and has `usage`.
function checkKey(name, key, usage) {
  const slots = keySlots(key);
  if (slots.algorithm.name !== name) {
    throw domError('InvalidAccessError', `Requested algorithm "${name}" does not match this ` +
                   `CryptoKey's algorithm "${slots.algorithm.name}".`);
  }
  if (!S.hasUsage(slots.usages, usage)) {
    throw domError('InvalidAccessError', `Requested key usage "${usage}" does not match any ` +
                   'usage listed in this CryptoKey.');
  }
  return slots;
}

function rejectEmptyUsages(key) {
  const slots = keySlots(key);
  if ((slots.type === 'secret' || slots.type === 'private') && slots.usages.length === 0) {
    throw domError('SyntaxError', 'Secret/private CryptoKeys must have at least one usage.');
  }
}

// https://webidl.spec.whatwg.org/#es-union for (BufferSource or JsonWebKey).
function toImportKeyData(v) {
  if (S.isBufferSource(v)) return { __proto__: null, buffer: v };
  return { __proto__: null, jwk: S.toJsonWebKey(v) };
}

function importKeyNormalized(format, keyData, normalizedAlgorithm, extractable, usages) {
  const impl = implementation(normalizedAlgorithm.name, 'importKey');
  const key = impl(format, keyData, normalizedAlgorithm, extractable, usages);
  rejectEmptyUsages(key);
  return key;
}

function exportKeyChecked(format, key) {
  const slots = keySlots(key);
  const impl = implementation(slots.algorithm.name, 'exportKey');
  if (impl === undefined) {
    throw domError('NotSupportedError',
                   `Unrecognized or unimplemented export of ${slots.algorithm.name} keys.`);
  }
  if (!slots.extractable) {
    throw domError('InvalidAccessError',
                   `Attempt to export non-extractable ${slots.algorithm.name} key.`);
  }
  return impl(format, key);
}

// https://w3c.github.io/webcrypto/#concept-parse-a-jwk
function parseJwk(bytes) {
  let json;
  try {
    json = JSONParse(internals.encoding.utf8Decode(bytes));
  } catch {
    throw domError('DataError', 'The unwrapped key is not valid JSON.');
  }
  // Only the parsed object's own members count (not whatever a script put on Object.prototype).
  if (json !== null && typeof json === 'object') {
    const own = { __proto__: null };
    const keys = ObjectKeys(json);
    for (let i = 0; i < keys.length; i++) own[keys[i]] = json[keys[i]];
    json = own;
  }
  let jwk;
  try {
    jwk = S.toJsonWebKey(json);
  } catch (e) {
    throw domError('DataError', 'The unwrapped key is not a JsonWebKey.');
  }
  if (jwk.kty === undefined) {
    throw domError('DataError', 'Missing "kty" field or corrupt JSON unwrapping key?');
  }
  return jwk;
}

let creating = false;

class SubtleCrypto {
  #brand = true;

  constructor() {
    if (!creating) webidl.illegalConstructor();
  }

  static #check(self) {
    if (typeof self !== 'object' || self === null || !(#brand in self)) {
      throw new TypeError('Illegal invocation');
    }
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-encrypt
  async encrypt(algorithm, key, data) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 3, "Failed to execute 'encrypt' on 'SubtleCrypto'");
    requireKey(key, 'encrypt', 2);
    const bytes = requireBuffer(data, 'encrypt', 3);
    const normalized = normalizeAlgorithm(algorithm, 'encrypt');
    checkKey(normalized.name, key, 'encrypt');
    return implementation(normalized.name, 'encrypt')(normalized, key, bytes);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-decrypt
  async decrypt(algorithm, key, data) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 3, "Failed to execute 'decrypt' on 'SubtleCrypto'");
    requireKey(key, 'decrypt', 2);
    const bytes = requireBuffer(data, 'decrypt', 3);
    const normalized = normalizeAlgorithm(algorithm, 'decrypt');
    checkKey(normalized.name, key, 'decrypt');
    return implementation(normalized.name, 'decrypt')(normalized, key, bytes);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-sign
  async sign(algorithm, key, data) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 3, "Failed to execute 'sign' on 'SubtleCrypto'");
    requireKey(key, 'sign', 2);
    const bytes = requireBuffer(data, 'sign', 3);
    const normalized = normalizeAlgorithm(algorithm, 'sign');
    checkKey(normalized.name, key, 'sign');
    return implementation(normalized.name, 'sign')(normalized, key, bytes);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-verify
  async verify(algorithm, key, signature, data) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 4, "Failed to execute 'verify' on 'SubtleCrypto'");
    requireKey(key, 'verify', 2);
    const sig = requireBuffer(signature, 'verify', 3);
    const bytes = requireBuffer(data, 'verify', 4);
    const normalized = normalizeAlgorithm(algorithm, 'verify');
    checkKey(normalized.name, key, 'verify');
    return implementation(normalized.name, 'verify')(normalized, key, sig, bytes);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-digest
  async digest(algorithm, data) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 2, "Failed to execute 'digest' on 'SubtleCrypto'");
    const bytes = requireBuffer(data, 'digest', 2);
    const normalized = normalizeAlgorithm(algorithm, 'digest');
    return implementation(normalized.name, 'digest')(normalized, bytes);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-generateKey
  async generateKey(algorithm, extractable, keyUsages) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 3,
                             "Failed to execute 'generateKey' on 'SubtleCrypto'");
    const usages = S.toKeyUsages(keyUsages);
    const normalized = normalizeAlgorithm(algorithm, 'generateKey');
    const generate = implementation(normalized.name, 'generateKey');
    const result = generate(normalized, !!extractable, usages);
    if (isCryptoKey(result)) {
      rejectEmptyUsages(result);
    } else if (keySlots(result.privateKey).usages.length === 0) {
      throw domError('SyntaxError',
                     'Attempt to generate asymmetric keys with no valid private key usages.');
    }
    return result;
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-deriveKey
  async deriveKey(algorithm, baseKey, derivedKeyType, extractable, keyUsages) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 5,
                             "Failed to execute 'deriveKey' on 'SubtleCrypto'");
    requireKey(baseKey, 'deriveKey', 2);
    const usages = S.toKeyUsages(keyUsages);
    const normalized = normalizeAlgorithm(algorithm, 'deriveBits');
    const importAlgorithm = normalizeAlgorithm(derivedKeyType, 'importKey');
    const lengthAlgorithm = normalizeAlgorithm(derivedKeyType, 'get key length');
    checkKey(normalized.name, baseKey, 'deriveKey');
    const length = implementation(lengthAlgorithm.name, 'get key length')(lengthAlgorithm);
    const secret = implementation(normalized.name, 'deriveBits')(normalized, baseKey, length);
    return importKeyNormalized('raw', { __proto__: null, buffer: new Uint8Array(secret) },
                               importAlgorithm, !!extractable, usages);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-deriveBits
  async deriveBits(algorithm, baseKey, length = null) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 2,
                             "Failed to execute 'deriveBits' on 'SubtleCrypto'");
    requireKey(baseKey, 'deriveBits', 2);
    const bits = length === null || length === undefined ? null : webidl.toUnsignedLong(length);
    const normalized = normalizeAlgorithm(algorithm, 'deriveBits');
    checkKey(normalized.name, baseKey, 'deriveBits');
    return implementation(normalized.name, 'deriveBits')(normalized, baseKey, bits);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-importKey
  async importKey(format, keyData, algorithm, extractable, keyUsages) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 5,
                             "Failed to execute 'importKey' on 'SubtleCrypto'");
    const fmt = toKeyFormat(format);
    const data = toImportKeyData(keyData);
    const usages = S.toKeyUsages(keyUsages);
    const normalized = normalizeAlgorithm(algorithm, 'importKey');
    if (fmt === 'jwk') {
      if (data.jwk === undefined) {
        throw new TypeError('Import data provided for "jwk" import format must be a JsonWebKey.');
      }
    } else if (data.buffer === undefined) {
      throw new TypeError(`Import data provided for "${fmt}" import format must be a buffer ` +
                          'source.');
    } else {
      data.buffer = copyBuffer(data.buffer);
    }
    return importKeyNormalized(fmt, data, normalized, !!extractable, usages);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-exportKey
  async exportKey(format, key) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 2,
                             "Failed to execute 'exportKey' on 'SubtleCrypto'");
    const fmt = toKeyFormat(format);
    requireKey(key, 'exportKey', 2);
    return exportKeyChecked(fmt, key);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-wrapKey
  async wrapKey(format, key, wrappingKey, wrapAlgorithm) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 4, "Failed to execute 'wrapKey' on 'SubtleCrypto'");
    const fmt = toKeyFormat(format);
    requireKey(key, 'wrapKey', 2);
    requireKey(wrappingKey, 'wrapKey', 3);
    let normalized;
    try {
      normalized = normalizeAlgorithm(wrapAlgorithm, 'wrapKey');
    } catch {
      normalized = normalizeAlgorithm(wrapAlgorithm, 'encrypt');
    }
    checkKey(normalized.name, wrappingKey, 'wrapKey');
    const exported = exportKeyChecked(fmt, key);
    const bytes = fmt === 'jwk' ? internals.encoding.utf8Encode(JSONStringify(exported))
                                : new Uint8Array(exported);
    const wrap = implementation(normalized.name, 'wrapKey');
    if (wrap !== undefined) return wrap(normalized, wrappingKey, bytes);
    return implementation(normalized.name, 'encrypt')(normalized, wrappingKey, bytes);
  }

  // https://w3c.github.io/webcrypto/#SubtleCrypto-method-unwrapKey
  async unwrapKey(format, wrappedKey, unwrappingKey, unwrapAlgorithm, unwrappedKeyAlgorithm,
                  extractable, keyUsages) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 7,
                             "Failed to execute 'unwrapKey' on 'SubtleCrypto'");
    const fmt = toKeyFormat(format);
    const wrapped = requireBuffer(wrappedKey, 'unwrapKey', 2);
    requireKey(unwrappingKey, 'unwrapKey', 3);
    const usages = S.toKeyUsages(keyUsages);
    let normalized;
    try {
      normalized = normalizeAlgorithm(unwrapAlgorithm, 'unwrapKey');
    } catch {
      normalized = normalizeAlgorithm(unwrapAlgorithm, 'decrypt');
    }
    const keyAlgorithm = normalizeAlgorithm(unwrappedKeyAlgorithm, 'importKey');
    checkKey(normalized.name, unwrappingKey, 'unwrapKey');
    const unwrap = implementation(normalized.name, 'unwrapKey');
    const bytes = new Uint8Array(unwrap !== undefined
      ? unwrap(normalized, unwrappingKey, wrapped)
      : implementation(normalized.name, 'decrypt')(normalized, unwrappingKey, wrapped));
    const data = fmt === 'jwk' ? { __proto__: null, jwk: parseJwk(bytes) }
                               : { __proto__: null, buffer: bytes };
    return importKeyNormalized(fmt, data, keyAlgorithm, !!extractable, usages);
  }

  // Cloudflare extension: constant-time comparison of two equal-length buffers.
  timingSafeEqual(a, b) {
    SubtleCrypto.#check(this);
    webidl.requiredArguments(arguments.length, 2,
                             "Failed to execute 'timingSafeEqual' on 'SubtleCrypto'");
    if (!S.isBufferSource(a) || !S.isBufferSource(b)) {
      throw new TypeError("Failed to execute 'timingSafeEqual' on 'SubtleCrypto': parameters " +
                          "must be of type '(ArrayBuffer or ArrayBufferView)'.");
    }
    const x = copyBuffer(a);
    const y = copyBuffer(b);
    if (x.length !== y.length) throw new TypeError('Input buffers must have the same byte length.');
    return ops.cryptoTimingSafeEqual(x, y);
  }
}
webidl.configureInterface(SubtleCrypto);

creating = true;
S.instance = new SubtleCrypto();
creating = false;
S.SubtleCrypto = SubtleCrypto;
S.exportKeyChecked = exportKeyChecked;
internals.defineGlobals({ SubtleCrypto });
ObjectDefineProperty(SubtleCrypto, 'length', { value: 0, configurable: true });
