// RSASSA-PKCS1-v1_5, RSA-PSS and RSA-OAEP through crypto.subtle: known answers against a fixed
// 1024-bit key (vectors produced by an independent implementation, Node's crypto module),
// generation, spki/pkcs8/JWK import and export, and the error cases.
// https://w3c.github.io/webcrypto/#rsassa-pkcs1 · #rsa-pss · #rsa-oaep
import assert from 'node:assert';

const enc = (s) => new TextEncoder().encode(s);
const hex = (buf) =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (s) => new Uint8Array(s.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const { subtle } = crypto;

async function rejectsWith(promise, name) {
  await assert.rejects(promise, (e) => {
    assert.strictEqual(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    return true;
  });
}

const kRsaPkcs8 = b64(
  'MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBAOe1JtFbq1UxkL1ss6oDotLKIc8nf5Ff5ykFT2fSqw' +
  '8EZD3qrfsNwvl41+O/oO3F0Ktlw3C0yHGTc3+hY6ZjOP9lwEwHmO1L15HinOQVgyCVv+QZ/v/W1ixbHwuRQdywcRaI' +
  'atvYOF4KbvXNY5bIpk3w+ljngEnpZaDLOPV/Ib/3AgMBAAECgYArvAORrK3QLMTXHDdlNb577u8mvJvVgraNBZWRUT' +
  'A8a2XIUg14v4Y3tFl7gWYMuzPBxjl3gof6+Avq4Tl/5GaTYkUR5dS0zN9HQD3tVD1FsufOXKfzt5P9IZ0BchJoHE4K' +
  'DFariIbVKzUQfpK9N0l0cPwh2B6L+i4uL9iWiKyngQJBAP8ZbXjR5HqiKD5zHrLNhu7Kr9JXVWpGo6yrmd95faH1+b' +
  '5vazXz3rG7WoV/DfNbKVtPgjFRestCn59hwdF9iZcCQQDohpTSmpwCqyp9Rezo97O5eDheNMyp6E1Aw24SObxrMUO6' +
  'xusKxVotUc6czOeofsMvDGuWgtRmkRh5OYmpWoihAkA63ZBAaBbUIaUtu/zif8DaS5VE8Xg5XPGZ/8MzKWLPQ+aMhk' +
  'N0IMFLvBMIaSg79tZVRsShQs8WJlqVOcay48gjAkAIyr3p0KrBdxNeNTyl+mezRZZsCXcLnZr+LeWFjuVO8EftUgQl' +
  'Hh0wxX0YdK71sgVTTBbtU/kP/8B7JO/NlXzBAkBogovLDijLJUzvnlmKMb/3YOmuQxmxF4UwOERJ2F7mc+jEPTzLCA' +
  'TdMHGESvxaJfj3fsKsjr8xB9oTZS4+cr6f')
const kRsaSpki = b64(
  'MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDntSbRW6tVMZC9bLOqA6LSyiHPJ3+RX+cpBU9n0qsPBGQ96q37Dc' +
  'L5eNfjv6DtxdCrZcNwtMhxk3N/oWOmYzj/ZcBMB5jtS9eR4pzkFYMglb/kGf7/1tYsWx8LkUHcsHEWiGrb2DheCm71' +
  'zWOWyKZN8PpY54BJ6WWgyzj1fyG/9wIDAQAB')
const kRsaPkcs1Sig = unhex(
  'd273191aa80555f0c46c00fb494dbc6cdd386badaba53a72ea5db284123e6bd461eba1148cbab06c92f0c3ee0c' +
  'a254dd95632faf97f8f3f0034394b6e198cb0e8ee7c24f6b1c4bbec92ae644a88fef258236fd26f67291d41ab2' +
  'aa886595bf23e29cb2b250e59d267141da6069924d05f18fc9206c419ad4836cf1ddf6e4c245')
const kRsaPssSig = unhex(
  '1b447c13a8c9d0ae7966623417983bf977309c40aa8eba7cb63c4dd0870b93a64a94fd11ab38eab4fa5f039c45' +
  '8bfbff6b9bdfb5ee8914f76c232a280475c2fc7c472f2ec08860c86a894b2783533eb8e7c395c58cd8dcb963a5' +
  '4194eb3f85183d931db4694c2c40621679a25995262a878d85825e0f97cb0a72de3915fe8561')
const kRsaOaepCiphertext = unhex(
  '52766ecb1c2f2753eb4a8dde739acb173c12c2550a385be5dd98580bab9a04345704ba41d36072fdc38f1cffae' +
  'bc779389846db6d7b3f130128d8ef0e2443cb58ddb13402c0e3acb9661dffc4fce330508dfd4dc43ed817bf5fe' +
  '915fc2d9e6719d04fdf6ae5d4b59a265b366f63f3781f468e6799ddc852ea040fbdaa043abdb');

const pkcs1 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const pss = { name: 'RSA-PSS', hash: 'SHA-256' };
const oaep = { name: 'RSA-OAEP', hash: 'SHA-256' };

export const pkcs1KnownAnswer = {
  async test() {
    const priv = await subtle.importKey('pkcs8', kRsaPkcs8, pkcs1, true, ['sign']);
    const pub = await subtle.importKey('spki', kRsaSpki, pkcs1, true, ['verify']);
    assert.strictEqual(priv.type, 'private');
    assert.strictEqual(pub.type, 'public');
    assert.strictEqual(pub.algorithm.name, 'RSASSA-PKCS1-v1_5');
    assert.strictEqual(pub.algorithm.modulusLength, 1024);
    assert.deepStrictEqual(Array.from(pub.algorithm.publicExponent), [1, 0, 1]);
    assert.deepStrictEqual(pub.algorithm.hash, { name: 'SHA-256' });
    // PKCS#1 v1.5 signatures are deterministic.
    assert.strictEqual(hex(await subtle.sign('RSASSA-PKCS1-v1_5', priv, enc('abc'))),
                       hex(kRsaPkcs1Sig));
    assert.strictEqual(await subtle.verify(pkcs1, pub, kRsaPkcs1Sig, enc('abc')), true);
    assert.strictEqual(await subtle.verify(pkcs1, pub, kRsaPkcs1Sig, enc('abd')), false);
    assert.strictEqual(await subtle.verify(pkcs1, pub, kRsaPkcs1Sig.slice(1), enc('abc')), false);
    // DER round trips byte for byte.
    assert.strictEqual(hex(await subtle.exportKey('pkcs8', priv)), hex(kRsaPkcs8));
    assert.strictEqual(hex(await subtle.exportKey('spki', pub)), hex(kRsaSpki));
    // The hash comes from the key, so a key imported for SHA-1 verifies differently.
    const pub1 = await subtle.importKey('spki', kRsaSpki, { ...pkcs1, hash: 'SHA-1' }, true,
                                        ['verify']);
    assert.strictEqual(await subtle.verify(pkcs1, pub1, kRsaPkcs1Sig, enc('abc')), false);
  },
};

export const pssKnownAnswer = {
  async test() {
    const priv = await subtle.importKey('pkcs8', kRsaPkcs8, pss, false, ['sign']);
    const pub = await subtle.importKey('spki', kRsaSpki, pss, false, ['verify']);
    assert.strictEqual(await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, pub, kRsaPssSig,
                                           enc('abc')), true);
    assert.strictEqual(await subtle.verify({ name: 'RSA-PSS', saltLength: 20 }, pub, kRsaPssSig,
                                           enc('abc')), false);
    // Randomized: two signatures differ, both verify.
    const a = await subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, priv, enc('m'));
    const b = await subtle.sign({ name: 'RSA-PSS', saltLength: 32 }, priv, enc('m'));
    assert.notStrictEqual(hex(a), hex(b));
    assert.strictEqual(await subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, pub, a, enc('m')),
                       true);
    // saltLength 0 is deterministic; a salt too large for the key is an OperationError.
    const z1 = await subtle.sign({ name: 'RSA-PSS', saltLength: 0 }, priv, enc('m'));
    const z2 = await subtle.sign({ name: 'RSA-PSS', saltLength: 0 }, priv, enc('m'));
    assert.strictEqual(hex(z1), hex(z2));
    await rejectsWith(subtle.sign({ name: 'RSA-PSS', saltLength: 200 }, priv, enc('m')),
                      'OperationError');
    await rejectsWith(subtle.sign({ name: 'RSA-PSS' }, priv, enc('m')), 'TypeError');
  },
};

