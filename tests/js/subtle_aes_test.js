// AES-GCM, AES-CBC, AES-CTR and AES-KW through crypto.subtle: NIST SP 800-38A/38D (GCM spec test
// cases) and RFC 3394 known answers, counter wrap-around, key generation, raw/JWK import/export,
// wrapKey/unwrapKey, and the error cases.
// https://w3c.github.io/webcrypto/#aes-ctr · #aes-cbc · #aes-gcm · #aes-kw
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

const importAes = (name, raw, usages = ['encrypt', 'decrypt'], extractable = true) =>
  subtle.importKey('raw', raw, name, extractable, usages);

// NIST SP 800-38A appendix F: key and the four plaintext blocks.
const kSp80038aKey = unhex('2b7e151628aed2a6abf7158809cf4f3c');
const kSp80038aPlain = unhex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51' +
                             '30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710');

export const gcmKnownAnswers = {
  async test() {
    // "The Galois/Counter Mode of Operation" test case 2: all-zero key, IV and block.
    let key = await importAes('AES-GCM', new Uint8Array(16));
    let out = await subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, key,
                                   new Uint8Array(16));
    assert.strictEqual(hex(out),
                       '0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf');
    // Test case 4: 60-byte plaintext with additional data.
    key = await importAes('AES-GCM', unhex('feffe9928665731c6d6a8f9467308308'));
    const plain = unhex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
                        '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39');
    const params = { name: 'AES-GCM', iv: unhex('cafebabefacedbaddecaf888'),
      additionalData: unhex('feedfacedeadbeeffeedfacedeadbeefabaddad2') };
    out = await subtle.encrypt(params, key, plain);
    assert.strictEqual(hex(out),
                       '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e' +
                       '21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091' +
                       '5bc94fbc3221a5db94fae95ae7121a47');
    assert.strictEqual(hex(await subtle.decrypt(params, key, out)), hex(plain));
    // Truncated tag (96 bits) is the prefix of the full tag.
    const short = await subtle.encrypt({ ...params, tagLength: 96 }, key, plain);
    assert.strictEqual(hex(short), hex(out).slice(0, -8));
    // Tampering with ciphertext, tag or additional data fails authentication.
    const bad = new Uint8Array(out);
    bad[0] ^= 1;
    await rejectsWith(subtle.decrypt(params, key, bad), 'OperationError');
    await rejectsWith(subtle.decrypt({ ...params, additionalData: new Uint8Array(1) }, key, out),
                      'OperationError');
    await rejectsWith(subtle.decrypt(params, key, new Uint8Array(15)), 'OperationError');
  },
};

export const cbcKnownAnswers = {
  async test() {
    // SP 800-38A F.2.1; our output adds one PKCS#7 padding block.
    const key = await importAes('AES-CBC', kSp80038aKey);
    const iv = unhex('000102030405060708090a0b0c0d0e0f');
    const out = await subtle.encrypt({ name: 'AES-CBC', iv }, key, kSp80038aPlain);
    assert.strictEqual(out.byteLength, 80);
    assert.strictEqual(hex(out).slice(0, 128),
                       '7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2' +
                       '73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7');
    assert.strictEqual(hex(await subtle.decrypt({ name: 'AES-CBC', iv }, key, out)),
                       hex(kSp80038aPlain));
    // Padding: 0..16 byte inputs round trip and always grow to the next block.
    for (let n = 0; n <= 17; n++) {
      const data = new Uint8Array(n).fill(n);
      const c = await subtle.encrypt({ name: 'AES-CBC', iv }, key, data);
      assert.strictEqual(c.byteLength, (Math.floor(n / 16) + 1) * 16);
      assert.strictEqual(hex(await subtle.decrypt({ name: 'AES-CBC', iv }, key, c)), hex(data));
    }
    await rejectsWith(subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(8) }, key, enc('x')),
                      'OperationError');
    // Bad padding / length on decrypt.
    await rejectsWith(subtle.decrypt({ name: 'AES-CBC', iv }, key, new Uint8Array(16)),
                      'OperationError');
    await rejectsWith(subtle.decrypt({ name: 'AES-CBC', iv }, key, new Uint8Array(10)),
                      'OperationError');
    await rejectsWith(subtle.encrypt({ name: 'AES-CBC' }, key, enc('x')), 'TypeError');
  },
};

