// Request and the Body mixin: https://fetch.spec.whatwg.org/#request-class, with workerd's
// behaviour and messages.
import assert from 'node:assert';

const bodyUsed = {
  name: 'TypeError',
  message: 'Body has already been used. It can only be used once. Use tee() first if you need ' +
           'to read it twice.',
};
const locked = {
  name: 'TypeError', message: 'This ReadableStream is currently locked to a reader.',
};
const getWithBody = {
  name: 'TypeError', message: 'Request with a GET or HEAD method cannot have a body.',
};

function streamOf(...chunks) {
  return new ReadableStream({
    start(c) {
      for (const chunk of chunks) {
        c.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
      }
      c.close();
    },
  });
}

function post(body, init = {}) {
  return new Request('https://example.com/', { method: 'POST', body, ...init });
}

export const defaults = {
  test() {
    const r = new Request('https://example.com');
    assert.strictEqual(r.url, 'https://example.com/');
    assert.strictEqual(r.method, 'GET');
    assert.ok(r.headers instanceof Headers);
    assert.deepStrictEqual([...r.headers], []);
    assert.strictEqual(r.redirect, 'follow');
    assert.strictEqual(r.body, null);
    assert.strictEqual(r.bodyUsed, false);
    assert.strictEqual(r.integrity, '');
    assert.strictEqual(r.keepalive, false);
    assert.strictEqual(r.cache, undefined);
    assert.strictEqual(r.cf, undefined);
    assert.strictEqual(r.fetcher, null);
    assert.ok(r.signal instanceof AbortSignal);
    assert.strictEqual(r.signal.aborted, false);
    assert.strictEqual(r.signal, r.signal);
    assert.strictEqual(r.headers, r.headers);
    assert.strictEqual(Object.prototype.toString.call(r), '[object Request]');
    // No CORS-only attributes on Workers.
    for (const name of ['mode', 'credentials', 'referrer', 'referrerPolicy', 'destination']) {
      assert.strictEqual(name in r, false, name);
    }
  },
};

export const urlParsing = {
  test() {
    assert.strictEqual(new Request('HTTPS://EXAMPLE.com:443/a/../b?q#f').url,
                       'https://example.com/b?q#f');
    assert.strictEqual(new Request(new URL('http://x.test/p')).url, 'http://x.test/p');
    assert.strictEqual(new Request({ toString: () => 'http://y.test' }).url, 'http://y.test/');
    assert.throws(() => new Request('/relative'),
                  { name: 'TypeError', message: 'Invalid URL: /relative' });
    assert.throws(() => new Request('http://[bad'),
                  { name: 'TypeError', message: 'Invalid URL: http://[bad' });
    assert.throws(() => new Request(), { name: 'TypeError' });
    assert.strictEqual(Request.length, 1);
  },
};

export const methods = {
  test() {
    const m = (method) => new Request('https://example.com/', { method }).method;
    assert.strictEqual(m('post'), 'POST');
    assert.strictEqual(m('Delete'), 'DELETE');
    assert.strictEqual(m('patch'), 'PATCH');  // workerd upper-cases every known method
    assert.strictEqual(m('options'), 'OPTIONS');
    assert.strictEqual(m('head'), 'HEAD');
    assert.strictEqual(m('Custom-Method'), 'Custom-Method');  // other tokens kept as given
    for (const bad of ['', 'bad method', 'GET\n', 'm(x)', 'é']) {
      assert.throws(() => m(bad),
                    { name: 'TypeError', message: `Invalid HTTP method string: ${bad}` });
    }
    for (const forbidden of ['CONNECT', 'trace', 'Track']) {
      assert.throws(() => m(forbidden), { name: 'TypeError' });
    }
  },
};

