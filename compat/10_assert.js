// `node:assert` (the subset tests use): ok, equal, notEqual, strictEqual, notStrictEqual, deepEqual,
// deepStrictEqual, notDeepStrictEqual, throws, rejects, doesNotThrow, doesNotReject, match, fail.
// https://nodejs.org/api/assert.html — messages follow Node's shape, simplified.
'use strict';

const {
  ArrayIsArray, ArrayBufferIsView, DatePrototypeGetTime, Error, FunctionPrototypeCall,
  MapPrototypeGet, MapPrototypeHas, MapPrototypeGetSize, ObjectGetPrototypeOf, ObjectIs, ObjectKeys,
  ObjectPrototypeToString, ReflectOwnKeys, RegExpPrototypeExec, RegExpPrototypeToString,
  SetPrototypeHas, SetPrototypeGetSize, TypedArrayPrototypeGetLength, SafeSet,
  ObjectGetOwnPropertySymbols, ObjectPrototypePropertyIsEnumerable, ObjectPrototypeHasOwnProperty,
} = primordials;

const inspect = (v) => {
  try {
    return internals.console ? internals.console.inspect(v) : String(v);
  } catch {
    return '<uninspectable>';
  }
};

class AssertionError extends Error {
  constructor(options) {
    super(options.message);
    this.name = 'AssertionError';
    this.code = 'ERR_ASSERTION';
    this.actual = options.actual;
    this.expected = options.expected;
    this.operator = options.operator;
  }
}

function fail(actual, expected, message, operator, defaultMessage) {
  if (message instanceof Error) throw message;
  throw new AssertionError({
    message: message ?? defaultMessage ?? `${inspect(actual)} ${operator} ${inspect(expected)}`,
    actual, expected, operator,
  });
}

function isDeepEqual(a, b, strict, memo) {
  if (strict ? ObjectIs(a, b) : (a == b || (a !== a && b !== b))) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (strict && ObjectGetPrototypeOf(a) !== ObjectGetPrototypeOf(b)) return false;
  const tagA = ObjectPrototypeToString(a);
  if (tagA !== ObjectPrototypeToString(b)) return false;
  if (ArrayIsArray(a) !== ArrayIsArray(b)) return false;
  memo ??= { a: new SafeSet(), b: new SafeSet() };
  if (SetPrototypeHas(memo.a, a) && SetPrototypeHas(memo.b, b)) return true;
  memo.a.add(a);
  memo.b.add(b);
  if (tagA === '[object Date]') {
    if (DatePrototypeGetTime(a) !== DatePrototypeGetTime(b)) return false;
  } else if (tagA === '[object RegExp]') {
    if (RegExpPrototypeToString(a) !== RegExpPrototypeToString(b)) return false;
  } else if (a instanceof Error || b instanceof Error) {
    if (a.message !== b.message || a.name !== b.name) return false;
  } else if (ArrayBufferIsView(a)) {
    if (a.byteLength !== b.byteLength) return false;
    const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
    const ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return false;
  } else if (tagA === '[object ArrayBuffer]') {
    return isDeepEqual(new Uint8Array(a), new Uint8Array(b), strict, memo);
  } else if (tagA === '[object Map]') {
    if (MapPrototypeGetSize(a) !== MapPrototypeGetSize(b)) return false;
    for (const [k, v] of new primordials.SafeMap(a)) {
      if (!MapPrototypeHas(b, k) || !isDeepEqual(v, MapPrototypeGet(b, k), strict, memo)) return false;
    }
  } else if (tagA === '[object Set]') {
    if (SetPrototypeGetSize(a) !== SetPrototypeGetSize(b)) return false;
    outer: for (const v of new SafeSet(a)) {
      if (SetPrototypeHas(b, v)) continue;
      if (typeof v === 'object' && v !== null) {
        for (const w of new SafeSet(b)) if (isDeepEqual(v, w, strict, memo)) continue outer;
      }
      return false;
    }
  } else if (tagA === '[object Boolean]' || tagA === '[object Number]' || tagA === '[object String]') {
    if (!ObjectIs(a.valueOf(), b.valueOf())) return false;
  }
  const keysA = ObjectKeys(a);
  const keysB = ObjectKeys(b);
  if (keysA.length !== keysB.length) return false;
  for (const key of keysA) {
    if (!ObjectPrototypeHasOwnProperty(b, key)) return false;
    if (!isDeepEqual(a[key], b[key], strict, memo)) return false;
  }
  if (strict) {
    const symA = ObjectGetOwnPropertySymbols(a).filter((s) => ObjectPrototypePropertyIsEnumerable(a, s));
    const symB = ObjectGetOwnPropertySymbols(b).filter((s) => ObjectPrototypePropertyIsEnumerable(b, s));
    if (symA.length !== symB.length) return false;
    for (const s of symA) if (!isDeepEqual(a[s], b[s], strict, memo)) return false;
  }
  return true;
}

