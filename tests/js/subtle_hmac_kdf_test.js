// HMAC (RFC 4231, RFC 2202 vectors), PBKDF2 (RFC 6070) and HKDF (RFC 5869) through crypto.subtle:
// known answers, key generation, raw/JWK import and export, deriveKey, and the error cases.
// https://w3c.github.io/webcrypto/#hmac · #pbkdf2 · #hkdf
import assert from 'node:assert';

const enc = (s) => new TextEncoder().encode(s);
const hex = (buf) =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');
const unhex = (s) => new Uint8Array(s.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
const { subtle } = crypto;

async function rejectsWith(promise, name) {
  await assert.rejects(promise, (e) => {
    assert.strictEqual(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    return true;
  });
}

async function hmac(hash, key, data) {
  const k = await subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign', 'verify']);
  const sig = await subtle.sign('HMAC', k, data);
  assert.strictEqual(await subtle.verify('HMAC', k, sig, data), true);
  return hex(sig);
}

export const hmacKnownAnswers = {
  async test() {
    const key1 = new Uint8Array(20).fill(0x0b);
    const data1 = enc('Hi There');
    // RFC 4231 test case 1.
    assert.strictEqual(await hmac('SHA-256', key1, data1),
                       'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
    assert.strictEqual(await hmac('SHA-384', key1, data1),
                       'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c' +
                       'faea9ea9076ede7f4af152e8b2fa9cb6');
    assert.strictEqual(await hmac('SHA-512', key1, data1),
                       '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde' +
                       'daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854');
    // RFC 4231 test case 2 (a key shorter than the output).
    assert.strictEqual(await hmac('SHA-256', enc('Jefe'), enc('what do ya want for nothing?')),
                       '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    // RFC 4231 test case 6 (a key longer than the block size).
    assert.strictEqual(
        await hmac('SHA-256', new Uint8Array(131).fill(0xaa),
                   enc('Test Using Larger Than Block-Size Key - Hash Key First')),
        '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
    // RFC 2202 test case 1 (HMAC-SHA-1).
    assert.strictEqual(await hmac('SHA-1', key1, data1),
                       'b617318655057264e28bc0b6fb378c8ef146be00');
  },
};

export const hmacKeys = {
  async test() {
    // Default length: the hash block size.
    for (const [hash, bits] of [['SHA-1', 512], ['SHA-256', 512], ['SHA-384', 1024],
      ['SHA-512', 1024]]) {
      const k = await subtle.generateKey({ name: 'HMAC', hash }, true, ['sign']);
      assert.strictEqual(k.algorithm.length, bits);
      assert.strictEqual((await subtle.exportKey('raw', k)).byteLength, bits / 8);
    }
    const k = await subtle.generateKey({ name: 'HMAC', hash: { name: 'sha-256' }, length: 256 },
                                       true, ['sign', 'verify']);
    assert.deepStrictEqual(k.algorithm, { name: 'HMAC', hash: { name: 'SHA-256' }, length: 256 });
    // JWK export: members in dictionary order, alg from the hash, key_ops from usages.
    const jwk = await subtle.exportKey('jwk', k);
    assert.deepStrictEqual(Object.keys(jwk), ['alg', 'ext', 'k', 'key_ops', 'kty']);
    assert.strictEqual(jwk.alg, 'HS256');
    assert.strictEqual(jwk.kty, 'oct');
    assert.strictEqual(jwk.ext, true);
    assert.deepStrictEqual(jwk.key_ops, ['sign', 'verify']);
    assert.match(jwk.k, /^[A-Za-z0-9_-]{43}$/);
    // Round trip through JWK gives the same MAC.
    const k2 = await subtle.importKey('jwk', jwk, { name: 'HMAC', hash: 'SHA-256' }, false,
                                      ['sign']);
    assert.strictEqual(k2.extractable, false);
    assert.strictEqual(hex(await subtle.sign('HMAC', k2, enc('m'))),
                       hex(await subtle.sign('HMAC', k, enc('m'))));
    // A wrong signature (or length) verifies false.
    const sig = new Uint8Array(await subtle.sign('HMAC', k, enc('m')));
    sig[0] ^= 1;
    assert.strictEqual(await subtle.verify('HMAC', k, sig, enc('m')), false);
    assert.strictEqual(await subtle.verify('HMAC', k, sig.slice(1), enc('m')), false);
    // length is honoured on import when consistent with the data.
    const k3 = await subtle.importKey('raw', new Uint8Array(4),
                                      { name: 'HMAC', hash: 'SHA-1', length: 30 }, true, ['sign']);
    assert.strictEqual(k3.algorithm.length, 30);
  },
};

export const hmacErrors = {
  async test() {
    const raw = new Uint8Array(16);
    await rejectsWith(subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false,
                                       ['encrypt']), 'SyntaxError');
    await rejectsWith(subtle.importKey('raw', raw, { name: 'HMAC' }, false, ['sign']), 'TypeError');
    await rejectsWith(subtle.importKey('raw', new Uint8Array(0), { name: 'HMAC', hash: 'SHA-256' },
                                       false, ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256', length: 200 },
                                       false, ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256', length: 120 },
                                       false, ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('spki', raw, { name: 'HMAC', hash: 'SHA-256' }, false,
                                       ['sign']), 'NotSupportedError');
    await rejectsWith(subtle.importKey('bogus', raw, { name: 'HMAC', hash: 'SHA-256' }, false,
                                       ['sign']), 'TypeError');
    await rejectsWith(subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false,
                                       ['bogus']), 'TypeError');
    await rejectsWith(subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, []),
                      'SyntaxError');
    await rejectsWith(subtle.importKey('raw', { kty: 'oct' }, { name: 'HMAC', hash: 'SHA-256' },
                                       false, ['sign']), 'TypeError');
    await rejectsWith(subtle.importKey('jwk', raw, { name: 'HMAC', hash: 'SHA-256' }, false,
                                       ['sign']), 'TypeError');
    const jwk = { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA' };
    const alg = { name: 'HMAC', hash: 'SHA-256' };
    await subtle.importKey('jwk', jwk, alg, false, ['sign']);
    await rejectsWith(subtle.importKey('jwk', { ...jwk, kty: 'RSA' }, alg, false, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { kty: 'oct' }, alg, false, ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, alg: 'HS512' }, alg, false, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, use: 'enc' }, alg, false, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, key_ops: ['verify'] }, alg, false,
                                       ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, key_ops: ['sign', 'sign'] }, alg, false,
                                       ['sign']), 'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, ext: false }, alg, true, ['sign']),
                      'DataError');
    await rejectsWith(subtle.importKey('jwk', { ...jwk, k: 'A*A' }, alg, false, ['sign']),
                      'DataError');
    await rejectsWith(subtle.generateKey({ name: 'HMAC', hash: 'SHA-256', length: 0 }, false,
                                         ['sign']), 'OperationError');
    await rejectsWith(subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, []),
                      'SyntaxError');
    // Using a key for another algorithm or usage.
    const k = await subtle.importKey('raw', raw, alg, false, ['sign']);
    await rejectsWith(subtle.verify('HMAC', k, new Uint8Array(32), enc('x')), 'InvalidAccessError');
    await rejectsWith(subtle.sign({ name: 'AES-GCM', iv: new Uint8Array(12) }, k, enc('x')),
                      'NotSupportedError');
    await rejectsWith(subtle.exportKey('raw', k), 'InvalidAccessError');
    await rejectsWith(subtle.sign('HMAC', {}, enc('x')), 'TypeError');
  },
};