export const getHeadCannotHaveBody = {
  test() {
    assert.throws(() => new Request('https://example.com/', { body: 'x' }), getWithBody);
    const url = 'https://example.com/';
    assert.throws(() => new Request(url, { method: 'HEAD', body: 'x' }), getWithBody);
    assert.throws(() => new Request(url, { method: 'get', body: '' }), getWithBody);
    // null/undefined bodies are fine.
    assert.strictEqual(new Request('https://example.com/', { body: null }).body, null);
    assert.strictEqual(new Request('https://example.com/', { body: undefined }).body, null);
    // Changing a POST with a body to GET fails.
    assert.throws(() => new Request(post('x'), { method: 'GET' }), getWithBody);
  },
};

export const stringBody = {
  async test() {
    const r = post('héllo');
    assert.strictEqual(r.headers.get('content-type'), 'text/plain;charset=UTF-8');
    assert.strictEqual(r.bodyUsed, false);
    assert.strictEqual(await r.text(), 'héllo');
    assert.strictEqual(r.bodyUsed, true);
    await assert.rejects(r.text(), bodyUsed);
    await assert.rejects(r.arrayBuffer(), bodyUsed);
    // An explicit Content-Type wins.
    const r2 = post('x', { headers: { 'Content-Type': 'application/custom' } });
    assert.strictEqual(r2.headers.get('content-type'), 'application/custom');
    // Non-string values are stringified.
    assert.strictEqual(await post(123).text(), '123');
    assert.strictEqual(await post({ toString: () => 'obj' }).text(), 'obj');
  },
};

export const textDecoding = {
  async test() {
    // UTF-8 decode: a leading BOM is dropped, lone surrogates become U+FFFD.
    assert.strictEqual(await post('\ufeffabc').text(), 'abc');
    assert.strictEqual(await post('\ufeff\ufeffabc').text(), '\ufeffabc');
    assert.strictEqual(await post('a\ud800b').text(), 'a\ufffdb');
    assert.deepStrictEqual([...await post('\ud800').bytes()], [0xef, 0xbf, 0xbd]);
    assert.strictEqual(await post(new Uint8Array([0xef, 0xbb, 0xbf, 0x41])).text(), 'A');
    assert.strictEqual(await post(new Uint8Array([0xff, 0x41])).text(), '\ufffdA');
    const split = streamOf(new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf, 0x42]));
    assert.strictEqual(await post(split).text(), 'B');
  },
};

export const bufferBodies = {
  async test() {
    const u8 = new Uint8Array([1, 2, 3, 4]);
    const r = post(u8);
    u8[0] = 99;  // the body is a copy
    assert.strictEqual(r.headers.get('content-type'), null);
    assert.deepStrictEqual([...await r.bytes()], [1, 2, 3, 4]);

    const ab = new Uint8Array([5, 6]).buffer;
    const ra = post(ab);
    const out = await ra.arrayBuffer();
    assert.ok(out instanceof ArrayBuffer);
    assert.deepStrictEqual([...new Uint8Array(out)], [5, 6]);

    const view = new DataView(new Uint8Array([0, 7, 8, 0]).buffer, 1, 2);
    assert.deepStrictEqual([...await post(view).bytes()], [7, 8]);
    const sub = new Uint16Array([1, 0x0302, 4]).subarray(1, 2);
    assert.deepStrictEqual([...await post(sub).bytes()], [2, 3]);

    const bytes = await post('abc').bytes();
    assert.ok(bytes instanceof Uint8Array);
    assert.deepStrictEqual([...bytes], [97, 98, 99]);
  },
};

export const json = {
  async test() {
    assert.deepStrictEqual(await post('{"a":[1,2]}').json(), { a: [1, 2] });
    await assert.rejects(post('{bad').json(), { name: 'SyntaxError' });
    // A null body parses as '' and fails.
    await assert.rejects(new Request('https://example.com/').json(), { name: 'SyntaxError' });
  },
};

export const nullBodyConsumption = {
  async test() {
    const r = new Request('https://example.com/');
    assert.strictEqual(await r.text(), '');
    assert.strictEqual((await r.arrayBuffer()).byteLength, 0);
    assert.strictEqual((await r.bytes()).length, 0);
    // A null body is never "used".
    assert.strictEqual(r.bodyUsed, false);
    assert.strictEqual(await r.text(), '');
  },
};

