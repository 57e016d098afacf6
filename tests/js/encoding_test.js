// TextEncoder, TextDecoder (UTF-8, UTF-16, single-byte, streaming, fatal, BOM), the label table,
// atob/btoa (driven by WPT's base64.json), TextEncoderStream/TextDecoderStream.
// https://encoding.spec.whatwg.org/ · https://infra.spec.whatwg.org/#forgiving-base64
import assert from 'node:assert';

const bytes = (...b) => new Uint8Array(b);
const encoded = (s) => Array.from(new TextEncoder().encode(s));

export const textEncoderEncode = {
  test() {
    const encoder = new TextEncoder();
    assert.strictEqual(encoder.encoding, 'utf-8');
    const out = encoder.encode('hé€😀');
    assert.ok(out instanceof Uint8Array);
    assert.deepStrictEqual(Array.from(out),
                           [0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    assert.deepStrictEqual(encoded(''), []);
    assert.deepStrictEqual(Array.from(encoder.encode()), []);
    assert.deepStrictEqual(encoded(undefined), []);
    assert.deepStrictEqual(Array.from(encoder.encode(null)), [0x6e, 0x75, 0x6c, 0x6c]);
    assert.deepStrictEqual(Array.from(encoder.encode(12)), [0x31, 0x32]);
    // Lone surrogates become U+FFFD; a valid pair stays one code point.
    assert.deepStrictEqual(encoded('\ud800'), [0xef, 0xbf, 0xbd]);
    assert.deepStrictEqual(encoded('\udc00x'), [0xef, 0xbf, 0xbd, 0x78]);
    assert.deepStrictEqual(encoded('\ud800\ud800\udc00'),
                           [0xef, 0xbf, 0xbd, 0xf0, 0x90, 0x80, 0x80]);
    assert.deepStrictEqual(encoded('\u0000'), [0]);
    assert.throws(() => encoder.encode(Symbol('x')), TypeError);
    // Large input round-trips.
    const big = 'aé😀'.repeat(100000);
    assert.strictEqual(new TextDecoder().decode(encoder.encode(big)), big);
  },
};

export const textEncoderEncodeInto = {
  test() {
    const encoder = new TextEncoder();
    const dest = new Uint8Array(8);
    assert.deepStrictEqual(encoder.encodeInto('hi€', dest), { read: 3, written: 5 });
    assert.deepStrictEqual(Array.from(dest.subarray(0, 5)), [0x68, 0x69, 0xe2, 0x82, 0xac]);
    // Never writes a partial character.
    assert.deepStrictEqual(encoder.encodeInto('a😀', new Uint8Array(4)), { read: 1, written: 1 });
    assert.deepStrictEqual(encoder.encodeInto('a😀', new Uint8Array(5)), { read: 3, written: 5 });
    assert.deepStrictEqual(encoder.encodeInto('€', new Uint8Array(2)), { read: 0, written: 0 });
    assert.deepStrictEqual(encoder.encodeInto('\ud800', new Uint8Array(3)),
                           { read: 1, written: 3 });
    assert.deepStrictEqual(encoder.encodeInto('', new Uint8Array(0)), { read: 0, written: 0 });
    assert.deepStrictEqual(encoder.encodeInto('abc', new Uint8Array(0)), { read: 0, written: 0 });
    // Writes at the view's offset.
    const buffer = new Uint8Array(6);
    const view = new Uint8Array(buffer.buffer, 2, 3);
    assert.deepStrictEqual(encoder.encodeInto('xyz!', view), { read: 3, written: 3 });
    assert.deepStrictEqual(Array.from(buffer), [0, 0, 0x78, 0x79, 0x7a, 0]);
    // Destination must be a Uint8Array.
    assert.throws(() => encoder.encodeInto('a', new Uint16Array(4)), TypeError);
    assert.throws(() => encoder.encodeInto('a', new ArrayBuffer(4)), TypeError);
    assert.throws(() => encoder.encodeInto('a'), TypeError);
    if (typeof SharedArrayBuffer === 'function') {
      const shared = new Uint8Array(new SharedArrayBuffer(4));
      assert.deepStrictEqual(encoder.encodeInto('ab', shared), { read: 2, written: 2 });
    }
  },
};

export const decoderLabels = {
  test() {
    assert.strictEqual(new TextDecoder().encoding, 'utf-8');
    const cases = [
      ['utf8', 'utf-8'], ['  UTF-8\n', 'utf-8'], ['\tunicode-1-1-utf-8 ', 'utf-8'],
      ['latin1', 'windows-1252'], ['ascii', 'windows-1252'], ['ISO-8859-1', 'windows-1252'],
      ['utf-16', 'utf-16le'], ['UTF-16BE', 'utf-16be'], ['ucs-2', 'utf-16le'],
      ['cp1251', 'windows-1251'], ['koi8-ru', 'koi8-u'], ['x-mac-ukrainian', 'x-mac-cyrillic'],
      ['iso-8859-8-i', 'iso-8859-8-i'], ['logical', 'iso-8859-8-i'], ['tis-620', 'windows-874'],
      ['x-user-defined', 'x-user-defined'], ['iso-8859-16', 'iso-8859-16'],
    ];
    for (const [label, name] of cases) {
      assert.strictEqual(new TextDecoder(label).encoding, name, label);
    }
    // Unknown labels and the replacement encoding are RangeErrors with workerd's message.
    assert.throws(() => new TextDecoder('nope'),
                  { name: 'RangeError', message: '"nope" is not a valid encoding.' });
    for (const label of ['replacement', 'iso-2022-kr', 'hz-gb-2312', 'utf-7', 'utf-32', '',
                         'utf-8\u0000', '\u00a0utf-8', 'utf\u20128', '\u212aoi8-r']) {
      assert.throws(() => new TextDecoder(label), RangeError, JSON.stringify(label));
    }
    assert.strictEqual(new TextDecoder('utf-8', { fatal: 1 }).fatal, true);
    assert.strictEqual(new TextDecoder('utf-8', { ignoreBOM: 'y' }).ignoreBOM, true);
    assert.strictEqual(new TextDecoder().fatal, false);
    assert.throws(() => new TextDecoder('utf-8', 4), TypeError);
  },
};

export const utf8Decoding = {
  test() {
    const decoder = new TextDecoder();
    assert.strictEqual(decoder.decode(), '');
    assert.strictEqual(decoder.decode(undefined), '');
    assert.strictEqual(decoder.decode(bytes(0x68, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80)), 'hé😀');
    assert.strictEqual(decoder.decode(new Uint8Array(0)), '');
    // Buffer source kinds.
    const data = bytes(0x61, 0x62, 0x63, 0x64);
    assert.strictEqual(decoder.decode(data.buffer), 'abcd');
    assert.strictEqual(decoder.decode(new DataView(data.buffer, 1, 2)), 'bc');
    assert.strictEqual(decoder.decode(new Uint16Array(data.buffer)), 'abcd');
    assert.strictEqual(decoder.decode(data.subarray(2)), 'cd');
    if (typeof SharedArrayBuffer === 'function') {
      const shared = new Uint8Array(new SharedArrayBuffer(2));
      shared.set([0x6f, 0x6b]);
      assert.strictEqual(decoder.decode(shared), 'ok');
    }
    assert.throws(() => decoder.decode('abc'), TypeError);
    assert.throws(() => decoder.decode([0x61]), TypeError);
    assert.throws(() => decoder.decode(null), TypeError);
    // Replacement follows the spec's maximal-subpart rule.
    const cases = [
      [[0xff], '\ufffd'],
      [[0xc0, 0x80], '\ufffd\ufffd'],  // overlong
      [[0xe0, 0x80, 0x80], '\ufffd\ufffd\ufffd'],
      [[0xed, 0xa0, 0x80], '\ufffd\ufffd\ufffd'],  // encoded surrogate
      [[0xf4, 0x90, 0x80, 0x80], '\ufffd\ufffd\ufffd\ufffd'],  // above U+10FFFF
      [[0xe2, 0x82], '\ufffd'],  // truncated: one U+FFFD for the whole prefix
      [[0xe2, 0x82, 0x61], '\ufffda'],
      [[0xf0, 0x9f, 0x98], '\ufffd'],
      [[0x61, 0xf0, 0x9f, 0x98, 0x62], 'a\ufffdb'],
      [[0xc3, 0xc3, 0xa9], '\ufffdé'],
      [[0xef, 0xbf, 0xbf], '\uffff'],
      [[0xf4, 0x8f, 0xbf, 0xbf], '\udbff\udfff'],
    ];
    for (const [input, expected] of cases) {
      assert.strictEqual(decoder.decode(new Uint8Array(input)), expected, JSON.stringify(input));
    }
  },
};

export const fatalMode = {
  test() {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    assert.strictEqual(fatal.decode(bytes(0xe2, 0x82, 0xac)), '€');
    for (const input of [[0xff], [0xc0, 0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80]]) {
      assert.throws(() => fatal.decode(new Uint8Array(input)),
                    { name: 'TypeError', message: 'Failed to decode input.' });
    }
    // A truncated sequence is only an error once the stream ends.
    assert.strictEqual(fatal.decode(bytes(0xe2, 0x82), { stream: true }), '');
    assert.throws(() => fatal.decode(), TypeError);
    // After a flush the decoder starts clean.
    assert.strictEqual(fatal.decode(bytes(0x61)), 'a');
    const utf16 = new TextDecoder('utf-16le', { fatal: true });
    assert.throws(() => utf16.decode(bytes(0x00, 0xdc)), TypeError);  // lone low surrogate
    assert.throws(() => utf16.decode(bytes(0x61)), TypeError);  // odd byte count
    const single = new TextDecoder('windows-1253', { fatal: true });
    assert.throws(() => single.decode(bytes(0xaa)), TypeError);
    assert.strictEqual(new TextDecoder('windows-1253').decode(bytes(0xaa)), '\ufffd');
  },
};

export const byteOrderMarks = {
  test() {
    const bom = [0xef, 0xbb, 0xbf];
    assert.strictEqual(new TextDecoder().decode(bytes(...bom, 0x61)), 'a');
    assert.strictEqual(new TextDecoder().decode(bytes(...bom, ...bom, 0x61)), '\ufeffa');
    assert.strictEqual(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes(...bom, 0x61)),
                       '\ufeffa');
    assert.strictEqual(new TextDecoder('utf-16le').decode(bytes(0xff, 0xfe, 0x61, 0x00)), 'a');
    assert.strictEqual(new TextDecoder('utf-16be').decode(bytes(0xfe, 0xff, 0x00, 0x61)), 'a');
    // A BOM for the other endianness is not stripped (decodes to U+FFFE).
    assert.strictEqual(new TextDecoder('utf-16le').decode(bytes(0xfe, 0xff, 0x61, 0x00)),
                       '\ufffea');
    // BOM split across stream chunks, and reset after each flush.
    const decoder = new TextDecoder();
    assert.strictEqual(decoder.decode(bytes(0xef), { stream: true }), '');
    assert.strictEqual(decoder.decode(bytes(0xbb), { stream: true }), '');
    assert.strictEqual(decoder.decode(bytes(0xbf, 0x62), { stream: true }), 'b');
    assert.strictEqual(decoder.decode(bytes(...bom, 0x63)), '\ufeffc');
    assert.strictEqual(decoder.decode(bytes(...bom, 0x64)), 'd');
    // The single-byte decoders never strip.
    assert.strictEqual(new TextDecoder('latin1').decode(bytes(...bom)), 'ï»¿');
  },
};

export const streamingDecode = {
  test() {
    const text = 'aé€😀z';
    const data = new TextEncoder().encode(text);
    // Every split point, one byte at a time and in two pieces.
    for (let split = 0; split <= data.length; split++) {
      const decoder = new TextDecoder();
      const out = decoder.decode(data.subarray(0, split), { stream: true }) +
                  decoder.decode(data.subarray(split));
      assert.strictEqual(out, text, `split at ${split}`);
    }
    const decoder = new TextDecoder();
    let out = '';
    for (const b of data) out += decoder.decode(bytes(b), { stream: true });
    out += decoder.decode();
    assert.strictEqual(out, text);
    // A truncated sequence at the end of the stream becomes one U+FFFD.
    const trunc = new TextDecoder();
    assert.strictEqual(trunc.decode(bytes(0x61, 0xf0, 0x9f), { stream: true }), 'a');
    assert.strictEqual(trunc.decode(), '\ufffd');
    // UTF-16 with a surrogate pair split across three chunks.
    const utf16 = new TextDecoder('utf-16le');
    const pair = bytes(0x3d, 0xd8, 0x00, 0xde);
    assert.strictEqual(utf16.decode(pair.subarray(0, 1), { stream: true }), '');
    assert.strictEqual(utf16.decode(pair.subarray(1, 3), { stream: true }), '');
    assert.strictEqual(utf16.decode(pair.subarray(3)), '😀');
    assert.strictEqual(utf16.decode(bytes(0x3d, 0xd8)), '\ufffd');
    assert.strictEqual(utf16.decode(bytes(0x61, 0x00, 0x62)), 'a\ufffd');
  },
};

export const utf16Decoding = {
  test() {
    assert.strictEqual(new TextDecoder('utf-16le').decode(bytes(0x61, 0x00, 0xac, 0x20)), 'a€');
    assert.strictEqual(new TextDecoder('utf-16be').decode(bytes(0x00, 0x61, 0x20, 0xac)), 'a€');
    assert.strictEqual(new TextDecoder('utf-16le').decode(bytes(0x3d, 0xd8, 0x61, 0x00)),
                       '\ufffda');
    assert.strictEqual(new TextDecoder('utf-16be').decode(
                         bytes(0xdc, 0x00, 0xd8, 0x3d, 0xde, 0x00)),
                       '\ufffd😀');
  },
};

export const singleByteDecoding = {
  test() {
    const decode = (label, ...b) => new TextDecoder(label).decode(new Uint8Array(b));
    // windows-1252 (also "latin1", "ascii"): C1 bytes map per the index, not to C1 controls.
    assert.strictEqual(decode('windows-1252', 0x80, 0x81, 0x8d, 0x9f, 0xa0, 0xe9, 0xff),
                       '€\u0081\u008dŸ\u00a0éÿ');
    assert.strictEqual(decode('ascii', 0x41, 0x93, 0x94), 'A“”');
    assert.strictEqual(decode('iso-8859-2', 0xa1, 0xb1, 0xc8, 0xe8), 'ĄąČč');
    assert.strictEqual(decode('iso-8859-7', 0xa4, 0xe1), '€α');
    assert.strictEqual(decode('iso-8859-16', 0xa1, 0xa4, 0xde), 'Ą€Ț');
    assert.strictEqual(decode('koi8-r', 0xc1, 0xc2, 0xd7), 'абв');
    assert.strictEqual(decode('koi8-u', 0xae, 0xbe), 'ўЎ');
    assert.strictEqual(decode('windows-1251', 0xc0, 0xff), 'Ая');
    assert.strictEqual(decode('windows-1255', 0xca), '\u05ba');
    assert.strictEqual(decode('windows-874', 0x80, 0xa1, 0xdb), '€ก\ufffd');
    assert.strictEqual(decode('macintosh', 0x80, 0xf0), 'Ä\uf8ff');
    assert.strictEqual(decode('ibm866', 0x80, 0xf0), 'АЁ');
    assert.strictEqual(decode('x-mac-cyrillic', 0x80, 0xff), 'А€');
    assert.strictEqual(decode('x-user-defined', 0x41, 0x80, 0xff), 'A\uf780\uf7ff');
    // Streaming makes no difference for single-byte encodings.
    const d = new TextDecoder('windows-1252');
    assert.strictEqual(d.decode(bytes(0x80), { stream: true }) + d.decode(bytes(0x41)), '€A');
  },
};

export const multiByteDecoding = {
  test() {
    const decode = (label, b, opts) => new TextDecoder(label, opts).decode(new Uint8Array(b));
    assert.strictEqual(decode('shift_jis', [0x93, 0xfa, 0x96, 0x7b, 0x41]), '日本A');
    assert.strictEqual(decode('sjis', [0x93, 0xfa]), '日');
    assert.strictEqual(decode('euc-kr', [0xc7, 0xd1, 0xb1, 0xb9]), '한국');
    assert.strictEqual(decode('gbk', [0xd6, 0xd0, 0xce, 0xc4]), '中文');
    assert.strictEqual(decode('gb18030', [0x81, 0x30, 0x84, 0x36, 0xa2, 0xe3]), '¥€');
    // GBK decodes with the gb18030 decoder; 0x80 is the euro sign in both.
    assert.strictEqual(decode('gbk', [0x81, 0x30, 0x84, 0x36, 0x80]), '¥€');
    assert.strictEqual(decode('big5', [0xa4, 0xa4, 0xa4, 0xe5]), '中文');
    assert.strictEqual(decode('euc-jp', [0xc6, 0xfc, 0xcb, 0xdc]), '日本');
    const jis = [0x1b, 0x24, 0x42, 0x46, 0x7c, 0x4b, 0x5c, 0x1b, 0x28, 0x42, 0x21];
    assert.strictEqual(decode('iso-2022-jp', jis), '日本!');
    // Malformed input: U+FFFD, or a TypeError in fatal mode.
    assert.strictEqual(decode('shift_jis', [0x93]), '\ufffd');
    assert.strictEqual(decode('euc-kr', [0xc7, 0xd1, 0xc7]), '한\ufffd');
    assert.throws(() => decode('shift_jis', [0x93], { fatal: true }), TypeError);
    assert.throws(() => decode('euc-kr', [0xc7], { fatal: true }), TypeError);
    // Streaming keeps the converter state (escape mode, half characters) between chunks.
    const decoder = new TextDecoder('iso-2022-jp');
    let out = '';
    for (const b of jis) out += decoder.decode(new Uint8Array([b]), { stream: true });
    out += decoder.decode();
    assert.strictEqual(out, '日本!');
    const sjis = new TextDecoder('shift_jis');
    assert.strictEqual(sjis.decode(bytes(0x41, 0x93), { stream: true }), 'A');
    assert.strictEqual(sjis.decode(bytes(0xfa), { stream: true }), '日');
    assert.strictEqual(sjis.decode(bytes(0x93)), '\ufffd');
    assert.strictEqual(sjis.decode(bytes(0x96, 0x7b)), '本');
  },
};

export const decodeEncodeRoundTrip = {
  test() {
    let all = '';
    for (let cp = 0; cp < 0x11000; cp += 7) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      all += String.fromCodePoint(cp);
    }
    all += String.fromCodePoint(0x10ffff);
    const fatal = new TextDecoder('utf-8', { fatal: true });
    assert.strictEqual(fatal.decode(new TextEncoder().encode(all)), all);
  },
};

