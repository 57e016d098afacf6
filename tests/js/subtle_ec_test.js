// ECDSA, ECDH (P-256/384/521), Ed25519 (and Cloudflare's NODE-ED25519), X25519 through
// crypto.subtle: RFC 6979 A.2.5, RFC 8032 §7.1 test 1 and RFC 7748 §6.1 known answers, an ECDH
// vector from an independent implementation (Node's crypto), every import/export format, and the
// error cases.
// https://w3c.github.io/webcrypto/#ecdsa · #ecdh · #ed25519 · #x25519
import assert from 'node:assert';

const enc = (s) => new TextEncoder().encode(s);
const hex = (buf) =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (s) => new Uint8Array(s.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
const b64 = (s) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
const b64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-')
  .replace(/\//g, '_').replace(/=+$/, '');
const { subtle } = crypto;

async function rejectsWith(promise, name) {
  await assert.rejects(promise, (e) => {
    assert.strictEqual(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    return true;
  });
}

const kEcdhPkcs8 = b64(
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgDtnpMcKj26SRdwIFA8vpp/RLh57OimaVXnswhmEgNd' +
  'ShRANCAARbNuLPr2FJ2eCAKrVfvQ6Sh4uF0jG+JgTqhaSPbnABnK93mHMT6Yz4UPDM50tMCV62cbJ5gUhZmYZXRmIJ' +
  'z1oN')
const kEcdhPeerSpki = b64(
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAECGQriAl2uNZkpb5uu0ADAD5VADcJEGyd1f+KRvRn6opxc3twl2PlFs' +
  'l6H0a+E8x3aWfMjEbNfUgwcOr1nykL8g==')
const kEcdhShared = 'f85556908b0f433770a47a67d62d03b98d69ca08e23f9a36a0971fa2b47cb854';

// RFC 6979 A.2.5 (P-256): private key x, public key (Ux, Uy), and the deterministic SHA-256
// signature of "sample".
const kRfc6979 = {
  d: unhex('c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721'),
  x: unhex('60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6'),
  y: unhex('7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299'),
  sig: unhex('efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716' +
             'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8'),
};

export const ecdsaKnownAnswer = {
  async test() {
    const jwk = { kty: 'EC', crv: 'P-256', x: b64url(kRfc6979.x), y: b64url(kRfc6979.y) };
    const alg = { name: 'ECDSA', namedCurve: 'P-256' };
    const pub = await subtle.importKey('jwk', jwk, alg, true, ['verify']);
    assert.deepStrictEqual(pub.algorithm, { name: 'ECDSA', namedCurve: 'P-256' });
    const params = { name: 'ECDSA', hash: 'SHA-256' };
    assert.strictEqual(await subtle.verify(params, pub, kRfc6979.sig, enc('sample')), true);
    assert.strictEqual(await subtle.verify(params, pub, kRfc6979.sig, enc('samplf')), false);
    assert.strictEqual(await subtle.verify({ name: 'ECDSA', hash: 'SHA-384' }, pub, kRfc6979.sig,
                                           enc('sample')), false);
    assert.strictEqual(await subtle.verify(params, pub, kRfc6979.sig.slice(1), enc('sample')),
                       false);
    // raw export is the uncompressed point.
    assert.strictEqual(hex(await subtle.exportKey('raw', pub)),
                       '04' + hex(kRfc6979.x) + hex(kRfc6979.y));
    // The private key signs verifiable r||s signatures (randomized).
    const priv = await subtle.importKey('jwk', { ...jwk, d: b64url(kRfc6979.d) }, alg, true,
                                        ['sign']);
    const sig = await subtle.sign(params, priv, enc('sample'));
    assert.strictEqual(sig.byteLength, 64);
    assert.strictEqual(await subtle.verify(params, pub, sig, enc('sample')), true);
    const out = await subtle.exportKey('jwk', priv);
    assert.deepStrictEqual(out, { crv: 'P-256', d: b64url(kRfc6979.d), ext: true,
      key_ops: ['sign'], kty: 'EC', x: jwk.x, y: jwk.y });
    // pkcs8 and spki round trip through the same key.
    const pkcs8 = await subtle.exportKey('pkcs8', priv);
    const priv2 = await subtle.importKey('pkcs8', pkcs8, alg, true, ['sign']);
    assert.deepStrictEqual(await subtle.exportKey('jwk', priv2), out);
    const spki = await subtle.exportKey('spki', pub);
    const pub2 = await subtle.importKey('spki', spki, alg, true, ['verify']);
    assert.strictEqual(hex(await subtle.exportKey('raw', pub2)), '04' + hex(kRfc6979.x) +
                       hex(kRfc6979.y));
    // A compressed point imports and exports uncompressed.
    const compressed = new Uint8Array([2 + (kRfc6979.y[31] & 1), ...kRfc6979.x]);
    const pub3 = await subtle.importKey('raw', compressed, alg, true, ['verify']);
    assert.strictEqual(hex(await subtle.exportKey('raw', pub3)), '04' + hex(kRfc6979.x) +
                       hex(kRfc6979.y));
    assert.strictEqual(await subtle.verify(params, pub3, kRfc6979.sig, enc('sample')), true);
  },
};

export const ecdhKnownAnswer = {
  async test() {
    const alg = { name: 'ECDH', namedCurve: 'P-256' };
    const priv = await subtle.importKey('pkcs8', kEcdhPkcs8, alg, false, ['deriveBits',
      'deriveKey']);
    const peer = await subtle.importKey('spki', kEcdhPeerSpki, alg, true, []);
    assert.deepStrictEqual(peer.usages, []);
    const bits = await subtle.deriveBits({ name: 'ECDH', public: peer }, priv, 256);
    assert.strictEqual(hex(bits), kEcdhShared);
    assert.strictEqual(hex(await subtle.deriveBits({ name: 'ECDH', public: peer }, priv)),
                       kEcdhShared);
    // Truncation keeps the leading bits; a partial byte is masked.
    const short = new Uint8Array(await subtle.deriveBits({ name: 'ECDH', public: peer }, priv, 12));
    const full = unhex(kEcdhShared);
    assert.deepStrictEqual(Array.from(short), [full[0], full[1] & 0xf0]);
    await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: peer }, priv, 264),
                      'OperationError');
    // deriveKey → AES key made of the first 128 bits.
    const aes = await subtle.deriveKey({ name: 'ECDH', public: peer }, priv,
                                       { name: 'AES-GCM', length: 128 }, true, ['encrypt']);
    assert.strictEqual(hex(await subtle.exportKey('raw', aes)), kEcdhShared.slice(0, 32));
    // The public member must be a public ECDH key on the same curve.
    await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: priv }, priv, 256),
                      'InvalidAccessError');
    await rejectsWith(subtle.deriveBits({ name: 'ECDH' }, priv, 256), 'TypeError');
    await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: 'x' }, priv, 256), 'TypeError');
    const other = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-384' }, true,
                                           ['deriveBits']);
    await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: other.publicKey }, priv, 256),
                      'InvalidAccessError');
    const ecdsa = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true,
                                           ['sign', 'verify']);
    await rejectsWith(subtle.deriveBits({ name: 'ECDH', public: ecdsa.publicKey }, priv, 256),
                      'InvalidAccessError');
    // Both sides agree for every curve.
    for (const namedCurve of ['P-256', 'P-384', 'P-521']) {
      const a = await subtle.generateKey({ name: 'ECDH', namedCurve }, true, ['deriveBits']);
      const b = await subtle.generateKey({ name: 'ECDH', namedCurve }, true, ['deriveBits']);
      const ab = await subtle.deriveBits({ name: 'ECDH', public: b.publicKey }, a.privateKey);
      const ba = await subtle.deriveBits({ name: 'ECDH', public: a.publicKey }, b.privateKey);
      assert.strictEqual(hex(ab), hex(ba));
      assert.strictEqual(ab.byteLength, { 'P-256': 32, 'P-384': 48, 'P-521': 66 }[namedCurve]);
    }
  },
};