export const streamBody = {
  async test() {
    const s = streamOf('ab', 'cd');
    const r = post(s);
    assert.strictEqual(r.body, s);  // the stream itself is the body
    assert.strictEqual(r.headers.get('content-type'), null);
    assert.strictEqual(await r.text(), 'abcd');
    assert.strictEqual(r.bodyUsed, true);
    await assert.rejects(r.text(), bodyUsed);
  },
};

export const disturbedOrLockedStreamRejectedAsBody = {
  async test() {
    const s = streamOf('x');
    const reader = s.getReader();
    assert.throws(() => post(s), locked);
    await reader.read();
    reader.releaseLock();
    assert.throws(() => post(s), {
      name: 'TypeError',
      message: 'This ReadableStream is disturbed (has already been read from), and cannot be ' +
               'used as a body.',
    });
  },
};

export const lazyBodyStream = {
  async test() {
    const r = post('lazy');
    const body = r.body;
    assert.ok(body instanceof ReadableStream);
    assert.strictEqual(r.body, body);  // same object each time
    assert.strictEqual(r.bodyUsed, false);
    // Reading through the stream works and marks the body used.
    const reader = body.getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    assert.strictEqual(text, 'lazy');
    assert.strictEqual(r.bodyUsed, true);
    await assert.rejects(r.text(), bodyUsed);
  },
};

export const lockedBodyCannotBeConsumed = {
  async test() {
    const r = post('x');
    const reader = r.body.getReader();
    assert.strictEqual(r.bodyUsed, false);
    await assert.rejects(r.text(), locked);
    assert.throws(() => r.clone(), locked);
    reader.releaseLock();
    assert.strictEqual(await r.text(), 'x');
  },
};

export const bodyAfterInMemoryConsumption = {
  async test() {
    const r = post('x');
    await r.text();
    // The body attribute still returns a stream, which reads as used.
    const body = r.body;
    assert.ok(body instanceof ReadableStream);
    assert.strictEqual(body.locked, true);
    assert.strictEqual(r.bodyUsed, true);
  },
};

export const bodyAccessThenText = {
  async test() {
    // Reading .body without touching the stream keeps the in-memory fast path valid.
    const r = post('fast');
    const body = r.body;
    assert.strictEqual(await r.text(), 'fast');
    assert.strictEqual(body.locked, true);
    assert.strictEqual(r.bodyUsed, true);
  },
};

export const iterableBodies = {
  async test() {
    const enc = new TextEncoder();
    async function* gen() {
      yield enc.encode('a');
      yield enc.encode('b').buffer;
      yield Promise.resolve(enc.encode('c'));
    }
    const r = post(gen());
    assert.ok(r.body instanceof ReadableStream);
    assert.strictEqual(r.headers.get('content-type'), null);
    assert.strictEqual(await r.text(), 'abc');
    // Sync iterables (arrays included) of buffers.
    assert.strictEqual(await post([enc.encode('x'), enc.encode('y')]).text(), 'xy');
    // Strings and String objects are not iterated.
    assert.strictEqual(await post(new String('str')).text(), 'str');
    // An object with its own toString is stringified rather than iterated.
    const custom = { *[Symbol.iterator]() { yield enc.encode('no'); }, toString: () => 'yes' };
    assert.strictEqual(await post(custom).text(), 'yes');
  },
};

export const redirect = {
  test() {
    const r = (redirect) => new Request('https://example.com/', { redirect }).redirect;
    assert.strictEqual(r('manual'), 'manual');
    assert.strictEqual(r('MANUAL'), 'manual');
    assert.strictEqual(r('follow'), 'follow');
    const msg = 'Invalid redirect value, must be one of "follow" or "manual" ("error" won\'t be ' +
                'implemented since it does not make sense at the edge; use "manual" and check ' +
                'the response status code).';
    assert.throws(() => r('error'), { name: 'TypeError', message: msg });
    assert.throws(() => r('bogus'), { name: 'TypeError', message: msg });
  },
};

