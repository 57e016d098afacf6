// crypto.subtle basics: the SubtleCrypto / CryptoKey interfaces, algorithm normalization errors,
// digest() known answers (FIPS 180-4 / RFC 1321 examples), Cloudflare's DigestStream and
// crypto.subtle.timingSafeEqual.
// https://w3c.github.io/webcrypto/
// https://developers.cloudflare.com/workers/runtime-apis/web-crypto/
import assert from 'node:assert';

const enc = (s) => new TextEncoder().encode(s);
const hex = (buf) =>
  Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, '0')).join('');

async function rejectsWith(promise, name) {
  await assert.rejects(promise, (e) => {
    assert.strictEqual(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    return true;
  });
}

export const interfaces = {
  test() {
    assert.ok(crypto.subtle instanceof SubtleCrypto);
    assert.strictEqual(crypto.subtle, crypto.subtle);
    assert.strictEqual(Object.prototype.toString.call(crypto.subtle), '[object SubtleCrypto]');
    assert.throws(() => new SubtleCrypto(), TypeError);
    assert.throws(() => new CryptoKey(), TypeError);
    // The getter checks its receiver.
    const getter = Object.getOwnPropertyDescriptor(Crypto.prototype, 'subtle').get;
    assert.throws(() => getter.call({}), TypeError);
    assert.strictEqual(typeof crypto.DigestStream, 'function');
    for (const [name, length] of [['encrypt', 3], ['decrypt', 3], ['sign', 3], ['verify', 4],
      ['digest', 2], ['generateKey', 3], ['deriveKey', 5], ['deriveBits', 2], ['importKey', 5],
      ['exportKey', 2], ['wrapKey', 4], ['unwrapKey', 7], ['timingSafeEqual', 2]]) {
      assert.strictEqual(SubtleCrypto.prototype[name].length, length, name);
    }
    // Methods on a foreign receiver reject (promise methods) or throw.
    return rejectsWith(SubtleCrypto.prototype.digest.call({}, 'SHA-256', new Uint8Array()),
                       'TypeError');
  },
};

export const digestKnownAnswers = {
  async test() {
    const abc = enc('abc');
    assert.strictEqual(hex(await crypto.subtle.digest('SHA-1', abc)),
                       'a9993e364706816aba3e25717850c26c9cd0d89d');
    assert.strictEqual(hex(await crypto.subtle.digest('SHA-256', abc)),
                       'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.strictEqual(hex(await crypto.subtle.digest({ name: 'SHA-384' }, abc)),
                       'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed' +
                       '8086072ba1e7cc2358baeca134c825a7');
    assert.strictEqual(hex(await crypto.subtle.digest('sha-512', abc)),
                       'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a' +
                       '2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f');
    assert.strictEqual(hex(await crypto.subtle.digest('SHA-256', new Uint8Array(0))),
                       'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // Two-block message from FIPS 180-4's examples.
    const twoBlocks = enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq');
    assert.strictEqual(hex(await crypto.subtle.digest('SHA-256', twoBlocks)),
                       '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    // MD5 is a Cloudflare extension for digest().
    assert.strictEqual(hex(await crypto.subtle.digest('MD5', abc)),
                       '900150983cd24fb0d6963f7d28e17f72');
    assert.strictEqual(hex(await crypto.subtle.digest('md5', new ArrayBuffer(0))),
                       'd41d8cd98f00b204e9800998ecf8427e');
    // Every BufferSource shape, including a DataView over part of a buffer.
    const buf = new Uint8Array([0, 0x61, 0x62, 0x63, 0]).buffer;
    assert.strictEqual(hex(await crypto.subtle.digest('SHA-1', new DataView(buf, 1, 3))),
                       'a9993e364706816aba3e25717850c26c9cd0d89d');
    const u16 = new Uint16Array(buf.slice(0, 4), 0, 2);
    const u8 = new Uint8Array([0, 0x61, 0x62, 0x63]);
    assert.strictEqual(hex(await crypto.subtle.digest('SHA-1', u16)),
                       hex(await crypto.subtle.digest('SHA-1', u8)));
    // The result is a fresh ArrayBuffer.
    const r = await crypto.subtle.digest('SHA-256', abc);
    assert.ok(r instanceof ArrayBuffer);
  },
};

export const digestErrors = {
  async test() {
    await rejectsWith(crypto.subtle.digest('SHA-3', enc('x')), 'NotSupportedError');
    // Names match ASCII case-insensitively only (U+017F uppercases to S).
    await rejectsWith(crypto.subtle.digest('\u017fha-256', enc('x')), 'NotSupportedError');
    await rejectsWith(crypto.subtle.digest({}, enc('x')), 'TypeError');
    await rejectsWith(crypto.subtle.digest('SHA-256', 'not a buffer'), 'TypeError');
    await rejectsWith(crypto.subtle.digest('SHA-256'), 'TypeError');
    await rejectsWith(crypto.subtle.digest('SHA-256', new SharedArrayBuffer(4)), 'TypeError');
    // MD5 is accepted by digest() only, never as a hash parameter.
    await rejectsWith(crypto.subtle.importKey('raw', new Uint8Array(16),
                                              { name: 'HMAC', hash: 'MD5' }, false, ['sign']),
                      'NotSupportedError');
    // The data is copied before the operation starts.
    const data = enc('abc');
    const p = crypto.subtle.digest('SHA-1', data);
    data[0] = 0;
    assert.strictEqual(hex(await p), 'a9993e364706816aba3e25717850c26c9cd0d89d');
    // A name getter runs once; a throwing one rejects.
    let reads = 0;
    await crypto.subtle.digest({ get name() { reads++; return 'SHA-1'; } }, data);
    assert.strictEqual(reads, 1);
    await assert.rejects(crypto.subtle.digest({ get name() { throw new RangeError('x'); } }, data),
                         RangeError);
  },
};

export const digestStream = {
  async test() {
    const ds = new crypto.DigestStream('SHA-256');
    assert.ok(ds instanceof WritableStream);
    const writer = ds.getWriter();
    await writer.write(enc('a'));
    await writer.write('b');  // strings are hashed as UTF-8
    await writer.write(new DataView(enc('c').buffer));
    await writer.write(new ArrayBuffer(0));
    await writer.close();
    assert.strictEqual(hex(await ds.digest),
                       'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.strictEqual(ds.bytesWritten, 3);
    assert.strictEqual(ds.digest, ds.digest);

    // pipeTo from a ReadableStream, MD5 and an algorithm object.
    const md5 = new crypto.DigestStream({ name: 'MD5' });
    await new Response('abc').body.pipeTo(md5);
    assert.strictEqual(hex(await md5.digest), '900150983cd24fb0d6963f7d28e17f72');

    // Nothing written: the digest of the empty string.
    const empty = new crypto.DigestStream('SHA-1');
    await empty.close();
    assert.strictEqual(hex(await empty.digest), 'da39a3ee5e6b4b0d3255bfef95601890afd80709');

    // Abort rejects the digest with the reason.
    const aborted = new crypto.DigestStream('SHA-256');
    const reason = new Error('stop');
    await aborted.abort(reason);
    await assert.rejects(aborted.digest, (e) => e === reason);

    // A chunk that is not bytes or a string errors the stream.
    const bad = new crypto.DigestStream('SHA-256');
    const w = bad.getWriter();
    await assert.rejects(w.write(123), TypeError);

    // CRCs (workerd extension): check values from the CRC catalogue for "123456789".
    for (const [name, check] of [['crc32', 'cbf43926'], ['crc32c', 'e3069283'],
      ['crc64nvme', 'ae8b14860a799888']]) {
      const crc = new crypto.DigestStream(name);
      const w2 = crc.getWriter();
      await w2.write('1234');
      await w2.write(enc('56789'));
      await w2.close();
      assert.strictEqual(hex(await crc.digest), check, name);
    }
    const noData = new crypto.DigestStream({ name: 'crc32' });
    await noData.close();
    assert.strictEqual(hex(await noData.digest), '00000000');
    assert.throws(() => new crypto.DigestStream('CRC32'), (e) => e.name === 'NotSupportedError');

    // Unknown algorithms throw at construction.
    assert.throws(() => new crypto.DigestStream('SHA-3'), (e) => e.name === 'NotSupportedError');
    assert.throws(() => new crypto.DigestStream(), TypeError);
  },
};

export const timingSafeEqual = {
  test() {
    const { subtle } = crypto;
    assert.strictEqual(subtle.timingSafeEqual(enc('abc'), enc('abc')), true);
    assert.strictEqual(subtle.timingSafeEqual(enc('abc'), enc('abd')), false);
    assert.strictEqual(subtle.timingSafeEqual(new ArrayBuffer(0), new Uint8Array(0)), true);
    assert.strictEqual(subtle.timingSafeEqual(new Uint16Array([0x6261]), enc('ab')), true);
    assert.throws(() => subtle.timingSafeEqual(enc('ab'), enc('abc')), TypeError);
    assert.throws(() => subtle.timingSafeEqual('ab', 'ab'), TypeError);
    assert.throws(() => subtle.timingSafeEqual(enc('ab')), TypeError);
  },
};

export const cryptoKeyShape = {
  async test() {
    const key = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true,
                                                ['verify', 'sign', 'sign']);
    assert.ok(key instanceof CryptoKey);
    assert.strictEqual(Object.prototype.toString.call(key), '[object CryptoKey]');
    assert.strictEqual(key.type, 'secret');
    assert.strictEqual(key.extractable, true);
    // Usages are deduplicated and in the spec's order; both getters return cached objects.
    assert.deepStrictEqual(key.usages, ['sign', 'verify']);
    assert.strictEqual(key.usages, key.usages);
    assert.strictEqual(key.algorithm, key.algorithm);
    assert.deepStrictEqual(key.algorithm, { name: 'HMAC', hash: { name: 'SHA-256' }, length: 512 });
    // Changing the exposed objects does not change the key.
    key.usages.push('encrypt');
    key.algorithm.hash.name = 'SHA-1';
    const sig = await crypto.subtle.sign('HMAC', key, enc('x'));
    assert.strictEqual(sig.byteLength, 32);
    // No own properties: everything is on the prototype.
    assert.deepStrictEqual(Object.keys(key), []);
    const proto = Object.getPrototypeOf(key);
    for (const name of ['type', 'extractable', 'algorithm', 'usages']) {
      assert.throws(() => Object.getOwnPropertyDescriptor(proto, name).get.call({}), TypeError);
    }
  },
};

export const tamperProof = {
  async test() {
    // Built-ins keep working when a script patches the intrinsics they use.
    const saved = {
      push: Array.prototype.push, toUpperCase: String.prototype.toUpperCase,
      mapGet: Map.prototype.get, setHas: Set.prototype.has, slice: Uint8Array.prototype.slice,
      set: Uint8Array.prototype.set, stringify: JSON.stringify, parse: JSON.parse,
    };
    const boom = () => { throw new Error('patched intrinsic called'); };
    Array.prototype.push = boom;
    String.prototype.toUpperCase = boom;
    Map.prototype.get = boom;
    Set.prototype.has = boom;
    Uint8Array.prototype.slice = boom;
    Uint8Array.prototype.set = boom;
    JSON.stringify = boom;
    JSON.parse = boom;
    // Getter-only accessors on Object.prototype: reading or assigning these names on an ordinary
    // object would throw.
    const trapped = ['namedCurve', 'curve', 'kty', 'x', 'hash', 'modulusLength', 'kind'];
    for (const name of trapped) {
      Object.defineProperty(Object.prototype, name, { get: boom, configurable: true });
    }
    try {
      const { subtle } = crypto;
      assert.strictEqual(hex(await subtle.digest('sha-1', enc('abc'))),
                         'a9993e364706816aba3e25717850c26c9cd0d89d');
      const pair = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true,
                                            ['sign', 'verify']);
      const sig = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, pair.privateKey, enc('m'));
      assert.strictEqual(await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, pair.publicKey,
                                             sig, enc('m')), true);
      const spki = await subtle.exportKey('spki', pair.publicKey);
      await subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, true,
                             ['verify']);
      const aes = await subtle.generateKey({ name: 'AES-GCM', length: 128 }, true,
                                           ['encrypt', 'wrapKey', 'unwrapKey']);
      const jwk = await subtle.exportKey('jwk', aes);
      // (Reading a caller's dictionary goes through its prototype, as WebIDL says: use a
      // prototype-less one.)
      await subtle.importKey('jwk', { __proto__: null, ...jwk }, 'AES-GCM', true, ['encrypt']);
      const params = { name: 'AES-GCM', iv: new Uint8Array(12) };
      const wrapped = await subtle.wrapKey('jwk', aes, aes, params);
      await subtle.unwrapKey('jwk', wrapped, aes, params, 'AES-GCM', true, ['encrypt']);
      assert.strictEqual(pair.publicKey.algorithm.name, 'ECDSA');
      const ecJwk = await subtle.exportKey('jwk', pair.privateKey);
      await subtle.importKey('jwk', { __proto__: null, ...ecJwk },
                             { name: 'ECDSA', namedCurve: 'P-256' }, true,
                             ['sign']);
      const hmacKey = await subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
      assert.strictEqual(Object.getOwnPropertyDescriptor(hmacKey.algorithm, 'hash').value.name,
                         'SHA-256');
    } finally {
      Array.prototype.push = saved.push;
      String.prototype.toUpperCase = saved.toUpperCase;
      Map.prototype.get = saved.mapGet;
      Set.prototype.has = saved.setHas;
      Uint8Array.prototype.slice = saved.slice;
      Uint8Array.prototype.set = saved.set;
      JSON.stringify = saved.stringify;
      JSON.parse = saved.parse;
      for (const name of trapped) delete Object.prototype[name];
    }
  },
};