// Checks a thrown value against `expected` (class, RegExp, validation function or object).
function matchesExpected(actual, expected, message, fnName) {
  if (expected === undefined) return;
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && actual instanceof expected) return;
    if (Error.isPrototypeOf?.(expected) || expected === Error) {
      fail(actual, expected, message, fnName,
           `The error is expected to be an instance of "${expected.name}". Received ${inspect(actual)}`);
    }
    if (FunctionPrototypeCall(expected, {}, actual) === true) return;
    fail(actual, expected, message, fnName, `The validation function returned false for ${inspect(actual)}`);
  }
  if (expected instanceof RegExp) {
    if (RegExpPrototypeExec(expected, String(actual)) !== null) return;
    fail(actual, expected, message, fnName,
         `The input did not match the regular expression ${expected}. Input: ${inspect(String(actual))}`);
  }
  if (typeof expected === 'object' && expected !== null) {
    for (const key of ReflectOwnKeys(expected)) {
      const want = expected[key];
      const got = actual?.[key];
      if (want instanceof RegExp && typeof got === 'string') {
        if (RegExpPrototypeExec(want, got) === null) {
          fail(actual, expected, message, fnName,
               `${String(key)}: ${inspect(got)} does not match ${want}`);
        }
      } else if (!isDeepEqual(got, want, true)) {
        fail(actual, expected, message, fnName,
             `Expected ${String(key)} to be ${inspect(want)}, got ${inspect(got)}`);
      }
    }
  }
}

const NO_EXCEPTION = Symbol('no exception');

function assert(value, message) {
  if (!value) fail(value, true, message, '==', `The expression evaluated to a falsy value: ${inspect(value)}`);
}
assert.ok = assert;
assert.fail = (message = 'Failed') => fail(undefined, undefined, message, 'fail');
assert.equal = (a, b, m) => { if (!(a == b || (a !== a && b !== b))) fail(a, b, m, '=='); };
assert.notEqual = (a, b, m) => { if (a == b || (a !== a && b !== b)) fail(a, b, m, '!='); };
assert.strictEqual = (a, b, m) => {
  if (!ObjectIs(a, b)) fail(a, b, m, 'strictEqual', `Expected values to be strictly equal:\n${inspect(a)} !== ${inspect(b)}`);
};
assert.notStrictEqual = (a, b, m) => {
  if (ObjectIs(a, b)) fail(a, b, m, 'notStrictEqual', `Expected "actual" to be strictly unequal to: ${inspect(b)}`);
};
assert.deepEqual = (a, b, m) => { if (!isDeepEqual(a, b, false)) fail(a, b, m, 'deepEqual', `Expected values to be loosely deep-equal:\n${inspect(a)}\nshould loosely deep-equal\n${inspect(b)}`); };
assert.deepStrictEqual = (a, b, m) => { if (!isDeepEqual(a, b, true)) fail(a, b, m, 'deepStrictEqual', `Expected values to be strictly deep-equal:\n${inspect(a)}\nshould equal\n${inspect(b)}`); };
assert.notDeepEqual = (a, b, m) => { if (isDeepEqual(a, b, false)) fail(a, b, m, 'notDeepEqual'); };
assert.notDeepStrictEqual = (a, b, m) => { if (isDeepEqual(a, b, true)) fail(a, b, m, 'notDeepStrictEqual'); };
assert.match = (s, re, m) => {
  if (typeof s !== 'string' || RegExpPrototypeExec(re, s) === null) {
    fail(s, re, m, 'match', `The input did not match the regular expression ${re}. Input: ${inspect(s)}`);
  }
};
assert.doesNotMatch = (s, re, m) => {
  if (typeof s === 'string' && RegExpPrototypeExec(re, s) !== null) fail(s, re, m, 'doesNotMatch');
};
assert.throws = (fn, expected, message) => {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  let thrown = NO_EXCEPTION;
  try { fn(); } catch (e) { thrown = e; }
  if (thrown === NO_EXCEPTION) fail(undefined, expected, message, 'throws', 'Missing expected exception.');
  matchesExpected(thrown, expected, message, 'throws');
};
assert.doesNotThrow = (fn, message) => {
  try { fn(); } catch (e) { fail(e, undefined, typeof message === 'string' ? message : undefined, 'doesNotThrow', `Got unwanted exception: ${inspect(e)}`); }
};
assert.rejects = async (promiseOrFn, expected, message) => {
  if (typeof expected === 'string') { message = expected; expected = undefined; }
  let thrown = NO_EXCEPTION;
  try { await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn); } catch (e) { thrown = e; }
  if (thrown === NO_EXCEPTION) fail(undefined, expected, message, 'rejects', 'Missing expected rejection.');
  matchesExpected(thrown, expected, message, 'rejects');
};
assert.doesNotReject = async (promiseOrFn, message) => {
  try { await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn); } catch (e) { fail(e, undefined, typeof message === 'string' ? message : undefined, 'doesNotReject', `Got unwanted rejection: ${inspect(e)}`); }
};
assert.AssertionError = AssertionError;
assert.strict = assert;

internals.assert = { isDeepEqual };
internals.builtinModules['node:assert'] = { default: assert, ...assert };
internals.builtinModules['node:assert/strict'] = internals.builtinModules['node:assert'];
internals.builtinModules['assert'] = internals.builtinModules['node:assert'];
