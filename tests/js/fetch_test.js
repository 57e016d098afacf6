// fetch(): argument handling, data: URLs and the failures that need no server
// (https://fetch.spec.whatwg.org/#fetch-method, with workerd's messages). Real network behaviour
// is covered by tests/e2e/test_fetch.py, which also runs tests/js/fixtures/fetch_network.js
// against a local upstream.
import assert from 'node:assert';

// Nothing listens on port 1 of the loopback interface: connecting is refused at once.
const refused = 'http://127.0.0.1:1/';

async function rejectsWith(promise, check) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error !== undefined, 'expected a rejection');
  check(error);
  return error;
}

export const isAGlobalFunction = {
  test() {
    assert.strictEqual(typeof fetch, 'function');
    assert.strictEqual(fetch.name, 'fetch');
    assert.strictEqual(fetch.length, 1);
    const desc = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
    assert.strictEqual(desc.enumerable, false);
    assert.strictEqual(desc.writable, true);
  },
};

export const argumentErrorsReject = {
  async test() {
    // Never a synchronous throw: every failure is a rejected promise.
    const p = fetch();
    assert.ok(p instanceof Promise);
    await rejectsWith(p, (e) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, /1 argument required, but only 0 present/);
    });
  },
};

export const invalidUrl = {
  async test() {
    await assert.rejects(fetch('not a url'),
                         { name: 'TypeError', message: 'Invalid URL: not a url' });
    await assert.rejects(fetch('/relative/path'), { name: 'TypeError' });
    await assert.rejects(fetch('http://'), { name: 'TypeError' });
    await assert.rejects(fetch('http://exa mple.com/'), { name: 'TypeError' });
  },
};

export const unsupportedSchemes = {
  async test() {
    for (const url of ['ftp://example.com/file', 'ws://example.com/', 'wss://example.com/',
                       'file:///etc/passwd', 'mailto:someone@example.com', 'about:blank',
                       'blob:https://example.com/x', 'javascript:1']) {
      await assert.rejects(fetch(url), (e) => {
        assert.ok(e instanceof TypeError, url);
        assert.strictEqual(e.message, `Fetch API cannot load: ${new URL(url).href}`);
        return true;
      });
    }
    // A Request object or a URL object as input takes the same path.
    await assert.rejects(fetch(new Request('ftp://example.com/')), {
      name: 'TypeError', message: 'Fetch API cannot load: ftp://example.com/',
    });
    await assert.rejects(fetch(new URL('ftp://example.com/a')), {
      name: 'TypeError', message: 'Fetch API cannot load: ftp://example.com/a',
    });
  },
};

export const requestInitValidation = {
  async test() {
    await assert.rejects(fetch('http://example.com/', { method: 'GET', body: 'x' }), {
      name: 'TypeError', message: 'Request with a GET or HEAD method cannot have a body.',
    });
    await assert.rejects(fetch('http://example.com/', { method: 'HEAD', body: 'x' }),
                         { name: 'TypeError' });
    await assert.rejects(fetch('http://example.com/', { method: 'bad method' }), {
      name: 'TypeError', message: 'Invalid HTTP method string: bad method',
    });
    await assert.rejects(fetch('http://example.com/', { method: 'CONNECT' }),
                         { name: 'TypeError' });
    await assert.rejects(fetch('http://example.com/', { redirect: 'error' }),
                         { name: 'TypeError' });
    await assert.rejects(fetch('http://example.com/', { headers: { 'bad name': 'x' } }),
                         { name: 'TypeError' });
    await assert.rejects(fetch('http://example.com/', { headers: { a: 'x\ny' } }),
                         { name: 'TypeError' });
    await assert.rejects(fetch('http://example.com/', { cache: 'force-cache' }), {
      name: 'TypeError', message: 'Unsupported cache mode: force-cache',
    });
    await assert.rejects(fetch('http://example.com/', { signal: {} }), { name: 'TypeError' });
    await assert.rejects(fetch('http://example.com/', { integrity: 'sha256-x' }),
                         { name: 'TypeError' });
  },
};

