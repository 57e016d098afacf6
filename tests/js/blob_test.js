// Blob and File: https://w3c.github.io/FileAPI/, with workerd's limits and messages.
import assert from 'node:assert';
import { inspect } from 'node:util';

const enc = new TextEncoder();
const bytesOf = async (blob) => Array.from(new Uint8Array(await blob.arrayBuffer()));

async function readStream(stream) {
  const reader = stream.getReader();
  const chunks = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

// Byte-wise equality (assert.deepStrictEqual is slow on large arrays).
function sameBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const interfaceShape = {
  test() {
    assert.strictEqual(typeof Blob, 'function');
    assert.strictEqual(Blob.length, 0);
    assert.strictEqual(File.length, 2);
    assert.strictEqual(Object.getPrototypeOf(File), Blob);
    assert.strictEqual(Object.getPrototypeOf(File.prototype), Blob.prototype);
    assert.strictEqual(Object.prototype.toString.call(new Blob()), '[object Blob]');
    assert.strictEqual(Object.prototype.toString.call(new File([], 'f')), '[object File]');
    assert.throws(() => Blob(), TypeError);
    for (const name of ['size', 'type']) {
      const d = Object.getOwnPropertyDescriptor(Blob.prototype, name);
      assert.strictEqual(typeof d.get, 'function', name);
      assert.strictEqual(d.enumerable, true, name);
      assert.throws(() => d.get.call({}), { name: 'TypeError', message: 'Illegal invocation' });
    }
    for (const name of ['name', 'lastModified']) {
      const d = Object.getOwnPropertyDescriptor(File.prototype, name);
      assert.strictEqual(typeof d.get, 'function', name);
      assert.throws(() => d.get.call(new Blob()), TypeError);
    }
    for (const name of ['slice', 'stream', 'text', 'arrayBuffer', 'bytes']) {
      assert.strictEqual(typeof Blob.prototype[name], 'function', name);
      assert.strictEqual(Object.getOwnPropertyDescriptor(Blob.prototype, name).enumerable, true);
    }
    const desc = Object.getOwnPropertyDescriptor(globalThis, 'Blob');
    assert.strictEqual(desc.enumerable, false);
    assert.strictEqual(desc.writable, true);
  },
};

export const brandChecksReject = {
  async test() {
    for (const name of ['text', 'arrayBuffer', 'bytes']) {
      const p = Blob.prototype[name].call({});
      assert.ok(p instanceof Promise, name);
      await assert.rejects(p, { name: 'TypeError', message: 'Illegal invocation' });
    }
    assert.throws(() => Blob.prototype.slice.call({}), TypeError);
    assert.throws(() => Blob.prototype.stream.call({}), TypeError);
  },
};

export const constructorParts = {
  async test() {
    const empty = new Blob();
    assert.strictEqual(empty.size, 0);
    assert.strictEqual(empty.type, '');
    assert.strictEqual(await empty.text(), '');
    assert.strictEqual(new Blob(undefined).size, 0);
    assert.strictEqual(new Blob([]).size, 0);

    const inner = new Blob(['fo']);
    const blob = new Blob(['a', new Uint8Array([98, 99]), new Uint16Array([0x6564]).buffer, inner,
                           new DataView(new Uint8Array([120, 121, 122]).buffer, 1, 1)]);
    assert.strictEqual(await blob.text(), 'abcdefoy');
    assert.strictEqual(blob.size, 8);
    // Views honour their offset and length.
    const u8 = new Uint8Array([0, 1, 2, 3, 4, 5]);
    assert.deepStrictEqual(await bytesOf(new Blob([u8.subarray(2, 4)])), [2, 3]);
    // ToString for everything else, in order.
    assert.strictEqual(await new Blob([null, undefined, true, 0, 1.5, [1, 2], {},
      { toString: () => 'x' }]).text(), 'nullundefinedtrue01.51,2[object Object]x');
    // UTF-8; a lone surrogate becomes U+FFFD.
    assert.deepStrictEqual(await bytesOf(new Blob(['é\ud800'])), [0xc3, 0xa9, 0xef, 0xbf, 0xbd]);
    assert.strictEqual(new Blob(['𝓽𝓮𝔁𝓽']).size, 16);
    // Symbols cannot be strings.
    assert.throws(() => new Blob([Symbol('s')]), TypeError);
    // A SharedArrayBuffer is not a BufferSource: it is stringified, and views on one throw.
    if (typeof SharedArrayBuffer === 'function') {
      const sab = new SharedArrayBuffer(2);
      assert.strictEqual(await new Blob([sab]).text(), '[object SharedArrayBuffer]');
      assert.throws(() => new Blob([new Uint8Array(sab)]), {
        name: 'TypeError',
        message: "Failed to construct 'Blob': The provided ArrayBufferView value must not be " +
                 'shared.',
      });
    }
  },
};

export const sequenceConversion = {
  async test() {
    // Any iterable is a sequence; strings, numbers, null and non-iterable objects are not.
    assert.strictEqual(await new Blob(new String('xyz')).text(), 'xyz');
    assert.strictEqual(await new Blob(new Uint8Array([1, 2, 3])).text(), '123');
    assert.strictEqual(await new Blob(new Set(['a', 'b'])).text(), 'ab');
    const custom = {
      [Symbol.iterator]() {
        let i = 0;
        return { next: () => (i < 2 ? { done: false, value: `p${i++}` } : { done: true }) };
      },
    };
    assert.strictEqual(await new Blob(custom).text(), 'p0p1');
    for (const bad of [null, 'abc', 0, true, {}, { 0: 'a', length: 1 }, new Date(), /re/]) {
      assert.throws(() => new Blob(bad), {
        name: 'TypeError',
      }, String(bad));
    }
    assert.throws(() => new Blob({ [Symbol.iterator]: 1 }), TypeError);
    assert.throws(() => new Blob({ [Symbol.iterator]: () => 1 }), TypeError);
    assert.throws(() => new Blob({ [Symbol.iterator]: () => ({ next: () => 1 }) }), TypeError);
    // Exceptions propagate, and conversion stops at the first one.
    const seen = [];
    const err = new Error('boom');
    assert.throws(() => new Blob([{ toString() { seen.push(0); return 'a'; } },
                                  { toString() { throw err; } },
                                  { toString() { seen.push(2); return 'c'; } }]), (e) => e === err);
    assert.deepStrictEqual(seen, [0]);
    // Arguments are converted left to right: options are not read after a failing part.
    assert.throws(() => new Blob([{ toString() { throw err; } }], {
      get type() { throw new Error('type read'); },
    }), (e) => e === err);
  },
};

export const bufferCopyTiming = {
  async test() {
    // Buffers are copied after every part was converted (process blob parts), so a change made
    // by a later part's toString shows; changes after construction do not.
    const u8 = new Uint8Array([65, 65]);
    const blob = new Blob([u8, { toString() { u8[0] = 66; return '!'; } }]);
    assert.strictEqual(await blob.text(), 'BA!');
    u8[1] = 67;
    assert.strictEqual(await blob.text(), 'BA!');
    // A buffer detached during conversion contributes nothing.
    const ab = new ArrayBuffer(4);
    const detach = { toString() { structuredClone(ab, { transfer: [ab] }); return 'x'; } };
    const b2 = new Blob([ab, detach]);
    assert.strictEqual(await b2.text(), 'x');
  },
};

export const options = {
  async test() {
    // Dictionary members are read in lexicographic order.
    const order = [];
    new Blob([], { get type() { order.push('type'); }, get endings() { order.push('endings'); } });
    assert.deepStrictEqual(order, ['endings', 'type']);
    for (const o of [null, undefined, {}, { unrecognized: true }, /re/, function f() {}]) {
      const b = new Blob(['\na\r\nb\n\rc\r'], o);
      assert.strictEqual(b.type, '');
      assert.strictEqual(await b.text(), '\na\r\nb\n\rc\r');
    }
    for (const o of [123, 123.4, true, 'abc']) {
      assert.throws(() => new Blob([], o), TypeError);
    }
    assert.throws(() => new Blob([], { endings: 'invalid' }), TypeError);
    assert.throws(() => new Blob([], { type: { toString() { throw new RangeError('t'); } } }),
                  RangeError);
    // endings: 'native' turns CR, LF and CRLF in strings into LF; buffers are untouched.
    const native = new Blob(['a\r\nb\rc\nd\r', new Uint8Array([13, 10])], { endings: 'native' });
    assert.deepStrictEqual(await bytesOf(native), [97, 10, 98, 10, 99, 10, 100, 10, 13, 10]);
    assert.strictEqual(await new Blob(['a\r\n'], { endings: 'transparent' }).text(), 'a\r\n');
    assert.strictEqual(await new File(['\r'], 'f', { endings: 'native' }).text(), '\n');
  },
};

export const typeNormalization = {
  test() {
    const cases = [
      ['', ''], ['a', 'a'], ['A', 'a'], ['TEXT/HTML', 'text/html'],
      ['text/plain;charset=UTF-8', 'text/plain;charset=utf-8'], [' image/gif ', ' image/gif '],
      ['\timage/gif', ''], ['image/gif;\u007f', ''], ['\u00e5', ''], ['\u0130mage/gif', ''],
      ['image/gif\u0000', ''], ['nonparsable', 'nonparsable'], ['FoO\u007e/bAr', 'foo~/bar'],
      ['FoO\u0019/bAr', ''],
    ];
    for (const [input, expected] of cases) {
      assert.strictEqual(new Blob([], { type: input }).type, expected, JSON.stringify(input));
      assert.strictEqual(new File([], 'n', { type: input }).type, expected);
      assert.strictEqual(new Blob(['abc']).slice(0, 1, input).type, expected);
    }
    // The type is never sniffed.
    assert.strictEqual(new Blob(['<html>']).type, '');
  },
};

export const slicing = {
  async test() {
    const blob = new Blob(['xx', new Blob(['foo', 'bar']), 'baz', new Uint8Array([121, 121])],
                          { type: 'a/b' });
    const text = 'xxfoobarbazyy';
    assert.strictEqual(await blob.text(), text);
    const cases = [
      [[], text], [[0], text], [[5], text.slice(5)], [[-3], text.slice(-3)], [[2, 8], 'foobar'],
      [[-5, -2], text.slice(-5, -2)], [[8, 3], ''], [[100], ''], [[-100], text],
      [[0, 100], text], [[undefined, 4], 'xxfo'], [[NaN, NaN], ''], [[Infinity], ''],
      [[-Infinity, 3], 'xxf'], [[1.9, 3.9], 'fo'], [[2.5, 3.5], 'fo'], [['2', '5'], 'foo'],
      [[Number.MAX_SAFE_INTEGER * 4, 1], ''], [[-(2 ** 64)], text],
    ];
    for (const [args, expected] of cases) {
      const s = blob.slice(...args);
      assert.strictEqual(await s.text(), expected, JSON.stringify(args));
      assert.strictEqual(s.size, expected.length);
      assert.strictEqual(s.type, '', 'a slice has the content type it is given, else none');
    }
    // Slices of slices, across chunk boundaries.
    const inner = blob.slice(1, -1, 'X/Y');
    assert.strictEqual(inner.type, 'x/y');
    assert.strictEqual(await inner.slice(2, 9).text(), text.slice(3, 10));
    assert.strictEqual(await inner.slice(-4).slice(1, 2).text(), 'a');
    // A slice of a File is a Blob.
    const file = new File(['hello'], 'h.txt', { type: 'text/plain' });
    const fs = file.slice(1, 3);
    assert.ok(!(fs instanceof File));
    assert.ok(fs instanceof Blob);
    assert.strictEqual(await fs.text(), 'el');
    assert.strictEqual(blob.slice(0, 1).slice.length, 0);
  },
};

export const readingCopies = {
  async test() {
    const blob = new Blob([new Uint8Array([1, 2, 3])]);
    const a = await blob.bytes();
    assert.ok(a instanceof Uint8Array);
    a[0] = 9;
    const ab = await blob.arrayBuffer();
    assert.ok(ab instanceof ArrayBuffer);
    assert.deepStrictEqual(Array.from(new Uint8Array(ab)), [1, 2, 3]);
    new Uint8Array(ab)[1] = 9;
    assert.deepStrictEqual(Array.from(await blob.bytes()), [1, 2, 3]);
    assert.notStrictEqual(await blob.arrayBuffer(), await blob.arrayBuffer());
    // Blobs made from a Blob share its bytes, which stay immutable.
    const copy = new Blob([blob]);
    assert.deepStrictEqual(Array.from(await copy.bytes()), [1, 2, 3]);
    assert.deepStrictEqual(Array.from(await new File([blob], 'x').bytes()), [1, 2, 3]);
  },
};

export const textDecoding = {
  async test() {
    // UTF-8 decode: one leading BOM dropped, malformed bytes become U+FFFD.
    assert.strictEqual(await new Blob([new Uint8Array([0xef, 0xbb, 0xbf, 0x61])]).text(), 'a');
    assert.strictEqual(await new Blob([new Uint8Array([0x61, 0xff, 0x62])]).text(), 'a\ufffdb');
    assert.strictEqual(await new Blob(['\ufeff\ufeffx']).text(), '\ufeffx');
    // A multi-byte character split across parts decodes whole.
    assert.strictEqual(await new Blob([new Uint8Array([0xc3]), new Uint8Array([0xa9])]).text(),
                       'é');
  },
};

export const streaming = {
  async test() {
    const big = new Uint8Array(200000);
    for (let i = 0; i < big.length; i++) big[i] = i % 251;
    const blob = new Blob([big, 'tail', new Blob(['!'])]);
    const stream = blob.stream();
    assert.ok(stream instanceof ReadableStream);
    const chunks = await readStream(stream);
    let total = 0;
    for (const c of chunks) {
      assert.ok(c instanceof Uint8Array);
      assert.ok(c.byteLength > 0 && c.byteLength <= 65536, `chunk of ${c.byteLength}`);
      total += c.byteLength;
    }
    assert.strictEqual(total, blob.size);
    const joined = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      joined.set(c, off);
      off += c.byteLength;
    }
    assert.ok(sameBytes(joined.subarray(0, big.length), big));
    assert.strictEqual(new TextDecoder().decode(joined.subarray(big.length)), 'tail!');
    // Chunks are copies: changing one does not change the Blob.
    chunks[0][0] = 255;
    assert.strictEqual((await blob.bytes())[0], 0);
    // Independent streams; an empty Blob's stream is closed at once.
    assert.strictEqual((await readStream(blob.stream())).length, chunks.length);
    const r = new Blob().stream().getReader();
    assert.deepStrictEqual(await r.read(), { done: true, value: undefined });
  },
};

