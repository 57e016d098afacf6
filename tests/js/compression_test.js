// CompressionStream and DecompressionStream: https://compression.spec.whatwg.org/, with the
// formats and messages of workerd.
import assert from 'node:assert';

const enc = new TextEncoder();
const dec = new TextDecoder();
const formats = ['gzip', 'deflate', 'deflate-raw'];
const badFormat = {
  name: 'TypeError',
  message: "The compression format must be either 'deflate', 'deflate-raw' or 'gzip'.",
};
// zlib's output for 'pactown compression vector' (made with Node's zlib).
const vectorText = 'pactown compression vector';
const vectors = {
  'gzip': [31, 139, 8, 0, 0, 0, 0, 0, 0, 3, 43, 72, 76, 46, 201, 47, 207, 83, 72, 206, 207, 45, 40,
    74, 45, 46, 206, 204, 207, 83, 40, 75, 77, 46, 201, 47, 2, 0, 62, 110, 217, 5, 26, 0, 0, 0],
  'deflate': [120, 156, 43, 72, 76, 46, 201, 47, 207, 83, 72, 206, 207, 45, 40, 74, 45, 46, 206,
    204, 207, 83, 40, 75, 77, 46, 201, 47, 2, 0, 141, 153, 10, 130],
  'deflate-raw': [43, 72, 76, 46, 201, 47, 207, 83, 72, 206, 207, 45, 40, 74, 45, 46, 206, 204, 207,
    83, 40, 75, 77, 46, 201, 47, 2, 0],
};

// Writes `chunks` (then closes) and reads everything: { bytes, chunks }.
async function run(transform, chunks) {
  const writer = transform.writable.getWriter();
  const writes = (async () => {
    for (const c of chunks) await writer.write(c);
    await writer.close();
  })();
  writes.catch(() => {});  // awaited below, once the output is read
  const reader = transform.readable.getReader();
  const out = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    assert.ok(value instanceof Uint8Array, 'output chunks are Uint8Arrays');
    assert.ok(value.byteLength > 0, 'output chunks are not empty');
    out.push(value);
    total += value.byteLength;
  }
  await writes;
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const c of out) {
    bytes.set(c, off);
    off += c.byteLength;
  }
  return { bytes, chunks: out };
}

const compress = async (format, chunks) => (await run(new CompressionStream(format), chunks)).bytes;
const decompress = async (format, chunks) =>
  (await run(new DecompressionStream(format), chunks)).bytes;

function sameBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const interfaceShape = {
  test() {
    for (const C of [CompressionStream, DecompressionStream]) {
      assert.strictEqual(C.length, 1);
      const s = new C('gzip');
      assert.strictEqual(Object.prototype.toString.call(s), `[object ${C.name}]`);
      assert.ok(s.readable instanceof ReadableStream);
      assert.ok(s.writable instanceof WritableStream);
      assert.strictEqual(s.readable, s.readable);
      // GenericTransformStream: not a TransformStream subclass.
      assert.ok(!(s instanceof TransformStream));
      for (const name of ['readable', 'writable']) {
        const d = Object.getOwnPropertyDescriptor(C.prototype, name);
        assert.strictEqual(d.enumerable, true);
        assert.throws(() => d.get.call({}), TypeError);
      }
      assert.throws(() => C(), TypeError);
      assert.throws(() => new C(), { name: 'TypeError', message: /1 argument required/ });
    }
    // Brand checks do not mix the two interfaces.
    const rd = Object.getOwnPropertyDescriptor(CompressionStream.prototype, 'readable').get;
    assert.throws(() => rd.call(new DecompressionStream('gzip')), TypeError);
    // The pair works with pipeThrough.
    assert.ok(new Blob(['x']).stream().pipeThrough(new CompressionStream('gzip')) instanceof
              ReadableStream);
  },
};

export const formatArgument = {
  test() {
    for (const C of [CompressionStream, DecompressionStream]) {
      for (const bad of ['GZIP', 'gzip ', 'brotli', 'zstd', 'deflate64', '', undefined, null, 1]) {
        assert.throws(() => new C(bad), badFormat, String(bad));
      }
      // An enum value is converted to a string first.
      assert.ok(new C({ toString: () => 'deflate-raw' }));
      assert.throws(() => new C(Symbol('gzip')), TypeError);
      assert.throws(() => new C({ toString() { throw new RangeError('x'); } }), RangeError);
    }
  },
};

