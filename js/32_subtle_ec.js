// ECDSA and ECDH on P-256, P-384 and P-521: key pair generation, raw/spki/pkcs8/JWK import and
// export, signatures (IEEE P1363 r||s) and shared-secret derivation. The deriveBits step is shared
// with X25519 (32_subtle_okp.js) through `internals.subtle.deriveSharedBits`.
// https://w3c.github.io/webcrypto/#ecdsa · https://w3c.github.io/webcrypto/#ecdh
'use strict';

const { StringPrototypeSlice, Uint8Array } = primordials;
const S = internals.subtle;
const { domError, createKey, keySlots } = S;

const kCurves = new primordials.SafeSet(['P-256', 'P-384', 'P-521']);

const kUsages = {
  __proto__: null,
  ECDSA: { public: ['verify'], private: ['sign'], all: ['sign', 'verify'], use: 'sig' },
  ECDH: { public: [], private: ['deriveKey', 'deriveBits'], all: ['deriveKey', 'deriveBits'],
    use: 'enc' },
};

// NotSupportedError when generating, DataError when importing.
function requireCurve(namedCurve, errorName = 'NotSupportedError') {
  if (!kCurves.has(namedCurve)) {
    throw domError(errorName, `Unrecognized or unimplemented EC curve "${namedCurve}".`);
  }
}

// https://w3c.github.io/webcrypto/#ecdsa-operations (generate key)
function generateKey(normalized, extractable, usages) {
  const name = normalized.name;
  S.checkUsages(usages, kUsages[name].all, name, 'generate');
  requireCurve(normalized.namedCurve);
  const privateUsages = S.normalizeUsages(usages, kUsages[name].private);
  const privateHandle = ops.cryptoEcGenerate(normalized.namedCurve);
  const publicHandle = ops.cryptoKeyPublic(privateHandle);
  const algorithm = { name, namedCurve: normalized.namedCurve };
  return {
    publicKey: createKey('public', true, algorithm, S.normalizeUsages(usages, kUsages[name].public),
                         { handle: publicHandle }),
    privateKey: createKey('private', extractable, algorithm, privateUsages,
                          { handle: privateHandle }),
  };
}

// A DER-imported key must be an id-ecPublicKey key on the requested curve.
function checkImported(handle, namedCurve) {
  const details = ops.cryptoKeyDetails(handle);
  if (details.kind !== 'EC' || details.curve === null) {
    throw domError('DataError', 'The key is not an EC key on a supported curve.');
  }
  if (details.curve !== namedCurve) {
    throw domError('DataError', `The key's curve ${details.curve} does not match the requested ` +
                   `namedCurve ${namedCurve}.`);
  }
}

// https://w3c.github.io/webcrypto/#ecdsa-operations (import key)
function importKey(format, keyData, normalized, extractable, usages) {
  const name = normalized.name;
  const namedCurve = normalized.namedCurve;
  const u = kUsages[name];
  let handle;
  let type;
  if (format === 'spki') {
    S.checkUsages(usages, u.public, name, 'import public');
    handle = ops.cryptoKeyImportSpki(keyData.buffer);
    checkImported(handle, namedCurve);
    type = 'public';
  } else if (format === 'pkcs8') {
    S.checkUsages(usages, u.private, name, 'import private');
    handle = ops.cryptoKeyImportPkcs8(keyData.buffer);
    checkImported(handle, namedCurve);
    type = 'private';
  } else if (format === 'raw' || format === 'raw-public') {
    S.checkUsages(usages, u.public, name, 'import public');
    requireCurve(namedCurve, 'DataError');
    handle = ops.cryptoEcImportRaw(namedCurve, keyData.buffer);
    type = 'public';
  } else if (format === 'jwk') {
    const jwk = keyData.jwk;
    type = jwk.d !== undefined ? 'private' : 'public';
    S.checkUsages(usages, u[type], name, `import ${type}`);
    if (jwk.kty !== 'EC') throw domError('DataError', 'JWK "kty" member must be "EC".');
    S.checkJwkUsages(jwk, usages, extractable, u.use);
    if (jwk.crv !== namedCurve) {
      throw domError('DataError', `JWK "crv" member must be "${namedCurve}".`);
    }
    if (name === 'ECDSA' && jwk.alg !== undefined) {
      const expected = `ES${namedCurve === 'P-521' ? '512' : StringPrototypeSlice(namedCurve, 2)}`;
      if (jwk.alg !== expected) {
        throw domError('DataError', `JWK "alg" member must be "${expected}".`);
      }
    }
    requireCurve(namedCurve, 'DataError');
    const x = S.base64urlDecode(S.jwkRequire(jwk, 'x', 'EC'), 'x');
    const y = S.base64urlDecode(S.jwkRequire(jwk, 'y', 'EC'), 'y');
    const d = type === 'private' ? S.base64urlDecode(jwk.d, 'd') : undefined;
    handle = ops.cryptoEcImportJwk(namedCurve, x, y, d);
  } else {
    throw domError('NotSupportedError', `Unrecognized key import format "${format}" for ${name}.`);
  }
  return createKey(type, extractable, { name, namedCurve }, S.normalizeUsages(usages),
                   { handle });
}

