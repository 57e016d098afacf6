// Workers KV binding (compat/50_kv.js + bindings/kv_ops.cc), run against whichever store
// pactown-run was started with: the embedded SQLite store under ctest, Redis from
// tests/e2e/test_kv.py. Bindings come from kv_test.jsonc. State may persist between runs, so every
// key starts with a per-run prefix.
// https://developers.cloudflare.com/kv/api/
import assert from 'node:assert';

const P = `${crypto.randomUUID()}/`;
const MiB = 1024 * 1024;
const now = () => Math.floor(Date.now() / 1000);

// Rejects with exactly this class (not a subclass) and message.
async function rejectsWith(promise, Class, message) {
  assert.ok(promise instanceof Promise, 'KV methods return promises (errors are rejections)');
  await assert.rejects(promise, (e) => {
    assert.strictEqual(e.constructor, Class,
        `expected ${Class.name}, got ${e?.constructor?.name}: ${e?.message}`);
    assert.strictEqual(e.message, message);
    return true;
  });
}

async function readStream(stream) {
  const reader = stream.getReader();
  const chunks = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  const total = chunks.reduce((n, c) => n + c.byteLength, 0);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { bytes, sizes: chunks.map((c) => c.byteLength) };
}

// A stream of `count` chunks of `size` bytes; byte i of the value is (i * 7) & 0xff.
function patternStream(count, size) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i === count) return controller.close();
      const chunk = new Uint8Array(size);
      for (let j = 0; j < size; j++) chunk[j] = ((i * size + j) * 7) & 0xff;
      i++;
      controller.enqueue(chunk);
    },
  });
}

function checkPattern(bytes, length) {
  assert.strictEqual(bytes.byteLength, length);
  for (let j = 0; j < length; j += 4093) assert.strictEqual(bytes[j], (j * 7) & 0xff, `byte ${j}`);
  assert.strictEqual(bytes[length - 1], ((length - 1) * 7) & 0xff);
}

export const bindingShape = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    assert.strictEqual(Object.prototype.toString.call(kv), '[object KvNamespace]');
    for (const m of ['get', 'getWithMetadata', 'put', 'delete', 'list']) {
      assert.strictEqual(typeof kv[m], 'function', m);
    }
    assert.throws(() => new kv.constructor(),
        { name: 'TypeError', message: 'Illegal constructor' });
    assert.strictEqual(typeof globalThis.KvNamespace, 'undefined');
    assert.strictEqual(typeof globalThis.KVNamespace, 'undefined');
    // Validation errors are rejections, never synchronous throws.
    const p = kv.get('');
    assert.ok(p instanceof Promise);
    await p.catch(() => {});
  },
};

export const putGetText = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    assert.strictEqual(await kv.get(`${P}missing`), null);
    assert.deepStrictEqual(await kv.getWithMetadata(`${P}missing`),
        { value: null, metadata: null, cacheStatus: null });
    assert.strictEqual(await kv.put(`${P}text`, 'héllo wörld 😀'), undefined);
    assert.strictEqual(await kv.get(`${P}text`), 'héllo wörld 😀');
    assert.strictEqual(await kv.get(`${P}text`, 'text'), 'héllo wörld 😀');
    assert.strictEqual(await kv.get(`${P}text`, {}), 'héllo wörld 😀');
    assert.strictEqual(await kv.get(`${P}text`, { type: 'text' }), 'héllo wörld 😀');
    await kv.put(`${P}text`, 'replaced');
    assert.strictEqual(await kv.get(`${P}text`), 'replaced');
    await kv.put(`${P}empty`, '');
    assert.strictEqual(await kv.get(`${P}empty`), '');
    assert.deepStrictEqual(await kv.getWithMetadata(`${P}empty`),
        { value: '', metadata: null, cacheStatus: null });
    // Lone surrogates in values and keys are stored as U+FFFD (USVString conversion).
    await kv.put(`${P}lone\ud800`, 'a\udc00b');
    assert.strictEqual(await kv.get(`${P}lone\ufffd`), 'a\ufffdb');
    // Other primitives are converted to strings.
    await kv.put(`${P}number`, 42);
    assert.strictEqual(await kv.get(`${P}number`), '42');
  },
};