export const knownVectors = {
  async test() {
    for (const format of formats) {
      const bytes = await decompress(format, [new Uint8Array(vectors[format])]);
      assert.strictEqual(dec.decode(bytes), vectorText, format);
    }
    // Headers: gzip magic, zlib CMF/FLG for the default level, raw has none.
    const input = [enc.encode(vectorText)];
    const gz = await compress('gzip', input);
    assert.deepStrictEqual([gz[0], gz[1], gz[2]], [0x1f, 0x8b, 8]);
    const zl = await compress('deflate', input);
    assert.deepStrictEqual([zl[0], zl[1]], [0x78, 0x9c]);
    // (The exact bytes depend on the zlib build; decompressing them is what matters.)
    for (const format of formats) {
      const bytes = await compress(format, input);
      assert.strictEqual(dec.decode(await decompress(format, [bytes])), vectorText);
    }
  },
};

export const roundTrips = {
  async test() {
    const text = 'Lorem ipsum dolor sit amet, '.repeat(5000);
    for (const format of formats) {
      const compressed = await compress(format, [enc.encode(text)]);
      assert.ok(compressed.byteLength < text.length / 10, format);
      assert.strictEqual(dec.decode(await decompress(format, [compressed])), text);
      // Many small chunks, empty chunks, and every BufferSource type.
      const parts = [new Uint8Array(0), enc.encode('ab'), new Uint16Array([0x6463]).buffer,
        new DataView(enc.encode('xefx').buffer, 1, 2), new Int8Array(0), new Uint8Array([0x67])];
      const c2 = await compress(format, parts);
      assert.strictEqual(dec.decode(await decompress(format, [c2])), 'abcdefg');
      // Decompressing byte by byte.
      const single = [...compressed.subarray(0, 200)].map((b) => new Uint8Array([b]));
      const rest = compressed.subarray(200);
      assert.strictEqual(dec.decode(await decompress(format, [...single, rest])), text);
      // Empty input compresses to a valid empty stream.
      const empty = await compress(format, []);
      assert.ok(empty.byteLength > 0);
      assert.strictEqual((await decompress(format, [empty])).byteLength, 0);
      // A chunk is consumed when written: changing it afterwards changes nothing.
      const mutable = enc.encode('mutable');
      const cs = new CompressionStream(format);
      const w = cs.writable.getWriter();
      const done = new Response(cs.readable).bytes();
      await w.write(mutable);
      mutable.fill(0);
      await w.close();
      assert.strictEqual(dec.decode(await decompress(format, [await done])), 'mutable');
    }
  },
};

export const outputIsChunked = {
  async test() {
    // Output arrives in pieces of at most 64 KiB, never one huge chunk.
    const zeros = new Uint8Array(1 << 20);
    for (const format of formats) {
      const compressed = await compress(format, [zeros]);
      const { bytes, chunks } = await run(new DecompressionStream(format), [compressed]);
      assert.strictEqual(bytes.byteLength, zeros.byteLength);
      assert.ok(chunks.length >= 16);
      for (const c of chunks) assert.ok(c.byteLength <= 65536);
      assert.ok(bytes.every((b) => b === 0));
    }
  },
};

export const badChunks = {
  async test() {
    const sab = typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(4) : null;
    const bad = [undefined, null, 3.14, 'string', {}, [65], { byteLength: 1 }];
    if (sab !== null) bad.push(sab, new Uint8Array(sab));
    for (const C of [CompressionStream, DecompressionStream]) {
      for (const format of formats) {
        for (const chunk of bad) {
          const s = new C(format);
          const writer = s.writable.getWriter();
          const reader = s.readable.getReader();
          const write = writer.write(chunk);
          const read = reader.read();
          const expected = { name: 'TypeError',
                             message: 'This WritableStream only supports writing byte types.' };
          await assert.rejects(write, expected);
          await assert.rejects(read, expected);
          await assert.rejects(writer.close(), TypeError);
        }
      }
    }
  },
};