export const cacheIntegrityEncode = {
  test() {
    const url = 'https://example.com/';
    assert.strictEqual(new Request(url, { cache: 'no-store' }).cache, 'no-store');
    assert.strictEqual(new Request(url, { cache: 'no-cache' }).cache, 'no-cache');
    assert.strictEqual(new Request(url, { cache: 'reload' }).cache, 'reload');
    for (const mode of ['default', 'force-cache', 'only-if-cached', 'unsupported']) {
      assert.throws(() => new Request('https://example.com/', { cache: mode }),
                    { name: 'TypeError', message: `Unsupported cache mode: ${mode}` });
    }
    assert.strictEqual(new Request('https://example.com/', { integrity: '' }).integrity, '');
    assert.throws(() => new Request('https://example.com/', { integrity: 'sha256-abc' }), {
      name: 'TypeError',
      message: 'Subrequest integrity checking is not implemented. The integrity option must be ' +
               'either undefined or an empty string.',
    });
    new Request('https://example.com/', { encodeResponseBody: 'manual' });
    assert.throws(() => new Request('https://example.com/', { encodeResponseBody: 'gzip' }), {
      name: 'TypeError', message: 'encodeResponseBody: unexpected value: gzip',
    });
    // CORS-only members are ignored.
    new Request('https://example.com/', {
      mode: 'navigate', credentials: 'bogus', referrer: 'x', referrerPolicy: 'y', keepalive: true,
      window: {}, priority: 'bogus', duplex: 'half',
    });
  },
};

export const signal = {
  test() {
    const ac = new AbortController();
    const r = new Request('https://example.com/', { signal: ac.signal });
    assert.strictEqual(r.signal, ac.signal);
    // Inherited by new Request(request), dropped with signal: null.
    assert.strictEqual(new Request(r).signal, ac.signal);
    assert.notStrictEqual(new Request(r, { signal: null }).signal, ac.signal);
    assert.strictEqual(r.clone().signal, ac.signal);
    assert.throws(() => new Request('https://example.com/', { signal: {} }), { name: 'TypeError' });
    assert.throws(() => new Request('https://example.com/', { signal: 'x' }),
                  { name: 'TypeError' });
  },
};

export const cf = {
  test() {
    const cfIn = { cacheTtl: 5, nested: { a: 1 } };
    const r = new Request('https://example.com/', { cf: cfIn });
    assert.deepStrictEqual(r.cf, cfIn);
    assert.notStrictEqual(r.cf, cfIn);  // a copy
    cfIn.nested.a = 2;
    assert.strictEqual(r.cf.nested.a, 1);
    assert.strictEqual(r.cf, r.cf);
    const r2 = new Request(r);
    assert.deepStrictEqual(r2.cf, r.cf);
    assert.notStrictEqual(r2.cf, r.cf);
    const r3 = new Request(r, { cf: { other: true } });
    assert.deepStrictEqual(r3.cf, { other: true });
    assert.deepStrictEqual(r.clone().cf, r.cf);
    assert.throws(() => new Request('https://example.com/', { cf: 'str' }), { name: 'TypeError' });
  },
};

export const headersInit = {
  test() {
    const r = new Request('https://example.com/', { headers: [['X-A', '1'], ['x-a', '2']] });
    assert.strictEqual(r.headers.get('x-a'), '1, 2');
    r.headers.set('x-b', '3');  // mutable
    assert.strictEqual(r.headers.get('x-b'), '3');
    assert.throws(() => new Request('https://example.com/', { headers: { 'a b': 'x' } }),
                  { name: 'TypeError', message: 'Invalid header name.' });
  },
};