export const getTypes = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    await kv.put(`${P}json`, JSON.stringify({ a: [1, 'two', null] }));
    assert.deepStrictEqual(await kv.get(`${P}json`, 'json'), { a: [1, 'two', null] });
    assert.deepStrictEqual(await kv.get(`${P}json`, { type: 'json', cacheTtl: 60 }),
        { a: [1, 'two', null] });
    const ab = await kv.get(`${P}json`, 'arrayBuffer');
    assert.ok(ab instanceof ArrayBuffer);
    assert.strictEqual(new TextDecoder().decode(ab), '{"a":[1,"two",null]}');
    const stream = await kv.get(`${P}json`, 'stream');
    assert.ok(stream instanceof ReadableStream);
    assert.strictEqual(new TextDecoder().decode((await readStream(stream)).bytes),
        '{"a":[1,"two",null]}');
    await kv.put(`${P}notjson`, '{oops');
    await assert.rejects(kv.get(`${P}notjson`, 'json'), SyntaxError);
    // An unknown type is reported once a value was found (as workerd does); a miss is null.
    const unknown = 'Unknown response type. Possible types are "text", "arrayBuffer", "json", ' +
        'and "stream".';
    await rejectsWith(kv.get(`${P}json`, 'banana'), TypeError, unknown);
    await rejectsWith(kv.get(`${P}json`, { type: 'blob' }), TypeError, unknown);
    await rejectsWith(kv.getWithMetadata(`${P}json`, ''), TypeError, unknown);
    assert.strictEqual(await kv.get(`${P}missing`, 'banana'), null);
    // Binary values survive, and invalid UTF-8 decodes to U+FFFD as text.
    const all = new Uint8Array(256).map((_, i) => i);
    await kv.put(`${P}binary`, all.buffer);
    assert.deepStrictEqual(new Uint8Array(await kv.get(`${P}binary`, 'arrayBuffer')), all);
    await kv.put(`${P}invalid`, new Uint8Array([0x61, 0xff, 0x62]));
    assert.strictEqual(await kv.get(`${P}invalid`), 'a\ufffdb');
    // A stream result is a byte stream (BYOB readers work).
    const byob = (await kv.get(`${P}binary`, 'stream')).getReader({ mode: 'byob' });
    const { value } = await byob.read(new Uint8Array(16));
    assert.deepStrictEqual([...value], [...all.subarray(0, 16)]);
    await byob.cancel();
  },
};

export const putValueKinds = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    const bytes = new TextEncoder().encode('0123456789');
    await kv.put(`${P}ab`, bytes.buffer);
    assert.strictEqual(await kv.get(`${P}ab`), '0123456789');
    await kv.put(`${P}view`, bytes.subarray(2, 5));
    assert.strictEqual(await kv.get(`${P}view`), '234');
    await kv.put(`${P}dataview`, new DataView(bytes.buffer, 7, 3));
    assert.strictEqual(await kv.get(`${P}dataview`), '789');
    await kv.put(`${P}int16`, new Int16Array([0x6968]));
    assert.strictEqual(await kv.get(`${P}int16`), 'hi');
    await kv.put(`${P}emptybuf`, new ArrayBuffer(0));
    assert.strictEqual(await kv.get(`${P}emptybuf`), '');
    // The value is taken when put() is called: later changes to the buffer do not leak in.
    const mutable = new TextEncoder().encode('before');
    const p = kv.put(`${P}snapshot`, mutable);
    mutable.fill(0x21);
    await p;
    assert.strictEqual(await kv.get(`${P}snapshot`), 'before');
    // Streams of ArrayBuffers and views, in several chunks.
    const parts = ['strea', 'med ', 'value'];
    let i = 0;
    await kv.put(`${P}stream`, new ReadableStream({
      pull(c) {
        if (i === parts.length) return c.close();
        const chunk = new TextEncoder().encode(parts[i++]);
        c.enqueue(i === 2 ? chunk.buffer : chunk);
      },
    }));
    assert.strictEqual(await kv.get(`${P}stream`), 'streamed value');
    await kv.put(`${P}emptystream`, new ReadableStream({ start(c) { c.close(); } }));
    assert.strictEqual(await kv.get(`${P}emptystream`), '');

    const bad = 'KV put() accepts only strings, ArrayBuffers, ArrayBufferViews, and ' +
        'ReadableStreams as values.';
    await rejectsWith(kv.put(`${P}x`, {}), TypeError, bad);
    await rejectsWith(kv.put(`${P}x`, [1, 2]), TypeError, bad);
    await rejectsWith(kv.put(`${P}x`, new Blob(['x'])), TypeError, bad);
    await rejectsWith(kv.put(`${P}x`, new ReadableStream({ start(c) { c.enqueue('text'); } })),
        TypeError, 'This ReadableStream did not return bytes.');
    const errored = new ReadableStream({ pull(c) { c.error(new RangeError('source broke')); } });
    await assert.rejects(kv.put(`${P}x`, errored), { name: 'RangeError', message: 'source broke' });
    const locked = new ReadableStream();
    locked.getReader();
    await assert.rejects(kv.put(`${P}x`, locked), TypeError);
    assert.strictEqual(await kv.get(`${P}x`), null);
  },
};

