// multipart/form-data: serializing a FormData for a body, and parsing a body into a FormData.
// https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#multipart/form-data-encoding-algorithm
// https://fetch.spec.whatwg.org/#dom-body-formdata (RFC 7578)
// https://andreubotella.github.io/multipart-form-data/ (the parser browsers and undici follow)
//
// Serialization follows the HTML spec: newlines in names and string values become CRLF, and `"`,
// CR and LF in names and filenames become %22, %0D and %0A; Files without a type are sent as
// application/octet-stream. The boundary is 32 random hex digits, as workerd makes it.
//
// Parsing is lenient like workerd's: a preamble before the first boundary and an epilogue after
// the last are ignored, and LF may stand for CRLF. Names and filenames are quoted or tokens;
// %22, %0D and %0A in them are decoded (what browsers send), a backslash is an ordinary character,
// and filename* (RFC 5987/6266) wins over filename. A part with a filename becomes a File whose
// type is its Content-Type (empty if absent, as in workerd); others become UTF-8 strings (a BOM is
// kept). Failures are TypeErrors with workerd's messages.
// Adds `serialize` and `parseMultipart` to `internals.formData`.
'use strict';

const {
  ArrayPrototypePush, DateNow, NumberParseInt, RegExpPrototypeExec, StringPrototypeCharCodeAt,
  StringPrototypeIndexOf, StringPrototypeSlice, StringPrototypeToLowerCase, TypeError,
  TypedArrayPrototypeGetByteLength, TypedArrayPrototypeSet, TypedArrayPrototypeSubarray,
  Uint8Array,
} = primordials;
const { state: blobState, fileState, createFile, normalizeType } = internals.blob;
const { entriesOf, fromEntries } = internals.formData;

// ---- serialization ------------------------------------------------------------------------------

const hexDigits = '0123456789abcdef';

function newBoundary() {
  const random = new Uint8Array(16);
  ops.randomFill(random);
  let out = '';
  for (let i = 0; i < 16; i++) out += hexDigits[random[i] >> 4] + hexDigits[random[i] & 15];
  return out;
}

// Every CR not followed by LF and every LF not preceded by CR becomes CRLF.
function normalizeNewlines(s) {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (c === 0x0d) {
      if (StringPrototypeCharCodeAt(s, i + 1) === 0x0a) {
        i++;
        continue;
      }
    } else if (c !== 0x0a) {
      continue;
    }
    out += `${StringPrototypeSlice(s, start, i)}\r\n`;
    start = i + 1;
  }
  return start === 0 ? s : out + StringPrototypeSlice(s, start);
}

// Field names and filenames: LF -> %0A, CR -> %0D, '"' -> %22; nothing else is escaped.
function escapeName(s) {
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    const escape = c === 0x0a ? '%0A' : c === 0x0d ? '%0D' : c === 0x22 ? '%22' : null;
    if (escape === null) continue;
    out += StringPrototypeSlice(s, start, i) + escape;
    start = i + 1;
  }
  return start === 0 ? s : out + StringPrototypeSlice(s, start);
}

// https://fetch.spec.whatwg.org/#concept-bodyinit-extract (FormData) -> { bytes, type }.
function serialize(formData) {
  const entries = entriesOf(formData);
  const boundary = newBoundary();
  const pieces = [];
  let total = 0;
  let text = '';
  const push = (u8) => {
    const n = TypedArrayPrototypeGetByteLength(u8);
    if (n === 0) return;
    ArrayPrototypePush(pieces, u8);
    total += n;
  };
  const flushText = () => {
    if (text !== '') push(ops.utf8Encode(text));
    text = '';
  };
  for (let i = 0; i < entries.length; i++) {
    const name = entries[i][0];
    const value = entries[i][1];
    text += `--${boundary}\r\nContent-Disposition: form-data; name="` +
            `${escapeName(normalizeNewlines(name))}"`;
    if (typeof value === 'string') {
      text += `\r\n\r\n${normalizeNewlines(value)}\r\n`;
      continue;
    }
    const data = blobState(value);
    const type = data.type === '' ? 'application/octet-stream' : data.type;
    text += `; filename="${escapeName(fileState(value).name)}"\r\nContent-Type: ${type}\r\n\r\n`;
    flushText();
    // The File's chunks are copied into the body below, never handed out.
    for (let j = 0; j < data.chunks.length; j++) push(data.chunks[j]);
    text = '\r\n';
  }
  text += `--${boundary}--\r\n`;
  flushText();
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (let i = 0; i < pieces.length; i++) {
    TypedArrayPrototypeSet(bytes, pieces[i], offset);
    offset += TypedArrayPrototypeGetByteLength(pieces[i]);
  }
  return { __proto__: null, bytes, type: `multipart/form-data; boundary=${boundary}` };
}

