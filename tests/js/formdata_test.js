// FormData (https://xhr.spec.whatwg.org/#interface-formdata) and multipart/form-data bodies
// (https://html.spec.whatwg.org/#multipart-form-data, RFC 7578), with workerd's messages.
import assert from 'node:assert';

function collect(fd) {
  return [...fd].map(([k, v]) => `${k}=${typeof v === 'string' ? v : `File(${v.name})`}`).join(',');
}

async function parse(contentType, body) {
  const req = new Request('http://example.org', {
    method: 'POST', body, headers: { 'content-type': contentType },
  });
  return await req.formData();
}

// Serializes `fd` through a Response: { boundary, text, bytes }.
async function serialize(fd) {
  const res = new Response(fd);
  const type = res.headers.get('content-type');
  const m = /^multipart\/form-data; boundary=([0-9a-f]{32})$/.exec(type);
  assert.ok(m, type);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { boundary: m[1], bytes, text: new TextDecoder().decode(bytes) };
}

// Byte-wise equality (assert.deepStrictEqual is slow on large arrays).
function sameBytes(a, b) {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const interfaceShape = {
  test() {
    assert.strictEqual(FormData.length, 0);
    assert.strictEqual(Object.prototype.toString.call(new FormData()), '[object FormData]');
    assert.throws(() => FormData(), TypeError);
    assert.throws(() => new FormData(null), TypeError);
    assert.throws(() => new FormData('string'), {
      name: 'TypeError',
      message: "Failed to construct 'FormData': parameter 1 is not of type 'HTMLFormElement'.",
    });
    assert.ok(new FormData(undefined) instanceof FormData);
    const proto = FormData.prototype;
    for (const name of ['append', 'delete', 'get', 'getAll', 'has', 'set', 'forEach', 'entries',
                        'keys', 'values']) {
      assert.strictEqual(typeof proto[name], 'function', name);
      assert.strictEqual(Object.getOwnPropertyDescriptor(proto, name).enumerable, true, name);
      assert.throws(() => proto[name].call({}, 'a', 'b'), TypeError, name);
    }
    assert.strictEqual(proto[Symbol.iterator], proto.entries);
    assert.strictEqual(proto.append.length, 2);
    assert.strictEqual(proto.set.length, 2);
    assert.strictEqual(proto.get.length, 1);
    assert.strictEqual(proto.forEach.length, 1);
    const it = new FormData().entries();
    const itProto = Object.getPrototypeOf(it);
    assert.strictEqual(Object.prototype.toString.call(it), '[object FormData Iterator]');
    assert.strictEqual(Object.getPrototypeOf(itProto),
                       Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())));
    assert.strictEqual(Object.hasOwn(itProto, 'constructor'), false);
    assert.strictEqual(it[Symbol.iterator](), it);
    assert.throws(() => itProto.next.call({}), TypeError);
  },
};

export const requiredArguments = {
  test() {
    const fd = new FormData();
    assert.throws(() => fd.append('a'), {
      name: 'TypeError',
      message: "Failed to execute 'append' on 'FormData': 2 arguments required, but only 1 " +
               'present.',
    });
    assert.throws(() => fd.set(), TypeError);
    assert.throws(() => fd.get(), TypeError);
    assert.throws(() => fd.getAll(), TypeError);
    assert.throws(() => fd.has(), TypeError);
    assert.throws(() => fd.delete(), TypeError);
    assert.throws(() => fd.forEach(), TypeError);
    assert.throws(() => fd.forEach(1), TypeError);
  },
};