export const unusableBodies = {
  async test() {
    const request = new Request('http://example.com/', { method: 'POST', body: 'used' });
    await request.text();
    await assert.rejects(fetch(request), {
      name: 'TypeError', message: 'Cannot reconstruct a Request with a used body.',
    });
    const stream = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array(1)); } });
    stream.getReader();
    await assert.rejects(fetch('http://example.com/', { method: 'POST', body: stream }), {
      name: 'TypeError', message: 'This ReadableStream is currently locked to a reader.',
    });
  },
};

export const abortedSignalRejectsWithItsReason = {
  async test() {
    const controller = new AbortController();
    controller.abort();
    const e = await rejectsWith(fetch(refused, { signal: controller.signal }), () => {});
    assert.ok(e instanceof DOMException);
    assert.strictEqual(e.name, 'AbortError');
    assert.strictEqual(e, controller.signal.reason);

    const reason = new Error('custom reason');
    await rejectsWith(fetch(refused, { signal: AbortSignal.abort(reason) }),
                      (err) => assert.strictEqual(err, reason));
    // Any value is a reason, even a non-error.
    await rejectsWith(fetch(refused, { signal: AbortSignal.abort('just a string') }),
                      (err) => assert.strictEqual(err, 'just a string'));
    // The signal of a Request input counts too.
    const request = new Request(refused, { signal: AbortSignal.abort(reason) });
    await rejectsWith(fetch(request), (err) => assert.strictEqual(err, reason));
  },
};

export const abortedSignalCancelsStreamBody = {
  async test() {
    let cancelled;
    const body = new ReadableStream({
      pull(c) { c.enqueue(new TextEncoder().encode('x')); },
      cancel(reason) { cancelled = reason; },
    });
    const reason = new Error('stop');
    await rejectsWith(fetch(refused, { method: 'POST', body, signal: AbortSignal.abort(reason) }),
                      (err) => assert.strictEqual(err, reason));
    await new Promise((r) => setTimeout(r, 0));
    assert.strictEqual(cancelled, reason);
  },
};

export const connectionRefusedIsATypeError = {
  async test() {
    const e = await rejectsWith(fetch(refused), () => {});
    assert.ok(e instanceof TypeError);
    assert.strictEqual(e.message, 'Network connection lost.');
    assert.ok(e.cause instanceof Error);
    assert.match(e.cause.message, /connect/i);
    // With a body (in memory and streamed), the same.
    await assert.rejects(fetch(refused, { method: 'POST', body: 'hello' }), {
      name: 'TypeError', message: 'Network connection lost.',
    });
    const stream = new ReadableStream({
      start(c) { c.enqueue(new TextEncoder().encode('streamed')); c.close(); },
    });
    await assert.rejects(fetch(refused, { method: 'PUT', body: stream }), {
      name: 'TypeError', message: 'Network connection lost.',
    });
  },
};

export const manyConcurrentFailuresSettle = {
  async test() {
    const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => fetch(`http://127.0.0.1:1/${i}`)));
    assert.strictEqual(results.length, 50);
    for (const r of results) {
      assert.strictEqual(r.status, 'rejected');
      assert.ok(r.reason instanceof TypeError);
    }
  },
};

export const abortAfterStartRejects = {
  async test() {
    // The abort lands before the refusal is reported: the abort reason wins.
    const controller = new AbortController();
    const p = fetch(refused, { signal: controller.signal });
    const reason = new Error('late abort');
    controller.abort(reason);
    await rejectsWith(p, (err) => assert.strictEqual(err, reason));
    // Aborting after the fetch settled changes nothing.
    const c2 = new AbortController();
    await assert.rejects(fetch(refused, { signal: c2.signal }), { name: 'TypeError' });
    c2.abort();
  },
};