export const metadata = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    const meta = { owner: 'ü', tags: ['a', 'b'], n: 1.5, nested: { ok: true } };
    await kv.put(`${P}meta/obj`, 'v', { metadata: meta });
    assert.deepStrictEqual(await kv.getWithMetadata(`${P}meta/obj`),
        { value: 'v', metadata: meta, cacheStatus: null });
    assert.deepStrictEqual(await kv.getWithMetadata(`${P}meta/obj`, 'json').catch((e) => e.name),
        'SyntaxError');
    const r = await kv.getWithMetadata(`${P}meta/obj`, { type: 'arrayBuffer' });
    assert.strictEqual(new TextDecoder().decode(r.value), 'v');
    assert.deepStrictEqual(r.metadata, meta);
    await kv.put(`${P}meta/zero`, 'v', { metadata: 0 });
    assert.strictEqual((await kv.getWithMetadata(`${P}meta/zero`)).metadata, 0);
    await kv.put(`${P}meta/str`, 'v', { metadata: 'just text' });
    assert.strictEqual((await kv.getWithMetadata(`${P}meta/str`)).metadata, 'just text');
    // null (like undefined) means no metadata.
    await kv.put(`${P}meta/null`, 'v', { metadata: null });
    assert.strictEqual((await kv.getWithMetadata(`${P}meta/null`)).metadata, null);
    // Overwriting without metadata drops the old metadata.
    await kv.put(`${P}meta/obj2`, 'v', { metadata: { a: 1 } });
    await kv.put(`${P}meta/obj2`, 'w');
    assert.deepStrictEqual(await kv.getWithMetadata(`${P}meta/obj2`),
        { value: 'w', metadata: null, cacheStatus: null });
    const listed = await kv.list({ prefix: `${P}meta/` });
    assert.deepStrictEqual(listed.keys, [
      { name: `${P}meta/null` },
      { name: `${P}meta/obj`, metadata: meta },
      { name: `${P}meta/obj2` },
      { name: `${P}meta/str`, metadata: 'just text' },
      { name: `${P}meta/zero`, metadata: 0 },
    ]);
  },
};

