// Headers: https://fetch.spec.whatwg.org/#headers-class, with workerd's behaviour and messages.
import assert from 'node:assert';

const invalidName = { name: 'TypeError', message: 'Invalid header name.' };
const invalidValue = { name: 'TypeError', message: 'Invalid header value.' };
const immutable = { name: 'TypeError', message: "Can't modify immutable headers." };

function entries(h) {
  const out = [];
  for (const e of h) out.push(e);
  return out;
}

export const constructEmpty = {
  test() {
    const h = new Headers();
    assert.deepStrictEqual(entries(h), []);
    assert.deepStrictEqual(entries(new Headers(undefined)), []);
    assert.strictEqual(Headers.length, 0);
    assert.strictEqual(Object.prototype.toString.call(h), '[object Headers]');
  },
};

export const constructFromRecord = {
  test() {
    const h = new Headers({ 'Content-Type': 'text/plain', 'X-B': 'b', 'x-a': ' a ' });
    assert.deepStrictEqual(entries(h), [['content-type', 'text/plain'], ['x-a', 'a'],
      ['x-b', 'b']]);
    // Non-enumerable properties are skipped; an enumerable Symbol key cannot be converted.
    const rec = { a: '1' };
    Object.defineProperty(rec, 'hidden', { value: '2', enumerable: false });
    Object.defineProperty(rec, Symbol('s'), { value: '3', enumerable: false });
    assert.deepStrictEqual(entries(new Headers(rec)), [['a', '1']]);
    assert.throws(() => new Headers({ a: '1', [Symbol('s')]: 'x' }), { name: 'TypeError' });
    // Values are converted to strings.
    assert.strictEqual(new Headers({ n: 1 }).get('n'), '1');
  },
};

export const constructFromRecordProxyOrder = {
  test() {
    const log = [];
    const proxy = new Proxy({ a: '1', b: '2' }, {
      ownKeys(t) { log.push('ownKeys'); return Reflect.ownKeys(t); },
      getOwnPropertyDescriptor(t, k) {
        log.push(`gopd:${k}`);
        return Reflect.getOwnPropertyDescriptor(t, k);
      },
      get(t, k) { log.push(`get:${String(k)}`); return Reflect.get(t, k); },
    });
    const h = new Headers(proxy);
    assert.deepStrictEqual(log, ['get:Symbol(Symbol.iterator)', 'ownKeys', 'gopd:a', 'get:a',
      'gopd:b', 'get:b']);
    assert.strictEqual(h.get('b'), '2');
  },
};

export const constructFromSequence = {
  test() {
    const h = new Headers([['a', '1'], ['A', '2'], ['b', '3']]);
    assert.strictEqual(h.get('a'), '1, 2');
    assert.deepStrictEqual(entries(h), [['a', '1, 2'], ['b', '3']]);
    // Any iterable of iterables.
    const m = new Map([['x', 'y']]);
    assert.strictEqual(new Headers(m).get('x'), 'y');
    function* gen() { yield new Set(['k', 'v']); }
    assert.strictEqual(new Headers(gen()).get('k'), 'v');
  },
};

export const constructFromSequenceErrors = {
  test() {
    const msg = 'To initialize a Headers object from a sequence, each inner sequence must have ' +
                'exactly two elements.';
    assert.throws(() => new Headers([['a']]), { name: 'TypeError', message: msg });
    assert.throws(() => new Headers([['a', 'b', 'c']]), { name: 'TypeError', message: msg });
    assert.throws(() => new Headers([[]]), { name: 'TypeError', message: msg });
    assert.throws(() => new Headers(['ab']), { name: 'TypeError' });
    assert.throws(() => new Headers([1]), { name: 'TypeError' });
    assert.throws(() => new Headers({ [Symbol.iterator]: 1 }), { name: 'TypeError' });
  },
};