export const ecKeysAndErrors = {
  async test() {
    for (const [namedCurve, size] of [['P-256', 64], ['P-384', 96], ['P-521', 132]]) {
      const { publicKey, privateKey } = await subtle.generateKey({ name: 'ECDSA', namedCurve },
                                                                 true, ['sign', 'verify']);
      assert.deepStrictEqual(publicKey.usages, ['verify']);
      assert.deepStrictEqual(privateKey.usages, ['sign']);
      const hash = { 'P-256': 'SHA-256', 'P-384': 'SHA-384', 'P-521': 'SHA-512' }[namedCurve];
      const sig = await subtle.sign({ name: 'ECDSA', hash }, privateKey, enc('m'));
      assert.strictEqual(sig.byteLength, size);
      assert.strictEqual(await subtle.verify({ name: 'ECDSA', hash }, publicKey, sig, enc('m')),
                         true);
      const raw = await subtle.exportKey('raw', publicKey);
      assert.strictEqual(raw.byteLength, size + 1);
      const jwk = await subtle.exportKey('jwk', privateKey);
      assert.strictEqual(jwk.crv, namedCurve);
      const pub = await subtle.importKey('raw', raw, { name: 'ECDSA', namedCurve }, true,
                                         ['verify']);
      assert.strictEqual(await subtle.verify({ name: 'ECDSA', hash }, pub, sig, enc('m')), true);
    }
    const alg = { name: 'ECDSA', namedCurve: 'P-256' };
    await rejectsWith(subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-192' }, true, ['sign']),
                      'NotSupportedError');
    await rejectsWith(subtle.generateKey({ name: 'ECDSA' }, true, ['sign']), 'TypeError');
    await rejectsWith(subtle.generateKey(alg, true, ['encrypt']), 'SyntaxError');
    await rejectsWith(subtle.generateKey(alg, true, ['verify']), 'SyntaxError');
    await rejectsWith(subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, []),
                      'SyntaxError');
    const jwk = { kty: 'EC', crv: 'P-256', x: b64url(kRfc6979.x), y: b64url(kRfc6979.y),
      d: b64url(kRfc6979.d) };
    // Data checks.
    await rejectsWith(subtle.importKey('raw', new Uint8Array(65), alg, true, ['verify']),
                      'DataError');
    await rejectsWith(subtle.importKey('raw', new Uint8Array([4, ...kRfc6979.x, ...kRfc6979.x]),
                                       alg, true, ['verify']), 'DataError');  // not on the curve
    await rejectsWith(subtle.importKey('raw', new Uint8Array([4, ...kRfc6979.x, ...kRfc6979.y]),
                                       { name: 'ECDSA', namedCurve: 'P-384' }, true, ['verify']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, crv: 'P-384' }, alg, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, kty: 'OKP' }, alg, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, y: undefined }, alg, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, alg: 'ES384' }, alg, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, d: b64url(new Uint8Array(32).fill(1)) },
                                       alg, true, ['sign']), 'DataError');  // d does not match
    await rejectsWith(subtle.importKey('jwk', { ...jwk, x: b64url(kRfc6979.x.slice(1)) }, alg,
                                       true, ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('jwk', jwk, alg, true, ['verify']), 'SyntaxError');
    await rejectsWith(subtle.importKey('jwk', jwk, alg, true, []), 'SyntaxError');
    const k = await subtle.importKey('jwk', jwk, alg, true, ['sign']);
    await rejectsWith(subtle.importKey('spki', await subtle.exportKey('pkcs8', k), alg, true,
                                       ['verify']), 'DataError');
    const spki = await subtle.exportKey('spki', await subtle.importKey('raw',
        new Uint8Array([4, ...kRfc6979.x, ...kRfc6979.y]), alg, true, ['verify']));
    await rejectsWith(subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-384' }, true,
                                       ['verify']), 'DataError');
    // Keys are typed.
    await rejectsWith(subtle.exportKey('raw', k), 'InvalidAccessError');
    await rejectsWith(subtle.exportKey('spki', k), 'InvalidAccessError');
    await rejectsWith(subtle.sign({ name: 'ECDSA' }, k, enc('m')), 'TypeError');
    await rejectsWith(subtle.sign({ name: 'ECDH', hash: 'SHA-256' }, k, enc('m')),
                      'NotSupportedError');
  },
};