export const byobStreaming = {
  async test() {
    const blob = new Blob(['abcdef', new Blob(['gh'])]);  // two chunks
    const reader = blob.stream().getReader({ mode: 'byob' });
    let result = await reader.read(new Uint8Array(4));
    assert.strictEqual(new TextDecoder().decode(result.value), 'abcd');
    result = await reader.read(new Uint8Array(10));
    assert.strictEqual(new TextDecoder().decode(result.value), 'ef');
    result = await reader.read(new Uint8Array(10));
    assert.strictEqual(new TextDecoder().decode(result.value), 'gh');
    result = await reader.read(new Uint8Array(10));
    assert.strictEqual(result.done, true);
    // Cancelling a blob stream is fine.
    await new Blob(['x']).stream().cancel('why');
  },
};

export const files = {
  async test() {
    assert.throws(() => new File(), TypeError);
    assert.throws(() => new File([]), { name: 'TypeError', message: /2 arguments required/ });
    for (const bad of ['hello', 0, null]) assert.throws(() => new File(bad, 'n'), TypeError);
    const before = Date.now();
    const f = new File(['bits', new Blob(['!'])], 'dir/name.txt');
    assert.ok(f instanceof File && f instanceof Blob);
    assert.strictEqual(f.name, 'dir/name.txt');
    assert.strictEqual(f.size, 5);
    assert.strictEqual(f.type, '');
    assert.ok(f.lastModified >= before && f.lastModified <= Date.now());
    assert.strictEqual(typeof f.lastModified, 'number');
    assert.strictEqual(await f.text(), 'bits!');
    assert.strictEqual(new File([], null).name, 'null');
    assert.strictEqual(new File([], 1).name, '1');
    assert.strictEqual(new File([], 'a\ud800').name, 'a\ufffd');
    assert.strictEqual(new File([], 'n', { name: 'other' }).name, 'n');
    // lastModified is a long long.
    const lm = (v) => new File([], 'n', { lastModified: v }).lastModified;
    assert.strictEqual(lm(42), 42);
    assert.strictEqual(lm(1.9), 1);
    assert.strictEqual(lm(-1.9), -1);
    assert.strictEqual(lm(NaN), 0);
    assert.strictEqual(lm('7'), 7);
    assert.strictEqual(lm(new Date(5000)), 5000);
    const order = [];
    new File([], 'n', {
      get type() { order.push('type'); },
      get lastModified() { order.push('lastModified'); },
      get endings() { order.push('endings'); },
    });
    assert.deepStrictEqual(order, ['endings', 'lastModified', 'type']);
    for (const o of [123, true, 'abc']) assert.throws(() => new File([], 'n', o), TypeError);
    for (const o of [null, undefined, [1], /r/, () => {}]) {
      assert.strictEqual(new File(['bits'], 'n', o).size, 4);
    }
  },
};