export const constructFromNonObject = {
  test() {
    assert.throws(() => new Headers(null), { name: 'TypeError' });
    assert.throws(() => new Headers('a'), { name: 'TypeError' });
    assert.throws(() => new Headers(1), { name: 'TypeError' });
    assert.throws(() => new Headers(true), { name: 'TypeError' });
  },
};

export const constructInvalid = {
  test() {
    assert.throws(() => new Headers({ 'bad name': 'x' }), invalidName);
    assert.throws(() => new Headers([['', 'x']]), invalidName);
    assert.throws(() => new Headers({ a: 'x\ny' }), invalidValue);
    // The whole sequence is converted before anything is appended, and errors surface.
    assert.throws(() => new Headers([['ok', 'v'], ['a b', 'v']]), invalidName);
  },
};

export const constructFromHeaders = {
  test() {
    const src = new Headers([['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2'], ['X', '1']]);
    const copy = new Headers(src);
    assert.deepStrictEqual(entries(copy), entries(src));
    assert.deepStrictEqual(copy.getSetCookie(), ['a=1', 'b=2']);
    copy.set('x', '2');
    copy.append('set-cookie', 'c=3');
    assert.strictEqual(src.get('x'), '1');
    assert.deepStrictEqual(src.getSetCookie(), ['a=1', 'b=2']);
    // A copy of immutable headers is mutable.
    const locked = Response.redirect('https://example.com/').headers;
    const fromLocked = new Headers(locked);
    fromLocked.set('x', 'y');
    assert.strictEqual(fromLocked.get('location'), 'https://example.com/');
  },
};

export const appendGetHasDeleteSet = {
  test() {
    const h = new Headers();
    assert.strictEqual(h.get('a'), null);
    assert.strictEqual(h.has('a'), false);
    h.append('A', '1');
    h.append('a', '2');
    assert.strictEqual(h.get('a'), '1, 2');
    assert.strictEqual(h.get('A'), '1, 2');
    assert.strictEqual(h.has('A'), true);
    h.set('a', '3');
    assert.strictEqual(h.get('a'), '3');
    h.delete('A');
    assert.strictEqual(h.has('a'), false);
    assert.strictEqual(h.get('a'), null);
    h.delete('missing');  // no-op
    // Empty values are kept.
    h.set('empty', '');
    assert.strictEqual(h.get('empty'), '');
    assert.strictEqual(h.has('empty'), true);
    // Arguments are converted with ToString.
    h.set(42, 7);
    assert.strictEqual(h.get('42'), '7');
  },
};

export const valueNormalization = {
  test() {
    const h = new Headers();
    h.set('a', ' \t v \r\n');
    assert.strictEqual(h.get('a'), 'v');
    h.set('b', ' inner  space ');
    assert.strictEqual(h.get('b'), 'inner  space');
    h.append('c', '\t\t');
    assert.strictEqual(h.get('c'), '');
    // Non-HTTP whitespace is kept.
    h.set('d', '\u00a0v\u000b');
    assert.strictEqual(h.get('d'), '\u00a0v\u000b');
  },
};

export const invalidValues = {
  test() {
    const h = new Headers();
    for (const v of ['a\nb', 'a\rb', 'a\0b', '\0']) {
      assert.throws(() => h.set('x', v), invalidValue);
      assert.throws(() => h.append('x', v), invalidValue);
    }
    // Trailing CR/LF are whitespace and get stripped, not rejected.
    h.set('x', 'v\r\n');
    assert.strictEqual(h.get('x'), 'v');
  },
};

export const nonAsciiValuesAllowed = {
  test() {
    // Workers accept any Unicode value (sent as UTF-8), unlike a ByteString-only browser.
    const h = new Headers({ 'x-title': 'café ☕ 日本' });
    assert.strictEqual(h.get('x-title'), 'café ☕ 日本');
  },
};