export const keyValidation = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    const calls = {
      GET: (k) => kv.get(k),
      GET2: (k) => kv.getWithMetadata(k),
      PUT: (k) => kv.put(k, 'v'),
      DELETE: (k) => kv.delete(k),
    };
    for (const [op, call] of Object.entries(calls)) {
      const method = op === 'GET2' ? 'GET' : op;
      await rejectsWith(call(''), TypeError, 'Key name cannot be empty.');
      await rejectsWith(call('.'), TypeError, '"." is not allowed as a key name.');
      await rejectsWith(call('..'), TypeError, '".." is not allowed as a key name.');
      await rejectsWith(call('x'.repeat(513)), Error, `KV ${method} failed: 414 UTF-8 encoded ` +
          'length of 513 exceeds key length limit of 512.');
      // The limit counts UTF-8 bytes: 171 three-byte characters are 513 bytes.
      await rejectsWith(call('€'.repeat(171)), Error, `KV ${method} failed: 414 UTF-8 encoded ` +
          'length of 513 exceeds key length limit of 512.');
      await rejectsWith(call('😀'.repeat(129)), Error, `KV ${method} failed: 414 UTF-8 encoded ` +
          'length of 516 exceeds key length limit of 512.');
    }
    // 512 bytes exactly is fine, as are names that only contain dots.
    const longKey = `${P}${'€'.repeat(158)}k`;  // 37 + 474 + 1 bytes
    assert.strictEqual(new TextEncoder().encode(longKey).length, 512);
    await kv.put(longKey, 'long');
    assert.strictEqual(await kv.get(longKey), 'long');
    await kv.put(`${P}...`, 'dots');
    assert.strictEqual(await kv.get(`${P}...`), 'dots');
    await kv.delete(longKey);
    assert.strictEqual(await kv.get(longKey), null);
    // Keys that are not strings are converted to strings.
    await kv.put({ toString: () => `${P}converted` }, 'c');
    assert.strictEqual(await kv.get(`${P}converted`), 'c');
  },
};

export const expirationValidation = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    const k = `${P}exp`;
    for (const ttl of [59, 1, 30.9]) {
      const shown = Math.trunc(ttl);
      await rejectsWith(kv.put(k, 'v', { expirationTtl: ttl }), Error, `KV PUT failed: 400 ` +
          `Invalid expiration_ttl of ${shown}. Expiration TTL must be at least 60.`);
    }
    for (const ttl of [0, -5]) {
      await rejectsWith(kv.put(k, 'v', { expirationTtl: ttl }), Error, `KV PUT failed: 400 ` +
          `Invalid expiration_ttl of ${ttl}. Please specify integer greater than 0.`);
    }
    const t = now();
    for (const exp of [0, t - 10, t]) {
      await rejectsWith(kv.put(k, 'v', { expiration: exp }), Error, `KV PUT failed: 400 Invalid ` +
          `expiration of ${exp}. Please specify integer greater than the current number of ` +
          'seconds since the UNIX epoch.');
    }
    await rejectsWith(kv.put(k, 'v', { expiration: t + 30 }), Error, `KV PUT failed: 400 Invalid ` +
        `expiration of ${t + 30}. Expiration times must be at least 60 seconds in the future.`);
    assert.strictEqual(await kv.get(k), null);

    await kv.put(`${P}exp/ttl`, 'v', { expirationTtl: 60 });
    await kv.put(`${P}exp/abs`, 'v', { expiration: t + 3600, metadata: { m: 1 } });
    // expirationTtl wins over an (invalid) expiration.
    await kv.put(`${P}exp/both`, 'v', { expiration: 1, expirationTtl: 120 });
    await kv.put(`${P}exp/none`, 'v');
    const { keys } = await kv.list({ prefix: `${P}exp/` });
    assert.deepStrictEqual(keys.map((x) => x.name),
        [`${P}exp/abs`, `${P}exp/both`, `${P}exp/none`, `${P}exp/ttl`]);
    assert.deepStrictEqual(keys[0],
        { name: `${P}exp/abs`, expiration: t + 3600, metadata: { m: 1 } });
    assert.ok(keys[1].expiration >= t + 120 && keys[1].expiration <= now() + 120,
        keys[1].expiration);
    assert.deepStrictEqual(keys[2], { name: `${P}exp/none` });
    assert.ok(keys[3].expiration >= t + 60 && keys[3].expiration <= now() + 60, keys[3].expiration);
    // Not yet expired: readable.
    assert.strictEqual(await kv.get(`${P}exp/ttl`), 'v');
  },
};