export const atobBtoaData = {
  test() {
    const shared = globalThis.__pt_env?.('PT_SHARED') ?? '../shared';
    const cases = JSON.parse(globalThis.__pt_readFile(
      `${shared}/wpt-data/fetch/data-urls/resources/base64.json`));
    assert.ok(cases.length > 50);
    for (const [input, expected] of cases) {
      if (expected === null) {
        assert.throws(() => atob(input), (e) => e instanceof DOMException &&
                      e.name === 'InvalidCharacterError' && e.code === 5, JSON.stringify(input));
      } else {
        const out = atob(input);
        assert.deepStrictEqual(Array.from(out, (c) => c.charCodeAt(0)), expected,
                               JSON.stringify(input));
      }
    }
  },
};

export const atobBtoa = {
  test() {
    assert.strictEqual(btoa(''), '');
    assert.strictEqual(btoa('f'), 'Zg==');
    assert.strictEqual(btoa('fo'), 'Zm8=');
    assert.strictEqual(btoa('foo'), 'Zm9v');
    assert.strictEqual(btoa('\u00ff\u00fe\u0000'), '//4A');
    assert.strictEqual(btoa(undefined), 'dW5kZWZpbmVk');
    assert.strictEqual(btoa(null), 'bnVsbA==');
    assert.strictEqual(atob('Zm9v'), 'foo');
    assert.strictEqual(atob('//4A'), '\u00ff\u00fe\u0000');
    assert.strictEqual(atob(' Zm\n9v\t'), 'foo');
    assert.strictEqual(atob('Zg'), 'f');
    assert.strictEqual(atob(null), '\u009e\u00e9e');
    assert.throws(() => btoa('€'), {
      name: 'InvalidCharacterError',
      message: 'btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.',
    });
    assert.throws(() => atob('Zm9v='), { name: 'InvalidCharacterError', message: /^atob\(\)/ });
    assert.throws(() => atob('Zm-v'), DOMException);
    assert.throws(() => atob(), TypeError);
    assert.throws(() => btoa(), TypeError);
    const bytesIn = [];
    for (let i = 0; i < 256; i++) bytesIn.push(String.fromCharCode(i));
    const all = bytesIn.join('');
    assert.strictEqual(atob(btoa(all)), all);
  },
};