// ---- parsing ------------------------------------------------------------------------------------

const kNoInitialBoundary = 'No initial boundary string (or you have a truncated message).';
const kBadBoundaryEnd = "Boundary string was not succeeded by CRLF, LF, or '--'.";
const kNoHeaderEnd = 'No multipart message header termination found.';
const kBadHeaders = 'FormData part had invalid headers.';
const kNoDisposition = 'No valid Content-Disposition header found in FormData part.';
const kBadDisposition = 'Invalid Content-Disposition header found in FormData part.';
const kNoName = 'Content-Disposition header in FormData part is missing a name.';
const kNoNextBoundary = 'No subsequent boundary string after multipart message.';
// Parts smaller than this are copied out of the body; larger Files share its buffer.
const kShareThreshold = 65536;

const tokenRe = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const escapedRe = /%(?:0[aAdD]|22)/;
const hexPairRe = /^[0-9A-Fa-f]{2}$/;
const isWs = (c) => c === 0x20 || c === 0x09;

// The index of `needle` in `haystack` at or after `from`, or -1.
function indexOf(haystack, needle, from) {
  const n = TypedArrayPrototypeGetByteLength(haystack);
  const m = TypedArrayPrototypeGetByteLength(needle);
  const first = needle[0];
  for (let i = from; i + m <= n; i++) {
    if (haystack[i] !== first) continue;
    let j = 1;
    while (j < m && haystack[i + j] === needle[j]) j++;
    if (j === m) return i;
  }
  return -1;
}

// Bytes of a string whose code units are all below 256 (a header parameter: a ByteString).
function isomorphicEncode(s) {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = StringPrototypeCharCodeAt(s, i);
  return out;
}

function utf8Decode(u8, ignoreBOM = false) {
  return internals.encoding.utf8Decode(u8, { __proto__: null, fatal: false, ignoreBOM });
}

// %0A, %0D and %22 back to LF, CR and '"'.
function unescapeName(s) {
  if (RegExpPrototypeExec(escapedRe, s) === null) return s;
  let out = '';
  let start = 0;
  for (let i = 0; i + 2 < s.length; i++) {
    if (StringPrototypeCharCodeAt(s, i) !== 0x25) continue;
    const code = StringPrototypeToLowerCase(StringPrototypeSlice(s, i + 1, i + 3));
    const c = code === '0a' ? '\n' : code === '0d' ? '\r' : code === '22' ? '"' : null;
    if (c === null) continue;
    out += StringPrototypeSlice(s, start, i) + c;
    start = i + 3;
    i += 2;
  }
  return out + StringPrototypeSlice(s, start);
}

// RFC 5987 ext-value (charset'language'pct-encoded) -> string, or null if not understood.
function decodeExtValue(value) {
  const q1 = StringPrototypeIndexOf(value, "'");
  const q2 = q1 === -1 ? -1 : StringPrototypeIndexOf(value, "'", q1 + 1);
  if (q2 === -1) return null;
  const charset = StringPrototypeToLowerCase(StringPrototypeSlice(value, 0, q1));
  if (charset !== 'utf-8' && charset !== 'iso-8859-1') return null;
  const encoded = StringPrototypeSlice(value, q2 + 1);
  const bytes = new Uint8Array(encoded.length);
  let n = 0;
  for (let i = 0; i < encoded.length; i++) {
    const c = StringPrototypeCharCodeAt(encoded, i);
    if (c === 0x25) {
      const hex = StringPrototypeSlice(encoded, i + 1, i + 3);
      if (RegExpPrototypeExec(hexPairRe, hex) !== null) {
        bytes[n++] = NumberParseInt(hex, 16);
        i += 2;
        continue;
      }
    }
    if (c > 0xff) return null;
    bytes[n++] = c;
  }
  const used = TypedArrayPrototypeSubarray(bytes, 0, n);
  return charset === 'utf-8' ? utf8Decode(used, true) : internals.encoding.latin1Decode(used);
}

