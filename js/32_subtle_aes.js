// AES-CTR, AES-CBC, AES-GCM and AES-KW: key generation, raw/JWK import and export, encryption,
// key wrapping, and the "get key length" step of deriveKey.
// https://w3c.github.io/webcrypto/#aes-ctr · #aes-cbc · #aes-gcm · #aes-kw
'use strict';

const {
  StringPrototypeSlice, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetLength, Uint8Array,
} = primordials;
const S = internals.subtle;
const { domError, createKey, keySlots } = S;

const kCipherUsages = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];
const kKwUsages = ['wrapKey', 'unwrapKey'];

function allowedUsages(name) {
  return name === 'AES-KW' ? kKwUsages : kCipherUsages;
}

function jwkAlg(name, bits) {
  return `A${bits}${name === 'AES-KW' ? 'KW' : StringPrototypeSlice(name, 4)}`;
}

function checkLength(length) {
  if (length !== 128 && length !== 192 && length !== 256) {
    throw domError('OperationError',
                   `AES key length must be 128, 192, or 256 bits but provided ${length}.`);
  }
}

// https://w3c.github.io/webcrypto/#aes-ctr-operations (generate key)
function generateKey(normalized, extractable, usages) {
  S.checkUsages(usages, allowedUsages(normalized.name), normalized.name, 'generate');
  checkLength(normalized.length);
  const raw = new Uint8Array(normalized.length / 8);
  ops.randomFill(raw);
  return createKey('secret', extractable, { name: normalized.name, length: normalized.length },
                   S.normalizeUsages(usages), { raw });
}

// https://w3c.github.io/webcrypto/#aes-ctr-operations (import key)
function importKey(format, keyData, normalized, extractable, usages) {
  const name = normalized.name;
  S.checkUsages(usages, allowedUsages(name), name, 'import secret');
  let raw;
  if (format === 'raw' || format === 'raw-secret') {
    raw = keyData.buffer;
    const bits = TypedArrayPrototypeGetLength(raw) * 8;
    if (bits !== 128 && bits !== 192 && bits !== 256) {
      throw domError('DataError', `Imported AES key length must be 128, 192, or 256 bits but ` +
                     `provided ${bits}.`);
    }
  } else if (format === 'jwk') {
    const jwk = keyData.jwk;
    if (jwk.kty !== 'oct') throw domError('DataError', 'JWK "kty" member must be "oct".');
    raw = S.base64urlDecode(S.jwkRequire(jwk, 'k', 'AES'), 'k');
    const bits = TypedArrayPrototypeGetLength(raw) * 8;
    if (bits !== 128 && bits !== 192 && bits !== 256) {
      throw domError('DataError', `Imported AES key length must be 128, 192, or 256 bits but ` +
                     `provided ${bits}.`);
    }
    if (jwk.alg !== undefined && jwk.alg !== jwkAlg(name, bits)) {
      throw domError('DataError', `JWK "alg" member must be "${jwkAlg(name, bits)}".`);
    }
    S.checkJwkUsages(jwk, usages, extractable, 'enc');
  } else {
    throw domError('NotSupportedError', `Unrecognized key import format "${format}" for ${name}.`);
  }
  return createKey('secret', extractable,
                   { name, length: TypedArrayPrototypeGetLength(raw) * 8 },
                   S.normalizeUsages(usages), { raw });
}

// https://w3c.github.io/webcrypto/#aes-ctr-operations (export key)
function exportKey(format, key) {
  const slots = keySlots(key);
  const raw = slots.material.raw;
  if (format === 'raw' || format === 'raw-secret') {
    return TypedArrayPrototypeGetBuffer(S.copyBuffer(raw));
  }
  if (format === 'jwk') {
    return S.jwkObject({
      kty: 'oct', k: S.base64urlEncode(raw),
      alg: jwkAlg(slots.algorithm.name, slots.algorithm.length), key_ops: slots.usages,
      ext: slots.extractable,
    });
  }
  throw domError('NotSupportedError',
                 `Unrecognized key export format "${format}" for ${slots.algorithm.name}.`);
}

// https://w3c.github.io/webcrypto/#aes-ctr-operations (get key length)
function getKeyLength(normalized) {
  checkLength(normalized.length);
  return normalized.length;
}

function rawOf(key) {
  return keySlots(key).material.raw;
}

// AES-CBC: https://w3c.github.io/webcrypto/#aes-cbc-operations
function cbc(encrypt) {
  return (normalized, key, data) => {
    if (TypedArrayPrototypeGetLength(normalized.iv) !== 16) {
      throw domError('OperationError', 'AES-CBC IV must be 16 bytes long.');
    }
    return ops.cryptoAesCbc(encrypt, rawOf(key), normalized.iv, data);
  };
}

// AES-CTR: https://w3c.github.io/webcrypto/#aes-ctr-operations
function ctr(normalized, key, data) {
  if (TypedArrayPrototypeGetLength(normalized.counter) !== 16) {
    throw domError('OperationError', 'AES-CTR counter must be 16 bytes long.');
  }
  if (normalized.length === 0 || normalized.length > 128) {
    throw domError('OperationError', 'AES-CTR length must be between 1 and 128 bits.');
  }
  return ops.cryptoAesCtr(rawOf(key), normalized.counter, normalized.length, data);
}

// AES-GCM: https://w3c.github.io/webcrypto/#aes-gcm-operations
function gcm(encrypt) {
  return (normalized, key, data) => {
    const tagLength = normalized.tagLength === undefined ? 128 : normalized.tagLength;
    if (tagLength !== 32 && tagLength !== 64 && tagLength !== 96 && tagLength !== 104 &&
        tagLength !== 112 && tagLength !== 120 && tagLength !== 128) {
      throw domError('OperationError', `Invalid AES-GCM tag length ${tagLength}.`);
    }
    if (!encrypt && TypedArrayPrototypeGetLength(data) < tagLength / 8) {
      throw domError('OperationError', 'The ciphertext is shorter than the authentication tag.');
    }
    return ops.cryptoAesGcm(encrypt, rawOf(key), normalized.iv, normalized.additionalData,
                            tagLength, data);
  };
}

// AES-KW: https://w3c.github.io/webcrypto/#aes-kw-operations
function kw(wrap) {
  return (normalized, key, data) => {
    if (wrap && TypedArrayPrototypeGetLength(data) % 8 !== 0) {
      throw domError('OperationError', 'AES-KW input length must be a multiple of 8 bytes.');
    }
    return ops.cryptoAesKw(wrap, rawOf(key), data);
  };
}

const common = {
  generateKey: ['AesKeyGenParams', generateKey],
  importKey: importKey,
  exportKey,
  'get key length': ['AesDerivedKeyParams', getKeyLength],
};
S.registerAlgorithm('AES-CBC', {
  ...common, encrypt: ['AesCbcParams', cbc(true)], decrypt: ['AesCbcParams', cbc(false)],
});
S.registerAlgorithm('AES-CTR', {
  ...common, encrypt: ['AesCtrParams', ctr], decrypt: ['AesCtrParams', ctr],
});
S.registerAlgorithm('AES-GCM', {
  ...common, encrypt: ['AesGcmParams', gcm(true)], decrypt: ['AesGcmParams', gcm(false)],
});
S.registerAlgorithm('AES-KW', { ...common, wrapKey: kw(true), unwrapKey: kw(false) });