export const stringEntries = {
  test() {
    const fd = new FormData();
    fd.append('key', 'value1');
    fd.append('key', 'value2');
    fd.append('num', 1);
    fd.append('nul', null);
    fd.append('und', undefined);
    fd.append('obj', new String('sv'));
    fd.append('lone\ud800', 'v\udc00');
    assert.strictEqual(fd.get('key'), 'value1');
    assert.deepStrictEqual(fd.getAll('key'), ['value1', 'value2']);
    assert.strictEqual(fd.get('num'), '1');
    assert.strictEqual(fd.get('nul'), 'null');
    assert.strictEqual(fd.get('und'), 'undefined');
    assert.strictEqual(fd.get('obj'), 'sv');
    // Names and values are USVStrings.
    assert.strictEqual(fd.get('lone\ufffd'), 'v\ufffd');
    assert.strictEqual(fd.get('lone\ud800'), 'v\ufffd');
    assert.strictEqual(fd.get('nil'), null);
    assert.deepStrictEqual(fd.getAll('nil'), []);
    assert.strictEqual(fd.has('key'), true);
    assert.strictEqual(fd.has('KEY'), false);
    fd.delete('key');
    assert.strictEqual(fd.has('key'), false);
    assert.strictEqual(fd.get('key'), null);
    fd.delete('nil');
    assert.strictEqual(collect(fd), 'num=1,nul=null,und=undefined,obj=sv,lone\ufffd=v\ufffd');
  },
};

export const setReplacesInPlace = {
  test() {
    const fd = new FormData();
    fd.append('a', '1');
    fd.append('b', '2');
    fd.append('a', '3');
    fd.append('c', '4');
    fd.append('a', '5');
    fd.set('a', 'x');
    assert.strictEqual(collect(fd), 'a=x,b=2,c=4');
    fd.set('new', 'y');
    assert.strictEqual(collect(fd), 'a=x,b=2,c=4,new=y');
    const many = new FormData();
    for (let i = 0; i < 6; i++) many.append('foo', String(i));
    many.set('foo', '6');
    assert.deepStrictEqual(many.getAll('foo'), ['6']);
  },
};

export const blobEntries = {
  async test() {
    const fd = new FormData();
    const before = Date.now();
    // A Blob becomes a File named "blob" with the Blob's type and the current time.
    const blob = new Blob(['blob bytes'], { type: 'text/plain' });
    fd.append('b', blob);
    const fromBlob = fd.get('b');
    assert.ok(fromBlob instanceof File);
    assert.notStrictEqual(fromBlob, blob);
    assert.strictEqual(fromBlob.name, 'blob');
    assert.strictEqual(fromBlob.type, 'text/plain');
    assert.ok(fromBlob.lastModified >= before && fromBlob.lastModified <= Date.now());
    assert.strictEqual(await fromBlob.text(), 'blob bytes');
    assert.strictEqual(fd.get('b'), fd.get('b'), 'the same File every time');
    // With a filename.
    fd.set('b2', new Blob([]), 'custom name');
    assert.strictEqual(fd.get('b2').name, 'custom name');
    assert.strictEqual(fd.get('b2').size, 0);
    // A File is kept as is...
    const file = new File(['f'], 'name.txt', { type: 'a/b', lastModified: 123 });
    fd.append('f', file);
    assert.strictEqual(fd.get('f'), file);
    // ...unless a filename is given: a new File with that name, same bytes, type, lastModified.
    fd.append('f2', file, 'renamed.txt');
    const renamed = fd.get('f2');
    assert.notStrictEqual(renamed, file);
    assert.strictEqual(renamed.name, 'renamed.txt');
    assert.strictEqual(renamed.type, 'a/b');
    assert.strictEqual(renamed.lastModified, 123);
    assert.strictEqual(await renamed.text(), 'f');
    // An explicit undefined filename is no filename.
    fd.append('f3', file, undefined);
    assert.strictEqual(fd.get('f3'), file);
    // The filename is a USVString.
    fd.append('f4', blob, 'x\ud800');
    assert.strictEqual(fd.get('f4').name, 'x\ufffd');
    // Three arguments select the Blob overload: a string value is a TypeError.
    assert.throws(() => fd.append('s', 'str', 'name'), {
      name: 'TypeError',
      message: "Failed to execute 'append' on 'FormData': parameter 2 is not of type 'Blob'.",
    });
    assert.throws(() => fd.set('s', {}, undefined), TypeError);
    // A Blob-like object is not a Blob: it becomes a string.
    fd.append('like', { size: 1, type: '', toString: () => 'like' });
    assert.strictEqual(fd.get('like'), 'like');
  },
};