export const pbkdf2KnownAnswers = {
  async test() {
    const derive = async (password, salt, iterations, bits) => {
      const key = await subtle.importKey('raw', enc(password), 'PBKDF2', false, ['deriveBits']);
      return hex(await subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-1', salt: enc(salt),
        iterations }, key, bits));
    };
    // RFC 6070.
    assert.strictEqual(await derive('password', 'salt', 1, 160),
                       '0c60c80f961f0e71f3a9b524af6012062fe037a6');
    assert.strictEqual(await derive('password', 'salt', 2, 160),
                       'ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957');
    assert.strictEqual(await derive('password', 'salt', 4096, 160),
                       '4b007901b765489abead49d926f721d065a429c1');
    assert.strictEqual(await derive('passwordPASSWORDpassword',
                                    'saltSALTsaltSALTsaltSALTsaltSALTsalt', 4096, 200),
                       '3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038');
    assert.strictEqual(await derive('password', 'salt', 1, 0), '');
  },
};

export const hkdfKnownAnswers = {
  async test() {
    const derive = async (hash, ikm, salt, info, bits) => {
      const key = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
      return hex(await subtle.deriveBits({ name: 'HKDF', hash, salt, info }, key, bits));
    };
    // RFC 5869 test case 1.
    assert.strictEqual(
        await derive('SHA-256', new Uint8Array(22).fill(0x0b), unhex('000102030405060708090a0b0c'),
                     unhex('f0f1f2f3f4f5f6f7f8f9'), 42 * 8),
        '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
    // RFC 5869 test case 3: empty salt and info.
    assert.strictEqual(
        await derive('SHA-256', new Uint8Array(22).fill(0x0b), new Uint8Array(0),
                     new Uint8Array(0), 42 * 8),
        '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8');
    // RFC 5869 test case 4 (SHA-1).
    assert.strictEqual(
        await derive('SHA-1', new Uint8Array(11).fill(0x0b), unhex('000102030405060708090a0b0c'),
                     unhex('f0f1f2f3f4f5f6f7f8f9'), 42 * 8),
        '085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2c22e422478d305f3f896');
    // An empty input key is allowed.
    assert.strictEqual((await derive('SHA-256', new Uint8Array(0), new Uint8Array(0),
                                     new Uint8Array(0), 256)).length, 64);
  },
};

export const kdfKeysAndErrors = {
  async test() {
    const key = await subtle.importKey('raw', enc('password'), { name: 'PBKDF2' }, false,
                                       ['deriveBits', 'deriveKey']);
    assert.strictEqual(key.type, 'secret');
    assert.deepStrictEqual(key.algorithm, { name: 'PBKDF2' });
    const params = { name: 'PBKDF2', hash: 'SHA-256', salt: enc('salt'), iterations: 1000 };
    // deriveKey → AES-GCM key usable for encryption; the bits equal deriveBits(256).
    const aes = await subtle.deriveKey(params, key, { name: 'AES-GCM', length: 256 }, true,
                                       ['encrypt', 'decrypt']);
    assert.deepStrictEqual(aes.algorithm, { name: 'AES-GCM', length: 256 });
    assert.strictEqual(hex(await subtle.exportKey('raw', aes)),
                       hex(await subtle.deriveBits(params, key, 256)));
    // deriveKey → HMAC without length uses the hash block size.
    const mac = await subtle.deriveKey(params, key, { name: 'HMAC', hash: 'SHA-512' }, false,
                                       ['sign']);
    assert.strictEqual(mac.algorithm.length, 1024);

    await rejectsWith(subtle.deriveBits(params, key), 'OperationError');
    await rejectsWith(subtle.deriveBits(params, key, null), 'OperationError');
    await rejectsWith(subtle.deriveBits(params, key, 100), 'OperationError');
    await rejectsWith(subtle.deriveBits({ ...params, iterations: 0 }, key, 256), 'OperationError');
    await rejectsWith(subtle.deriveBits({ ...params, salt: undefined }, key, 256), 'TypeError');
    await rejectsWith(subtle.deriveKey(params, key, { name: 'AES-GCM', length: 100 }, true,
                                       ['encrypt']), 'OperationError');
    await rejectsWith(subtle.deriveKey(params, key, { name: 'HKDF' }, false, ['deriveBits']),
                      'OperationError');
    await rejectsWith(subtle.importKey('raw', enc('p'), 'PBKDF2', true, ['deriveBits']),
                      'SyntaxError');
    await rejectsWith(subtle.importKey('jwk', { kty: 'oct', k: 'AA' }, 'HKDF', false,
                                       ['deriveBits']), 'NotSupportedError');
    await rejectsWith(subtle.importKey('raw', enc('p'), 'HKDF', false, ['sign']), 'SyntaxError');
    await rejectsWith(subtle.exportKey('raw', key), 'NotSupportedError');
    await rejectsWith(subtle.generateKey('PBKDF2', false, ['deriveBits']), 'NotSupportedError');
    // A key without the deriveBits usage cannot derive bits.
    const onlyKey = await subtle.importKey('raw', enc('p'), 'HKDF', false, ['deriveKey']);
    await rejectsWith(subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(),
      info: new Uint8Array() }, onlyKey, 256), 'InvalidAccessError');
    // HKDF output longer than 255 hash lengths.
    const hk = await subtle.importKey('raw', enc('p'), 'HKDF', false, ['deriveBits']);
    await rejectsWith(subtle.deriveBits({ name: 'HKDF', hash: 'SHA-1', salt: new Uint8Array(),
      info: new Uint8Array() }, hk, 256 * 20 * 8), 'OperationError');
  },
};