export const oaepKnownAnswer = {
  async test() {
    const priv = await subtle.importKey('pkcs8', kRsaPkcs8, oaep, false, ['decrypt']);
    const pub = await subtle.importKey('spki', kRsaSpki, oaep, false, ['encrypt']);
    const label = enc('label');
    assert.strictEqual(new TextDecoder().decode(
        await subtle.decrypt({ name: 'RSA-OAEP', label }, priv, kRsaOaepCiphertext)), 'abc');
    await rejectsWith(subtle.decrypt({ name: 'RSA-OAEP' }, priv, kRsaOaepCiphertext),
                      'OperationError');
    const c = await subtle.encrypt({ name: 'RSA-OAEP' }, pub, enc('hello'));
    assert.strictEqual(c.byteLength, 128);
    assert.strictEqual(new TextDecoder().decode(await subtle.decrypt('RSA-OAEP', priv, c)),
                       'hello');
    // Too long for the key: 128 - 2*32 - 2 = 62 bytes at most.
    await subtle.encrypt('RSA-OAEP', pub, new Uint8Array(62));
    await rejectsWith(subtle.encrypt('RSA-OAEP', pub, new Uint8Array(63)), 'OperationError');
    // Keys are typed: encrypting with the private key is an InvalidAccessError.
    await rejectsWith(subtle.encrypt('RSA-OAEP', priv, enc('x')), 'InvalidAccessError');
  },
};