export const cfAndCacheOptionsAccepted = {
  async test() {
    // cf options are ignored without error; cache: 'no-store' is accepted. Both then fail only
    // because nothing listens.
    await assert.rejects(fetch(refused, { cf: { cacheTtl: 5, cacheEverything: true } }), {
      name: 'TypeError', message: 'Network connection lost.',
    });
    await assert.rejects(fetch(refused, { cache: 'no-store' }), {
      name: 'TypeError', message: 'Network connection lost.',
    });
  },
};

export const patchedIntrinsicsDoNotLeakIn = {
  async test() {
    const saved = {
      push: Array.prototype.push,
      toLowerCase: String.prototype.toLowerCase,
    };
    try {
      Array.prototype.push = () => { throw new Error('patched push'); };
      String.prototype.toLowerCase = () => { throw new Error('patched toLowerCase'); };
      const e = await rejectsWith(fetch(refused, { headers: { 'X-A': 'b' } }), () => {});
      assert.strictEqual(e.message, 'Network connection lost.');
    } finally {
      Array.prototype.push = saved.push;
      String.prototype.toLowerCase = saved.toLowerCase;
    }
  },
};

// https://fetch.spec.whatwg.org/#data-url-processor (workerd serves data: URLs locally).
export const dataUrls = {
  async test() {
    let r = await fetch('data:,Hello%2C%20World%21#ignored');
    assert.strictEqual(r.status, 200);
    assert.strictEqual(r.statusText, 'OK');
    assert.strictEqual(r.url, 'data:,Hello%2C%20World%21');
    assert.strictEqual(r.redirected, false);
    assert.strictEqual(r.headers.get('content-type'), 'text/plain;charset=US-ASCII');
    assert.strictEqual(await r.text(), 'Hello, World!');

    r = await fetch('data:text/plain;base64,SGVsbG8=');
    assert.strictEqual(r.headers.get('content-type'), 'text/plain');
    assert.strictEqual(await r.text(), 'Hello');
    r = await fetch('data:application/octet-stream;BASE64 ,AAEC%2F%2F8');
    assert.strictEqual(r.headers.get('content-type'), 'application/octet-stream');
    assert.deepStrictEqual([...new Uint8Array(await r.arrayBuffer())], [0, 1, 2, 255, 255]);
    r = await fetch('data:;base64,AAEC');
    assert.strictEqual(r.headers.get('content-type'), 'text/plain;charset=US-ASCII');
    r = await fetch('data:;charset=utf-8,%C3%A9');
    assert.strictEqual(r.headers.get('content-type'), 'text/plain;charset=utf-8');
    assert.strictEqual(await r.text(), '\u00e9');
    r = await fetch('data:Application/JSON; Charset="utf-8",{"a":1}');
    assert.strictEqual(r.headers.get('content-type'), 'application/json;charset=utf-8');
    assert.deepStrictEqual(await r.json(), { a: 1 });
    r = await fetch('data:text/html , <b>x</b>');
    assert.strictEqual(r.headers.get('content-type'), 'text/html');
    assert.strictEqual(await r.text(), ' <b>x</b>');
    // Only GET gets the body.
    r = await fetch('data:,abc', { method: 'POST', body: 'ignored' });
    assert.strictEqual(r.status, 200);
    assert.strictEqual(r.body, null);
  },
};

export const invalidDataUrls = {
  async test() {
    await assert.rejects(fetch('data:text/plain'), {
      name: 'TypeError', message: 'Fetch API cannot load: data:text/plain',
    });
    await assert.rejects(fetch('data:;base64,%%%'), { name: 'TypeError' });
    await assert.rejects(fetch('data:;base64,AAAAA'), { name: 'TypeError' });
    await assert.rejects(fetch('data:,x', { signal: AbortSignal.abort() }), { name: 'AbortError' });
  },
};