export const sizeValidation = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    // Metadata: at most 1024 bytes of JSON.
    const meta1024 = 'm'.repeat(1022);  // JSON: 1024 bytes with the quotes
    await kv.put(`${P}size/meta`, 'v', { metadata: meta1024 });
    assert.strictEqual((await kv.getWithMetadata(`${P}size/meta`)).metadata, meta1024);
    await rejectsWith(kv.put(`${P}size/meta`, 'v', { metadata: `${meta1024}m` }), Error,
        'KV PUT failed: 413 Metadata length of 1025 exceeds limit of 1024.');
    await rejectsWith(kv.put(`${P}size/meta`, 'v', { metadata: { k: 'é'.repeat(510) } }), Error,
        'KV PUT failed: 413 Metadata length of 1028 exceeds limit of 1024.');
    // Values: at most 25 MiB, whatever their kind.
    const limit = 25 * MiB;
    const tooBig = `KV PUT failed: 413 Value length of ${limit + 1} exceeds limit of ${limit}.`;
    await rejectsWith(kv.put(`${P}size/v`, new Uint8Array(limit + 1)), Error, tooBig);
    await rejectsWith(kv.put(`${P}size/v`, 'x'.repeat(limit + 1)), Error, tooBig);
    await rejectsWith(kv.put(`${P}size/v`, 'é'.repeat(limit / 2) + 'x'), Error, tooBig);
    await rejectsWith(kv.put(`${P}size/v`, patternStream(limit / MiB + 1, MiB)), Error,
        `KV PUT failed: 413 Value length of ${limit + MiB} exceeds limit of ${limit}.`);
    assert.strictEqual(await kv.get(`${P}size/v`), null);
    await kv.put(`${P}size/v`, new Uint8Array(limit).fill(0x61));
    const got = await kv.get(`${P}size/v`, 'arrayBuffer');
    assert.strictEqual(got.byteLength, limit);
    await kv.delete(`${P}size/v`);
  },
};

export const cacheTtl = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    await kv.put(`${P}cache`, 'v');
    assert.strictEqual(await kv.get(`${P}cache`, { cacheTtl: 30 }), 'v');
    assert.strictEqual(await kv.get(`${P}cache`, { cacheTtl: 86400, type: 'text' }), 'v');
    await rejectsWith(kv.get(`${P}cache`, { cacheTtl: 29 }), Error,
        'KV GET failed: 400 Invalid cache_ttl of 29. Cache TTL must be at least 30.');
    await rejectsWith(kv.getWithMetadata(`${P}cache`, { cacheTtl: 0 }), Error,
        'KV GET failed: 400 Invalid cache_ttl of 0. Cache TTL must be at least 30.');
    await rejectsWith(kv.get([`${P}cache`], { cacheTtl: 10 }), Error,
        'KV GET_BULK failed: 400 Invalid cache_ttl of 10. Cache TTL must be at least 30.');
    assert.deepStrictEqual(await kv.get([`${P}cache`], { cacheTtl: 600 }),
        new Map([[`${P}cache`, 'v']]));
  },
};

