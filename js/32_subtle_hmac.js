// HMAC: key generation, raw/JWK import and export, sign/verify, "get key length".
// https://w3c.github.io/webcrypto/#hmac
'use strict';

const {
  StringPrototypeSlice, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetLength, TypeError,
  Uint8Array,
} = primordials;
const S = internals.subtle;
const { domError, createKey, keySlots } = S;

const kUsages = ['sign', 'verify'];

function jwkAlg(hashName) {
  return `HS${StringPrototypeSlice(hashName, 4)}`;
}

// Zeroes the bits of the last byte beyond `length` bits.
function maskTrailingBits(raw, length) {
  const rem = length % 8;
  if (rem !== 0) raw[TypedArrayPrototypeGetLength(raw) - 1] &= (0xff << (8 - rem)) & 0xff;
}

// https://w3c.github.io/webcrypto/#hmac-operations (generate key)
function generateKey(normalized, extractable, usages) {
  S.checkUsages(usages, kUsages, 'HMAC', 'generate');
  let length;
  if (normalized.length === undefined) {
    length = S.hashBlockBits(normalized.hash.name);
  } else if (normalized.length !== 0) {
    length = normalized.length;
  } else {
    throw domError('OperationError', 'HMAC key length must be a non-zero unsigned long integer.');
  }
  const raw = new Uint8Array((length + 7) >> 3);
  ops.randomFill(raw);
  maskTrailingBits(raw, length);
  return createKey('secret', extractable,
                   { name: 'HMAC', hash: { name: normalized.hash.name }, length },
                   S.normalizeUsages(usages), { raw });
}

// https://w3c.github.io/webcrypto/#hmac-operations (import key)
function importKey(format, keyData, normalized, extractable, usages) {
  S.checkUsages(usages, kUsages, 'HMAC', 'import secret');
  const hash = normalized.hash.name;
  let raw;
  if (format === 'raw' || format === 'raw-secret') {
    raw = keyData.buffer;
  } else if (format === 'jwk') {
    const jwk = keyData.jwk;
    if (jwk.kty !== 'oct') throw domError('DataError', 'JWK "kty" member must be "oct".');
    raw = S.base64urlDecode(S.jwkRequire(jwk, 'k', 'HMAC'), 'k');
    if (jwk.alg !== undefined && jwk.alg !== jwkAlg(hash)) {
      throw domError('DataError', `JWK "alg" member must be "${jwkAlg(hash)}".`);
    }
    S.checkJwkUsages(jwk, usages, extractable, 'sig');
  } else {
    throw domError('NotSupportedError', `Unrecognized key import format "${format}" for HMAC.`);
  }
  let length = TypedArrayPrototypeGetLength(raw) * 8;
  if (length === 0) throw domError('DataError', 'HMAC key data must not be empty.');
  if (normalized.length !== undefined) {
    if (normalized.length > length || normalized.length <= length - 8) {
      throw domError('DataError', `HMAC key length ${normalized.length} does not match the ` +
                     `${length} bits of key data.`);
    }
    length = normalized.length;
  }
  return createKey('secret', extractable, { name: 'HMAC', hash: { name: hash }, length },
                   S.normalizeUsages(usages), { raw });
}

// https://w3c.github.io/webcrypto/#hmac-operations (export key)
function exportKey(format, key) {
  const slots = keySlots(key);
  const raw = slots.material.raw;
  if (format === 'raw' || format === 'raw-secret') {
    return TypedArrayPrototypeGetBuffer(S.copyBuffer(raw));
  }
  if (format === 'jwk') {
    return S.jwkObject({
      kty: 'oct', k: S.base64urlEncode(raw), alg: jwkAlg(slots.algorithm.hash.name),
      key_ops: slots.usages, ext: slots.extractable,
    });
  }
  throw domError('NotSupportedError', `Unrecognized key export format "${format}" for HMAC.`);
}

function sign(normalized, key, data) {
  const slots = keySlots(key);
  return ops.cryptoHmac(slots.algorithm.hash.name, slots.material.raw, data);
}

function verify(normalized, key, signature, data) {
  const slots = keySlots(key);
  const mac = ops.cryptoHmac(slots.algorithm.hash.name, slots.material.raw, data);
  return ops.cryptoTimingSafeEqual(new Uint8Array(mac), signature);
}

// https://w3c.github.io/webcrypto/#hmac-operations (get key length)
function getKeyLength(normalized) {
  if (normalized.length === undefined) return S.hashBlockBits(normalized.hash.name);
  if (normalized.length !== 0) return normalized.length;
  throw new TypeError('HMAC key length must be a non-zero unsigned long integer.');
}

S.registerAlgorithm('HMAC', {
  generateKey: ['HmacKeyGenParams', generateKey],
  importKey: ['HmacImportParams', importKey],
  exportKey,
  sign,
  verify,
  'get key length': ['HmacImportParams', getKeyLength],
});
