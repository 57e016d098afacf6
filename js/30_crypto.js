// crypto.getRandomValues, crypto.randomUUID and the crypto.subtle getter (js/31_subtle*.js).
// https://w3c.github.io/webcrypto/#Crypto-method-getRandomValues
'use strict';

const {
  ArrayBufferIsView, TypeError, TypedArrayPrototypeGetSymbolToStringTag,
  TypedArrayPrototypeGetByteLength,
} = primordials;
const { webidl } = internals;

const integerArrays = new primordials.SafeSet([
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'BigInt64Array', 'BigUint64Array',
]);

class Crypto {
  constructor() { webidl.illegalConstructor(); }

  getRandomValues(array) {
    if (this !== crypto) throw new TypeError('Illegal invocation');
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'getRandomValues' on 'Crypto'");
    const tag = ArrayBufferIsView(array) ? TypedArrayPrototypeGetSymbolToStringTag(array) : undefined;
    if (tag === undefined || !integerArrays.has(tag)) {
      const DOMException = internals.DOMException;
      const msg = 'The data argument must be an integer-type TypedArray';
      throw DOMException ? new DOMException(msg, 'TypeMismatchError') : new TypeError(msg);
    }
    if (TypedArrayPrototypeGetByteLength(array) > 65536) {
      const DOMException = internals.DOMException;
      const msg = `The ArrayBufferView's byte length (${TypedArrayPrototypeGetByteLength(array)}) ` +
                  'exceeds the number of bytes of entropy available via this API (65536)';
      throw DOMException ? new DOMException(msg, 'QuotaExceededError') : new TypeError(msg);
    }
    ops.randomFill(array);
    return array;
  }

  randomUUID() {
    if (this !== crypto) throw new TypeError('Illegal invocation');
    return ops.randomUUID();
  }

  // The SubtleCrypto object (js/31_subtle_crypto.js loads after this file).
  get subtle() {
    if (this !== crypto) throw new TypeError('Illegal invocation');
    return internals.subtle.instance;
  }
}
webidl.configureInterface(Crypto);

const crypto = { __proto__: Crypto.prototype };
internals.crypto = { crypto };
internals.defineGlobals({ Crypto, crypto });