export const fromRequest = {
  async test() {
    const original = post('payload', { headers: { 'X-Test': '1' }, redirect: 'manual' });
    const copy = new Request(original);
    assert.strictEqual(copy.url, original.url);
    assert.strictEqual(copy.method, 'POST');
    assert.strictEqual(copy.redirect, 'manual');
    assert.strictEqual(copy.headers.get('x-test'), '1');
    assert.notStrictEqual(copy.headers, original.headers);
    copy.headers.set('x-test', '2');
    assert.strictEqual(original.headers.get('x-test'), '1');
    // The body moves to the new request; the original becomes used.
    assert.strictEqual(original.bodyUsed, true);
    await assert.rejects(original.text(), bodyUsed);
    assert.strictEqual(await copy.text(), 'payload');
    assert.throws(() => new Request(original), {
      name: 'TypeError', message: 'Cannot reconstruct a Request with a used body.',
    });
    // Overrides.
    const o2 = post('x');
    const c2 = new Request(o2, { method: 'PUT', headers: { y: '1' } });
    assert.strictEqual(c2.method, 'PUT');
    assert.strictEqual(c2.headers.get('y'), '1');
    assert.strictEqual(c2.headers.get('content-type'), null);
    assert.strictEqual(await c2.text(), 'x');
    // Another URL, keeping everything else.
    const c3 = new Request('https://other.example/', post('z'));
    assert.strictEqual(c3.url, 'https://other.example/');
    assert.strictEqual(c3.method, 'POST');
    assert.strictEqual(await c3.text(), 'z');
  },
};

export const fromRequestWithStreamBody = {
  async test() {
    const original = post(streamOf('s1', 's2'));
    const copy = new Request(original);
    assert.strictEqual(original.bodyUsed, true);
    assert.ok(original.body.locked);
    await assert.rejects(original.text(), bodyUsed);
    assert.strictEqual(await copy.text(), 's1s2');
  },
};

export const fromRequestWithNewBody = {
  async test() {
    const original = post('old');
    const copy = new Request(original, { body: 'new' });
    assert.strictEqual(original.bodyUsed, false);
    assert.strictEqual(await copy.text(), 'new');
    assert.strictEqual(await original.text(), 'old');
    // body: null drops the input body (workerd).
    const dropped = new Request(post('x'), { body: null });
    assert.strictEqual(dropped.body, null);
    // A failing constructor leaves the input untouched.
    const o2 = post('keep');
    assert.throws(() => new Request(o2, { redirect: 'error' }), { name: 'TypeError' });
    assert.strictEqual(o2.bodyUsed, false);
    assert.strictEqual(await o2.text(), 'keep');
  },
};

export const clone = {
  async test() {
    const r = post('body', { headers: { a: '1' } });
    const c = r.clone();
    assert.ok(c instanceof Request);
    assert.strictEqual(c.method, 'POST');
    assert.strictEqual(c.headers.get('a'), '1');
    c.headers.set('a', '2');
    assert.strictEqual(r.headers.get('a'), '1');
    assert.strictEqual(await c.text(), 'body');
    assert.strictEqual(r.bodyUsed, false);
    assert.strictEqual(await r.text(), 'body');
    assert.throws(() => r.clone(), bodyUsed);
    // Stream bodies are teed; the original's body becomes a new branch.
    const s = streamOf('t1', 't2');
    const rs = post(s);
    const cs = rs.clone();
    assert.notStrictEqual(rs.body, s);
    assert.strictEqual(s.locked, true);
    const [a, b] = await Promise.all([rs.text(), cs.text()]);
    assert.strictEqual(a, 't1t2');
    assert.strictEqual(b, 't1t2');
    // A clone of a clone, in-memory bytes.
    const rb = post(new Uint8Array([1, 2]));
    const c1 = rb.clone();
    const c2 = c1.clone();
    const got = await c2.bytes();
    got[0] = 9;  // must not leak into the others
    assert.deepStrictEqual([...await rb.bytes()], [1, 2]);
    assert.deepStrictEqual([...await c1.bytes()], [1, 2]);
  },
};

export const cloneReplacesMaterializedStream = {
  async test() {
    const r = post('abc');
    const before = r.body;
    const c = r.clone();
    assert.notStrictEqual(r.body, before);
    assert.strictEqual(before.locked, true);
    assert.strictEqual(await r.text(), 'abc');
    assert.strictEqual(await c.text(), 'abc');
  },
};