export const bulkGet = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    const keys = [];
    for (let i = 0; i < 100; i++) keys.push(`${P}bulk/${String(i).padStart(3, '0')}`);
    await Promise.all(keys.slice(0, 99).map((k, i) =>
      kv.put(k, JSON.stringify({ i }), i % 2 ? { metadata: { odd: i } } : undefined)));
    // 100 keys, in the order asked, the last one missing.
    const reversed = [...keys].reverse();
    const texts = await kv.get(reversed);
    assert.ok(texts instanceof Map);
    assert.deepStrictEqual([...texts.keys()], reversed);
    assert.strictEqual(texts.get(keys[99]), null);
    assert.strictEqual(texts.get(keys[5]), '{"i":5}');
    assert.deepStrictEqual(await kv.get(keys.slice(3, 5), 'json'),
        new Map([[keys[3], { i: 3 }], [keys[4], { i: 4 }]]));
    assert.deepStrictEqual(await kv.get(keys.slice(3, 5), { type: 'text' }),
        new Map([[keys[3], '{"i":3}'], [keys[4], '{"i":4}']]));
    assert.deepStrictEqual(await kv.getWithMetadata([keys[1], keys[2], keys[99]], 'json'),
        new Map([[keys[1], { value: { i: 1 }, metadata: { odd: 1 } }],
          [keys[2], { value: { i: 2 }, metadata: null }], [keys[99], null]]));
    assert.deepStrictEqual(await kv.getWithMetadata([keys[1]]),
        new Map([[keys[1], { value: '{"i":1}', metadata: { odd: 1 } }]]));

    const bulk = 'KV GET_BULK failed: ';
    await rejectsWith(kv.get([...keys, `${P}bulk/100`]), Error,
        `${bulk}400 You can request a maximum of 100 keys`);
    await rejectsWith(kv.get([]), Error, `${bulk}400 You must request a minimum of 1 key`);
    for (const type of ['arrayBuffer', 'stream', 'banana']) {
      await rejectsWith(kv.get(keys.slice(0, 2), type), Error,
          `${bulk}400 "${type}" is not a valid type. Use "json" or "text"`);
    }
    await rejectsWith(kv.getWithMetadata(keys.slice(0, 2), { type: 'arrayBuffer' }), Error,
        `${bulk}400 "arrayBuffer" is not a valid type. Use "json" or "text"`);
    await rejectsWith(kv.get([keys[0], '']), Error, `${bulk}400 Key names must not be empty`);
    await rejectsWith(kv.get([keys[0], '..']), Error,
        `${bulk}400 Illegal key name "..". Please use a different name.`);
    await rejectsWith(kv.get(['.']), Error,
        `${bulk}400 Illegal key name ".". Please use a different name.`);
    await rejectsWith(kv.get(['k'.repeat(600)]), Error,
        `${bulk}414 UTF-8 encoded length of 600 exceeds key length limit of 512.`);
    await kv.put(`${P}bulk/notjson`, 'nope');
    await rejectsWith(kv.get([keys[0], `${P}bulk/notjson`], 'json'), Error,
        `${bulk}400 At least one of the requested keys corresponds to a non-json value`);
    // The values of one bulk read may total at most 25 MB.
    const half = 'h'.repeat(25 * MiB / 2 + 1);
    await kv.put(`${P}bulk/big1`, half);
    await kv.put(`${P}bulk/big2`, half);
    assert.strictEqual((await kv.get([`${P}bulk/big1`])).get(`${P}bulk/big1`).length, half.length);
    await rejectsWith(kv.get([`${P}bulk/big1`, `${P}bulk/big2`]), Error,
        `${bulk}413 Total size of request exceeds the limit of 25MB`);
    await kv.delete(`${P}bulk/big1`);
    await kv.delete(`${P}bulk/big2`);
  },
};

export const largeStreams = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    const size = 20 * MiB;
    // 20 MiB put as a stream of 64 KiB chunks, read back as a stream and as one buffer.
    await kv.put(`${P}large`, patternStream(size / 65536, 65536));
    const { bytes, sizes } = await readStream(await kv.get(`${P}large`, 'stream'));
    checkPattern(bytes, size);
    assert.ok(sizes.length >= size / 65536, `chunks: ${sizes.length}`);
    assert.ok(sizes.every((n) => n > 0 && n <= 65536), 'every chunk is at most 64 KiB');
    checkPattern(new Uint8Array(await kv.get(`${P}large`, 'arrayBuffer')), size);
    // Odd chunk sizes are assembled in order.
    await kv.put(`${P}large2`, patternStream(7, 1000003));
    checkPattern(new Uint8Array(await kv.get(`${P}large2`, 'arrayBuffer')), 7 * 1000003);
    // A stream result can be cancelled half way.
    const reader = (await kv.get(`${P}large`, 'stream')).getReader();
    await reader.read();
    await reader.cancel();
    await kv.delete(`${P}large`);
    await kv.delete(`${P}large2`);
  },
};

export const deleteKeys = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    await kv.put(`${P}del`, 'v', { metadata: { a: 1 } });
    assert.strictEqual(await kv.delete(`${P}del`), undefined);
    assert.strictEqual(await kv.get(`${P}del`), null);
    assert.deepStrictEqual(await kv.getWithMetadata(`${P}del`),
        { value: null, metadata: null, cacheStatus: null });
    assert.deepStrictEqual((await kv.list({ prefix: `${P}del` })).keys, []);
    // Deleting a key that does not exist succeeds.
    assert.strictEqual(await kv.delete(`${P}never-existed`), undefined);
  },
};

