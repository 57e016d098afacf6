// WebIDL conversions and interface plumbing shared by every built-in Web API.
// https://webidl.spec.whatwg.org/
// Exposes `internals.webidl`.
'use strict';

const {
  ArrayBufferIsView, Error, MathTrunc, MathFloor, MathMin, MathMax, MathPow, NumberIsFinite,
  NumberIsNaN, ObjectDefineProperty, ObjectGetOwnPropertyDescriptor, ObjectGetOwnPropertyNames,
  ReflectOwnKeys, String, StringPrototypeCharCodeAt, StringPrototypeSlice, StringFromCharCode, SymbolToStringTag, TypeError, RangeError, ArrayBufferPrototypeGetByteLength,
  ObjectPrototypeToString, FunctionPrototypeCall, IteratorPrototype, ReflectDeleteProperty,
  ObjectSetPrototypeOf,
} = primordials;

function typeName(v) {
  if (v === null) return 'null';
  return typeof v;
}

function requiredArguments(length, required, prefix) {
  if (length < required) {
    throw new TypeError(`${prefix}: ${required} argument${required === 1 ? '' : 's'} required, ` +
                        `but only ${length} present.`);
  }
}

function illegalConstructor() {
  throw new TypeError('Illegal constructor');
}

// https://webidl.spec.whatwg.org/#es-DOMString
function toDOMString(v) {
  if (typeof v === 'symbol') throw new TypeError('Cannot convert a Symbol value to a string');
  return String(v);
}

// https://webidl.spec.whatwg.org/#es-USVString
// Replaces lone surrogates with U+FFFD. A plain loop: no RegExp, whose exec a user may patch.
function toUSVString(v) {
  const s = toDOMString(v);
  const n = s.length;
  let i = 0;
  for (; i < n; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (c >= 0xd800 && c <= 0xdfff) break;
  }
  if (i === n) return s;
  let out = StringPrototypeSlice(s, 0, i);
  for (; i < n; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (c < 0xd800 || c > 0xdfff) {
      out += StringFromCharCode(c);
    } else if (c <= 0xdbff && i + 1 < n) {
      const d = StringPrototypeCharCodeAt(s, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += StringFromCharCode(c, d);
        i++;
      } else {
        out += '\ufffd';
      }
    } else {
      out += '\ufffd';
    }
  }
  return out;
}

// https://webidl.spec.whatwg.org/#es-ByteString
function toByteString(v, prefix = 'Value') {
  const s = toDOMString(v);
  for (let i = 0; i < s.length; i++) {
    if (StringPrototypeCharCodeAt(s, i) > 255) {
      throw new TypeError(`${prefix} is not a valid ByteString.`);
    }
  }
  return s;
}

function toBoolean(v) {
  return !!v;
}

// https://webidl.spec.whatwg.org/#abstract-opdef-converttoint
function toInteger(v, bitLength, signed, opts = {}, prefix = 'Value') {
  let upper, lower;
  if (bitLength === 64) {
    upper = 2 ** 53 - 1;
    lower = signed ? -(2 ** 53) + 1 : 0;
  } else if (signed) {
    lower = -MathPow(2, bitLength - 1);
    upper = MathPow(2, bitLength - 1) - 1;
  } else {
    lower = 0;
    upper = MathPow(2, bitLength) - 1;
  }
  let x = +v;
  if (x === 0) x = 0;  // -0 → +0
  if (opts.enforceRange) {
    if (NumberIsNaN(x) || !NumberIsFinite(x)) {
      throw new TypeError(`${prefix} is not a finite number.`);
    }
    x = MathTrunc(x);
    if (x < lower || x > upper) {
      throw new TypeError(`${prefix} is outside the accepted range of ${lower} to ${upper}, inclusive.`);
    }
    return x;
  }
  if (!NumberIsNaN(x) && opts.clamp) {
    x = MathMin(MathMax(x, lower), upper);
    const f = MathFloor(x);
    if (x - f === 0.5) x = f % 2 === 0 ? f : f + 1; else x = Math.round(x);
    return x === 0 ? 0 : x;
  }
  if (NumberIsNaN(x) || x === 0 || !NumberIsFinite(x)) return 0;
  x = MathTrunc(x);
  if (x >= lower && x <= upper) return x;
  x = x % MathPow(2, bitLength);
  if (x < 0) x += MathPow(2, bitLength);
  if (signed && x >= MathPow(2, bitLength - 1)) return x - MathPow(2, bitLength);
  return x;
}