export const formData = {
  async test() {
    await assert.rejects(post('a=1').formData(), { name: 'TypeError' });  // text/plain
    const noType = post(new Uint8Array([97]));
    await assert.rejects(noType.formData(), {
      name: 'TypeError', message: 'Parsing a Body as FormData requires a Content-Type header.',
    });
    await assert.rejects(post('x', { headers: { 'content-type': 'text/plain' } }).formData(), {
      name: 'TypeError',
      message: 'Unrecognized Content-Type header value. FormData can only parse the following ' +
               'MIME types: multipart/form-data, application/x-www-form-urlencoded',
    });
    const multipart = post('x', { headers: { 'content-type': 'multipart/form-data' } });
    await assert.rejects(multipart.formData(), {
      name: 'TypeError',
      message: "No boundary string in Content-Type header. The multipart/form-data MIME type " +
               "requires a boundary parameter, e.g. 'Content-Type: multipart/form-data; " +
               "boundary=\"abcd\"'. See RFC 7578, section 4.",
    });
    const urlencoded = (body, type = 'application/x-www-form-urlencoded') =>
      post(body, { headers: { 'content-type': type } });
    const latin1 = urlencoded('a=1', 'application/x-www-form-urlencoded; charset=latin1');
    await assert.rejects(latin1.formData(), {
      name: 'TypeError', message: 'Non-utf-8 application/x-www-form-urlencoded body.',
    });
    if (typeof FormData === 'function') {
      const fd = await urlencoded('a=1&b=x+y&a=%C3%A9&&c&=e&bad=%zz').formData();
      assert.ok(fd instanceof FormData);
      assert.deepStrictEqual([...fd], [['a', '1'], ['b', 'x y'], ['a', 'é'], ['c', ''], ['', 'e'],
        ['bad', '%zz']]);
    } else {
      await assert.rejects(urlencoded('a=1').formData(), { name: 'TypeError' });
    }
  },
};

export const blob = {
  async test() {
    const r = post('data', { headers: { 'content-type': 'Text/HTML; Charset="utf-8"' } });
    if (typeof Blob === 'function') {
      const b = await r.blob();
      assert.ok(b instanceof Blob);
      assert.strictEqual(b.type, 'text/html;charset=utf-8');
      assert.strictEqual(await b.text(), 'data');
    } else {
      await assert.rejects(r.blob(), { name: 'TypeError', message: 'Blob is not supported yet.' });
    }
  },
};

export const searchParamsBody = {
  async test() {
    if (typeof URLSearchParams !== 'function') return;
    const r = post(new URLSearchParams({ a: '1 2', b: 'é' }));
    assert.strictEqual(r.headers.get('content-type'),
                       'application/x-www-form-urlencoded;charset=UTF-8');
    assert.strictEqual(await r.text(), 'a=1+2&b=%C3%A9');
  },
};

export const initIsRequestObject = {
  async test() {
    // A Request as init is read as a dictionary: its body is shared, not taken.
    const other = post('shared', { redirect: 'manual', headers: { k: 'v' } });
    const r = new Request('https://second.example/', other);
    assert.strictEqual(r.method, 'POST');
    assert.strictEqual(r.redirect, 'manual');
    assert.strictEqual(r.headers.get('k'), 'v');
    assert.strictEqual(await r.text(), 'shared');
  },
};

export const interfaceShape = {
  test() {
    const proto = Request.prototype;
    for (const name of ['method', 'url', 'headers', 'redirect', 'signal', 'cf', 'integrity',
                        'keepalive', 'cache', 'body', 'bodyUsed', 'fetcher']) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      assert.strictEqual(typeof d.get, 'function', name);
      assert.strictEqual(d.set, undefined, name);
      assert.strictEqual(d.enumerable, true, name);
    }
    for (const name of ['clone', 'arrayBuffer', 'bytes', 'text', 'json', 'formData', 'blob']) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      assert.strictEqual(typeof d.value, 'function', name);
      assert.strictEqual(d.enumerable, true, name);
      assert.strictEqual(d.value.name, name);
    }
    assert.throws(() => Request('https://example.com/'), { name: 'TypeError' });
    assert.throws(() => { Request.prototype.url; }, { name: 'TypeError' });
    // Attributes are read-only.
    const r = new Request('https://example.com/');
    assert.throws(() => { r.url = 'x'; }, { name: 'TypeError' });  // modules are strict
    assert.strictEqual(r.url, 'https://example.com/');
  },
};

