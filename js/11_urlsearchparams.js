// URLSearchParams and application/x-www-form-urlencoded.
// https://url.spec.whatwg.org/#application/x-www-form-urlencoded
// https://url.spec.whatwg.org/#interface-urlsearchparams
// https://webidl.spec.whatwg.org/#es-iterable (the pair iterator)
//
// Adds to `internals.url`: urlencodedParse(string), urlencodedParseBytes(bytes) -> [[name, value]],
// urlencodedSerialize(list) -> string.
'use strict';

const {
  ArrayPrototypePush, ArrayPrototypeSort, FunctionPrototypeCall,
  IteratorPrototype, ObjectDefineProperty, ObjectSetPrototypeOf,
  ReflectDeleteProperty, ReflectGetOwnPropertyDescriptor, ReflectOwnKeys, SafeMap,
  StringPrototypeCharCodeAt, StringPrototypeIndexOf, StringPrototypeSlice, SymbolIterator,
  TypeError, TypedArrayPrototypeSubarray, Uint8Array,
} = primordials;
const { configureInterface, requiredArguments } = internals.webidl;
const {
  encodeSets, percentDecodeBytes, setRecordQuery, toUSVString, utf8DecodeWithoutBOM, utf8Encode,
  utf8PercentEncode,
} = internals.url;
const { FORM_URLENCODED_SET } = encodeSets;

// ---------------------------------------------------------------------------------------------
// application/x-www-form-urlencoded

// Replaces "+" with a space, then UTF-8 decodes the percent-decoding. A scalar value string with no
// "%" round-trips through UTF-8 unchanged, so only strings with "%" take the byte path.
function decodeFormComponent(s) {
  let out = '';
  let start = 0;
  for (;;) {
    const plus = StringPrototypeIndexOf(s, '+', start);
    if (plus === -1) break;
    out += `${StringPrototypeSlice(s, start, plus)} `;
    start = plus + 1;
  }
  out = start === 0 ? s : out + StringPrototypeSlice(s, start);
  if (StringPrototypeIndexOf(out, '%') === -1) return out;
  return utf8DecodeWithoutBOM(percentDecodeBytes(utf8Encode(out)));
}

// https://url.spec.whatwg.org/#concept-urlencoded-string-parser: the string is the UTF-8 encoding
// of the bytes the parser sees; "&", "=" and "+" are ASCII so they can be found in the string.
function urlencodedParse(input) {
  const output = [];
  let start = 0;
  // The next "=" at or after `start` (-1: none left), kept across sequences so that input with
  // many "&" and few "=" is still scanned once.
  let eq = -2;
  while (start <= input.length) {
    let end = StringPrototypeIndexOf(input, '&', start);
    if (end === -1) end = input.length;
    if (end > start) {
      if (eq !== -1 && eq < start) eq = StringPrototypeIndexOf(input, '=', start);
      let name;
      let value;
      if (eq !== -1 && eq < end) {
        name = StringPrototypeSlice(input, start, eq);
        value = StringPrototypeSlice(input, eq + 1, end);
      } else {
        name = StringPrototypeSlice(input, start, end);
        value = '';
      }
      ArrayPrototypePush(output, [decodeFormComponent(name), decodeFormComponent(value)]);
    }
    start = end + 1;
  }
  return output;
}

function decodeFormBytes(bytes) {
  const copy = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) copy[i] = bytes[i] === 0x2b ? 0x20 : bytes[i];
  return utf8DecodeWithoutBOM(percentDecodeBytes(copy));
}

// https://url.spec.whatwg.org/#concept-urlencoded-parser on a byte sequence (request bodies).
function urlencodedParseBytes(input) {
  const output = [];
  let start = 0;
  while (start <= input.length) {
    // 1. Split on 0x26 (&); skip empty sequences.
    let end = start;
    while (end < input.length && input[end] !== 0x26) end++;
    if (end > start) {
      // 3.2-3.3. name is up to the first 0x3D (=), value after it.
      let eq = start;
      while (eq < end && input[eq] !== 0x3d) eq++;
      const name = TypedArrayPrototypeSubarray(input, start, eq);
      const value = TypedArrayPrototypeSubarray(input, eq < end ? eq + 1 : end, end);
      // 3.4-3.6. "+" becomes a space, then UTF-8 decode the percent-decoding.
      ArrayPrototypePush(output, [decodeFormBytes(name), decodeFormBytes(value)]);
    }
    start = end + 1;
  }
  return output;
}

