// Response: https://fetch.spec.whatwg.org/#response-class, with workerd's behaviour and messages.
import assert from 'node:assert';

const bodyUsed = {
  name: 'TypeError',
  message: 'Body has already been used. It can only be used once. Use tee() first if you need ' +
           'to read it twice.',
};
const statusRange = {
  name: 'RangeError',
  message: 'Responses may only be constructed with status codes in the range 200 to 599, ' +
           'inclusive.',
};
const nullBodyStatus = {
  name: 'TypeError',
  message: 'Response with null body status (101, 204, 205, or 304) cannot have a body.',
};
const immutable = { name: 'TypeError', message: "Can't modify immutable headers." };

function streamOf(...chunks) {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(typeof chunk === 'string' ? enc.encode(chunk) : chunk);
      c.close();
    },
  });
}

export const defaults = {
  test() {
    const r = new Response();
    assert.strictEqual(r.status, 200);
    assert.strictEqual(r.ok, true);
    assert.strictEqual(r.statusText, 'OK');  // workerd fills in the reason phrase
    assert.strictEqual(r.type, 'default');
    assert.strictEqual(r.url, '');
    assert.strictEqual(r.redirected, false);
    assert.strictEqual(r.body, null);
    assert.strictEqual(r.bodyUsed, false);
    assert.strictEqual(r.webSocket, null);
    assert.strictEqual(r.cf, undefined);
    assert.deepStrictEqual([...r.headers], []);
    assert.strictEqual(r.headers, r.headers);
    assert.strictEqual(Response.length, 0);
    assert.strictEqual(Object.prototype.toString.call(r), '[object Response]');
    assert.strictEqual(new Response(null).body, null);
    assert.strictEqual(new Response(undefined, {}).body, null);
  },
};

export const stringBody = {
  async test() {
    const r = new Response('hello');
    assert.strictEqual(r.headers.get('content-type'), 'text/plain;charset=UTF-8');
    assert.ok(r.body instanceof ReadableStream);
    assert.strictEqual(await r.text(), 'hello');
    assert.strictEqual(r.bodyUsed, true);
    await assert.rejects(r.text(), bodyUsed);
    await assert.rejects(r.json(), bodyUsed);
    await assert.rejects(r.bytes(), bodyUsed);
    // Empty strings are bodies too.
    const empty = new Response('');
    assert.ok(empty.body instanceof ReadableStream);
    assert.strictEqual(await empty.text(), '');
    const typed = new Response('x', { headers: { 'content-type': 'text/html' } });
    assert.strictEqual(typed.headers.get('content-type'), 'text/html');
  },
};

export const statusRanges = {
  test() {
    for (const status of [0, 100, 101, 199, 600, 999, -1, 65536 + 99]) {
      assert.throws(() => new Response(null, { status }), statusRange, String(status));
    }
    for (const status of [200, 201, 299, 300, 404, 500, 599]) {
      assert.strictEqual(new Response(null, { status }).status, status);
    }
    assert.strictEqual(new Response(null, { status: '404' }).status, 404);
    assert.strictEqual(new Response(null, { status: 200.7 }).status, 200);
    assert.strictEqual(new Response(null, { status: 404 }).ok, false);
    assert.strictEqual(new Response(null, { status: 299 }).ok, true);
    assert.strictEqual(new Response(null, { status: 300 }).ok, false);
  },
};

export const statusText = {
  test() {
    const t = (status, statusText) => new Response(null, { status, statusText }).statusText;
    assert.strictEqual(t(404), 'Not Found');
    assert.strictEqual(t(201), 'Created');
    assert.strictEqual(t(418), "I'm a teapot");
    assert.strictEqual(t(299), 'Successful');
    assert.strictEqual(t(399), 'Redirection');
    assert.strictEqual(t(499), 'Client Error');
    assert.strictEqual(t(599), 'Server Error');
    assert.strictEqual(t(200, 'Fine'), 'Fine');
    assert.strictEqual(t(200, ''), '');
    assert.strictEqual(t(200, 'Ünïcode ok'), 'Ünïcode ok');
    for (const bad of ['a\nb', 'a\rb', '\0', 'tab\there']) {
      assert.throws(() => t(200, bad), { name: 'TypeError', message: 'Invalid statusText' });
    }
  },
};

