// Headers, as Cloudflare Workers expose it.
// https://fetch.spec.whatwg.org/#headers-class
//
// Differences from the spec, following workerd (Cloudflare's runtime):
// - No forbidden header names: a worker may set any header on any object. The "request" and
//   "response" guards therefore behave like "none"; only "immutable" blocks changes (incoming
//   requests and fetch() responses get it), with workerd's "Can't modify immutable headers.".
// - Header values are not ByteStrings: any string without NUL, CR or LF is accepted (the server
//   sends values as UTF-8, as workerd does). Names must be HTTP tokens (ASCII).
// - `getAll(name)` is kept for Set-Cookie only (legacy Workers API).
// - Constructing from another Headers object copies it directly, ignoring a patched
//   Symbol.iterator on the source (workerd does the same).
// Exposes `internals.fetch.headers` (internal helpers for Request/Response and the runtime).
'use strict';

const {
  ArrayPrototypePush, ArrayPrototypeSort, ArrayPrototypeJoin, FunctionPrototypeCall,
  ObjectDefineProperty, ObjectGetPrototypeOf, ObjectSetPrototypeOf, ReflectDeleteProperty,
  ReflectGetOwnPropertyDescriptor, ReflectOwnKeys, RegExpPrototypeExec, SafeMap,
  StringPrototypeCharCodeAt, StringPrototypeSlice, StringPrototypeToLowerCase, SymbolIterator,
  SymbolToStringTag, TypeError,
} = primordials;
const { webidl } = internals;

const kImmutable = "Can't modify immutable headers.";
const kInvalidName = 'Invalid header name.';
const kInvalidValue = 'Invalid header value.';

// https://fetch.spec.whatwg.org/#header-name (token, RFC 9110)
const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// https://fetch.spec.whatwg.org/#header-value: no NUL, CR or LF.
const badValueRe = /[\0\r\n]/;

function validName(name) {
  return RegExpPrototypeExec(tokenRe, name) !== null;
}