export const subclassing = {
  async test() {
    class MyBlob extends Blob {
      constructor(parts) {
        super(parts, { type: 'my/type' });
        this.extra = 1;
      }
    }
    const b = new MyBlob(['abc']);
    assert.ok(b instanceof MyBlob);
    assert.strictEqual(b.type, 'my/type');
    assert.strictEqual(await b.text(), 'abc');
    assert.strictEqual(Object.getPrototypeOf(b.slice()), Blob.prototype);
    class MyFile extends File {}
    const f = new MyFile(['x'], 'f.txt');
    assert.ok(f instanceof MyFile);
    assert.strictEqual(f.name, 'f.txt');
  },
};

export const sizeLimit = {
  async test() {
    // Blobs are limited to 128 MiB, as in workerd; parts shared from Blobs count too.
    const half = new Blob([new ArrayBuffer(64 * 1024 * 1024)]);
    const full = new Blob([half, half]);
    assert.strictEqual(full.size, 128 * 1024 * 1024);
    assert.throws(() => new Blob([' ', full]), {
      name: 'RangeError', message: 'Blob size 134217729 exceeds limit 134217728',
    });
    assert.throws(() => new File([full, 'x'], 'f'), RangeError);
  },
};

export const inspectFormat = {
  test() {
    // console.log shows workerd's shape.
    assert.strictEqual(inspect(new Blob(['abc'], { type: 'text/plain' })),
                       "Blob { size: 3, type: 'text/plain' }");
    const file = new File(['1'], 'file.txt', { type: 'text/plain', lastModified: 1000 });
    assert.strictEqual(inspect(file).replace(/\s+/g, ' '),
                       "File { name: 'file.txt', lastModified: 1000, size: 1, type: " +
                       "'text/plain' }");
    assert.strictEqual(Object.keys(new Blob(['x'])).length, 0);
  },
};