export const nullBodyStatuses = {
  async test() {
    for (const status of [204, 205, 304]) {
      assert.throws(() => new Response('x', { status }), nullBodyStatus);
      assert.throws(() => new Response(new Uint8Array(1), { status }), nullBodyStatus);
      assert.throws(() => new Response(streamOf(), { status }), nullBodyStatus);
      assert.strictEqual(new Response(null, { status }).body, null);
      // workerd: an empty in-memory body is accepted and treated as null.
      const r = new Response('', { status });
      assert.strictEqual(r.body, null);
      assert.strictEqual(r.headers.get('content-type'), null);
      assert.strictEqual(new Response(new ArrayBuffer(0), { status }).body, null);
    }
  },
};

export const webSocketStatus = {
  test() {
    // Status 101 only with a WebSocket, and a WebSocket only with 101.
    assert.throws(() => new Response(null, { status: 101 }), statusRange);
    const ws = {};
    assert.throws(() => new Response(null, { status: 200, webSocket: ws }), {
      name: 'RangeError', message: 'Responses with a WebSocket must have status code 101.',
    });
    const r = new Response(null, { status: 101, webSocket: ws });
    assert.strictEqual(r.status, 101);
    assert.strictEqual(r.statusText, 'Switching Protocols');
    assert.strictEqual(r.webSocket, ws);
    assert.throws(() => r.clone(), {
      name: 'TypeError', message: 'Cannot clone a response to a WebSocket handshake.',
    });
    assert.throws(() => new Response('x', { status: 101, webSocket: ws }), nullBodyStatus);
    assert.strictEqual(new Response(null, { webSocket: null }).webSocket, null);
  },
};

export const encodeBody = {
  test() {
    new Response('x', { encodeBody: 'manual' });
    new Response('x', { encodeBody: 'automatic' });
    assert.throws(() => new Response('x', { encodeBody: 'gzip' }), {
      name: 'TypeError', message: 'encodeBody: unexpected value: gzip',
    });
  },
};

export const initValidation = {
  test() {
    assert.throws(() => new Response(null, 'bad'), { name: 'TypeError' });
    assert.throws(() => new Response(null, 5), { name: 'TypeError' });
    new Response(null, null);  // null is an empty dictionary
    assert.throws(() => new Response(null, { headers: { 'bad name': 'x' } }), {
      name: 'TypeError', message: 'Invalid header name.',
    });
    assert.throws(() => new Response(null, { cf: 'x' }), { name: 'TypeError' });
  },
};

export const cf = {
  test() {
    const cfIn = { a: { b: 1 } };
    const r = new Response(null, { cf: cfIn });
    assert.deepStrictEqual(r.cf, cfIn);
    assert.notStrictEqual(r.cf, cfIn);
    assert.deepStrictEqual(r.clone().cf, cfIn);
  },
};