// https://url.spec.whatwg.org/#concept-urlencoded-serializer (UTF-8).
function urlencodedSerialize(tuples) {
  let output = '';
  for (let i = 0; i < tuples.length; i++) {
    const name = utf8PercentEncode(tuples[i][0], FORM_URLENCODED_SET, true);
    const value = utf8PercentEncode(tuples[i][1], FORM_URLENCODED_SET, true);
    if (i !== 0) output += '&';
    output += `${name}=${value}`;
  }
  return output;
}

// ---------------------------------------------------------------------------------------------
// WebIDL conversions for the constructor argument
// (sequence<sequence<USVString>> or record<USVString, USVString> or USVString).

function isObject(v) {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

// https://webidl.spec.whatwg.org/#create-sequence-from-iterable
function iterableToArray(iterable, method, convert, what) {
  const iterator = FunctionPrototypeCall(method, iterable);
  if (!isObject(iterator)) throw new TypeError(`${what}: the iterator is not an object.`);
  const next = iterator.next;
  const result = [];
  for (;;) {
    const step = FunctionPrototypeCall(next, iterator);
    if (!isObject(step)) throw new TypeError(`${what}: the iterator result is not an object.`);
    if (step.done) return result;
    ArrayPrototypePush(result, convert(step.value));
  }
}

function getIteratorMethod(v, what) {
  const method = v[SymbolIterator];
  if (method === undefined || method === null) return undefined;
  if (typeof method !== 'function') {
    throw new TypeError(`${what}: Symbol.iterator is not callable.`);
  }
  return method;
}

const kConstructorError = "Failed to construct 'URLSearchParams'";

function toPair(inner) {
  if (!isObject(inner)) {
    throw new TypeError(`${kConstructorError}: each pair must be an iterable object.`);
  }
  const method = getIteratorMethod(inner, kConstructorError);
  if (method === undefined) {
    throw new TypeError(`${kConstructorError}: each pair must be an iterable object.`);
  }
  return iterableToArray(inner, method, toUSVString, kConstructorError);
}

// https://webidl.spec.whatwg.org/#es-record
function recordToList(object) {
  const map = new SafeMap();
  const keys = ReflectOwnKeys(object);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const desc = ReflectGetOwnPropertyDescriptor(object, key);
    if (desc === undefined || !desc.enumerable) continue;
    const typedKey = toUSVString(key);
    map.set(typedKey, toUSVString(object[key]));
  }
  const list = [];
  for (const entry of map) ArrayPrototypePush(list, [entry[0], entry[1]]);
  return list;
}

// ---------------------------------------------------------------------------------------------
// URLSearchParams (https://url.spec.whatwg.org/#interface-urlsearchparams)

const kEntries = 'entries';
const kKeys = 'keys';
const kValues = 'values';

let listOf;
let isSearchParams;

class URLSearchParams {
  // A list of [name, value] tuples.
  #list = [];
  // The URL object whose query this is, or null.
  #url = null;

  constructor(init = '') {
    // Steps for the union: sequence (iterable object), record (other object), or USVString.
    if (isObject(init)) {
      const method = getIteratorMethod(init, kConstructorError);
      if (method !== undefined) {
        const pairs = iterableToArray(init, method, toPair, kConstructorError);
        for (let i = 0; i < pairs.length; i++) {
          if (pairs[i].length !== 2) {
            throw new TypeError('Invalid URL search params sequence.');
          }
          ArrayPrototypePush(this.#list, [pairs[i][0], pairs[i][1]]);
        }
      } else {
        this.#list = recordToList(init);
      }
    } else {
      // 1. A string starting with "?" loses it; 2. parse it.
      init = toUSVString(init);
      if (StringPrototypeCharCodeAt(init, 0) === 0x3f) init = StringPrototypeSlice(init, 1);
      this.#list = urlencodedParse(init);
    }
  }

  // https://url.spec.whatwg.org/#concept-urlsearchparams-update
  #update() {
    if (this.#url === null) return;
    const serialized = urlencodedSerialize(this.#list);
    setRecordQuery(this.#url, serialized === '' ? null : serialized);
  }

  get size() {
    return this.#list.length;
  }

  append(name, value) {
    const list = this.#list;
    requiredArguments(arguments.length, 2, "Failed to execute 'append' on 'URLSearchParams'");
    ArrayPrototypePush(list, [toUSVString(name), toUSVString(value)]);
    this.#update();
  }

  delete(name, value = undefined) {
    const list = this.#list;
    requiredArguments(arguments.length, 1, "Failed to execute 'delete' on 'URLSearchParams'");
    name = toUSVString(name);
    if (value !== undefined) value = toUSVString(value);
    // One pass into a new list (splicing per match would be quadratic).
    const kept = [];
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] !== name || (value !== undefined && list[i][1] !== value)) {
        ArrayPrototypePush(kept, list[i]);
      }
    }
    this.#list = kept;
    this.#update();
  }