export const responseBodies = {
  async test() {
    // A Blob body: its type becomes the Content-Type unless empty.
    const typed = new Response(new Blob(['typeful'], { type: 'foo/bar' }));
    assert.strictEqual(typed.headers.get('content-type'), 'foo/bar');
    assert.strictEqual(await typed.text(), 'typeful');
    const untyped = new Response(new Blob(['typeless']));
    assert.strictEqual(untyped.headers.has('content-type'), false);
    assert.strictEqual(await untyped.text(), 'typeless');
    // The header given wins.
    const over = new Response(new Blob(['x'], { type: 'a/b' }), {
      headers: { 'content-type': 'c/d' },
    });
    assert.strictEqual(over.headers.get('content-type'), 'c/d');
    // The body is a snapshot of the Blob's bytes.
    const blob = new Blob([enc.encode('stream me')]);
    const res = new Response(blob);
    assert.ok(res.body instanceof ReadableStream);
    assert.strictEqual(await res.text(), 'stream me');
    assert.strictEqual(await blob.text(), 'stream me');
    // response.blob(): the Content-Type header, serialized, becomes the type (value case kept).
    const b = await new Response('data', {
      headers: { 'content-type': 'Text/HTML; Charset="UTF-8"' },
    }).blob();
    assert.ok(b instanceof Blob && !(b instanceof File));
    assert.strictEqual(b.type, 'text/html;charset=UTF-8');
    assert.strictEqual(await b.text(), 'data');
    assert.strictEqual((await new Response(new Uint8Array([1])).blob()).type, '');
    assert.strictEqual((await new Response(null).blob()).size, 0);
    // Bytes of a blob() result are independent of the response's.
    const src = new Response(new Uint8Array([5, 6]));
    const blob2 = await src.blob();
    assert.deepStrictEqual(Array.from(await blob2.bytes()), [5, 6]);
    // A Request with a Blob body; request.blob().
    const req = new Request('https://example.com/', {
      method: 'POST', body: new Blob(['abcd1234'], { type: 'some/type' }),
    });
    assert.strictEqual(req.headers.get('content-type'), 'some/type');
    const rb = await req.blob();
    assert.strictEqual(rb.type, 'some/type');
    assert.strictEqual(await rb.text(), 'abcd1234');
    // A File is a Blob body too.
    const fr = new Response(new File(['file body'], 'f.txt', { type: 'text/plain' }));
    assert.strictEqual(fr.headers.get('content-type'), 'text/plain');
    assert.strictEqual(await fr.text(), 'file body');
  },
};