export const iteration = {
  test() {
    const fd = new FormData();
    const entries = fd.entries();
    const keys = fd.keys();
    const values = fd.values();
    assert.deepStrictEqual(entries.next(), { value: undefined, done: true });
    fd.append('n1', 'v1');
    fd.append('n2', 'v2');
    fd.append('n1', 'v3');
    // Iterators are live views by index (they resumed after reporting done).
    assert.deepStrictEqual(entries.next().value, ['n1', 'v1']);
    assert.strictEqual(keys.next().value, 'n1');
    assert.strictEqual(values.next().value, 'v1');
    assert.deepStrictEqual([...fd.keys()], ['n1', 'n2', 'n1']);
    assert.deepStrictEqual([...fd.values()], ['v1', 'v2', 'v3']);
    assert.deepStrictEqual([...fd], [['n1', 'v1'], ['n2', 'v2'], ['n1', 'v3']]);
    // Removing entries already visited skips one; appending while iterating is visited.
    const seen = [];
    for (const [k] of fd) {
      seen.push(k);
      if (k === 'n2') fd.delete('n1');
    }
    assert.deepStrictEqual(seen, ['n1', 'n2']);
    const grow = new FormData();
    grow.append('a', '1');
    const order = [];
    for (const [k] of grow) {
      order.push(k);
      if (order.length < 3) grow.append(`x${order.length}`, '');
    }
    assert.deepStrictEqual(order, ['a', 'x1', 'x2']);
  },
};

export const forEachLive = {
  test() {
    const fd = new FormData();
    fd.forEach(() => { throw new Error('not called on an empty FormData'); });
    fd.append('key1', 'value1');
    fd.append('key2', 'value2');
    const out = [];
    fd.forEach(function (value, key, target) {
      assert.strictEqual(target, fd);
      assert.strictEqual(this, undefined);
      target.set(key, '3');
      out.push(`${key}=${value}`);
      target.append('some-key', '4');
    });
    // Entries appended by the callback are visited.
    assert.deepStrictEqual(out, ['key1=value1', 'key2=value2', 'some-key=4', 'some-key=4']);
    assert.deepStrictEqual(fd.getAll('some-key'), ['3', '4']);
    const self = {};
    fd.forEach(function () { assert.strictEqual(this, self); }, self);
    assert.throws(() => fd.forEach(() => { throw new RangeError('boo'); }), RangeError);
  },
};