export const jwkRoundTrip = {
  async test() {
    const priv = await subtle.importKey('pkcs8', kRsaPkcs8, pss, true, ['sign']);
    const jwk = await subtle.exportKey('jwk', priv);
    assert.deepStrictEqual(Object.keys(jwk),
                           ['alg', 'd', 'dp', 'dq', 'e', 'ext', 'key_ops', 'kty', 'n', 'p', 'q',
                             'qi']);
    assert.strictEqual(jwk.alg, 'PS256');
    assert.strictEqual(jwk.kty, 'RSA');
    assert.strictEqual(jwk.e, 'AQAB');
    assert.deepStrictEqual(jwk.key_ops, ['sign']);
    const again = await subtle.importKey('jwk', jwk, pss, true, ['sign']);
    assert.strictEqual(hex(await subtle.exportKey('pkcs8', again)), hex(kRsaPkcs8));
    // The public half from the private JWK.
    const { d, p, q, dp, dq, qi, ...pubJwk } = jwk;
    const pub = await subtle.importKey('jwk', { ...pubJwk, key_ops: ['verify'] }, pss, true,
                                       ['verify']);
    assert.strictEqual(hex(await subtle.exportKey('spki', pub)), hex(kRsaSpki));
    const pubOut = await subtle.exportKey('jwk', pub);
    assert.deepStrictEqual(Object.keys(pubOut), ['alg', 'e', 'ext', 'key_ops', 'kty', 'n']);
    // alg names per algorithm and hash.
    for (const [alg, hash, expected] of [['RSASSA-PKCS1-v1_5', 'SHA-1', 'RS1'],
      ['RSASSA-PKCS1-v1_5', 'SHA-512', 'RS512'], ['RSA-OAEP', 'SHA-1', 'RSA-OAEP'],
      ['RSA-OAEP', 'SHA-384', 'RSA-OAEP-384'], ['RSA-PSS', 'SHA-384', 'PS384']]) {
      const usages = alg === 'RSA-OAEP' ? ['encrypt'] : ['verify'];
      const k = await subtle.importKey('spki', kRsaSpki, { name: alg, hash }, true, usages);
      assert.strictEqual((await subtle.exportKey('jwk', k)).alg, expected);
    }
    // Errors.
    await rejectsWith(subtle.importKey('jwk', { ...jwk, alg: 'PS512' }, pss, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, kty: 'EC' }, pss, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, qi: undefined }, pss, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, dp: jwk.dq }, pss, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, use: 'enc' }, pss, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', jwk, pss, true, ['verify']), 'SyntaxError');
    await rejectsWith(subtle.importKey('jwk', pubJwk, pss, true, ['sign']), 'SyntaxError');
  },
};