export const listShape = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    const prefix = `${P}list/`;
    // UTF-8 byte order: 'é' (C3 A9) < 'ｚ' (EF BC 9A) < '😀' (F0 9F 98 80); UTF-16 order differs.
    const names = ['a', 'b', 'b/c', 'é', 'ｚ', '😀'].map((n) => prefix + n);
    for (const n of [...names].reverse()) await kv.put(n, 'v');
    const all = await kv.list({ prefix });
    assert.deepStrictEqual(all, { keys: names.map((name) => ({ name })), list_complete: true,
      cacheStatus: null });
    assert.deepStrictEqual(Object.keys(all), ['keys', 'list_complete', 'cacheStatus']);
    const page = await kv.list({ prefix, limit: 2 });
    assert.deepStrictEqual(Object.keys(page), ['keys', 'list_complete', 'cursor', 'cacheStatus']);
    assert.deepStrictEqual(page.keys, [{ name: names[0] }, { name: names[1] }]);
    assert.strictEqual(page.list_complete, false);
    assert.strictEqual(typeof page.cursor, 'string');
    assert.ok(page.cursor.length > 0);
    const rest = await kv.list({ prefix, cursor: page.cursor });
    assert.deepStrictEqual(rest.keys.map((k) => k.name), names.slice(2));
    assert.strictEqual(rest.list_complete, true);
    assert.strictEqual('cursor' in rest, false);
    // An exact final page still says list_complete: true.
    assert.strictEqual((await kv.list({ prefix, limit: 6 })).list_complete, true);
    assert.deepStrictEqual((await kv.list({ prefix: `${prefix}b` })).keys.map((k) => k.name),
        [names[1], names[2]]);
    assert.deepStrictEqual(await kv.list({ prefix: `${P}nothing-here/` }),
        { keys: [], list_complete: true, cacheStatus: null });
    // limit <= 0 is not sent (the default, 1000, applies); a null prefix or cursor is none.
    assert.strictEqual((await kv.list({ prefix, limit: 0 })).keys.length, 6);
    assert.strictEqual((await kv.list({ prefix, limit: -3, cursor: null })).keys.length, 6);
    assert.ok((await kv.list({ prefix: null, limit: 1 })).keys.length === 1);
    assert.ok((await kv.list()).keys.length >= 6);

    await rejectsWith(kv.list({ limit: 1001 }), Error, 'KV GET failed: 400 Invalid ' +
        'key_count_limit of 1001. Please specify an integer less than 1000.');
    assert.strictEqual((await kv.list({ prefix, limit: 1000 })).keys.length, 6);
    await rejectsWith(kv.list({ prefix: 'p'.repeat(513) }), Error,
        'KV GET failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.');
    await assert.rejects(kv.list({ cursor: '!!! not a cursor !!!' }),
        (e) => e.constructor === Error && e.message.startsWith('KV GET failed: '));
  },
};

// Pages stay correct while keys are added and deleted between them: a page starts strictly after
// the last key of the previous one.
export const listPaginationWhileChanging = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    const prefix = `${P}pages/`;
    const k = (n) => `${prefix}${n}`;
    for (const n of ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09']) {
      await kv.put(k(n), n);
    }
    const seen = [];
    let page = await kv.list({ prefix, limit: 3 });
    seen.push(...page.keys.map((x) => x.name));
    assert.deepStrictEqual(seen, [k('00'), k('01'), k('02')]);
    // Between pages: delete the next key, add one before the cursor (never seen) and two after.
    await kv.delete(k('03'));
    await kv.put(k('015'), 'x');
    await kv.put(k('025'), 'x');
    await kv.put(k('99'), 'x');
    page = await kv.list({ prefix, limit: 3, cursor: page.cursor });
    assert.deepStrictEqual(page.keys.map((x) => x.name), [k('025'), k('04'), k('05')]);
    seen.push(...page.keys.map((x) => x.name));
    // Delete the last key returned (the cursor's key) and the rest of this page.
    await kv.delete(k('05'));
    await kv.delete(k('06'));
    while (!page.list_complete) {
      page = await kv.list({ prefix, limit: 3, cursor: page.cursor });
      seen.push(...page.keys.map((x) => x.name));
    }
    assert.deepStrictEqual(seen, [k('00'), k('01'), k('02'), k('025'), k('04'), k('05'), k('07'),
      k('08'), k('09'), k('99')]);
    assert.strictEqual(page.cursor, undefined);
  },
};