export const invalidNames = {
  test() {
    const h = new Headers();
    for (const n of ['', 'a b', 'a:b', 'a\nb', 'é', 'a(b', 'a"b', 'a/b', '[x]', 'a\u0100']) {
      assert.throws(() => h.get(n), invalidName, n);
      assert.throws(() => h.has(n), invalidName, n);
      assert.throws(() => h.delete(n), invalidName, n);
      assert.throws(() => h.set(n, 'v'), invalidName, n);
      assert.throws(() => h.append(n, 'v'), invalidName, n);
    }
    // Every token character is accepted.
    const token = "!#$%&'*+-.^_`|~09azAZ";
    h.set(token, 'v');
    assert.strictEqual(h.get(token), 'v');
    assert.deepStrictEqual(entries(h), [[token.toLowerCase(), 'v']]);
  },
};

export const errorOrder = {
  test() {
    // As workerd: an invalid value is reported before an invalid name on set/append.
    const h = new Headers();
    assert.throws(() => h.set('bad name', 'bad\nvalue'), invalidValue);
    // An immutable object reports immutability first.
    const locked = Response.error().headers;
    assert.throws(() => locked.set('bad name', 'v'), immutable);
  },
};

export const forbiddenHeadersAllowed = {
  test() {
    // Workers apply no forbidden header names.
    const h = new Headers();
    for (const n of ['Host', 'Content-Length', 'Connection', 'Cookie', 'Set-Cookie', 'Origin',
                     'Referer', 'Transfer-Encoding', 'Proxy-Authorization', 'Sec-Foo']) {
      h.set(n, 'v');
      assert.strictEqual(h.get(n), 'v');
    }
    const req = new Request('https://example.com/', { headers: { Host: 'h', Cookie: 'c=1' } });
    assert.strictEqual(req.headers.get('host'), 'h');
    req.headers.set('content-length', '5');
    const res = new Response('x', { headers: { 'Set-Cookie': 'a=1' } });
    assert.deepStrictEqual(res.headers.getSetCookie(), ['a=1']);
  },
};

export const requiredArguments = {
  test() {
    const h = new Headers();
    assert.throws(() => h.get(), { name: 'TypeError' });
    assert.throws(() => h.has(), { name: 'TypeError' });
    assert.throws(() => h.delete(), { name: 'TypeError' });
    assert.throws(() => h.set('a'), { name: 'TypeError' });
    assert.throws(() => h.append('a'), { name: 'TypeError' });
    assert.throws(() => h.forEach(), { name: 'TypeError' });
    assert.throws(() => h.get(Symbol('x')), { name: 'TypeError' });
  },
};

export const iterationSortedAndCombined = {
  test() {
    const h = new Headers();
    h.append('Z-Last', '1');
    h.append('a-first', '1');
    h.append('M-Mid', '1');
    h.append('m-mid', '2');
    assert.deepStrictEqual(entries(h), [['a-first', '1'], ['m-mid', '1, 2'], ['z-last', '1']]);
    assert.deepStrictEqual([...h.keys()], ['a-first', 'm-mid', 'z-last']);
    assert.deepStrictEqual([...h.values()], ['1', '1, 2', '1']);
    assert.deepStrictEqual([...h.entries()], entries(h));
    assert.strictEqual(Headers.prototype[Symbol.iterator], Headers.prototype.entries);
  },
};

export const setCookieKeptSeparate = {
  test() {
    const h = new Headers();
    h.append('Set-Cookie', 'a=1; Path=/');
    h.append('x', 'y');
    h.append('set-cookie', 'b=2, with comma');
    h.append('Accept', '*/*');
    assert.deepStrictEqual(entries(h), [['accept', '*/*'], ['set-cookie', 'a=1; Path=/'],
      ['set-cookie', 'b=2, with comma'], ['x', 'y']]);
    assert.deepStrictEqual(h.getSetCookie(), ['a=1; Path=/', 'b=2, with comma']);
    assert.strictEqual(h.get('set-cookie'), 'a=1; Path=/, b=2, with comma');
    assert.deepStrictEqual(h.getAll('Set-Cookie'), ['a=1; Path=/', 'b=2, with comma']);
    // getSetCookie returns a fresh array each time.
    const list = h.getSetCookie();
    list.push('c');
    assert.strictEqual(h.getSetCookie().length, 2);
    assert.deepStrictEqual(new Headers().getSetCookie(), []);
    h.set('set-cookie', 'only');
    assert.deepStrictEqual(h.getSetCookie(), ['only']);
  },
};