export const generateAndErrors = {
  async test() {
    const params = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024,
      publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
    const { publicKey, privateKey } = await subtle.generateKey(params, false, ['sign', 'verify']);
    assert.strictEqual(publicKey.extractable, true);
    assert.strictEqual(privateKey.extractable, false);
    assert.deepStrictEqual(publicKey.usages, ['verify']);
    assert.deepStrictEqual(privateKey.usages, ['sign']);
    assert.strictEqual(publicKey.algorithm.modulusLength, 1024);
    assert.ok(publicKey.algorithm.publicExponent instanceof Uint8Array);
    const sig = await subtle.sign(params, privateKey, enc('x'));
    assert.strictEqual(await subtle.verify(params, publicKey, sig, enc('x')), true);
    await rejectsWith(subtle.exportKey('pkcs8', privateKey), 'InvalidAccessError');
    await rejectsWith(subtle.exportKey('pkcs8', publicKey), 'InvalidAccessError');
    await rejectsWith(subtle.exportKey('raw', publicKey), 'NotSupportedError');
    // OAEP pairs split the usages between the halves.
    const pair = await subtle.generateKey({ ...params, name: 'RSA-OAEP' }, true,
                                          ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
    assert.deepStrictEqual(pair.publicKey.usages, ['encrypt', 'wrapKey']);
    assert.deepStrictEqual(pair.privateKey.usages, ['decrypt', 'unwrapKey']);
    // Wrapping an AES key with RSA-OAEP.
    const aes = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true, ['encrypt']);
    const wrapped = await subtle.wrapKey('raw', aes, pair.publicKey, { name: 'RSA-OAEP' });
    const back = await subtle.unwrapKey('raw', wrapped, pair.privateKey, { name: 'RSA-OAEP' },
                                        'AES-GCM', true, ['encrypt']);
    assert.strictEqual(hex(await subtle.exportKey('raw', back)),
                       hex(await subtle.exportKey('raw', aes)));

    await rejectsWith(subtle.generateKey({ ...params, publicExponent: new Uint8Array([1, 0, 0]) },
                                         true, ['sign']), 'OperationError');
    await rejectsWith(subtle.generateKey({ ...params, publicExponent: new Uint8Array([1]) }, true,
                                         ['sign']), 'OperationError');
    await rejectsWith(subtle.generateKey({ ...params, publicExponent: [1, 0, 1] }, true, ['sign']),
                      'TypeError');
    await rejectsWith(subtle.generateKey(params, true, ['encrypt']), 'SyntaxError');
    await rejectsWith(subtle.generateKey(params, true, ['verify']), 'SyntaxError');
    await rejectsWith(subtle.generateKey({ ...params, hash: 'SHA-3' }, true, ['sign']),
                      'NotSupportedError');
    await rejectsWith(subtle.generateKey({ ...params, modulusLength: -1 }, true, ['sign']),
                      'TypeError');
    // Key data checks.
    await rejectsWith(subtle.importKey('spki', kRsaPkcs8, pkcs1, true, ['verify']), 'DataError');
    await rejectsWith(subtle.importKey('pkcs8', kRsaSpki, pkcs1, true, ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('spki', new Uint8Array([...kRsaSpki, 0]), pkcs1, true,
                                       ['verify']), 'DataError');
    await rejectsWith(subtle.importKey('spki', kRsaSpki, pkcs1, true, ['sign']), 'SyntaxError');
    await rejectsWith(subtle.importKey('raw', kRsaSpki, pkcs1, true, ['verify']),
                      'NotSupportedError');
    await rejectsWith(subtle.importKey('spki', kRsaSpki, { name: 'RSA-PSS' }, true, ['verify']),
                      'TypeError');
    // A key for another RSA scheme is rejected by name.
    const pkcs1Key = await subtle.importKey('spki', kRsaSpki, pkcs1, true, ['verify']);
    await rejectsWith(subtle.verify({ name: 'RSA-PSS', saltLength: 32 }, pkcs1Key, kRsaPssSig,
                                    enc('abc')), 'InvalidAccessError');
    // An EC key is not an RSA key.
    const ec = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    const ecSpki = await subtle.exportKey('spki', ec.publicKey);
    await rejectsWith(subtle.importKey('spki', ecSpki, pkcs1, true, ['verify']), 'DataError');
  },
};