export const ctrKnownAnswers = {
  async test() {
    // SP 800-38A F.5.1.
    const key = await importAes('AES-CTR', kSp80038aKey);
    const counter = unhex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
    const out = await subtle.encrypt({ name: 'AES-CTR', counter, length: 64 }, key, kSp80038aPlain);
    assert.strictEqual(hex(out),
                       '874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff' +
                       '5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee');
    assert.strictEqual(hex(await subtle.decrypt({ name: 'AES-CTR', counter, length: 64 }, key,
                                                out)), hex(kSp80038aPlain));
    // Only the low `length` bits count and they wrap without carrying: with an 8-bit counter at
    // 0xff, block 2 uses counter ...00 (not ...0100). Compare against separately computed blocks.
    const c = unhex('000102030405060708090a0b0c0d0eff');
    const two = await subtle.encrypt({ name: 'AES-CTR', counter: c, length: 8 }, key,
                                     new Uint8Array(32));
    const first = await subtle.encrypt({ name: 'AES-CTR', counter: c, length: 128 }, key,
                                       new Uint8Array(16));
    const wrapped = unhex('000102030405060708090a0b0c0d0e00');
    const second = await subtle.encrypt({ name: 'AES-CTR', counter: wrapped, length: 128 }, key,
                                        new Uint8Array(16));
    assert.strictEqual(hex(two), hex(first) + hex(second));
    // With the full 128-bit counter it carries instead.
    const carried = await subtle.encrypt({ name: 'AES-CTR', counter: c, length: 128 }, key,
                                         new Uint8Array(32));
    const next = await subtle.encrypt({ name: 'AES-CTR', counter: unhex(
        '000102030405060708090a0b0c0d0f00'), length: 128 }, key, new Uint8Array(16));
    assert.strictEqual(hex(carried), hex(first) + hex(next));
    // A 1-bit counter allows two blocks, not three.
    await subtle.encrypt({ name: 'AES-CTR', counter, length: 1 }, key, new Uint8Array(32));
    await rejectsWith(subtle.encrypt({ name: 'AES-CTR', counter, length: 1 }, key,
                                     new Uint8Array(33)), 'OperationError');
    await rejectsWith(subtle.encrypt({ name: 'AES-CTR', counter, length: 0 }, key, enc('x')),
                      'OperationError');
    await rejectsWith(subtle.encrypt({ name: 'AES-CTR', counter, length: 129 }, key, enc('x')),
                      'OperationError');
    await rejectsWith(subtle.encrypt({ name: 'AES-CTR', counter, length: 256 }, key, enc('x')),
                      'TypeError');
    await rejectsWith(subtle.encrypt({ name: 'AES-CTR', counter: new Uint8Array(15), length: 64 },
                                     key, enc('x')), 'OperationError');
  },
};

export const kwKnownAnswers = {
  async test() {
    // RFC 3394 §4.1: 128-bit KEK wrapping 128 bits of key data.
    const kek = await importAes('AES-KW', unhex('000102030405060708090a0b0c0d0e0f'),
                                ['wrapKey', 'unwrapKey']);
    const keyData = unhex('00112233445566778899aabbccddeeff');
    const toWrap = await importAes('AES-CBC', keyData);
    const wrapped = await subtle.wrapKey('raw', toWrap, kek, 'AES-KW');
    assert.strictEqual(hex(wrapped), '1fa68b0a8112b447aef34bd8fb5a7b829d3e862371d2cfe5');
    const unwrapped = await subtle.unwrapKey('raw', wrapped, kek, { name: 'AES-KW' }, 'AES-CBC',
                                             true, ['decrypt']);
    assert.strictEqual(hex(await subtle.exportKey('raw', unwrapped)), hex(keyData));
    assert.deepStrictEqual(unwrapped.usages, ['decrypt']);
    // Integrity failure.
    const bad = new Uint8Array(wrapped);
    bad[3] ^= 1;
    await rejectsWith(subtle.unwrapKey('raw', bad, kek, 'AES-KW', 'AES-CBC', true, ['decrypt']),
                      'OperationError');
    // AES-KW cannot encrypt; JWK wrapping needs a multiple of 8 bytes.
    await rejectsWith(subtle.encrypt('AES-KW', kek, new Uint8Array(16)), 'NotSupportedError');
    await rejectsWith(importAes('AES-KW', new Uint8Array(16), ['encrypt']), 'SyntaxError');
  },
};