// Content-Disposition: form-data; name="..."; filename="..." -> { name, filename } (null when
// absent). Parameter names are case-insensitive; the first of a repeated parameter wins.
function parseContentDisposition(value) {
  const n = value.length;
  let i = 0;
  while (i < n && isWs(StringPrototypeCharCodeAt(value, i))) i++;
  let end = i;
  while (end < n && value[end] !== ';' && !isWs(StringPrototypeCharCodeAt(value, end))) end++;
  const type = StringPrototypeSlice(value, i, end);
  if (type === '' || RegExpPrototypeExec(tokenRe, type) === null) {
    throw new TypeError(kBadDisposition);
  }
  if (StringPrototypeToLowerCase(type) !== 'form-data') {
    throw new TypeError('Content-Disposition header for FormData part must have the value ' +
                        `"form-data", possibly followed by parameters. Got: "${type}"`);
  }
  const params = { __proto__: null };
  i = end;
  for (;;) {
    while (i < n && isWs(StringPrototypeCharCodeAt(value, i))) i++;
    if (i >= n) break;
    if (value[i] !== ';') throw new TypeError(kBadDisposition);
    i++;
    while (i < n && isWs(StringPrototypeCharCodeAt(value, i))) i++;
    if (i >= n) break;  // a trailing ';'
    end = i;
    while (end < n && value[end] !== '=' && value[end] !== ';' &&
           !isWs(StringPrototypeCharCodeAt(value, end))) {
      end++;
    }
    const key = StringPrototypeToLowerCase(StringPrototypeSlice(value, i, end));
    if (key === '' || RegExpPrototypeExec(tokenRe, key) === null) {
      throw new TypeError(kBadDisposition);
    }
    i = end;
    while (i < n && isWs(StringPrototypeCharCodeAt(value, i))) i++;
    if (i >= n || value[i] !== '=') throw new TypeError(kBadDisposition);
    i++;
    while (i < n && isWs(StringPrototypeCharCodeAt(value, i))) i++;
    let paramValue;
    let quoted = false;
    if (i < n && value[i] === '"') {
      end = StringPrototypeIndexOf(value, '"', i + 1);
      if (end === -1) throw new TypeError(kBadDisposition);
      paramValue = StringPrototypeSlice(value, i + 1, end);
      quoted = true;
      i = end + 1;
    } else {
      end = i;
      while (end < n && value[end] !== ';' && !isWs(StringPrototypeCharCodeAt(value, end))) end++;
      paramValue = StringPrototypeSlice(value, i, end);
      i = end;
    }
    if (!(key in params)) params[key] = { __proto__: null, value: paramValue, quoted };
  }
  let filename = null;
  if ('filename*' in params) filename = decodeExtValue(params['filename*'].value);
  if (filename === null && 'filename' in params) filename = unescapeName(params.filename.value);
  return {
    __proto__: null,
    name: 'name' in params ? unescapeName(params.name.value) : null,
    filename,
  };
}