export const getAllOnlySetCookie = {
  test() {
    assert.throws(() => new Headers().getAll('x-foo'), {
      name: 'TypeError', message: 'getAll() can only be used with the header name "Set-Cookie".',
    });
  },
};

export const forEach = {
  test() {
    const h = new Headers([['b', '2'], ['a', '1'], ['set-cookie', 'x'], ['set-cookie', 'y']]);
    const seen = [];
    const self = {};
    h.forEach(function (value, key, obj) {
      seen.push([key, value]);
      assert.strictEqual(obj, h);
      assert.strictEqual(this, self);
    }, self);
    assert.deepStrictEqual(seen, [['a', '1'], ['b', '2'], ['set-cookie', 'x'],
      ['set-cookie', 'y']]);
    assert.throws(() => h.forEach(1), { name: 'TypeError' });
    assert.throws(() => h.forEach({}), { name: 'TypeError' });
  },
};

export const iteratorObject = {
  test() {
    const it = new Headers({ a: '1' }).entries();
    assert.strictEqual(Object.prototype.toString.call(it), '[object Headers Iterator]');
    const IteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()));
    assert.strictEqual(Object.getPrototypeOf(Object.getPrototypeOf(it)), IteratorPrototype);
    assert.strictEqual(it[Symbol.iterator](), it);
    assert.deepStrictEqual(it.next(), { value: ['a', '1'], done: false });
    assert.deepStrictEqual(it.next(), { value: undefined, done: true });
    assert.deepStrictEqual(it.next(), { value: undefined, done: true });
    assert.throws(() => Object.getPrototypeOf(it).next.call({}), { name: 'TypeError' });
    assert.strictEqual(Object.getPrototypeOf(it).hasOwnProperty('constructor'), false);
  },
};

export const iterationIsLive = {
  test() {
    // Appending during iteration is seen.
    const h = new Headers([['a', '1'], ['b', '2']]);
    const seen = [];
    for (const [k] of h) {
      seen.push(k);
      if (k === 'a') h.append('c', '3');
    }
    assert.deepStrictEqual(seen, ['a', 'b', 'c']);
    // Deleting an element already visited shifts the rest (one is skipped).
    const h2 = new Headers([['a', '1'], ['b', '2'], ['c', '3']]);
    const seen2 = [];
    for (const [k] of h2) {
      seen2.push(k);
      if (k === 'a') h2.delete('a');
    }
    assert.deepStrictEqual(seen2, ['a', 'c']);
    // forEach is live too.
    const h3 = new Headers([['a', '1'], ['b', '2']]);
    const seen3 = [];
    h3.forEach((v, k) => {
      seen3.push(k);
      if (k === 'a') h3.delete('b');
    });
    assert.deepStrictEqual(seen3, ['a']);
  },
};

export const immutableGuard = {
  test() {
    for (const h of [Response.error().headers, Response.redirect('https://a.example/').headers]) {
      assert.throws(() => h.set('a', 'b'), immutable);
      assert.throws(() => h.append('a', 'b'), immutable);
      assert.throws(() => h.delete('location'), immutable);
      // Reads still work.
      h.get('location');
      h.has('location');
      entries(h);
    }
  },
};

export const interfaceShape = {
  test() {
    assert.strictEqual(typeof Headers, 'function');
    assert.strictEqual(Object.getOwnPropertyDescriptor(globalThis, 'Headers').enumerable, false);
    assert.strictEqual(Reflect.getOwnPropertyDescriptor(Headers, 'prototype').writable, false);
    const proto = Headers.prototype;
    for (const m of ['append', 'delete', 'get', 'getSetCookie', 'has', 'set', 'forEach',
                     'entries', 'keys', 'values']) {
      const d = Object.getOwnPropertyDescriptor(proto, m);
      assert.strictEqual(typeof d.value, 'function', m);
      assert.strictEqual(d.enumerable, true, m);
    }
    assert.strictEqual(proto.append.length, 2);
    assert.strictEqual(proto.get.length, 1);
    assert.strictEqual(proto.forEach.length, 1);
    assert.throws(() => Headers(), { name: 'TypeError' });
  },
};