export const serialization = {
  async test() {
    const fd = new FormData();
    fd.append('plain', 'value');
    fd.append('multi\nline\rname\r\n', 'a\nb\rc\r\nd');
    fd.append('q"uote', '"');
    fd.append('file', new File([new Uint8Array([0, 255, 13, 10])], 'f"i\nl\re.bin',
                               { type: 'application/x-thing' }));
    fd.append('untyped', new Blob(['untyped body']));
    fd.append('unicode-é', 'ü');
    const { boundary, text, bytes } = await serialize(fd);
    const b = `--${boundary}`;
    const expected =
      `${b}\r\nContent-Disposition: form-data; name="plain"\r\n\r\nvalue\r\n` +
      // Newlines in names and values become CRLF; CR, LF and '"' in names are percent-escaped.
      `${b}\r\nContent-Disposition: form-data; name="multi%0D%0Aline%0D%0Aname%0D%0A"\r\n\r\n` +
      'a\r\nb\r\nc\r\nd\r\n' +
      `${b}\r\nContent-Disposition: form-data; name="q%22uote"\r\n\r\n"\r\n` +
      // Filenames are escaped but keep their newlines as they are.
      `${b}\r\nContent-Disposition: form-data; name="file"; filename="f%22i%0Al%0De.bin"\r\n` +
      'Content-Type: application/x-thing\r\n\r\n\0\ufffd\r\n\r\n' +
      `${b}\r\nContent-Disposition: form-data; name="untyped"; filename="blob"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\nuntyped body\r\n' +
      `${b}\r\nContent-Disposition: form-data; name="unicode-é"\r\n\r\nü\r\n` +
      `${b}--\r\n`;
    assert.strictEqual(text, expected);
    // File bytes are copied verbatim.
    const at = text.indexOf('\r\n\r\n\0') + 4;
    const byteAt = new TextEncoder().encode(text.slice(0, at)).length;
    assert.deepStrictEqual(Array.from(bytes.subarray(byteAt, byteAt + 4)), [0, 255, 13, 10]);
    // Boundaries are random.
    const again = await serialize(fd);
    assert.notStrictEqual(again.boundary, boundary);
    // An empty FormData is just the closing delimiter.
    const empty = await serialize(new FormData());
    assert.strictEqual(empty.text, `--${empty.boundary}--\r\n`);
  },
};

export const roundTrip = {
  async test() {
    const binary = new Uint8Array(300000);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7) % 256;
    const fd = new FormData();
    fd.append('field0', 'part0');
    fd.append('field-with-a-"-in-it', 'part1');
    fd.append('newline\nname', 'v\nv');
    fd.append('ünïcødé 🎉', 'välüe 🎉');
    fd.append('empty', '');
    fd.append('big', new File([binary], 'big.bin', { type: 'application/octet-stream' }));
    fd.append('small', new File(['hi'], 'small.txt', { type: 'Text/Plain;Charset=UTF-8' }));
    fd.append('blob', new Blob(['b']));
    fd.append('emptyfile', new File([], ''));
    fd.append('quote"file', new File(['q'], 'a"b\\c.txt'));
    const parsed = await new Response(fd).formData();
    assert.ok(parsed instanceof FormData);
    assert.deepStrictEqual([...parsed.keys()], ['field0', 'field-with-a-"-in-it',
      'newline\r\nname', 'ünïcødé 🎉', 'empty', 'big', 'small', 'blob', 'emptyfile',
      'quote"file']);
    assert.strictEqual(parsed.get('field0'), 'part0');
    assert.strictEqual(parsed.get('field-with-a-"-in-it'), 'part1');
    assert.strictEqual(parsed.get('newline\r\nname'), 'v\r\nv');
    assert.strictEqual(parsed.get('ünïcødé 🎉'), 'välüe 🎉');
    assert.strictEqual(parsed.get('empty'), '');
    const big = parsed.get('big');
    assert.ok(big instanceof File);
    assert.strictEqual(big.name, 'big.bin');
    assert.strictEqual(big.type, 'application/octet-stream');
    assert.ok(sameBytes(await big.bytes(), binary));
    const small = parsed.get('small');
    assert.strictEqual(small.type, 'text/plain;charset=utf-8');
    assert.strictEqual(await small.text(), 'hi');
    assert.strictEqual(parsed.get('blob').name, 'blob');
    assert.strictEqual(parsed.get('blob').type, 'application/octet-stream');
    const emptyFile = parsed.get('emptyfile');
    assert.ok(emptyFile instanceof File);
    assert.strictEqual(emptyFile.name, '');
    assert.strictEqual(emptyFile.size, 0);
    // Backslashes are ordinary characters; quotes survive through %22.
    assert.strictEqual(parsed.get('quote"file').name, 'a"b\\c.txt');
    // Through a Request as well, and empty forms.
    const req = new Request('https://example.com', { method: 'POST', body: fd });
    assert.match(req.headers.get('content-type'), /^multipart\/form-data; boundary=/);
    assert.strictEqual((await req.formData()).get('field0'), 'part0');
    assert.strictEqual([...await new Response(new FormData()).formData()].length, 0);
    const emptyReq = new Request('about:blank', { method: 'POST', body: new FormData() });
    assert.strictEqual([...await emptyReq.formData()].length, 0);
    // Headers are matched case-insensitively (WPT fetch/api/body/formdata.any.js).
    const lowered = (await new Response(fd).text()).toLowerCase();
    const type = new Response(fd).headers.get('content-type');
    const lower = await parse(type, lowered.replace(/--[0-9a-f]{32}/g,
      `--${type.split('=')[1]}`));
    assert.ok(lower.has('field0'));
  },
};

export const parseWorkerdCases = {
  async test() {
    const success = [
      ['multipart/form-data; boundary="+"', '--+--', ''],
      ['multipart/form-data; boundary="+"', [
        '--+\r\n', 'Content-Disposition: form-data; name="field0"\r\n', '\r\n', 'part0\r\n',
        '--+\n', 'CONTENT-DISPOSITION:\tform-data\t;\tname="field1"\r\n', '\n', 'part1\n',
        '--+\r\n', 'content-disposition:form-data;name="field0"\n', '\r\n', 'part2\r\n',
        '--+\r\n', 'CoNTent-dIsposiTIOn: form-data; name="field1"\n', '\r\n', 'part3\r\n',
        '--+--',
      ].join(''), 'field0=part0,field1=part1,field0=part2,field1=part3'],
      ['multipart/form-data; boundary="+"', [
        '--+\r\n', 'Content-Disposition: form-data; name="e"\r\n', '\r\n', '\r\n',
        '--+\r\n', 'Content-Disposition: form-data; name="e"\r\n', '\r\n', '\n',
        '--+\r\n', 'Content-Disposition: form-data; name="e"\r\n', '\n', '\r\n',
        '--+\r\n', 'Content-Disposition: form-data; name="e"\r\n', '\n', '\n',
        '--+\r\n', 'Content-Disposition: form-data; name="e"\n', '\r\n', '\r\n',
        '--+\r\n', 'Content-Disposition: form-data; name="e"\n', '\n', '\n',
        '--+--',
      ].join(''), 'e=,e=,e=,e=,e=,e='],
      ['multipart/form-data; boundary="+"', [
        '--+\r\n', 'Content-Type: text/plain; charset=utf-8\r\n',
        'Content-Disposition: form-data; name="field0"\r\n', '\r\n', 'part0\r\n',
        '--+\r\n', 'Content-Disposition: form-data; name="field1"\r\n',
        'Content-Type: text/plain; charset=utf-8\r\n', '\r\n', 'part1\r\n', '--+--',
      ].join(''), 'field0=part0,field1=part1'],
      ['multipart/form-data; Boundary="-"', '---\nContent-Disposition: form-data; name="f0"\n\n' +
       'p0\n---\nContent-Disposition: form-data; name="f1"\n\np1\n-----', 'f0=p0,f1=p1'],
      ['application/x-www-form-urlencoded', 'field0=data+with+an+%26+in+it',
       'field0=data with an & in it'],
      ['application/x-www-form-urlencoded', '&=&field1&=part2&field1=', '=,field1=,=part2,field1='],
    ];
    for (const [type, body, expected] of success) {
      assert.strictEqual(collect(await parse(type, body)), expected, body);
    }
  },
};

export const parseFailures = {
  async test() {
    const fail = async (type, body, message) => {
      await assert.rejects(parse(type, body), { name: 'TypeError', message }, body);
    };
    const plus = 'multipart/form-data; boundary="+"';
    const part = '--+\r\nContent-Disposition: form-data; name="field0"\r\n\r\npart0\r\n';
    await fail(plus, '', 'No initial boundary string (or you have a truncated message).');
    await fail(plus, '--asdf--', 'No initial boundary string (or you have a truncated message).');
    await fail(plus, '--+', 'No initial boundary string (or you have a truncated message).');
    await fail(plus, `${part}-+--`, 'No subsequent boundary string after multipart message.');
    await fail(plus, `${part}`, 'No subsequent boundary string after multipart message.');
    await fail(plus, `${part}--+\r--`, "Boundary string was not succeeded by CRLF, LF, or '--'.");
    await fail(plus, `${part}--+`, "Boundary string was not succeeded by CRLF, LF, or '--'.");
    await fail(plus, `${part}--+Random junk`,
               "Boundary string was not succeeded by CRLF, LF, or '--'.");
    await fail(plus, '--+x', "Boundary string was not succeeded by CRLF, LF, or '--'.");
    await fail(plus, '--+\r\nBad-Content-Disposition: form-data; name="f"\r\n\r\nx\r\n--+--',
               'No valid Content-Disposition header found in FormData part.');
    await fail(plus, '--+\r\n\r\nx\r\n--+--',
               'No valid Content-Disposition header found in FormData part.');
    await fail(plus, '--+\r\nContent-Disposition: form-data; name="f"\r\n\rpart0\r\n--+--',
               'FormData part had invalid headers.');
    await fail(plus, '--+\r\nContent-Disposition: form-data; name="f"\r\n',
               'No multipart message header termination found.');
    await fail(plus, '--+\r\nno colon here\r\n\r\nx\r\n--+--',
               'FormData part had invalid headers.');
    await fail(plus, '--+\r\nBad Name: x\r\n\r\nx\r\n--+--', 'FormData part had invalid headers.');
    await fail(plus, '--+\r\nContent-Disposition: foobar\r\n\r\nx\r\n--+--',
               'Content-Disposition header for FormData part must have the value "form-data", ' +
               'possibly followed by parameters. Got: "foobar"');
    await fail(plus, '--+\r\nContent-Disposition: form-data; filename="f"\r\n\r\nx\r\n--+--',
               'Content-Disposition header in FormData part is missing a name.');
    await fail(plus, '--+\r\nContent-Disposition: form-data; name="f\r\n\r\nx\r\n--+--',
               'Invalid Content-Disposition header found in FormData part.');
    await fail(plus, '--+\r\nContent-Disposition: form-data; name\r\n\r\nx\r\n--+--',
               'Invalid Content-Disposition header found in FormData part.');
    await fail(plus, '--+\r\nContent-Disposition: form-data name="x"\r\n\r\nx\r\n--+--',
               'Invalid Content-Disposition header found in FormData part.');
    await fail(plus, '--+\r\nContent-Disposition: ; name="x"\r\n\r\nx\r\n--+--',
               'Invalid Content-Disposition header found in FormData part.');
    // Boundary problems found in the Content-Type header.
    await fail('multipart/form-data; boundary=', '----',
               "No boundary string in Content-Type header. The multipart/form-data MIME type " +
               "requires a boundary parameter, e.g. 'Content-Type: multipart/form-data; " +
               "boundary=\"abcd\"'. See RFC 7578, section 4.");
    await fail('application/x-www-form-urlencoded; charset=big5', 'a=b',
               'Non-utf-8 application/x-www-form-urlencoded body.');
    // WPT fetch/content-type/multipart-malformed.any.js
    const r = new Response(new Blob([
      '--Boundary_with_capital_letters\r\nContent-Type: application/json\r\n' +
      'Content-Disposition: form-data; name="does_this_work"\r\n\r\nYES\r\n' +
      '--Boundary_with_capital_letters-Random junk']), {
      headers: { 'Content-Type': 'multipart/form-data; boundary=Boundary_with_capital_letters' },
    });
    await assert.rejects(r.formData(), TypeError);
  },
};

export const parseDetails = {
  async test() {
    const b = 'multipart/form-data; boundary=XyZ';
    const one = (headers, body = 'x') => `--XyZ\r\n${headers}\r\n\r\n${body}\r\n--XyZ--\r\n`;
    // A preamble and an epilogue are ignored; capital letters in the boundary work.
    let fd = await parse(b, `preamble\r\n${one('Content-Disposition: form-data; name="a"')}` +
                            'epilogue');
    assert.strictEqual(collect(fd), 'a=x');
    // Escapes browsers send in names: %22, %0D, %0A (either case); other escapes stay.
    fd = await parse(b, one('Content-Disposition: form-data; name="q%22%0d%0A%20%2"'));
    assert.strictEqual(collect(fd), 'q"\r\n%20%2=x');
    // Token (unquoted) values, case-insensitive parameter names, odd spacing, a trailing ';'.
    fd = await parse(b, one('content-disposition:  Form-Data ;NAME=tok ; FileName = f.txt ;'));
    assert.ok(fd.get('tok') instanceof File);
    assert.strictEqual(fd.get('tok').name, 'f.txt');
    // filename* (RFC 5987) wins over filename; unknown charsets fall back to filename.
    fd = await parse(b, one('Content-Disposition: form-data; name="f"; filename="plain.txt"; ' +
                            "filename*=UTF-8''na%C3%AFve%20%E2%82%AC.txt"));
    assert.strictEqual(fd.get('f').name, 'naïve €.txt');
    fd = await parse(b, one("Content-Disposition: form-data; name=f; filename*=iso-8859-1'en'%E9"));
    assert.strictEqual(fd.get('f').name, 'é');
    fd = await parse(b, one('Content-Disposition: form-data; name=f; filename="fb"; ' +
                            "filename*=koi8-r''%C1"));
    assert.strictEqual(fd.get('f').name, 'fb');
    // A file part without Content-Type has an empty type (workerd); types are normalized.
    fd = await parse(b, one('Content-Disposition: form-data; name="f"; filename="a"'));
    assert.strictEqual(fd.get('f').type, '');
    fd = await parse(b, one('Content-Disposition: form-data; name="f"; filename="a"\r\n' +
                            'Content-Type:  Image/PNG  '));
    assert.strictEqual(fd.get('f').type, 'image/png');
    fd = await parse(b, one('Content-Disposition: form-data; name="f"; filename="a"\r\n' +
                            'Content-Type: text/plain; charset=\u00e9'));
    assert.strictEqual(fd.get('f').type, '');
    // The first of repeated parameters wins; unknown headers are ignored; folded lines join.
    fd = await parse(b, one('X-Other: 1\r\nContent-Disposition: form-data; name="first"; ' +
                            'name="second"'));
    assert.strictEqual(collect(fd), 'first=x');
    fd = await parse(b, one('Content-Disposition: form-data;\r\n name="folded"'));
    assert.strictEqual(collect(fd), 'folded=x');
    // String values: UTF-8, a BOM is kept, malformed bytes become U+FFFD, CR/LF inside kept.
    const bytes = new Uint8Array([...new TextEncoder().encode(
      '--XyZ\r\nContent-Disposition: form-data; name="v"\r\n\r\n'), 0xef, 0xbb, 0xbf, 0x61, 0xff,
    0x0d, 0x0a, 0x62, ...new TextEncoder().encode('\r\n--XyZ--')]);
    fd = await parse(b, bytes);
    assert.strictEqual(fd.get('v'), '\ufeffa\ufffd\r\nb');
    // A name in UTF-8.
    fd = await parse(b, new TextEncoder().encode(one('Content-Disposition: form-data; name="ñ"')));
    assert.strictEqual(collect(fd), 'ñ=x');
    // A part body may contain the boundary text when not at a line start.
    fd = await parse(b, one('Content-Disposition: form-data; name="a"', 'a--XyZ b --XyZ'));
    assert.strictEqual(fd.get('a'), 'a--XyZ b --XyZ');
    // An empty body right before the next boundary, without its own CRLF.
    fd = await parse(b, '--XyZ\r\nContent-Disposition: form-data; name="e"\r\n\r\n--XyZ--');
    assert.strictEqual(collect(fd), 'e=');
    // File bytes are binary-safe and independent of the request body.
    const file = new Uint8Array([0, 13, 10, 255, 45, 45]);
    const body = new Uint8Array([...new TextEncoder().encode(
      '--XyZ\r\nContent-Disposition: form-data; name="f"; filename="bin"\r\n' +
      'Content-Type: application/octet-stream\r\n\r\n'), ...file,
    ...new TextEncoder().encode('\r\n--XyZ--')]);
    fd = await parse(b, body);
    assert.deepStrictEqual(await fd.get('f').bytes(), file);
    body.fill(0);
    assert.deepStrictEqual(await fd.get('f').bytes(), file);
    // A quoted boundary with characters that need quoting.
    fd = await parse('multipart/form-data; boundary="a b:c"',
                     '--a b:c\r\nContent-Disposition: form-data; name="q"\r\n\r\n1\r\n--a b:c--');
    assert.strictEqual(collect(fd), 'q=1');
  },
};

export const urlencodedBodies = {
  async test() {
    const fd = await parse('application/x-www-form-urlencoded;charset=UTF-8', 'a=1&b=x+y&a=%C3%A9');
    assert.ok(fd instanceof FormData);
    assert.deepStrictEqual([...fd], [['a', '1'], ['b', 'x y'], ['a', 'é']]);
    // A URLSearchParams body round-trips.
    const res = new Response(new URLSearchParams('k=v&k=w'));
    assert.deepStrictEqual((await res.formData()).getAll('k'), ['v', 'w']);
    // The result is an ordinary, mutable FormData.
    fd.append('c', '3');
    fd.set('a', 'z');
    assert.strictEqual(collect(fd), 'a=z,b=x y,c=3');
  },
};

export const bodyUsedAndErrors = {
  async test() {
    const fd = new FormData();
    fd.append('a', '1');
    const res = new Response(fd);
    await res.text();
    await assert.rejects(res.formData(), {
      name: 'TypeError', message: /Body has already been used/,
    });
    await assert.rejects(new Response('x').formData(), TypeError);  // text/plain
  },
};