// The header lines of one part, from `pos` (just after the boundary line). Returns
// { disposition, contentType, end } where `end` is where the part's body starts.
function parseHeaders(input, pos) {
  const length = TypedArrayPrototypeGetByteLength(input);
  const headers = [];
  for (;;) {
    let eol = pos;
    while (eol < length && input[eol] !== 0x0a) eol++;
    if (eol >= length) throw new TypeError(kNoHeaderEnd);
    const lineEnd = eol > pos && input[eol - 1] === 0x0d ? eol - 1 : eol;
    const line = utf8Decode(TypedArrayPrototypeSubarray(input, pos, lineEnd), true);
    pos = eol + 1;
    if (line === '') break;
    const first = StringPrototypeCharCodeAt(line, 0);
    if (isWs(first) && headers.length > 0) {
      // An obsolete folded continuation line.
      headers[headers.length - 1][1] += ` ${line}`;
      continue;
    }
    const colon = StringPrototypeIndexOf(line, ':');
    if (colon <= 0) throw new TypeError(kBadHeaders);
    let nameEnd = colon;
    while (nameEnd > 0 && isWs(StringPrototypeCharCodeAt(line, nameEnd - 1))) nameEnd--;
    const name = StringPrototypeSlice(line, 0, nameEnd);
    if (RegExpPrototypeExec(tokenRe, name) === null) throw new TypeError(kBadHeaders);
    ArrayPrototypePush(headers, [StringPrototypeToLowerCase(name),
                                 StringPrototypeSlice(line, colon + 1)]);
  }
  let disposition = null;
  let contentType = null;
  for (let i = 0; i < headers.length; i++) {
    const name = headers[i][0];
    if (name === 'content-disposition' && disposition === null) disposition = headers[i][1];
    else if (name === 'content-type' && contentType === null) contentType = headers[i][1];
  }
  if (disposition === null) throw new TypeError(kNoDisposition);
  return { __proto__: null, disposition, contentType, end: pos };
}

function trimWs(s) {
  let a = 0;
  let b = s.length;
  while (a < b && isWs(StringPrototypeCharCodeAt(s, a))) a++;
  while (b > a && isWs(StringPrototypeCharCodeAt(s, b - 1))) b--;
  return StringPrototypeSlice(s, a, b);
}

// `input` (owned by the caller, which hands it over) parsed with `boundary` -> FormData.
function parseMultipart(input, boundary) {
  const length = TypedArrayPrototypeGetByteLength(input);
  const delimiter = isomorphicEncode(`--${boundary}`);
  const nextDelimiter = isomorphicEncode(`\n--${boundary}`);
  const delimiterLength = TypedArrayPrototypeGetByteLength(delimiter);
  const pairs = [];
  let pos = indexOf(input, delimiter, 0);
  if (pos === -1 || pos + delimiterLength >= length) throw new TypeError(kNoInitialBoundary);
  pos += delimiterLength;
  for (;;) {
    // After a boundary: CRLF (or LF) and a part, or '--' and the end.
    if (input[pos] === 0x2d && input[pos + 1] === 0x2d) break;
    if (input[pos] === 0x0d && input[pos + 1] === 0x0a) pos += 2;
    else if (input[pos] === 0x0a) pos += 1;
    else throw new TypeError(kBadBoundaryEnd);

    const headers = parseHeaders(input, pos);
    const part = parseContentDisposition(trimWs(headers.disposition));
    if (part.name === null) throw new TypeError(kNoName);
    // The newline ending the headers may double as the one before the next boundary (an empty
    // body without its own CRLF).
    const next = indexOf(input, nextDelimiter, headers.end - 1);
    if (next === -1) throw new TypeError(kNoNextBoundary);
    let bodyEnd = next;
    if (bodyEnd > headers.end && input[bodyEnd - 1] === 0x0d) bodyEnd--;
    const body = bodyEnd > headers.end ? TypedArrayPrototypeSubarray(input, headers.end, bodyEnd) :
      new Uint8Array(0);
    pos = next + 1 + delimiterLength;

    if (part.filename === null) {
      ArrayPrototypePush(pairs, [part.name, utf8Decode(body, true)]);
      continue;
    }
    const size = TypedArrayPrototypeGetByteLength(body);
    let chunk = body;
    if (size < kShareThreshold) {
      chunk = new Uint8Array(size);
      TypedArrayPrototypeSet(chunk, body);
    }
    const type = headers.contentType === null ? '' : normalizeType(trimWs(headers.contentType));
    ArrayPrototypePush(pairs, [part.name, createFile(size === 0 ? [] : [chunk], size,
                                                     part.filename, type, DateNow())]);
  }
  return fromEntries(pairs);
}

internals.formData.serialize = serialize;
internals.formData.parseMultipart = parseMultipart;