export const namespaces = {
  async test(ctrl, env) {
    await env.MY_KV.put(`${P}ns`, 'main');
    // Same id: same data. Other ids: separate data.
    assert.strictEqual(await env.SAME_KV.get(`${P}ns`), 'main');
    for (const other of [env.OTHER_KV, env.PREVIEW_KV, env.NAME_KV]) {
      assert.strictEqual(await other.get(`${P}ns`), null);
      assert.deepStrictEqual((await other.list({ prefix: P })).keys, []);
    }
    await env.OTHER_KV.put(`${P}ns`, 'other');
    await env.PREVIEW_KV.put(`${P}ns`, 'preview');
    await env.NAME_KV.put(`${P}ns`, 'name');
    assert.strictEqual(await env.MY_KV.get(`${P}ns`), 'main');
    assert.strictEqual(await env.OTHER_KV.get(`${P}ns`), 'other');
    assert.strictEqual(await env.PREVIEW_KV.get(`${P}ns`), 'preview');
    assert.strictEqual(await env.NAME_KV.get(`${P}ns`), 'name');
    await env.SAME_KV.delete(`${P}ns`);
    assert.strictEqual(await env.MY_KV.get(`${P}ns`), null);
    assert.strictEqual(await env.OTHER_KV.get(`${P}ns`), 'other');
    await env.OTHER_KV.delete(`${P}ns`);
    await env.PREVIEW_KV.delete(`${P}ns`);
    await env.NAME_KV.delete(`${P}ns`);
  },
};

export const concurrentOperations = {
  async test(ctrl, env) {
    const kv = env.MY_KV;
    const n = 200;
    const ids = [...Array(n).keys()];
    await Promise.all(ids.map((i) => kv.put(`${P}conc/${i}`, `v${i}`, { metadata: { i } })));
    const got = await Promise.all(ids.map((i) => kv.getWithMetadata(`${P}conc/${i}`)));
    got.forEach((r, i) => assert.deepStrictEqual(r, { value: `v${i}`, metadata: { i },
      cacheStatus: null }));
    // A read started after a write sees it, even without awaiting the write.
    const write = kv.put(`${P}conc/order`, 'first');
    const read = kv.get(`${P}conc/order`);
    await write;
    assert.strictEqual(await read, 'first');
    const mixed = await Promise.all([kv.get(`${P}conc/1`), kv.get('').catch((e) => e.message),
      kv.list({ prefix: `${P}conc/1`, limit: 2 }), kv.delete(`${P}conc/2`)]);
    assert.strictEqual(mixed[0], 'v1');
    assert.strictEqual(mixed[1], 'Key name cannot be empty.');
    assert.strictEqual(mixed[2].keys.length, 2);
    assert.strictEqual(await kv.get(`${P}conc/2`), null);
  },
};

// Runs last (tests run in name order): removes this run's keys, so a persistent state dir does
// not grow from run to run.
export const zzRemoveThisRunsKeys = {
  async test(ctrl, env) {
    for (const kv of [env.MY_KV, env.OTHER_KV, env.PREVIEW_KV, env.NAME_KV]) {
      let cursor;
      do {
        const page = await kv.list({ prefix: P, cursor });
        await Promise.all(page.keys.map((k) => kv.delete(k.name)));
        cursor = page.cursor;
      } while (cursor !== undefined);
      assert.deepStrictEqual((await kv.list({ prefix: P })).keys, []);
    }
  },
};