export const headersMutable = {
  test() {
    const r = new Response('x', { headers: [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']] });
    r.headers.append('x-after', '1');
    r.headers.set('content-type', 'text/csv');
    assert.deepStrictEqual(r.headers.getSetCookie(), ['a=1', 'b=2']);
    assert.deepStrictEqual([...r.headers], [['content-type', 'text/csv'], ['set-cookie', 'a=1'],
      ['set-cookie', 'b=2'], ['x-after', '1']]);
  },
};

export const error = {
  test() {
    const r = Response.error();
    assert.ok(r instanceof Response);
    assert.strictEqual(r.type, 'error');
    assert.strictEqual(r.status, 0);
    assert.strictEqual(r.statusText, '');
    assert.strictEqual(r.ok, false);
    assert.strictEqual(r.body, null);
    assert.throws(() => r.headers.set('a', 'b'), immutable);
    assert.notStrictEqual(Response.error(), r);
  },
};

export const redirect = {
  test() {
    const r = Response.redirect('https://EXAMPLE.com/a/../b');
    assert.strictEqual(r.status, 302);
    assert.strictEqual(r.statusText, 'Found');
    assert.strictEqual(r.headers.get('location'), 'https://example.com/b');
    assert.strictEqual(r.body, null);
    assert.strictEqual(r.redirected, false);
    assert.strictEqual(r.url, '');
    assert.throws(() => r.headers.set('x', 'y'), immutable);
    for (const status of [301, 302, 303, 307, 308]) {
      assert.strictEqual(Response.redirect('https://example.com/', status).status, status);
    }
    for (const status of [200, 300, 304, 309, 0]) {
      assert.throws(() => Response.redirect('https://example.com/', status), {
        name: 'RangeError',
        message: `${status} is not a redirect status code. It must be one of: 301, 302, 303, ` +
                 '307, or 308.',
      });
    }
    assert.throws(() => Response.redirect('/relative'), {
      name: 'TypeError', message: 'Unable to parse URL: /relative',
    });
    // The status is checked first (workerd).
    assert.throws(() => Response.redirect('/relative', 200), { name: 'RangeError' });
    assert.strictEqual(Response.redirect(new URL('https://u.example/x')).headers.get('location'),
                       'https://u.example/x');
    assert.throws(() => Response.redirect(), { name: 'TypeError' });
  },
};

export const json = {
  async test() {
    const r = Response.json({ a: [1, 'two'] });
    assert.ok(r instanceof Response);
    assert.strictEqual(r.headers.get('content-type'), 'application/json');
    assert.strictEqual(await r.text(), '{"a":[1,"two"]}');
    const r2 = Response.json('str', { status: 404, statusText: 'Nope',
                                      headers: { 'Content-Type': 'application/x-custom' } });
    assert.strictEqual(r2.status, 404);
    assert.strictEqual(r2.statusText, 'Nope');
    assert.strictEqual(r2.headers.get('content-type'), 'application/x-custom');
    assert.deepStrictEqual(await r2.json(), 'str');
    const h = new Headers({ 'content-type': 'abc' });
    assert.strictEqual(Response.json(1, { headers: h }).headers.get('content-type'), 'abc');
    // Init from another Response (read as a dictionary).
    const other = new Response(null, { status: 201, headers: { 'x-o': '1' } });
    const r3 = Response.json(null, other);
    assert.strictEqual(r3.status, 201);
    assert.strictEqual(r3.headers.get('x-o'), '1');
    assert.strictEqual(r3.headers.get('content-type'), 'application/json');
    assert.strictEqual(await r3.text(), 'null');
    assert.throws(() => Response.json({ a: 1n }), { name: 'TypeError' });
    assert.throws(() => Response.json(undefined), { name: 'TypeError' });
    assert.throws(() => Response.json(() => {}), { name: 'TypeError' });
    assert.throws(() => Response.json(1, { status: 204 }), nullBodyStatus);
    assert.throws(() => Response.json(1, { status: 700 }), statusRange);
    assert.throws(() => Response.json(), { name: 'TypeError' });
    assert.strictEqual(Response.json.length, 1);
  },
};

export const bufferBodies = {
  async test() {
    const u8 = new Uint8Array([1, 2, 3]);
    const r = new Response(u8);
    u8[0] = 9;
    assert.strictEqual(r.headers.get('content-type'), null);
    const ab = await r.arrayBuffer();
    assert.ok(ab instanceof ArrayBuffer);
    assert.deepStrictEqual([...new Uint8Array(ab)], [1, 2, 3]);
    const r2 = new Response(new Uint8Array([1, 2, 3, 4]).subarray(1, 3));
    const bytes = await r2.bytes();
    assert.ok(bytes instanceof Uint8Array);
    assert.deepStrictEqual([...bytes], [2, 3]);
    assert.strictEqual((await new Response(new ArrayBuffer(5)).arrayBuffer()).byteLength, 5);
    const floats = new Response(new Float32Array([1]));
    assert.strictEqual((await floats.arrayBuffer()).byteLength, 4);
  },
};

export const streamBodies = {
  async test() {
    const s = streamOf('a', 'b');
    const r = new Response(s);
    assert.strictEqual(r.body, s);
    assert.strictEqual(await r.text(), 'ab');
    await assert.rejects(r.text(), bodyUsed);
    // A chunk that is not bytes fails consumption.
    const bad = new Response(new ReadableStream({ start(c) { c.enqueue('str'); c.close(); } }));
    await assert.rejects(bad.text(), { name: 'TypeError' });
  },
};

export const bodyUsedByStreamCancel = {
  async test() {
    // workerd's respond test: cancelling the source stream uses the body.
    const s = new ReadableStream({ pull(c) { c.enqueue(new Uint8Array([1])); } });
    const r = new Response(s);
    await s.cancel(new Error('boom'));
    assert.strictEqual(r.bodyUsed, true);
    await assert.rejects(r.text(), bodyUsed);
  },
};

export const bodyUsedByReader = {
  async test() {
    const r = new Response('abc');
    const reader = r.body.getReader();
    const first = await reader.read();
    assert.strictEqual(first.done, false);
    assert.strictEqual(r.bodyUsed, true);
    reader.releaseLock();
    await assert.rejects(r.text(), bodyUsed);
    assert.throws(() => r.clone(), bodyUsed);
  },
};

export const clone = {
  async test() {
    const r = new Response('body', { status: 404, statusText: 'Custom', headers: { a: '1' } });
    const c = r.clone();
    assert.ok(c instanceof Response);
    assert.strictEqual(c.status, 404);
    assert.strictEqual(c.statusText, 'Custom');
    assert.strictEqual(c.headers.get('a'), '1');
    c.headers.set('a', '2');
    assert.strictEqual(r.headers.get('a'), '1');
    assert.strictEqual(await c.text(), 'body');
    assert.strictEqual(await r.text(), 'body');
    assert.throws(() => r.clone(), bodyUsed);
    // Stream bodies are teed.
    const s = streamOf('x', 'y');
    const rs = new Response(s);
    const cs = rs.clone();
    assert.notStrictEqual(rs.body, s);
    assert.deepStrictEqual(await Promise.all([rs.text(), cs.text()]), ['xy', 'xy']);
    // Clones of immutable headers stay immutable.
    const redirect = Response.redirect('https://example.com/').clone();
    assert.throws(() => redirect.headers.set('a', 'b'), immutable);
    assert.strictEqual(Response.error().clone().type, 'error');
    // Null bodies clone to null bodies.
    assert.strictEqual(new Response().clone().body, null);
  },
};

export const initFromResponse = {
  async test() {
    const other = new Response('ignored', { status: 418, headers: { x: '1' } });
    const r = new Response('mine', other);
    assert.strictEqual(r.status, 418);
    assert.strictEqual(r.statusText, "I'm a teapot");
    assert.strictEqual(r.headers.get('x'), '1');
    assert.strictEqual(await r.text(), 'mine');
    // The other response's body is untouched.
    assert.strictEqual(other.bodyUsed, false);
  },
};

export const blobAndFormData = {
  async test() {
    const r = new Response('a=1&b=2', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (typeof FormData === 'function') {
      const fd = await r.formData();
      assert.strictEqual(fd.get('b'), '2');
    } else {
      await assert.rejects(r.formData(), { name: 'TypeError' });
    }
    if (typeof Blob === 'function') {
      const b = await new Response('xyz').blob();
      assert.strictEqual(b.size, 3);
      assert.strictEqual(b.type, 'text/plain;charset=UTF-8');  // values keep their case
    } else {
      await assert.rejects(new Response('xyz').blob(), { name: 'TypeError' });
    }
    // A used body is reported before anything else.
    const used = new Response('x');
    await used.text();
    await assert.rejects(used.blob(), bodyUsed);
    await assert.rejects(used.formData(), bodyUsed);
  },
};

export const interfaceShape = {
  test() {
    const proto = Response.prototype;
    for (const name of ['status', 'statusText', 'headers', 'ok', 'redirected', 'url', 'webSocket',
                        'cf', 'type', 'body', 'bodyUsed']) {
      const d = Object.getOwnPropertyDescriptor(proto, name);
      assert.strictEqual(typeof d.get, 'function', name);
      assert.strictEqual(d.enumerable, true, name);
    }
    for (const name of ['clone', 'arrayBuffer', 'bytes', 'text', 'json', 'formData', 'blob']) {
      assert.strictEqual(typeof proto[name], 'function', name);
    }
    for (const name of ['error', 'redirect', 'json']) {
      const d = Object.getOwnPropertyDescriptor(Response, name);
      assert.strictEqual(typeof d.value, 'function', name);
      assert.strictEqual(d.enumerable, true, name);
    }
    assert.throws(() => Response(), { name: 'TypeError' });
    assert.throws(() => Response.prototype.status, { name: 'TypeError' });
    assert.throws(() => Object.create(Response.prototype).clone(), { name: 'TypeError' });
  },
};

export const subclass = {
  async test() {
    class JsonResponse extends Response {
      constructor(data, init) {
        super(JSON.stringify(data), init);
        this.headers.set('content-type', 'application/json');
      }
    }
    const r = new JsonResponse({ ok: 1 }, { status: 201 });
    assert.ok(r instanceof Response);
    assert.ok(r instanceof JsonResponse);
    assert.strictEqual(r.status, 201);
    const c = r.clone();
    assert.ok(c instanceof Response);
    assert.strictEqual(Object.getPrototypeOf(c), Response.prototype);
    assert.deepStrictEqual(await r.json(), { ok: 1 });
    assert.deepStrictEqual(await c.json(), { ok: 1 });
    // Static factories build plain Responses.
    assert.strictEqual(Object.getPrototypeOf(JsonResponse.error()), Response.prototype);
  },
};

export const tamperProof = {
  async test() {
    const saved = { stringify: JSON.stringify, then: Promise.prototype.then,
                    push: Array.prototype.push, set: Map.prototype.set };
    const boom = () => { throw new Error('patched method called'); };
    let out;
    try {
      JSON.stringify = boom;
      Array.prototype.push = boom;
      Map.prototype.set = boom;
      const r = Response.json({ v: 1 }, { headers: { a: 'b' } });
      const c = r.clone();
      Promise.prototype.then = boom;
      out = [await r.text(), await c.arrayBuffer(), r.headers.get('content-type')];
    } finally {
      Object.assign(JSON, { stringify: saved.stringify });
      Promise.prototype.then = saved.then;
      Array.prototype.push = saved.push;
      Map.prototype.set = saved.set;
    }
    assert.strictEqual(out[0], '{"v":1}');
    assert.strictEqual(out[1].byteLength, 7);
    assert.strictEqual(out[2], 'application/json');
  },
};

export const absentInitReadsNothing = {
  test() {
    Object.prototype.status = 404;
    try {
      assert.strictEqual(new Response().status, 200);
      assert.strictEqual(new Response(null, null).status, 200);
      assert.strictEqual(new Response(null, {}).status, 404);
    } finally {
      delete Object.prototype.status;
    }
  },
};

export const bodyReadSurvivesPatchedObjectThen = {
  async test() {
    const stream = new ReadableStream({
      start(c) { c.enqueue(new TextEncoder().encode('ab')); c.enqueue(new TextEncoder().encode('cd')); c.close(); },
    });
    let intercepted = false;
    Object.prototype.then = function (resolve) { intercepted = true; resolve('hijacked'); };
    try {
      const text = await new Response(stream).text();
      delete Object.prototype.then;
      assert.strictEqual(text, 'abcd');
      assert.strictEqual(intercepted, false);
    } finally {
      delete Object.prototype.then;
    }
  },
};