// RFC 8032 §7.1 test 1: secret key, public key, empty message, signature.
const kEd25519 = {
  seed: unhex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'),
  pub: unhex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'),
  sig: unhex('e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc6' +
             '1e39701cf9b46bd25bf5f0595bbe24655141438e7a100b'),
};
const kEdPkcs8Prefix = unhex('302e020100300506032b657004220420');
const kX25519Pkcs8Prefix = unhex('302e020100300506032b656e04220420');

export const ed25519KnownAnswer = {
  async test() {
    const pkcs8 = new Uint8Array([...kEdPkcs8Prefix, ...kEd25519.seed]);
    const priv = await subtle.importKey('pkcs8', pkcs8, 'Ed25519', true, ['sign']);
    const pub = await subtle.importKey('raw', kEd25519.pub, { name: 'Ed25519' }, true, ['verify']);
    assert.deepStrictEqual(priv.algorithm, { name: 'Ed25519' });
    assert.strictEqual(hex(await subtle.sign('Ed25519', priv, new Uint8Array(0))),
                       hex(kEd25519.sig));
    assert.strictEqual(await subtle.verify('Ed25519', pub, kEd25519.sig, new Uint8Array(0)), true);
    assert.strictEqual(await subtle.verify('Ed25519', pub, kEd25519.sig, new Uint8Array(1)),
                       false);
    assert.strictEqual(await subtle.verify('Ed25519', pub, kEd25519.sig.slice(1),
                                           new Uint8Array(0)), false);
    // JWK shapes.
    const jwk = await subtle.exportKey('jwk', priv);
    assert.deepStrictEqual(jwk, { alg: 'Ed25519', crv: 'Ed25519', d: b64url(kEd25519.seed),
      ext: true, key_ops: ['sign'], kty: 'OKP', x: b64url(kEd25519.pub) });
    assert.deepStrictEqual(await subtle.exportKey('jwk', pub), { alg: 'Ed25519', crv: 'Ed25519',
      ext: true, key_ops: ['verify'], kty: 'OKP', x: b64url(kEd25519.pub) });
    assert.strictEqual(hex(await subtle.exportKey('pkcs8', priv)), hex(pkcs8));
    assert.strictEqual(hex(await subtle.exportKey('raw', pub)), hex(kEd25519.pub));
    const spki = await subtle.exportKey('spki', pub);
    assert.strictEqual(hex(spki), '302a300506032b6570032100' + hex(kEd25519.pub));
    // JWK import, with "EdDSA" accepted as alg; x must match d.
    const fromJwk = await subtle.importKey('jwk', { ...jwk, alg: 'EdDSA' }, 'Ed25519', false,
                                           ['sign']);
    assert.strictEqual(hex(await subtle.sign('Ed25519', fromJwk, new Uint8Array(0))),
                       hex(kEd25519.sig));
    await rejectsWith(subtle.importKey('jwk', { ...jwk, x: b64url(new Uint8Array(32)) },
                                       'Ed25519', false, ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, alg: 'ed25519' }, 'Ed25519', false,
                                       ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, crv: 'X25519' }, 'Ed25519', false,
                                       ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('raw', kEd25519.pub.slice(1), 'Ed25519', false,
                                       ['verify']), 'DataError');
    await rejectsWith(subtle.importKey('raw', kEd25519.pub, 'Ed25519', false, ['sign']),
                      'SyntaxError');
    await rejectsWith(subtle.exportKey('raw', priv), 'InvalidAccessError');
    // A small-order public key never verifies.
    const small = await subtle.importKey('raw', new Uint8Array(32), 'Ed25519', false, ['verify']);
    assert.strictEqual(await subtle.verify('Ed25519', small, new Uint8Array(64), enc('m')), false);
    // Generated pairs.
    const pair = await subtle.generateKey('Ed25519', false, ['sign', 'verify']);
    const sig = await subtle.sign({ name: 'Ed25519' }, pair.privateKey, enc('m'));
    assert.strictEqual(await subtle.verify('Ed25519', pair.publicKey, sig, enc('m')), true);
    assert.ok(!('namedCurve' in pair.publicKey.algorithm));
  },
};

