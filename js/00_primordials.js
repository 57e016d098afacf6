// Primordials: the JavaScript intrinsics built-ins use, captured before any user code runs, so that a
// worker which patches Array.prototype.push, Promise.prototype.then or JSON.parse cannot change how
// built-ins behave. Naming follows Node/Deno: `ArrayPrototypePush(arr, x)` is the uncurried
// `Array.prototype.push`, `ObjectKeys` is `Object.keys`, `SymbolIterator` is `Symbol.iterator`.
//
// This file runs first; it fills `primordials` (a plain object, frozen at the end of the bootstrap).
'use strict';

const { apply, bind, call } = Function.prototype;
const uncurryThis = bind.bind(call);
primordials.uncurryThis = uncurryThis;
primordials.applyBind = bind.bind(apply);

const copyProps = (src, dest, prefix) => {
  for (const key of Reflect.ownKeys(src)) {
    if (typeof key === 'string') {
      const cap = `${key[0].toUpperCase()}${key.slice(1)}`;
      const name = `${prefix}${cap}`;
      const desc = Reflect.getOwnPropertyDescriptor(src, key);
      if ('get' in desc) {
        if (desc.get) dest[`${prefix}Get${cap}`] = uncurryThis(desc.get);
        if (desc.set) dest[`${prefix}Set${cap}`] = uncurryThis(desc.set);
      } else if (typeof desc.value === 'function' && prefix.endsWith('Prototype')) {
        dest[name] = uncurryThis(desc.value);
      } else if (!(name in dest)) {
        dest[name] = desc.value;
      }
    } else if (typeof key === 'symbol') {
      const desc = Reflect.getOwnPropertyDescriptor(src, key);
      const sname = key.description.replace(/^Symbol\./, '');
      const name = `${prefix}Symbol${sname[0].toUpperCase()}${sname.slice(1)}`;
      if ('value' in desc && typeof desc.value === 'function' && prefix.endsWith('Prototype')) {
        dest[name] = uncurryThis(desc.value);
      } else if ('get' in desc && desc.get) {
        dest[`${prefix}GetSymbol${sname[0].toUpperCase()}${sname.slice(1)}`] = uncurryThis(desc.get);
      }
    }
  }
};

// Namespaces (static functions are captured as-is).
for (const name of ['JSON', 'Math', 'Reflect', 'Atomics']) {
  if (globalThis[name] !== undefined) copyProps(globalThis[name], primordials, name);
}

// Constructors: the constructor itself, its statics, and its prototype methods uncurried.
const ctors = [
  'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView',
  'Date', 'Error', 'EvalError', 'Float32Array', 'Float64Array', 'Function', 'Int16Array',
  'Int32Array', 'Int8Array', 'Map', 'Number', 'Object', 'RangeError', 'ReferenceError', 'RegExp',
  'Set', 'String', 'Symbol', 'SyntaxError', 'TypeError', 'URIError', 'Uint16Array', 'Uint32Array',
  'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'Promise', 'SharedArrayBuffer', 'AggregateError',
];
for (const name of ctors) {
  const C = globalThis[name];
  if (C === undefined) continue;
  primordials[name] = C;
  copyProps(C, primordials, name);
  copyProps(C.prototype, primordials, `${name}Prototype`);
}

// %TypedArray% is not a global; capture it through Uint8Array.
{
  const TypedArray = Reflect.getPrototypeOf(Uint8Array);
  primordials.TypedArray = TypedArray;
  copyProps(TypedArray, primordials, 'TypedArray');
  copyProps(TypedArray.prototype, primordials, 'TypedArrayPrototype');
}

// Iterator prototypes.
{
  const ArrayIteratorPrototype = Reflect.getPrototypeOf([][Symbol.iterator]());
  primordials.ArrayIteratorPrototype = ArrayIteratorPrototype;
  primordials.ArrayIteratorPrototypeNext = uncurryThis(ArrayIteratorPrototype.next);
  primordials.IteratorPrototype = Reflect.getPrototypeOf(ArrayIteratorPrototype);
  primordials.AsyncIteratorPrototype = Reflect.getPrototypeOf(
      Reflect.getPrototypeOf(async function* () {}).prototype);
  primordials.StringIteratorPrototypeNext =
      uncurryThis(Reflect.getPrototypeOf(''[Symbol.iterator]()).next);
  primordials.MapIteratorPrototypeNext =
      uncurryThis(Reflect.getPrototypeOf(new Map()[Symbol.iterator]()).next);
  primordials.SetIteratorPrototypeNext =
      uncurryThis(Reflect.getPrototypeOf(new Set()[Symbol.iterator]()).next);
}

primordials.globalThis = globalThis;
primordials.isNaN = isNaN;
primordials.decodeURIComponent = decodeURIComponent;
primordials.encodeURIComponent = encodeURIComponent;

// Safe collections: their methods and iterators are captured, so a patched Map.prototype.set or
// Map.prototype[Symbol.iterator] does not reach built-ins. Iterate with `for (const x of safe)`.
const makeSafe = (Unsafe, Safe) => {
  for (const key of Reflect.ownKeys(Unsafe.prototype)) {
    if (!Reflect.getOwnPropertyDescriptor(Safe.prototype, key)) {
      const desc = Reflect.getOwnPropertyDescriptor(Unsafe.prototype, key);
      if (typeof desc.value === 'function' && desc.value.length === 0 &&
          typeof key === 'symbol' && key === Symbol.iterator) {
        const createIterator = uncurryThis(desc.value);
        const next = primordials[`${Unsafe.name}IteratorPrototypeNext`];
        desc.value = function () {
          const it = createIterator(this);
          return { next: () => next(it), [Symbol.iterator]() { return this; } };
        };
      }
      Reflect.defineProperty(Safe.prototype, key, desc);
    }
  }
  Reflect.setPrototypeOf(Safe.prototype, null);
  Object.freeze(Safe.prototype);
  Object.freeze(Safe);
  return Safe;
};
primordials.SafeMap = makeSafe(Map, class SafeMap extends Map {
  constructor(i) { super(i); }
});
primordials.SafeSet = makeSafe(Set, class SafeSet extends Set {
  constructor(i) { super(i); }
});
primordials.SafeWeakMap = makeSafe(WeakMap, class SafeWeakMap extends WeakMap {
  constructor(i) { super(i); }
});
primordials.SafeWeakSet = makeSafe(WeakSet, class SafeWeakSet extends WeakSet {
  constructor(i) { super(i); }
});

// SafePromise helpers: never look up `then` on a user-visible promise prototype.
{
  const PromiseThen = primordials.PromisePrototypeThen;
  primordials.SafePromiseThen = PromiseThen;
  primordials.PromiseResolveSafe = (v) => new Promise((res) => res(v));
  primordials.SafePromiseAll = (promises) => new Promise((resolve, reject) => {
    const results = [];
    let pending = promises.length;
    if (pending === 0) return resolve(results);
    for (let i = 0; i < promises.length; i++) {
      PromiseThen(primordials.PromiseResolveSafe(promises[i]), (v) => {
        results[i] = v;
        if (--pending === 0) resolve(results);
      }, reject);
    }
  });
}

// An array iterator that survives a patched Array.prototype[Symbol.iterator].
primordials.SafeArrayIterator = class SafeArrayIterator {
  #it;
  constructor(array) { this.#it = primordials.ArrayPrototypeSymbolIterator(array); }
  next() { return primordials.ArrayIteratorPrototypeNext(this.#it); }
  [Symbol.iterator]() { return this; }
};