export const tamperProof = {
  test() {
    const saved = {
      set: Uint8Array.prototype.set,
      charCodeAt: String.prototype.charCodeAt,
      slice: String.prototype.slice,
      toLowerCase: String.prototype.toLowerCase,
      mapGet: Map.prototype.get,
    };
    const boom = () => { throw new Error('patched'); };
    let result;
    try {
      Uint8Array.prototype.set = boom;
      String.prototype.charCodeAt = boom;
      String.prototype.slice = boom;
      String.prototype.toLowerCase = boom;
      Map.prototype.get = boom;
      const bytesOut = new TextEncoder().encode('\ufeffok');
      result = [new TextDecoder(' UTF-8 ').decode(bytesOut), atob(btoa('x'))];
    } finally {
      Uint8Array.prototype.set = saved.set;
      String.prototype.charCodeAt = saved.charCodeAt;
      String.prototype.slice = saved.slice;
      String.prototype.toLowerCase = saved.toLowerCase;
      Map.prototype.get = saved.mapGet;
    }
    assert.deepStrictEqual(result, ['ok', 'x']);
  },
};

export const encodingStreams = {
  async test() {
    if (typeof TextDecoderStream !== 'function') {
      assert.fail('TextDecoderStream is not defined (streams missing?)');
    }
    const decoder = new TextDecoderStream('utf-16le', { fatal: false });
    assert.strictEqual(decoder.encoding, 'utf-16le');
    assert.strictEqual(decoder.fatal, false);
    assert.ok(decoder.readable instanceof ReadableStream);
    assert.ok(decoder.writable instanceof WritableStream);
    const encoder = new TextEncoderStream();
    assert.strictEqual(encoder.encoding, 'utf-8');
    // A surrogate pair split across chunks is joined; a dangling one becomes U+FFFD.
    const writer = encoder.writable.getWriter();
    const reader = encoder.readable.getReader();
    const chunks = [];
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        chunks.push(...value);
      }
    })();
    await writer.write('a\ud83d');
    await writer.write('\ude00b\ud800');
    await writer.close();
    await reading;
    assert.deepStrictEqual(chunks, [0x61, 0xf0, 0x9f, 0x98, 0x80, 0x62, 0xef, 0xbf, 0xbd]);
    // TextDecoderStream through pipeThrough, split inside a character.
    const source = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes(0xe2, 0x82));
        controller.enqueue(bytes(0xac, 0x21, 0xf0));
        controller.close();
      },
    });
    let text = '';
    const textReader = source.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { value, done } = await textReader.read();
      if (done) break;
      text += value;
    }
    assert.strictEqual(text, '€!\ufffd');
    // Bad chunks error the stream.
    const bad = new TextDecoderStream();
    const badWriter = bad.writable.getWriter();
    bad.readable.getReader().read().catch(() => {});
    await assert.rejects(badWriter.write('not bytes'), TypeError);
    assert.throws(() => new TextDecoderStream('nope'), RangeError);
  },
};