export const nodeEd25519 = {
  async test() {
    // Cloudflare's legacy spelling: { name, namedCurve } both "NODE-ED25519".
    const alg = { name: 'NODE-ED25519', namedCurve: 'NODE-ED25519' };
    const pair = await subtle.generateKey(alg, true, ['sign', 'verify']);
    assert.deepStrictEqual(pair.publicKey.algorithm, alg);
    const sig = await subtle.sign('NODE-ED25519', pair.privateKey, enc('m'));
    assert.strictEqual(await subtle.verify(alg, pair.publicKey, sig, enc('m')), true);
    // The same key material verifies as plain Ed25519.
    const raw = await subtle.exportKey('raw', pair.publicKey);
    const ed = await subtle.importKey('raw', raw, 'Ed25519', false, ['verify']);
    assert.strictEqual(await subtle.verify('Ed25519', ed, sig, enc('m')), true);
    // But the names do not mix.
    await rejectsWith(subtle.verify('Ed25519', pair.publicKey, sig, enc('m')),
                      'InvalidAccessError');
    const pub = await subtle.importKey('raw', kEd25519.pub, alg, false, ['verify']);
    assert.strictEqual(await subtle.verify(alg, pub, kEd25519.sig, new Uint8Array(0)), true);
    const jwk = await subtle.exportKey('jwk', pair.privateKey);
    assert.strictEqual(jwk.crv, 'Ed25519');
    assert.strictEqual(jwk.alg, undefined);
    await rejectsWith(subtle.generateKey({ name: 'NODE-ED25519' }, true, ['sign']), 'TypeError');
    await rejectsWith(subtle.generateKey({ name: 'NODE-ED25519', namedCurve: 'P-256' }, true,
                                         ['sign']), 'NotSupportedError');
    await rejectsWith(subtle.importKey('raw', kEd25519.pub, { name: 'NODE-ED25519' }, false,
                                       ['verify']), 'TypeError');
  },
};

