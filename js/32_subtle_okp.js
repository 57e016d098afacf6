// Ed25519 (and Cloudflare's legacy NODE-ED25519 spelling) and X25519: key pair generation,
// raw/spki/pkcs8/JWK import and export, EdDSA signatures, X25519 shared secrets.
// https://w3c.github.io/webcrypto/#ed25519 · https://w3c.github.io/webcrypto/#x25519
// https://developers.cloudflare.com/workers/runtime-apis/web-crypto/#supported-algorithms
// NODE-ED25519 takes { name: "NODE-ED25519", namedCurve: "NODE-ED25519" } and its keys report
// that algorithm; otherwise it is Ed25519.
'use strict';

const { TypeError, Uint8Array } = primordials;
const S = internals.subtle;
const { domError, createKey, keySlots } = S;

const kUsages = {
  __proto__: null,
  Ed25519: { public: ['verify'], private: ['sign'], all: ['sign', 'verify'], use: 'sig' },
  X25519: { public: [], private: ['deriveKey', 'deriveBits'], all: ['deriveKey', 'deriveBits'],
    use: 'enc' },
};

// The curve (OpenSSL key kind) behind a registered name.
function curveOf(name) {
  return name === 'X25519' ? 'X25519' : 'Ed25519';
}

function keyAlgorithm(name) {
  return name === 'NODE-ED25519' ? { name, namedCurve: name } : { name };
}

function checkNodeCurve(normalized) {
  if (normalized.name !== 'NODE-ED25519') return;
  if (normalized.namedCurve === undefined) {
    throw new TypeError('Missing field "namedCurve" in "algorithm".');
  }
  if (normalized.namedCurve !== 'NODE-ED25519') {
    throw domError('NotSupportedError',
                   `EDDSA curve "${normalized.namedCurve}" isn't supported.`);
  }
}

// https://w3c.github.io/webcrypto/#ed25519-operations (generate key)
function generateKey(normalized, extractable, usages) {
  const name = normalized.name;
  const u = kUsages[curveOf(name)];
  S.checkUsages(usages, u.all, name, 'generate');
  checkNodeCurve(normalized);
  const privateHandle = ops.cryptoOkpGenerate(curveOf(name));
  const publicHandle = ops.cryptoKeyPublic(privateHandle);
  const algorithm = keyAlgorithm(name);
  return {
    publicKey: createKey('public', true, algorithm, S.normalizeUsages(usages, u.public),
                         { handle: publicHandle }),
    privateKey: createKey('private', extractable, algorithm, S.normalizeUsages(usages, u.private),
                          { handle: privateHandle }),
  };
}

function checkKind(handle, curve) {
  if (ops.cryptoKeyDetails(handle).kind !== curve) {
    throw domError('DataError', `The key is not an ${curve} key.`);
  }
}

function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

// https://w3c.github.io/webcrypto/#ed25519-operations (import key)
function importKey(format, keyData, normalized, extractable, usages) {
  const name = normalized.name;
  const curve = curveOf(name);
  const u = kUsages[curve];
  checkNodeCurve(normalized);
  let handle;
  let type;
  if (format === 'spki') {
    S.checkUsages(usages, u.public, name, 'import public');
    handle = ops.cryptoKeyImportSpki(keyData.buffer);
    checkKind(handle, curve);
    type = 'public';
  } else if (format === 'pkcs8') {
    S.checkUsages(usages, u.private, name, 'import private');
    handle = ops.cryptoKeyImportPkcs8(keyData.buffer);
    checkKind(handle, curve);
    type = 'private';
  } else if (format === 'raw' || format === 'raw-public') {
    S.checkUsages(usages, u.public, name, 'import public');
    handle = ops.cryptoOkpImportRaw(curve, keyData.buffer, false);
    type = 'public';
  } else if (format === 'jwk') {
    const jwk = keyData.jwk;
    type = jwk.d !== undefined ? 'private' : 'public';
    S.checkUsages(usages, u[type], name, `import ${type}`);
    if (jwk.kty !== 'OKP') throw domError('DataError', 'JWK "kty" member must be "OKP".');
    if (jwk.crv !== curve) throw domError('DataError', `JWK "crv" member must be "${curve}".`);
    if (curve === 'Ed25519' && jwk.alg !== undefined && jwk.alg !== 'Ed25519' &&
        jwk.alg !== 'EdDSA') {
      throw domError('DataError', 'JWK "alg" member must be "Ed25519" or "EdDSA".');
    }
    S.checkJwkUsages(jwk, usages, extractable, u.use);
    const x = S.base64urlDecode(S.jwkRequire(jwk, 'x', curve), 'x');
    if (type === 'private') {
      handle = ops.cryptoOkpImportRaw(curve, S.base64urlDecode(jwk.d, 'd'), true);
      const derived = new Uint8Array(ops.cryptoOkpExportRaw(handle, false));
      if (!equalBytes(derived, x)) {
        throw domError('DataError', 'Invalid JSON Web Key: "x" does not match the private key.');
      }
    } else {
      handle = ops.cryptoOkpImportRaw(curve, x, false);
    }
  } else {
    throw domError('NotSupportedError', `Unrecognized key import format "${format}" for ${name}.`);
  }
  return createKey(type, extractable, keyAlgorithm(name), S.normalizeUsages(usages), { handle });
}

// https://w3c.github.io/webcrypto/#ed25519-operations (export key)
function exportKey(format, key) {
  const slots = keySlots(key);
  const der = S.exportDer(format, slots);
  if (der !== undefined) return der;
  const name = slots.algorithm.name;
  const handle = slots.material.handle;
  if (format === 'raw' || format === 'raw-public') {
    S.requireKeyType(slots, 'public', 'Export as "raw"');
    return ops.cryptoOkpExportRaw(handle, false);
  }
  if (format === 'jwk') {
    const isPrivate = slots.type === 'private';
    return S.jwkObject({
      kty: 'OKP', crv: curveOf(name), alg: name === 'Ed25519' ? 'Ed25519' : undefined,
      x: S.base64urlEncode(new Uint8Array(ops.cryptoOkpExportRaw(handle, false))),
      d: isPrivate ? S.base64urlEncode(new Uint8Array(ops.cryptoOkpExportRaw(handle, true)))
                   : undefined,
      key_ops: slots.usages, ext: slots.extractable,
    });
  }
  throw domError('NotSupportedError', `Unrecognized key export format "${format}" for ${name}.`);
}

// https://w3c.github.io/webcrypto/#ed25519-operations (sign, verify)
function sign(normalized, key, data) {
  const slots = keySlots(key);
  S.requireKeyType(slots, 'private', 'Signing');
  return ops.cryptoEd25519Sign(slots.material.handle, data);
}

function verify(normalized, key, signature, data) {
  const slots = keySlots(key);
  S.requireKeyType(slots, 'public', 'Verification');
  return ops.cryptoEd25519Verify(slots.material.handle, signature, data);
}

for (const name of ['Ed25519', 'NODE-ED25519']) {
  const params = name === 'NODE-ED25519' ? 'NodeEd25519Params' : 'Algorithm';
  S.registerAlgorithm(name, {
    generateKey: [params, generateKey],
    importKey: [params, importKey],
    exportKey,
    sign,
    verify,
  });
}
S.registerAlgorithm('X25519', {
  generateKey,
  importKey,
  exportKey,
  deriveBits: ['EcdhKeyDeriveParams', S.deriveSharedBits],
});
