// Digests: SHA-1/256/384/512 for crypto.subtle.digest() and as the hash of other algorithms; MD5
// for digest() and DigestStream only (Cloudflare accepts it for legacy interop, never as a hash
// parameter). DigestStream is Cloudflare's WritableStream that hashes what is written to it.
// https://w3c.github.io/webcrypto/#sha
// https://developers.cloudflare.com/workers/runtime-apis/web-crypto/#constructors
// DigestStream's CRC names follow workerd (src/workerd/api/crypto/crypto.c++).
'use strict';

const {
  ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, DataViewPrototypeGetByteLength,
  ObjectDefineProperty, ObjectGetPrototypeOf, Promise, PromisePrototypeThen, TypeError,
  SafeSet, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetSymbolToStringTag, Uint32Array, Uint8Array,
} = primordials;
const { webidl } = internals;
const S = internals.subtle;

function byteLengthOf(chunk) {
  if (!ArrayBufferIsView(chunk)) return ArrayBufferPrototypeGetByteLength(chunk);
  return TypedArrayPrototypeGetSymbolToStringTag(chunk) !== undefined
    ? TypedArrayPrototypeGetByteLength(chunk) : DataViewPrototypeGetByteLength(chunk);
}

function digest(normalized, data) {
  return ops.cryptoDigest(normalized.name, data);
}

for (const name of ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512']) {
  S.registerAlgorithm(name, { digest, hash: digest });
}
S.registerAlgorithm('MD5', { digest });

// DigestStream also computes CRCs, as workerd does: "crc32" (zlib's), "crc32c" (Castagnoli) and
// "crc64nvme", each as a big-endian ArrayBuffer.
const kCrcs = new SafeSet(['crc32', 'crc32c', 'crc64nvme']);

function crcBytes(kind, state) {
  const lo = state[0];
  const hi = state[1];
  if (kind !== 'crc64nvme') {
    return TypedArrayPrototypeGetBuffer(new Uint8Array([lo >>> 24, (lo >>> 16) & 0xff,
      (lo >>> 8) & 0xff, lo & 0xff]));
  }
  return TypedArrayPrototypeGetBuffer(new Uint8Array([hi >>> 24, (hi >>> 16) & 0xff,
    (hi >>> 8) & 0xff, hi & 0xff, lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff]));
}

// https://developers.cloudflare.com/workers/runtime-apis/web-crypto/ (crypto.DigestStream)
// A WritableStream of ArrayBuffer / ArrayBufferView / string chunks (strings are hashed as UTF-8);
// `digest` resolves with the hash when the stream closes and rejects if it is aborted.
class DigestStream extends internals.streams.WritableStream {
  #digest;
  #bytesWritten = 0;

  constructor(algorithm) {
    webidl.requiredArguments(arguments.length, 1, "Failed to construct 'DigestStream'");
    // workerd reads the name once; CRCs are matched exactly, hashes case-insensitively.
    let name = algorithm;
    if (algorithm !== null && (typeof algorithm === 'object' || typeof algorithm === 'function')) {
      name = algorithm.name;
      if (name === undefined) {
        throw new TypeError("Failed to construct 'DigestStream': required member 'name' is " +
                            'undefined.');
      }
    }
    name = webidl.toDOMString(name);
    const crc = kCrcs.has(name) ? name : undefined;
    const crcState = crc === undefined ? undefined : new Uint32Array(2);
    const handle = crc === undefined
      ? ops.cryptoDigestInit(S.normalizeAlgorithm(name, 'digest').name) : undefined;
    let resolve;
    let reject;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Nobody is obliged to read `digest`; an abort must not surface as an unhandled rejection.
    PromisePrototypeThen(promise, undefined, () => {});
    let self;
    let done = false;
    const sink = {
      __proto__: null,
      write(chunk) {
        let bytes;
        if (typeof chunk === 'string') {
          bytes = internals.encoding.utf8Encode(chunk);
        } else if (S.isBufferSource(chunk)) {
          bytes = chunk;
        } else {
          throw new TypeError('DigestStream is a byte stream but received an object of ' +
                              'non-ArrayBuffer/ArrayBufferView/string type on its writable side.');
        }
        if (!done) {
          if (crc === undefined) {
            ops.cryptoDigestUpdate(handle, bytes);
          } else {
            ops.cryptoCrcUpdate(crc, crcState, bytes);
          }
          self.#bytesWritten += byteLengthOf(bytes);
        }
      },
      close() {
        if (!done) {
          done = true;
          resolve(crc === undefined ? ops.cryptoDigestFinal(handle) : crcBytes(crc, crcState));
        }
      },
      abort(reason) {
        if (!done) {
          done = true;
          reject(reason);
        }
      },
    };
    super(sink);
    self = this;
    this.#digest = promise;
  }

  get digest() {
    return this.#digest;
  }

  get bytesWritten() {
    return this.#bytesWritten;
  }
}
webidl.configureInterface(DigestStream);

// `crypto.DigestStream`: reachable from the crypto object (workerd nests the type in Crypto).
ObjectDefineProperty(ObjectGetPrototypeOf(internals.crypto.crypto), 'DigestStream', {
  value: DigestStream, writable: true, enumerable: false, configurable: true,
});
S.DigestStream = DigestStream;
