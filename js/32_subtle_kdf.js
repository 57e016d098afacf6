// Key derivation functions: PBKDF2 and HKDF (import of raw secrets, deriveBits; their keys are
// never extractable and have no export).
// https://w3c.github.io/webcrypto/#pbkdf2 · https://w3c.github.io/webcrypto/#hkdf
'use strict';

const S = internals.subtle;
const { domError, createKey, keySlots } = S;

const kUsages = ['deriveKey', 'deriveBits'];

// https://w3c.github.io/webcrypto/#pbkdf2-operations (import key); HKDF is the same.
function importKeyFor(name) {
  return (format, keyData, normalized, extractable, usages) => {
    if (format !== 'raw' && format !== 'raw-secret') {
      throw domError('NotSupportedError',
                     `Unrecognized key import format "${format}" for ${name}.`);
    }
    S.checkUsages(usages, kUsages, name, 'import secret');
    if (extractable) {
      throw domError('SyntaxError', `${name} keys cannot be extractable.`);
    }
    return createKey('secret', false, { name }, S.normalizeUsages(usages),
                     { raw: keyData.buffer });
  };
}

function checkLength(name, length) {
  if (length === null) {
    throw domError('OperationError', `${name} requires a derived bit length.`);
  }
  if (length % 8 !== 0) {
    throw domError('OperationError', `${name} derived bit length must be a multiple of 8.`);
  }
}

// https://w3c.github.io/webcrypto/#pbkdf2-operations (derive bits)
function pbkdf2DeriveBits(normalized, key, length) {
  checkLength('PBKDF2', length);
  if (normalized.iterations === 0) {
    throw domError('OperationError', 'PBKDF2 requires a non-zero iteration count.');
  }
  if (length === 0) return new primordials.ArrayBuffer(0);
  return ops.cryptoPbkdf2(normalized.hash.name, keySlots(key).material.raw, normalized.salt,
                          normalized.iterations, length / 8);
}

// https://w3c.github.io/webcrypto/#hkdf-operations (derive bits)
function hkdfDeriveBits(normalized, key, length) {
  checkLength('HKDF', length);
  if (length === 0) return new primordials.ArrayBuffer(0);
  return ops.cryptoHkdf(normalized.hash.name, keySlots(key).material.raw, normalized.salt,
                        normalized.info, length / 8);
}

// "get key length" for a KDF is null: deriving a KDF key takes the whole output.
const keyLength = () => null;

S.registerAlgorithm('PBKDF2', {
  importKey: importKeyFor('PBKDF2'),
  deriveBits: ['Pbkdf2Params', pbkdf2DeriveBits],
  'get key length': keyLength,
});
S.registerAlgorithm('HKDF', {
  importKey: importKeyFor('HKDF'),
  deriveBits: ['HkdfParams', hkdfDeriveBits],
  'get key length': keyLength,
});