export const brandChecks = {
  async test() {
    const fake = Object.create(Request.prototype);
    assert.throws(() => fake.clone(), { name: 'TypeError' });
    assert.throws(() => fake.method, { name: 'TypeError' });
    assert.throws(() => fake.body, { name: 'TypeError' });
    await assert.rejects(fake.text(), { name: 'TypeError' });
    await assert.rejects(Request.prototype.arrayBuffer.call(new Response('x')),
                         { name: 'TypeError' });
  },
};

export const subclass = {
  async test() {
    class MyRequest extends Request {
      constructor(input, init) {
        super(input, init);
        this.tag = 'mine';
      }
      async upper() { return (await this.text()).toUpperCase(); }
    }
    const r = new MyRequest('https://example.com/', { method: 'POST', body: 'abc' });
    assert.ok(r instanceof Request);
    assert.strictEqual(r.tag, 'mine');
    assert.strictEqual(r.url, 'https://example.com/');
    const c = r.clone();
    assert.ok(c instanceof Request);
    assert.strictEqual(await r.upper(), 'ABC');
    assert.strictEqual(await new Request(c).text(), 'abc');
  },
};

export const tamperProof = {
  async test() {
    const saved = {
      then: Promise.prototype.then, parse: JSON.parse, push: Array.prototype.push,
      lower: String.prototype.toLowerCase, upper: String.prototype.toUpperCase,
      exec: RegExp.prototype.exec, slice: String.prototype.slice,
    };
    const boom = () => { throw new Error('patched method called'); };
    let results;
    try {
      JSON.parse = boom;
      Array.prototype.push = boom;
      String.prototype.toLowerCase = boom;
      String.prototype.toUpperCase = boom;
      String.prototype.slice = boom;
      RegExp.prototype.exec = boom;
      const r = new Request('https://example.com/', { method: 'post', body: '{"a":1}',
                                                    headers: { X: 'y' }, redirect: 'MANUAL' });
      const c = r.clone();
      Promise.prototype.then = boom;
      // await on native promises does not look up `then`.
      const parsed = await r.json();
      const text = await c.text();
      results = { parsed, text, method: r.method, redirect: r.redirect };
    } finally {
      Promise.prototype.then = saved.then;
      JSON.parse = saved.parse;
      Array.prototype.push = saved.push;
      String.prototype.toLowerCase = saved.lower;
      String.prototype.toUpperCase = saved.upper;
      String.prototype.slice = saved.slice;
      RegExp.prototype.exec = saved.exec;
    }
    assert.deepStrictEqual(results.parsed, { a: 1 });
    assert.strictEqual(results.text, '{"a":1}');
    assert.strictEqual(results.method, 'POST');
    assert.strictEqual(results.redirect, 'manual');
  },
};

export const absentInitReadsNothing = {
  test() {
    // WebIDL: an undefined init is an empty dictionary; inherited properties are not consulted.
    Object.prototype.method = 'POST';
    Object.prototype.body = 'polluted';
    try {
      const r = new Request('https://example.com/');
      assert.strictEqual(r.method, 'GET');
      assert.strictEqual(r.body, null);
      const r2 = new Request('https://example.com/', null);
      assert.strictEqual(r2.method, 'GET');
      // A given dictionary is read with ordinary property lookups (inherited ones count).
      const r3 = new Request('https://example.com/', {});
      assert.strictEqual(r3.method, 'POST');
    } finally {
      delete Object.prototype.method;
      delete Object.prototype.body;
    }
  },
};