// RFC 7748 §6.1.
const kX25519 = {
  alicePriv: unhex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'),
  alicePub: unhex('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a'),
  bobPriv: unhex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'),
  bobPub: unhex('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f'),
  shared: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
};

export const x25519KnownAnswer = {
  async test() {
    const alice = await subtle.importKey('pkcs8', new Uint8Array([...kX25519Pkcs8Prefix,
      ...kX25519.alicePriv]), 'X25519', true, ['deriveBits']);
    const bob = await subtle.importKey('pkcs8', new Uint8Array([...kX25519Pkcs8Prefix,
      ...kX25519.bobPriv]), 'X25519', true, ['deriveBits']);
    const alicePub = await subtle.importKey('raw', kX25519.alicePub, 'X25519', true, []);
    const bobPub = await subtle.importKey('raw', kX25519.bobPub, 'X25519', true, []);
    assert.strictEqual(hex(await subtle.deriveBits({ name: 'X25519', public: bobPub }, alice,
                                                   256)), kX25519.shared);
    assert.strictEqual(hex(await subtle.deriveBits({ name: 'X25519', public: alicePub }, bob)),
                       kX25519.shared);
    // The public key derived from the private one matches the RFC.
    const jwk = await subtle.exportKey('jwk', alice);
    assert.deepStrictEqual(jwk, { crv: 'X25519', d: b64url(kX25519.alicePriv), ext: true,
      key_ops: ['deriveBits'], kty: 'OKP', x: b64url(kX25519.alicePub) });
    // A low-order peer gives an all-zero secret: OperationError.
    const zero = await subtle.importKey('raw', new Uint8Array(32), 'X25519', true, []);
    await rejectsWith(subtle.deriveBits({ name: 'X25519', public: zero }, alice, 256),
                      'OperationError');
    await rejectsWith(subtle.deriveBits({ name: 'X25519', public: bobPub }, alice, 512),
                      'OperationError');
    await rejectsWith(subtle.importKey('raw', kX25519.alicePub, 'X25519', true, ['deriveBits']),
                      'SyntaxError');
    const ecdh = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true,
                                          ['deriveBits']);
    await rejectsWith(subtle.deriveBits({ name: 'X25519', public: ecdh.publicKey }, alice, 256),
                      'InvalidAccessError');
    // Generated pairs agree and X25519 keys have no namedCurve.
    const a = await subtle.generateKey('X25519', true, ['deriveKey', 'deriveBits']);
    const b = await subtle.generateKey({ name: 'x25519' }, true, ['deriveBits']);
    assert.deepStrictEqual(a.publicKey.algorithm, { name: 'X25519' });
    assert.deepStrictEqual(a.publicKey.usages, []);
    assert.strictEqual(hex(await subtle.deriveBits({ name: 'X25519', public: b.publicKey },
                                                   a.privateKey)),
                       hex(await subtle.deriveBits({ name: 'X25519', public: a.publicKey },
                                                   b.privateKey)));
  },
};