const toOctet = (v, o, p) => toInteger(v, 8, false, o, p);
const toUnsignedShort = (v, o, p) => toInteger(v, 16, false, o, p);
const toLong = (v, o, p) => toInteger(v, 32, true, o, p);
const toUnsignedLong = (v, o, p) => toInteger(v, 32, false, o, p);
const toLongLong = (v, o, p) => toInteger(v, 64, true, o, p);
const toUnsignedLongLong = (v, o, p) => toInteger(v, 64, false, o, p);

function toUnrestrictedDouble(v) {
  return +v;
}

function toDouble(v, prefix = 'Value') {
  const x = +v;
  if (!NumberIsFinite(x)) throw new TypeError(`${prefix} is not a finite floating-point value.`);
  return x;
}

const isArrayBuffer = ops.isArrayBuffer;
const isSharedArrayBuffer = ops.isSharedArrayBuffer;
const isDetachedBuffer = ops.isDetachedBuffer;

function isBufferSource(v) {
  return ArrayBufferIsView(v) || isArrayBuffer(v);
}

// A dictionary argument: undefined/null → {}, objects as-is, anything else is a TypeError.
function toDictionary(v, prefix = 'Value') {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' && typeof v !== 'function') {
    throw new TypeError(`${prefix} can not be converted to a dictionary`);
  }
  return v;
}

// Makes a built-in class look like a WebIDL interface: prototype methods and accessors enumerable,
// Symbol.toStringTag set to the interface name.
function configureInterface(klass, name = klass.name) {
  const proto = klass.prototype;
  for (const key of ObjectGetOwnPropertyNames(proto)) {
    if (key === 'constructor') continue;
    const desc = ObjectGetOwnPropertyDescriptor(proto, key);
    if (desc && desc.configurable) {
      desc.enumerable = true;
      ObjectDefineProperty(proto, key, desc);
    }
  }
  ObjectDefineProperty(proto, SymbolToStringTag, {
    value: name, writable: false, enumerable: false, configurable: true,
  });
}

// https://webidl.spec.whatwg.org/#es-default-iterator-object: the iterator of a pair-iterable
// interface (Headers, URLSearchParams, FormData). It reads listOf(target) at every step, so
// changes during iteration are seen, as the spec requires. `kind`: 'keys' | 'values' | 'entries'.
// isTarget brand-checks the receiver of entries()/keys()/values().
function createPairIterator(interfaceName, isTarget, listOf) {
  class PairIterator {
    #target;
    #kind;
    #index = 0;
    constructor(target, kind) {
      this.#target = target;
      this.#kind = kind;
    }

    next() {
      if (typeof this !== 'object' || this === null || !(#target in this)) {
        throw new TypeError('Illegal invocation');
      }
      const list = listOf(this.#target);
      const index = this.#index;
      if (index >= list.length) return { value: undefined, done: true };
      this.#index = index + 1;
      const pair = list[index];
      const kind = this.#kind;
      const value = kind === 'keys' ? pair[0] : kind === 'values' ? pair[1] : [pair[0], pair[1]];
      return { value, done: false };
    }
  }
  const proto = PairIterator.prototype;
  ReflectDeleteProperty(proto, 'constructor');
  ObjectSetPrototypeOf(proto, IteratorPrototype);
  configureInterface(PairIterator, `${interfaceName} Iterator`);
  return (target, kind) => {
    if (!isTarget(target)) throw new TypeError('Illegal invocation');
    return new PairIterator(target, kind);
  };
}

internals.webidl = {
  typeName, requiredArguments, illegalConstructor, toDOMString, toUSVString, toByteString,
  toBoolean, toInteger, toOctet, toUnsignedShort, toLong, toUnsignedLong, toLongLong,
  toUnsignedLongLong, toUnrestrictedDouble, toDouble, isBufferSource, isArrayBuffer,
  isSharedArrayBuffer, isDetachedBuffer, toDictionary,
  configureInterface, createPairIterator,
};

// Globals defined by built-ins are non-enumerable, writable and configurable, as WebIDL does.
internals.defineGlobal = (name, value) => {
  ObjectDefineProperty(globalThis, name, {
    value, writable: true, enumerable: false, configurable: true,
  });
};
internals.defineGlobals = (obj) => {
  for (const key of ReflectOwnKeys(obj)) internals.defineGlobal(key, obj[key]);
};
// Built-in ES modules (`cloudflare:workers`, `node:assert`, ...): specifier → namespace object. The
// module loader turns each into a synthetic module exporting the object's own enumerable keys.
internals.builtinModules = { __proto__: null };