export const keysAndFormats = {
  async test() {
    for (const name of ['AES-GCM', 'AES-CBC', 'AES-CTR', 'AES-KW']) {
      const usages = name === 'AES-KW' ? ['wrapKey', 'unwrapKey'] : ['encrypt', 'decrypt'];
      for (const length of [128, 192, 256]) {
        const key = await subtle.generateKey({ name, length }, true, usages);
        assert.deepStrictEqual(key.algorithm, { name, length });
        assert.strictEqual(key.type, 'secret');
        const raw = await subtle.exportKey('raw', key);
        assert.strictEqual(raw.byteLength, length / 8);
        const jwk = await subtle.exportKey('jwk', key);
        const suffix = name === 'AES-KW' ? 'KW' : name.slice(4);
        assert.deepStrictEqual(jwk, { alg: `A${length}${suffix}`, ext: true,
          k: jwk.k, key_ops: usages, kty: 'oct' });
        const back = await subtle.importKey('jwk', jwk, name, true, usages);
        assert.strictEqual(hex(await subtle.exportKey('raw', back)), hex(raw));
      }
      await rejectsWith(subtle.generateKey({ name, length: 64 }, true, usages), 'OperationError');
      await rejectsWith(subtle.generateKey({ name, length: 128 }, true, ['sign']), 'SyntaxError');
      await rejectsWith(subtle.generateKey({ name, length: 128 }, true, []), 'SyntaxError');
      await rejectsWith(subtle.generateKey({ name }, true, usages), 'TypeError');
      await rejectsWith(importAes(name, new Uint8Array(20), usages), 'DataError');
      await rejectsWith(subtle.importKey('jwk', { kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA',
        alg: 'A256GCM' }, name, true, usages), 'DataError');
      await rejectsWith(subtle.importKey('pkcs8', new Uint8Array(16), name, true, usages),
                        'NotSupportedError');
    }
    // A non-extractable key cannot be exported or wrapped.
    const key = await importAes('AES-GCM', new Uint8Array(16), ['encrypt'], false);
    await rejectsWith(subtle.exportKey('raw', key), 'InvalidAccessError');
    await rejectsWith(subtle.exportKey('spki', key), 'InvalidAccessError');
    // Tag lengths outside the allowed set.
    const k = await importAes('AES-GCM', new Uint8Array(16));
    await rejectsWith(subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 100 },
                                     k, enc('x')), 'OperationError');
    await rejectsWith(subtle.encrypt({ name: 'AES-GCM', iv: new Uint8Array(0) }, k, enc('x')),
                      'OperationError');
    // A longer IV is allowed.
    const long = { name: 'AES-GCM', iv: new Uint8Array(64).fill(7) };
    const c = await subtle.encrypt(long, k, enc('hello'));
    assert.strictEqual(new TextDecoder().decode(await subtle.decrypt(long, k, c)), 'hello');
    // Wrong algorithm for the key, missing usage.
    await rejectsWith(subtle.encrypt({ name: 'AES-CBC', iv: new Uint8Array(16) }, k, enc('x')),
                      'InvalidAccessError');
    const encOnly = await importAes('AES-GCM', new Uint8Array(16), ['encrypt']);
    await rejectsWith(subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12) }, encOnly,
                                     new Uint8Array(32)), 'InvalidAccessError');
  },
};

export const wrapWithEncryption = {
  async test() {
    // AES-GCM wraps through encrypt/decrypt; a JWK round trips as JSON.
    const kek = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false,
                                         ['wrapKey', 'unwrapKey']);
    const hmacKey = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    const params = { name: 'AES-GCM', iv: new Uint8Array(12).fill(1) };
    const wrapped = await subtle.wrapKey('jwk', hmacKey, kek, params);
    const plainJson = await subtle.decrypt(params, await subtle.importKey('raw',
        new Uint8Array(32), 'AES-GCM', false, ['decrypt']), wrapped).catch(() => null);
    assert.strictEqual(plainJson, null);  // a different key cannot open it
    const back = await subtle.unwrapKey('jwk', wrapped, kek, params,
                                        { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
    assert.strictEqual(hex(await subtle.exportKey('raw', back)),
                       hex(await subtle.exportKey('raw', hmacKey)));
    // AES-KW output is 8 bytes longer than the wrapped key.
    const kw = await subtle.generateKey({ name: 'AES-KW', length: 128 }, false, ['wrapKey']);
    const aesKey = await subtle.generateKey({ name: 'AES-CBC', length: 128 }, true, ['encrypt']);
    const w = await subtle.wrapKey('raw', aesKey, kw, 'AES-KW');
    assert.strictEqual(w.byteLength, 24);
    // Unwrapping garbage as JWK is a DataError; a missing usage an InvalidAccessError.
    const gcm = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true,
                                         ['encrypt', 'unwrapKey']);
    const junk = await subtle.encrypt(params, gcm, enc('not json'));
    await rejectsWith(subtle.unwrapKey('jwk', junk, gcm, params, 'AES-GCM', true, ['encrypt']),
                      'DataError');
    const noKty = await subtle.encrypt(params, gcm, enc('{"k":"AA"}'));
    await rejectsWith(subtle.unwrapKey('jwk', noKty, gcm, params, 'AES-GCM', true, ['encrypt']),
                      'DataError');
    await rejectsWith(subtle.wrapKey('raw', aesKey, gcm, params), 'InvalidAccessError');
    // Wrapping a non-extractable key.
    const fixed = await subtle.generateKey({ name: 'AES-CBC', length: 128 }, false, ['encrypt']);
    await rejectsWith(subtle.wrapKey('raw', fixed, kek, params), 'InvalidAccessError');
  },
};