function requireType(slots, type, what) {
  if (slots.type !== type) {
    throw domError('InvalidAccessError', `${what} requires a ${type} key.`);
  }
}

// Shared by EC, Ed25519 and X25519 keys: spki and pkcs8.
function exportDer(format, slots) {
  if (format === 'spki') {
    requireType(slots, 'public', 'Export as "spki"');
    return ops.cryptoKeyExportSpki(slots.material.handle);
  }
  if (format === 'pkcs8') {
    requireType(slots, 'private', 'Export as "pkcs8"');
    return ops.cryptoKeyExportPkcs8(slots.material.handle);
  }
  return undefined;
}

// https://w3c.github.io/webcrypto/#ecdsa-operations (export key)
function exportKey(format, key) {
  const slots = keySlots(key);
  const der = exportDer(format, slots);
  if (der !== undefined) return der;
  const handle = slots.material.handle;
  if (format === 'raw' || format === 'raw-public') {
    requireType(slots, 'public', 'Export as "raw"');
    return ops.cryptoEcExportRaw(handle);
  }
  if (format === 'jwk') {
    const parts = ops.cryptoEcExportJwk(handle);
    return S.jwkObject({
      kty: 'EC', crv: slots.algorithm.namedCurve,
      x: S.base64urlEncode(new Uint8Array(parts.x)), y: S.base64urlEncode(new Uint8Array(parts.y)),
      d: slots.type === 'private' ? S.base64urlEncode(new Uint8Array(parts.d)) : undefined,
      key_ops: slots.usages, ext: slots.extractable,
    });
  }
  throw domError('NotSupportedError',
                 `Unrecognized key export format "${format}" for ${slots.algorithm.name}.`);
}

// https://w3c.github.io/webcrypto/#ecdsa-operations (sign, verify)
function sign(normalized, key, data) {
  const slots = keySlots(key);
  requireType(slots, 'private', 'Signing');
  return ops.cryptoEcdsaSign(slots.material.handle, normalized.hash.name, data);
}

function verify(normalized, key, signature, data) {
  const slots = keySlots(key);
  requireType(slots, 'public', 'Verification');
  return ops.cryptoEcdsaVerify(slots.material.handle, normalized.hash.name, signature, data);
}

// https://w3c.github.io/webcrypto/#ecdh-operations (derive bits); X25519 does the same.
function deriveSharedBits(normalized, key, length) {
  const slots = keySlots(key);
  requireType(slots, 'private', 'Key derivation');
  const peer = keySlots(normalized.public);
  if (peer.type !== 'public') {
    throw domError('InvalidAccessError', `The provided key has type "${peer.type}", not "public".`);
  }
  if (peer.algorithm.name !== slots.algorithm.name) {
    throw domError('InvalidAccessError', `Private key for derivation is using ` +
                   `"${slots.algorithm.name}" while public key is using "${peer.algorithm.name}".`);
  }
  if (peer.algorithm.namedCurve !== slots.algorithm.namedCurve) {
    throw domError('InvalidAccessError', 'The public key is on a different curve.');
  }
  const secret = new Uint8Array(ops.cryptoDerive(slots.material.handle, peer.material.handle));
  return primordials.TypedArrayPrototypeGetBuffer(S.truncateBits(secret, length));
}

S.registerAlgorithm('ECDSA', {
  generateKey: ['EcKeyGenParams', generateKey],
  importKey: ['EcKeyImportParams', importKey],
  exportKey,
  sign: ['EcdsaParams', sign],
  verify: ['EcdsaParams', verify],
});
S.registerAlgorithm('ECDH', {
  generateKey: ['EcKeyGenParams', generateKey],
  importKey: ['EcKeyImportParams', importKey],
  exportKey,
  deriveBits: ['EcdhKeyDeriveParams', deriveSharedBits],
});
S.deriveSharedBits = deriveSharedBits;
S.exportDer = exportDer;
S.requireKeyType = requireType;