  get(name) {
    const list = this.#list;
    requiredArguments(arguments.length, 1, "Failed to execute 'get' on 'URLSearchParams'");
    name = toUSVString(name);
    for (let i = 0; i < list.length; i++) if (list[i][0] === name) return list[i][1];
    return null;
  }

  getAll(name) {
    const list = this.#list;
    requiredArguments(arguments.length, 1, "Failed to execute 'getAll' on 'URLSearchParams'");
    name = toUSVString(name);
    const values = [];
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === name) ArrayPrototypePush(values, list[i][1]);
    }
    return values;
  }

  has(name, value = undefined) {
    const list = this.#list;
    requiredArguments(arguments.length, 1, "Failed to execute 'has' on 'URLSearchParams'");
    name = toUSVString(name);
    if (value !== undefined) value = toUSVString(value);
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] === name && (value === undefined || list[i][1] === value)) return true;
    }
    return false;
  }

  set(name, value) {
    const list = this.#list;
    requiredArguments(arguments.length, 2, "Failed to execute 'set' on 'URLSearchParams'");
    name = toUSVString(name);
    value = toUSVString(value);
    // The first tuple named `name` gets the value; the others are removed (in one pass).
    const kept = [];
    let found = false;
    for (let i = 0; i < list.length; i++) {
      if (list[i][0] !== name) {
        ArrayPrototypePush(kept, list[i]);
      } else if (!found) {
        ArrayPrototypePush(kept, [name, value]);
        found = true;
      }
    }
    if (!found) ArrayPrototypePush(kept, [name, value]);
    this.#list = kept;
    this.#update();
  }

  sort() {
    // A stable sort by name in code unit order (JavaScript's string comparison).
    ArrayPrototypeSort(this.#list, (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    this.#update();
  }

  // https://webidl.spec.whatwg.org/#es-forEach: the list is read afresh at each step.
  forEach(callback, thisArg = undefined) {
    void this.#list;
    requiredArguments(arguments.length, 1, "Failed to execute 'forEach' on 'URLSearchParams'");
    if (typeof callback !== 'function') {
      throw new TypeError("Failed to execute 'forEach' on 'URLSearchParams': parameter 1 is not " +
                          "of type 'Function'.");
    }
    for (let i = 0; i < this.#list.length; i++) {
      const pair = this.#list[i];
      FunctionPrototypeCall(callback, thisArg, pair[1], pair[0], this);
    }
  }

  entries() {
    void this.#list;
    return newIterator(this, kEntries);
  }

  keys() {
    void this.#list;
    return newIterator(this, kKeys);
  }

  values() {
    void this.#list;
    return newIterator(this, kValues);
  }

  toString() {
    return urlencodedSerialize(this.#list);
  }

  static {
    listOf = (params) => params.#list;
    isSearchParams = (v) => typeof v === 'object' && v !== null && #list in v;
    internals.url.connectSearchParams(
        // The query object of a URL object (https://url.spec.whatwg.org/#concept-url-initialize).
        (url, query) => {
          const params = new URLSearchParams();
          params.#url = url;
          if (query !== null) params.#list = urlencodedParse(query);
          return params;
        },
        // Resets the list from a URL's new query (href and search setters).
        (params, query) => {
          params.#list = query === null ? [] : urlencodedParse(query);
        });
  }
}

const newIterator = internals.webidl.createPairIterator('URLSearchParams', isSearchParams, listOf);

configureInterface(URLSearchParams);
// The default iterator is `entries` itself.
ObjectDefineProperty(URLSearchParams.prototype, SymbolIterator, {
  value: URLSearchParams.prototype.entries, writable: true, enumerable: false, configurable: true,
});


internals.defineGlobal('URLSearchParams', URLSearchParams);

internals.url.urlencodedParse = urlencodedParse;
internals.url.urlencodedParseBytes = urlencodedParseBytes;
internals.url.urlencodedSerialize = urlencodedSerialize;