function isHttpWhitespace(c) {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

// https://fetch.spec.whatwg.org/#concept-header-value-normalize
function normalizeValue(value) {
  const n = value.length;
  if (n === 0) return value;
  let start = 0;
  let end = n;
  while (start < end && isHttpWhitespace(StringPrototypeCharCodeAt(value, start))) start++;
  while (end > start && isHttpWhitespace(StringPrototypeCharCodeAt(value, end - 1))) end--;
  const v = (start === 0 && end === n) ? value : StringPrototypeSlice(value, start, end);
  if (RegExpPrototypeExec(badValueRe, v) !== null) throw new TypeError(kInvalidValue);
  return v;
}

function checkedName(name) {
  if (!validName(name)) throw new TypeError(kInvalidName);
  return StringPrototypeToLowerCase(name);
}

const kInternal = {};  // constructor sentinel for internal creation (never reachable by users)
const guards = { __proto__: null, immutable: 1, request: 1, 'request-no-cors': 1, response: 1,
  none: 1 };

// Internal accessors, bound in the static block (they see the private fields).
let isHeaders, entriesOf, sortedOf, guardOf, setGuardOf, rawOf, setRawOf, changed;

class Headers {
  // Lower-cased name -> { name: first-seen spelling, values: [] }. `null` while #raw holds the
  // unparsed pairs received from the HTTP parser (built on first use).
  #map;
  #raw = null;
  #guard = 'none';
  #sorted = null;  // cache of "sort and combine", dropped on every change

  constructor(init = undefined) {
    this.#map = new SafeMap();
    if (init === kInternal) return;
    // https://fetch.spec.whatwg.org/#dom-headers: fill this with init.
    if (init !== undefined) fill(this, init);
  }

  #entries() {
    if (this.#map === null) {
      const map = new SafeMap();
      const raw = this.#raw;
      this.#raw = null;
      for (let i = 0; i + 1 < raw.length; i += 2) {
        appendTo(map, raw[i], StringPrototypeToLowerCase(raw[i]), raw[i + 1]);
      }
      this.#map = map;
    }
    return this.#map;
  }

  #checkGuard() {
    if (this.#guard === 'immutable') throw new TypeError(kImmutable);
  }

  // https://fetch.spec.whatwg.org/#dom-headers-append
  append(name, value) {
    webidl.requiredArguments(arguments.length, 2, "Failed to execute 'append' on 'Headers'");
    name = webidl.toDOMString(name);
    value = webidl.toDOMString(value);
    this.#checkGuard();
    value = normalizeValue(value);
    const key = checkedName(name);
    appendTo(this.#entries(), name, key, value);
    this.#sorted = null;
  }

  // https://fetch.spec.whatwg.org/#dom-headers-delete
  delete(name) {
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'delete' on 'Headers'");
    name = webidl.toDOMString(name);
    this.#checkGuard();
    const key = checkedName(name);
    if (this.#entries().delete(key)) this.#sorted = null;
  }

  // https://fetch.spec.whatwg.org/#dom-headers-get
  get(name) {
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'get' on 'Headers'");
    const entry = this.#entries().get(checkedName(webidl.toDOMString(name)));
    if (entry === undefined) return null;
    const values = entry.values;
    return values.length === 1 ? values[0] : ArrayPrototypeJoin(values, ', ');
  }

  // https://fetch.spec.whatwg.org/#dom-headers-getsetcookie
  getSetCookie() {
    const entry = this.#entries().get('set-cookie');
    return entry === undefined ? [] : copyArray(entry.values);
  }

  // Legacy Workers API, for Set-Cookie only.
  getAll(name) {
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'getAll' on 'Headers'");
    name = webidl.toDOMString(name);
    if (StringPrototypeToLowerCase(name) !== 'set-cookie') {
      throw new TypeError('getAll() can only be used with the header name "Set-Cookie".');
    }
    const entry = this.#entries().get('set-cookie');
    return entry === undefined ? [] : copyArray(entry.values);
  }

  // https://fetch.spec.whatwg.org/#dom-headers-has
  has(name) {
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'has' on 'Headers'");
    return this.#entries().has(checkedName(webidl.toDOMString(name)));
  }

  // https://fetch.spec.whatwg.org/#dom-headers-set
  set(name, value) {
    webidl.requiredArguments(arguments.length, 2, "Failed to execute 'set' on 'Headers'");
    name = webidl.toDOMString(name);
    value = webidl.toDOMString(value);
    this.#checkGuard();
    value = normalizeValue(value);
    const key = checkedName(name);
    setIn(this.#entries(), name, key, value);
    this.#sorted = null;
  }

  // https://webidl.spec.whatwg.org/#es-forEach (live: re-reads the list after every callback)
  forEach(callback, thisArg = undefined) {
    webidl.requiredArguments(arguments.length, 1, "Failed to execute 'forEach' on 'Headers'");
    if (typeof callback !== 'function') {
      throw new TypeError(
          "Failed to execute 'forEach' on 'Headers': parameter 1 is not of type 'Function'.");
    }
    let list = this.#sortedList();
    for (let i = 0; i < list.length; i++) {
      const pair = list[i];
      FunctionPrototypeCall(callback, thisArg, pair[1], pair[0], this);
      list = this.#sortedList();
    }
  }

  entries() { return newIterator(this, kEntries); }
  keys() { return newIterator(this, kKeys); }
  values() { return newIterator(this, kValues); }

  // https://fetch.spec.whatwg.org/#concept-header-list-sort-and-combine: lower-cased names in
  // order; values of one name joined with ", ", except Set-Cookie (one pair per value).
  #sortedList() {
    if (this.#sorted !== null) return this.#sorted;
    const map = this.#entries();
    const names = [];
    for (const e of map) ArrayPrototypePush(names, e[0]);
    ArrayPrototypeSort(names);
    const out = [];
    for (let i = 0; i < names.length; i++) {
      const key = names[i];
      const values = map.get(key).values;
      if (key === 'set-cookie') {
        for (let j = 0; j < values.length; j++) ArrayPrototypePush(out, [key, values[j]]);
      } else {
        ArrayPrototypePush(out, [key, values.length === 1 ? values[0] :
          ArrayPrototypeJoin(values, ', ')]);
      }
    }
    this.#sorted = out;
    return out;
  }

  static {
    isHeaders = (v) => (typeof v === 'object' && v !== null && #map in v);
    entriesOf = (h) => h.#entries();
    sortedOf = (h) => h.#sortedList();
    guardOf = (h) => h.#guard;
    setGuardOf = (h, g) => { h.#guard = g; };
    rawOf = (h) => h.#raw;
    setRawOf = (h, raw) => { h.#raw = raw; h.#map = null; h.#sorted = null; };
    changed = (h) => { h.#sorted = null; };
  }
}

const kKeys = 'keys';
const kValues = 'values';
const kEntries = 'entries';

function copyArray(a) {
  const out = [];
  for (let i = 0; i < a.length; i++) ArrayPrototypePush(out, a[i]);
  return out;
}

function appendTo(map, name, key, value) {
  const entry = map.get(key);
  if (entry === undefined) {
    map.set(key, { name, values: [value] });
  } else {
    ArrayPrototypePush(entry.values, value);
  }
}

function setIn(map, name, key, value) {
  const entry = map.get(key);
  if (entry === undefined) {
    map.set(key, { name, values: [value] });
  } else {
    entry.values = [value];
  }
}

function isObject(v) {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

const kNotSequence = "Failed to construct 'Headers': The provided value cannot be converted " +
                     'to a sequence.';

// https://fetch.spec.whatwg.org/#concept-headers-fill
function fill(headers, init) {
  if (!isObject(init)) {
    throw new TypeError("Failed to construct 'Headers': The provided value is not of type " +
                        "'(record<ByteString, ByteString> or sequence<sequence<ByteString>>)'.");
  }
  if (isHeaders(init)) {
    // Fast path (as workerd): copy the other object's list, keeping each name's first spelling.
    const raw = rawOf(init);
    if (raw !== null) {
      setRawOf(headers, copyArray(raw));
      return;
    }
    const map = entriesOf(headers);
    for (const e of entriesOf(init)) {
      map.set(e[0], { name: e[1].name, values: copyArray(e[1].values) });
    }
    changed(headers);
    return;
  }
  const list = [];
  const method = init[SymbolIterator];
  if (method !== undefined && method !== null) {
    // sequence<sequence<ByteString>>: the whole sequence is converted first (WebIDL), then
    // appended.
    const pairs = iterableToArray(init, method);
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      if (!isObject(pair)) throw new TypeError(kNotSequence);
      const inner = iterableToArray(pair, pair[SymbolIterator]);
      if (inner.length !== 2) {
        throw new TypeError('To initialize a Headers object from a sequence, each inner ' +
                            'sequence must have exactly two elements.');
      }
      ArrayPrototypePush(list, webidl.toDOMString(inner[0]), webidl.toDOMString(inner[1]));
    }
  } else {
    // record<ByteString, ByteString> (https://webidl.spec.whatwg.org/#es-record)
    // Each enumerable own key is converted (a Symbol throws) and, being a header name, checked
    // before its value is read.
    const keys = ReflectOwnKeys(init);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const desc = ReflectGetOwnPropertyDescriptor(init, key);
      if (desc !== undefined && desc.enumerable) {
        const name = webidl.toDOMString(key);
        if (!validName(name)) throw new TypeError(kInvalidName);
        ArrayPrototypePush(list, name, webidl.toDOMString(init[key]));
      }
    }
  }
  const map = entriesOf(headers);
  for (let i = 0; i < list.length; i += 2) {
    const value = normalizeValue(list[i + 1]);
    appendTo(map, list[i], checkedName(list[i]), value);
  }
  changed(headers);
}

// Iterates a user-provided iterable with the iterator protocol, as WebIDL sequence conversion
// does (this necessarily calls the object's own iterator methods).
function iterableToArray(obj, method) {
  if (typeof method !== 'function') throw new TypeError(kNotSequence);
  const it = FunctionPrototypeCall(method, obj);
  if (!isObject(it)) throw new TypeError('Result of the Symbol.iterator method is not an object');
  const next = it.next;
  const out = [];
  for (;;) {
    const r = FunctionPrototypeCall(next, it);
    if (!isObject(r)) throw new TypeError(`Iterator result ${r} is not an object`);
    if (r.done) return out;
    ArrayPrototypePush(out, r.value);
  }
}

// https://webidl.spec.whatwg.org/#es-default-iterator-object ("Headers Iterator"): index-based
// over the live sorted list, so changes during iteration are seen as the spec requires.
const newIterator = internals.webidl.createPairIterator('Headers', (v) => isHeaders(v), sortedOf);

webidl.configureInterface(Headers);
ObjectDefineProperty(Headers.prototype, SymbolIterator, {
  value: Headers.prototype.entries, writable: true, enumerable: false, configurable: true,
});

// ---- internal API (Request/Response and the runtime; never reachable by user code) ------------

// A Headers object with the given guard over a flat [name, value, ...] array received from the
// HTTP parser. The pairs are trusted (the parser validated them) and indexed on first use.
function headersFromRaw(flat, guard = 'immutable') {
  const h = new Headers(kInternal);
  setRawOf(h, flat);
  setGuardOf(h, guard);
  return h;
}

// A new Headers object from a HeadersInit (undefined: empty) with the given guard.
function newHeaders(init = undefined, guard = 'none') {
  const h = new Headers(kInternal);
  if (init !== undefined) fill(h, init);
  setGuardOf(h, guard);
  return h;
}

// A copy of `src`'s list; the guard is the given one (default: the source's).
function copyHeaders(src, guard = undefined) {
  const h = new Headers(kInternal);
  fill(h, src);
  setGuardOf(h, guard === undefined ? guardOf(src) : guard);
  return h;
}

function setGuard(h, guard) {
  if (!(guard in guards)) throw new TypeError(`Unknown headers guard: ${guard}`);
  setGuardOf(h, guard);
}

// Lookups a patched Headers.prototype cannot intercept. `key` is lower-case.
function getHeader(h, key) {
  const entry = entriesOf(h).get(key);
  if (entry === undefined) return null;
  return entry.values.length === 1 ? entry.values[0] : ArrayPrototypeJoin(entry.values, ', ');
}

function hasHeader(h, key) {
  return entriesOf(h).has(key);
}

// Sets ignoring the guard (the runtime's own headers, e.g. a body's Content-Type). The value must
// already be valid.
function setHeader(h, name, value) {
  setIn(entriesOf(h), name, StringPrototypeToLowerCase(name), value);
  changed(h);
}

// Flat [name, value, ...] for the wire: names as first spelled, one pair per value (so each
// Set-Cookie stays its own line), names in first-insertion order.
function headersToFlat(h) {
  const raw = rawOf(h);
  if (raw !== null) return copyArray(raw);
  const out = [];
  for (const e of entriesOf(h)) {
    const entry = e[1];
    const values = entry.values;
    for (let i = 0; i < values.length; i++) ArrayPrototypePush(out, entry.name, values[i]);
  }
  return out;
}

// The sorted-and-combined [name, value] pairs (e.g. for console output). Do not mutate.
function headersSorted(h) {
  return sortedOf(h);
}

internals.fetch = internals.fetch || { __proto__: null };
internals.fetch.headers = {
  Headers, isHeaders, headersFromRaw, newHeaders, copyHeaders, setGuard, getGuard: guardOf,
  getHeader, hasHeader, setHeader, headersToFlat, headersSorted, normalizeValue,
  isValidName: validName,
};
internals.defineGlobal('Headers', Headers);
