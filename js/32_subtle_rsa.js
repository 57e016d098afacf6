// RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP: key pair generation, spki/pkcs8/JWK import and export,
// signatures and encryption.
// https://w3c.github.io/webcrypto/#rsassa-pkcs1 · #rsa-pss · #rsa-oaep
'use strict';

const {
  StringPrototypeSlice, TypedArrayPrototypeGetLength, Uint8Array,
} = primordials;
const S = internals.subtle;
const { domError, createKey, keySlots } = S;

const kUsages = {
  __proto__: null,
  'RSASSA-PKCS1-v1_5': { public: ['verify'], private: ['sign'], all: ['sign', 'verify'] },
  'RSA-PSS': { public: ['verify'], private: ['sign'], all: ['sign', 'verify'] },
  'RSA-OAEP': {
    public: ['encrypt', 'wrapKey'], private: ['decrypt', 'unwrapKey'],
    all: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
  },
};

// The JWK "alg" for a hash (RFC 7518 §3.3, §3.5, §4.3).
function jwkAlg(name, hashName) {
  const bits = StringPrototypeSlice(hashName, 4);
  if (name === 'RSASSA-PKCS1-v1_5') return `RS${bits}`;
  if (name === 'RSA-PSS') return `PS${bits}`;
  return hashName === 'SHA-1' ? 'RSA-OAEP' : `RSA-OAEP-${bits}`;
}

function keyAlgorithm(name, handle, hashName) {
  const details = ops.cryptoKeyDetails(handle);
  return {
    name, modulusLength: details.modulusLength,
    publicExponent: new Uint8Array(details.publicExponent), hash: { name: hashName },
  };
}

// https://w3c.github.io/webcrypto/#rsassa-pkcs1-operations (generate key)
function generateKey(normalized, extractable, usages) {
  const name = normalized.name;
  S.checkUsages(usages, kUsages[name].all, name, 'generate');
  const e = normalized.publicExponent;
  const n = TypedArrayPrototypeGetLength(e);
  let significant = 0;
  while (significant < n && e[significant] === 0) significant++;
  const bits = normalized.modulusLength;
  if (significant === n || (e[n - 1] & 1) === 0 || (significant === n - 1 && e[n - 1] === 1) ||
      n - significant > 5 || bits < 256 || bits > 16384 || bits % 8 !== 0) {
    throw domError('OperationError', 'The modulus length or public exponent is not supported.');
  }
  const privateUsages = S.normalizeUsages(usages, kUsages[name].private);
  if (privateUsages.length === 0) {
    throw domError('SyntaxError',
                   'Attempt to generate asymmetric keys with no valid private key usages.');
  }
  const privateHandle = ops.cryptoRsaGenerate(bits, e);
  const publicHandle = ops.cryptoKeyPublic(privateHandle);
  const algorithm = { name, modulusLength: bits, publicExponent: S.copyBuffer(e),
    hash: { name: normalized.hash.name } };
  const publicKey = createKey('public', true, algorithm,
                              S.normalizeUsages(usages, kUsages[name].public),
                              { handle: publicHandle });
  const privateKey = createKey('private', extractable, algorithm, privateUsages,
                               { handle: privateHandle });
  return { publicKey, privateKey };
}

function checkKind(handle) {
  if (ops.cryptoKeyDetails(handle).kind !== 'RSA') {
    throw domError('DataError', 'The key is not an RSA key (rsaEncryption).');
  }
}

const kJwkMembers = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'];