export const brandChecks = {
  test() {
    for (const m of ['append', 'delete', 'get', 'getSetCookie', 'has', 'set', 'entries',
                     'keys', 'values']) {
      assert.throws(() => Headers.prototype[m].call({}, 'a', 'b'), { name: 'TypeError' }, m);
    }
    assert.throws(() => Headers.prototype.forEach.call({}, () => {}), { name: 'TypeError' });
  },
};

export const subclass = {
  test() {
    class MyHeaders extends Headers {
      constructor(init) {
        super(init);
        this.extra = true;
      }
      getLower(name) { return this.get(name)?.toLowerCase() ?? null; }
    }
    const h = new MyHeaders({ A: 'VALUE' });
    assert.ok(h instanceof Headers);
    assert.strictEqual(h.getLower('a'), 'value');
    assert.strictEqual(h.extra, true);
    assert.deepStrictEqual(entries(new Headers(h)), [['a', 'VALUE']]);
    // Usable as HeadersInit and as Request/Response headers.
    assert.strictEqual(new Response(null, { headers: h }).headers.get('a'), 'VALUE');
  },
};

export const copyIgnoresPatchedIterator = {
  test() {
    // As workerd: a Headers source is copied directly.
    const h = new Headers({ a: '1' });
    h[Symbol.iterator] = function* () { yield ['b', '2']; };
    const copy = new Headers(h);
    assert.strictEqual(copy.get('a'), '1');
    assert.strictEqual(copy.has('b'), false);
  },
};

export const tamperProof = {
  test() {
    const arrayIterProto = Object.getPrototypeOf([][Symbol.iterator]());
    const patches = [
      [Array.prototype, 'push'], [Array.prototype, 'join'], [Array.prototype, 'sort'],
      [Array.prototype, Symbol.iterator], [arrayIterProto, 'next'], [Map.prototype, 'set'],
      [Map.prototype, 'get'], [Map.prototype, 'has'], [String.prototype, 'toLowerCase'],
      [String.prototype, 'slice'], [String.prototype, 'charCodeAt'], [RegExp.prototype, 'exec'],
      [RegExp.prototype, 'test'], [Function.prototype, 'call'], [Object, 'keys'],
    ];
    const saved = patches.map(([o, k]) => o[k]);
    const boom = () => { throw new Error('patched method called'); };
    let got;
    try {
      for (let i = 0; i < patches.length; i++) patches[i][0][patches[i][1]] = boom;
      const h = new Headers({ B: ' 2 ', a: '1' });
      h.append('a', '3');
      h.set('Set-Cookie', 'x');
      h.append('Set-Cookie', 'y');
      const values = [h.get('a'), h.get('b'), h.has('set-cookie')];
      const keys = [];
      const it = h.keys();
      for (let r = it.next(); !r.done; r = it.next()) keys[keys.length] = r.value;
      const cookies = h.getSetCookie();
      h.delete('a');
      got = { values, keys, cookies, hasA: h.has('a'), copy: new Headers(h).get('b') };
    } finally {
      for (let i = 0; i < patches.length; i++) patches[i][0][patches[i][1]] = saved[i];
    }
    assert.deepStrictEqual(got.values, ['1, 3', '2', true]);
    assert.deepStrictEqual(got.keys, ['a', 'b', 'set-cookie', 'set-cookie']);
    assert.deepStrictEqual(got.cookies, ['x', 'y']);
    assert.strictEqual(got.hasA, false);
    assert.strictEqual(got.copy, '2');
  },
};