export const corruptInput = {
  async test() {
    const failed = { name: 'TypeError', message: 'Decompression failed.' };
    for (const format of formats) {
      const corrupt = new Uint8Array(vectors[format]);
      // Flip bits in the body (raw deflate: a reserved block type).
      if (format === 'deflate-raw') corrupt[0] = 0xff;
      else corrupt[format === 'gzip' ? 0 : 1] ^= 0xff;
      await assert.rejects(decompress(format, [corrupt]), failed, format);
    }
    // A checksum mismatch in the trailer.
    const badCrc = new Uint8Array(vectors.gzip);
    badCrc[badCrc.length - 6] ^= 1;
    await assert.rejects(decompress('gzip', [badCrc]), failed);
    const badAdler = new Uint8Array(vectors.deflate);
    badAdler[badAdler.length - 1] ^= 1;
    await assert.rejects(decompress('deflate', [badAdler]), failed);
    // gzip data is not deflate data, and the reverse.
    await assert.rejects(decompress('deflate', [new Uint8Array(vectors.gzip)]), failed);
    await assert.rejects(decompress('gzip', [new Uint8Array(vectors.deflate)]), failed);
  },
};

export const truncatedInput = {
  async test() {
    for (const format of formats) {
      const full = new Uint8Array(vectors[format]);
      for (const length of [0, 1, full.length - 1]) {
        if (length === 0 && format === 'deflate-raw') continue;
        const ds = new DecompressionStream(format);
        const writer = ds.writable.getWriter();
        const reader = ds.readable.getReader();
        const reads = (async () => {
          for (;;) if ((await reader.read()).done) return;
        })();
        if (length > 0) await writer.write(full.subarray(0, length));
        await assert.rejects(writer.close(), {
          name: 'TypeError',
          message: 'Called close() on a decompression stream with incomplete data',
        }, `${format} ${length}`);
        await assert.rejects(reads, TypeError);
      }
    }
    // No input at all is incomplete too (raw deflate included).
    await assert.rejects(decompress('deflate-raw', []), TypeError);
  },
};

export const trailingData = {
  async test() {
    const trailing = { name: 'TypeError', message: 'Trailing bytes after end of compressed data' };
    for (const format of formats) {
      // In the same chunk: the output comes first, then the error.
      const ds = new DecompressionStream(format);
      const writer = ds.writable.getWriter();
      const reader = ds.readable.getReader();
      writer.write(new Uint8Array([...vectors[format], 0])).catch(() => {});
      const first = await reader.read();
      assert.strictEqual(dec.decode(first.value), vectorText);
      await assert.rejects(reader.read(), trailing);
      // In a later chunk.
      await assert.rejects(decompress(format, [new Uint8Array(vectors[format]),
                                               new Uint8Array([1, 2])]), trailing);
      // Empty chunks after the end are fine.
      const ok = await decompress(format, [new Uint8Array(vectors[format]), new Uint8Array(0)]);
      assert.strictEqual(dec.decode(ok), vectorText);
    }
    // A second gzip member is trailing data (the spec has one member per stream).
    const twice = new Uint8Array([...vectors.gzip, ...vectors.gzip]);
    await assert.rejects(decompress('gzip', [twice]), trailing);
  },
};

export const cancelAndAbort = {
  async test() {
    for (const C of [CompressionStream, DecompressionStream]) {
      // Cancelling the readable side errors the writable side with the reason.
      const s = new C('gzip');
      const writer = s.writable.getWriter();
      await s.readable.cancel(new RangeError('stop'));
      await assert.rejects(writer.write(new Uint8Array([1])), RangeError);
      // Aborting the writable side errors the readable side.
      const t = new C('deflate');
      const reader = t.readable.getReader();
      await t.writable.abort(new SyntaxError('abort'));
      await assert.rejects(reader.read(), SyntaxError);
    }
    // Cancelling while a large output is being produced stops it.
    const big = await compress('gzip', [new Uint8Array(4 << 20)]);
    const ds = new DecompressionStream('gzip');
    const writer = ds.writable.getWriter();
    const reader = ds.readable.getReader();
    const write = writer.write(big);
    const { value } = await reader.read();
    assert.ok(value.byteLength > 0);
    await reader.cancel('enough');
    // The write in flight settles (the transform stops producing); later writes fail.
    await write.catch(() => {});
    await writer.write(new Uint8Array(1)).then(() => assert.fail('write after cancel'),
                                              (e) => assert.strictEqual(e, 'enough'));
  },
};