// https://w3c.github.io/webcrypto/#rsassa-pkcs1-operations (import key)
function importKey(format, keyData, normalized, extractable, usages) {
  const name = normalized.name;
  const hashName = normalized.hash.name;
  let handle;
  let type;
  if (format === 'spki') {
    S.checkUsages(usages, kUsages[name].public, name, 'import public');
    handle = ops.cryptoKeyImportSpki(keyData.buffer);
    checkKind(handle);
    type = 'public';
  } else if (format === 'pkcs8') {
    S.checkUsages(usages, kUsages[name].private, name, 'import private');
    handle = ops.cryptoKeyImportPkcs8(keyData.buffer);
    checkKind(handle);
    type = 'private';
  } else if (format === 'jwk') {
    const jwk = keyData.jwk;
    type = jwk.d !== undefined ? 'private' : 'public';
    S.checkUsages(usages, kUsages[name][type], name, `import ${type}`);
    if (jwk.kty !== 'RSA') throw domError('DataError', 'JWK "kty" member must be "RSA".');
    S.checkJwkUsages(jwk, usages, extractable, name === 'RSA-OAEP' ? 'enc' : 'sig');
    if (jwk.alg !== undefined && jwk.alg !== jwkAlg(name, hashName)) {
      throw domError('DataError', `JWK "alg" member must be "${jwkAlg(name, hashName)}".`);
    }
    if (jwk.oth !== undefined) {
      throw domError('NotSupportedError', 'Multi-prime RSA keys ("oth") are not supported.');
    }
    const members = { __proto__: null };
    const count = type === 'private' ? 8 : 2;
    for (let i = 0; i < count; i++) {
      const m = kJwkMembers[i];
      members[m] = S.base64urlDecode(S.jwkRequire(jwk, m, 'RSA'), m);
    }
    handle = ops.cryptoRsaImportJwk(members);
  } else {
    throw domError('NotSupportedError', `Unrecognized key import format "${format}" for ${name}.`);
  }
  return createKey(type, extractable, keyAlgorithm(name, handle, hashName),
                   S.normalizeUsages(usages), { handle });
}

// https://w3c.github.io/webcrypto/#rsassa-pkcs1-operations (export key)
function exportKey(format, key) {
  const slots = keySlots(key);
  const handle = slots.material.handle;
  if (format === 'spki') {
    if (slots.type !== 'public') {
      throw domError('InvalidAccessError', 'Only public keys can be exported as "spki".');
    }
    return ops.cryptoKeyExportSpki(handle);
  }
  if (format === 'pkcs8') {
    if (slots.type !== 'private') {
      throw domError('InvalidAccessError', 'Only private keys can be exported as "pkcs8".');
    }
    return ops.cryptoKeyExportPkcs8(handle);
  }
  if (format === 'jwk') {
    const parts = ops.cryptoRsaExportJwk(handle);
    const rec = {
      __proto__: null, kty: 'RSA', alg: jwkAlg(slots.algorithm.name, slots.algorithm.hash.name),
      key_ops: slots.usages, ext: slots.extractable,
    };
    const count = slots.type === 'private' ? 8 : 2;
    for (let i = 0; i < count; i++) {
      const m = kJwkMembers[i];
      rec[m] = S.base64urlEncode(new Uint8Array(parts[m]));
    }
    return S.jwkObject(rec);
  }
  throw domError('NotSupportedError',
                 `Unrecognized key export format "${format}" for ${slots.algorithm.name}.`);
}

function requireType(slots, type, what) {
  if (slots.type !== type) {
    throw domError('InvalidAccessError', `${what} requires a ${type} key.`);
  }
}

function signWith(pss) {
  return (normalized, key, data) => {
    const slots = keySlots(key);
    requireType(slots, 'private', 'Signing');
    return ops.cryptoRsaSign(slots.material.handle, pss, slots.algorithm.hash.name,
                             pss ? normalized.saltLength : 0, data);
  };
}

function verifyWith(pss) {
  return (normalized, key, signature, data) => {
    const slots = keySlots(key);
    requireType(slots, 'public', 'Verification');
    return ops.cryptoRsaVerify(slots.material.handle, pss, slots.algorithm.hash.name,
                               pss ? normalized.saltLength : 0, signature, data);
  };
}

function oaep(encrypt) {
  return (normalized, key, data) => {
    const slots = keySlots(key);
    requireType(slots, encrypt ? 'public' : 'private', encrypt ? 'Encryption' : 'Decryption');
    return ops.cryptoRsaOaep(encrypt, slots.material.handle, slots.algorithm.hash.name,
                             normalized.label, data);
  };
}

const common = {
  generateKey: ['RsaHashedKeyGenParams', generateKey],
  importKey: ['RsaHashedImportParams', importKey],
  exportKey,
};
S.registerAlgorithm('RSASSA-PKCS1-v1_5', { ...common, sign: signWith(false),
  verify: verifyWith(false) });
S.registerAlgorithm('RSA-PSS', {
  ...common, sign: ['RsaPssParams', signWith(true)], verify: ['RsaPssParams', verifyWith(true)],
});
S.registerAlgorithm('RSA-OAEP', {
  ...common, encrypt: ['RsaOaepParams', oaep(true)], decrypt: ['RsaOaepParams', oaep(false)],
});