// Deterministic, compressible but not trivial data for the large round trip.
function fillChunk(buffer, seed) {
  let x = seed;
  for (let i = 0; i < buffer.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    buffer[i] = (x >>> 24) % 16 + 97;
  }
  return x;
}

export const tenMiBStreaming = {
  async test() {
    // 10 MiB through CompressionStream then DecompressionStream; the input is generated and the
    // output checked chunk by chunk, so neither side is ever held whole.
    const chunkSize = 64 * 1024;
    const total = 10 * 1024 * 1024;
    for (const format of formats) {
      let produced = 0;
      let seed = 1;
      const source = new ReadableStream({
        pull(controller) {
          if (produced === total) {
            controller.close();
            return;
          }
          const chunk = new Uint8Array(chunkSize);
          seed = fillChunk(chunk, seed);
          produced += chunkSize;
          controller.enqueue(chunk);
        },
      }, { highWaterMark: 0 });
      let compressedBytes = 0;
      const counter = new TransformStream({
        transform(chunk, controller) {
          compressedBytes += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const out = source.pipeThrough(new CompressionStream(format)).pipeThrough(counter)
        .pipeThrough(new DecompressionStream(format));
      const reader = out.getReader();
      let checked = 0;
      let expectSeed = 1;
      let expected = new Uint8Array(chunkSize);
      let expectedOffset = chunkSize;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (let i = 0; i < value.byteLength; i++) {
          if (expectedOffset === chunkSize) {
            expectSeed = fillChunk(expected, expectSeed);
            expectedOffset = 0;
          }
          if (value[i] !== expected[expectedOffset++]) {
            assert.fail(`${format}: byte ${checked + i} differs`);
          }
        }
        checked += value.byteLength;
      }
      assert.strictEqual(checked, total, format);
      assert.ok(compressedBytes > 0 && compressedBytes < total, `${format}: ${compressedBytes}`);
      expected = null;
    }
  },
};

export const boundedOutput = {
  async test() {
    // 32 MiB of zeros compress to ~32 KiB. Decompressing them must not produce the whole output
    // while nobody reads: after one read, the write stays pending with at most a bounded amount
    // queued, and finishes once everything is read.
    const compressed = await compress('deflate', [new Uint8Array(32 << 20)]);
    assert.ok(compressed.byteLength < 64 * 1024);
    const ds = new DecompressionStream('deflate');
    const writer = ds.writable.getWriter();
    const reader = ds.readable.getReader();
    let writeDone = false;
    const write = writer.write(compressed).then(() => { writeDone = true; });
    const first = await reader.read();
    assert.ok(first.value.byteLength <= 65536);
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    assert.strictEqual(writeDone, false, 'the transform waits for the reader');
    let total = first.value.byteLength;
    const closed = writer.close();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
    }
    await write;
    await closed;
    assert.strictEqual(total, 32 << 20);
  },
};

export const bodiesAndResponses = {
  async test() {
    // A compressed Response body read back through DecompressionStream.
    const body = new Response('hello '.repeat(1000)).body
      .pipeThrough(new CompressionStream('gzip'));
    const gz = new Response(body);
    const plain = await new Response(gz.body.pipeThrough(new DecompressionStream('gzip'))).text();
    assert.strictEqual(plain, 'hello '.repeat(1000));
    // From a Blob.
    const blob = new Blob(['blob data']);
    const compressedStream = blob.stream().pipeThrough(new CompressionStream('deflate'));
    const compressed = await new Response(compressedStream).blob();
    const back = await new Response(compressed.stream().pipeThrough(
      new DecompressionStream('deflate'))).text();
    assert.strictEqual(back, 'blob data');
  },
};

export const manyStreams = {
  async test() {
    // Streams that are never used or finished do not break anything (their contexts are freed
    // when they finish, error, or are collected).
    for (let i = 0; i < 2000; i++) {
      new CompressionStream('gzip');
      new DecompressionStream('deflate');
    }
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      compress(formats[i % 3], [enc.encode(`stream ${i}`)])
        .then((c) => decompress(formats[i % 3], [c]))));
    results.forEach((r, i) => assert.strictEqual(dec.decode(r), `stream ${i}`));
  },
};
