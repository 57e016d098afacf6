// URL: the basic URL parser, hosts, serializers and the URL class.
// https://url.spec.whatwg.org/#url-parsing
// https://url.spec.whatwg.org/#host-parsing
// https://url.spec.whatwg.org/#url-class
//
// Follows the URL Standard as of June 2026 (before "domain parser" let ASCII domains skip Unicode
// ToASCII), which is what the WPT data in ../shared/wpt-data tests. Validation errors are not
// recorded: they never change the result.
//
// Representation: a URL record (`URLRecord`) keeps `host` already serialized (a domain, "[v6]",
// dotted IPv4, an opaque host or "" for the empty host) because nothing after parsing needs the
// host's kind. `path` is an array of segments, or a string for an opaque path. `port` is a number
// or null. Failure is `null`.
//
// Exposes `URL` and `internals.url` (parse, serialize, hosts, percent-encoding, UTF-8 helpers);
// 11_urlsearchparams.js adds URLSearchParams and the x-www-form-urlencoded helpers.
'use strict';

const {
  ArrayPrototypePop, ArrayPrototypePush, ArrayPrototypeSlice, Error, MathFloor, NumberParseInt,
  NumberPrototypeToString, ObjectDefineProperty, ReflectApply, RegExp, RegExpPrototypeExec,
  StringFromCharCode, StringPrototypeCharCodeAt, StringPrototypeIndexOf,
  StringPrototypeLastIndexOf, StringPrototypeSlice, StringPrototypeToLowerCase,
  StringPrototypeToUpperCase, TypeError, TypedArrayPrototypeSubarray, Uint16Array, Uint8Array,
} = primordials;
const { configureInterface, requiredArguments, toDOMString } = internals.webidl;
const { domainToASCII: opDomainToASCII, domainToUnicode: opDomainToUnicode } = ops;

const EOF = -1;
const FAILURE = null;

// ---------------------------------------------------------------------------------------------
// Strings and UTF-8 (https://encoding.spec.whatwg.org/#utf-8)

// https://webidl.spec.whatwg.org/#es-USVString: lone surrogates become U+FFFD.
// Regular expressions are only used through the captured RegExp.prototype.exec, which reads
// nothing a script can patch; a native scan is much faster than a loop over code units.
const surrogatePattern = /[\ud800-\udfff]/;
function toUSVString(value) {
  const s = typeof value === 'string' ? value : toDOMString(value);
  const match = RegExpPrototypeExec(surrogatePattern, s);
  return match === null ? s : replaceLoneSurrogates(s, match.index);
}

function replaceLoneSurrogates(s, from) {
  let out = StringPrototypeSlice(s, 0, from);
  for (let i = from; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = StringPrototypeCharCodeAt(s, i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += s[i] + s[i + 1];
        i++;
        continue;
      }
    }
    out += c >= 0xd800 && c <= 0xdfff ? '\ufffd' : s[i];
  }
  return out;
}

// UTF-8 encode; lone surrogates encode as U+FFFD.
function utf8Encode(s) {
  const bytes = new Uint8Array(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    let c = StringPrototypeCharCodeAt(s, i);
    if (c < 0x80) {
      bytes[n++] = c;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < s.length ? StringPrototypeCharCodeAt(s, i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x800) {
      bytes[n++] = 0xc0 | (c >> 6);
    } else if (c < 0x10000) {
      bytes[n++] = 0xe0 | (c >> 12);
      bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
    } else {
      bytes[n++] = 0xf0 | (c >> 18);
      bytes[n++] = 0x80 | ((c >> 12) & 0x3f);
      bytes[n++] = 0x80 | ((c >> 6) & 0x3f);
    }
    bytes[n++] = 0x80 | (c & 0x3f);
  }
  return TypedArrayPrototypeSubarray(bytes, 0, n);
}

const kChunk = 4096;
function codeUnitsToString(units, length) {
  let out = '';
  for (let i = 0; i < length; i += kChunk) {
    const end = i + kChunk < length ? i + kChunk : length;
    out += ReflectApply(StringFromCharCode, null, TypedArrayPrototypeSubarray(units, i, end));
  }
  return out;
}

// https://encoding.spec.whatwg.org/#utf-8-decode-without-bom: lossy (each maximal invalid
// subsequence becomes one U+FFFD), a leading BOM is kept.
function utf8DecodeWithoutBOM(bytes) {
  const units = new Uint16Array(bytes.length);
  let n = 0;
  let codePoint = 0;
  let needed = 0;
  let seen = 0;
  let lower = 0x80;
  let upper = 0xbf;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (needed === 0) {
      if (byte <= 0x7f) {
        units[n++] = byte;
      } else if (byte >= 0xc2 && byte <= 0xdf) {
        needed = 1;
        codePoint = byte & 0x1f;
      } else if (byte >= 0xe0 && byte <= 0xef) {
        if (byte === 0xe0) lower = 0xa0;
        if (byte === 0xed) upper = 0x9f;
        needed = 2;
        codePoint = byte & 0xf;
      } else if (byte >= 0xf0 && byte <= 0xf4) {
        if (byte === 0xf0) lower = 0x90;
        if (byte === 0xf4) upper = 0x8f;
        needed = 3;
        codePoint = byte & 0x7;
      } else {
        units[n++] = 0xfffd;
      }
      continue;
    }
    if (byte < lower || byte > upper) {
      codePoint = needed = seen = 0;
      lower = 0x80;
      upper = 0xbf;
      units[n++] = 0xfffd;
      i--;  // Reprocess this byte.
      continue;
    }
    lower = 0x80;
    upper = 0xbf;
    codePoint = (codePoint << 6) | (byte & 0x3f);
    if (++seen !== needed) continue;
    if (codePoint >= 0x10000) {
      units[n++] = 0xd800 + ((codePoint - 0x10000) >> 10);
      units[n++] = 0xdc00 + ((codePoint - 0x10000) & 0x3ff);
    } else {
      units[n++] = codePoint;
    }
    codePoint = needed = seen = 0;
  }
  if (needed !== 0) units[n++] = 0xfffd;
  return codeUnitsToString(units, n);
}

function isASCIIDigit(c) { return c >= 0x30 && c <= 0x39; }
function isASCIIAlpha(c) { return (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a; }
function isASCIIAlphanumeric(c) { return isASCIIDigit(c) || isASCIIAlpha(c); }
function isASCIIHexDigit(c) {
  return isASCIIDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
}
function hexValue(c) { return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10; }

// ---------------------------------------------------------------------------------------------
// Percent-encoding (https://url.spec.whatwg.org/#percent-encoded-bytes)

// A percent-encode set: `table` marks the ASCII code points in the set (every set includes all
// non-ASCII code points), `pattern` finds the first code point of a string that is in the set.
class EncodeSet {
  constructor(table) {
    this.table = table;
    let members = '';
    for (let i = 0; i < 128; i++) {
      if (table[i] === 1) members += `\\x${i < 16 ? '0' : ''}${NumberPrototypeToString(i, 16)}`;
    }
    this.pattern = new RegExp(`[${members}\\u0080-\\uffff]`);
  }
}
function makeEncodeSet(base, extra) {
  const table = new Uint8Array(128);
  for (let i = 0; i < 128; i++) table[i] = base.table[i];
  for (let i = 0; i < extra.length; i++) table[StringPrototypeCharCodeAt(extra, i)] = 1;
  return new EncodeSet(table);
}
const C0_CONTROL_SET = (() => {
  const table = new Uint8Array(128);
  for (let i = 0; i < 0x20; i++) table[i] = 1;
  table[0x7f] = 1;
  return new EncodeSet(table);
})();
const FRAGMENT_SET = makeEncodeSet(C0_CONTROL_SET, ' "<>`');
const QUERY_SET = makeEncodeSet(C0_CONTROL_SET, ' "#<>');
const SPECIAL_QUERY_SET = makeEncodeSet(QUERY_SET, "'");
const PATH_SET = makeEncodeSet(QUERY_SET, '?^`{}');
const USERINFO_SET = makeEncodeSet(PATH_SET, '/:;=@[\\]|');
const COMPONENT_SET = makeEncodeSet(USERINFO_SET, '$%&+,');
const FORM_URLENCODED_SET = makeEncodeSet(COMPONENT_SET, "!'()~");

const percentEncodedByte = [];
for (let i = 0; i < 256; i++) {
  const hex = StringPrototypeToUpperCase(NumberPrototypeToString(i, 16));
  ArrayPrototypePush(percentEncodedByte, i < 16 ? `%0${hex}` : `%${hex}`);
}

// https://url.spec.whatwg.org/#string-utf-8-percent-encode (percent-encode after encoding with
// UTF-8); spaceAsPlus is true only for the application/x-www-form-urlencoded set.
function utf8PercentEncode(input, encodeSet, spaceAsPlus = false) {
  const match = RegExpPrototypeExec(encodeSet.pattern, input);
  if (match === null) return input;
  const set = encodeSet.table;
  const length = input.length;
  let i = match.index;
  let out = StringPrototypeSlice(input, 0, i);
  let runStart = i;
  for (; i < length; i++) {
    let c = StringPrototypeCharCodeAt(input, i);
    if (c < 0x80 && set[c] === 0) continue;
    if (runStart < i) out += StringPrototypeSlice(input, runStart, i);
    if (c < 0x80) {
      out += spaceAsPlus && c === 0x20 ? '+' : percentEncodedByte[c];
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < length ? StringPrototypeCharCodeAt(input, i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
        } else {
          c = 0xfffd;
        }
      }
      if (c < 0x800) {
        out += percentEncodedByte[0xc0 | (c >> 6)];
      } else if (c < 0x10000) {
        out += percentEncodedByte[0xe0 | (c >> 12)] + percentEncodedByte[0x80 | ((c >> 6) & 0x3f)];
      } else {
        out += percentEncodedByte[0xf0 | (c >> 18)] +
               percentEncodedByte[0x80 | ((c >> 12) & 0x3f)] +
               percentEncodedByte[0x80 | ((c >> 6) & 0x3f)];
      }
      out += percentEncodedByte[0x80 | (c & 0x3f)];
    }
    runStart = i + 1;
  }
  if (runStart < length) out += StringPrototypeSlice(input, runStart);
  return out;
}

// https://url.spec.whatwg.org/#percent-decode
function percentDecodeBytes(input) {
  const output = new Uint8Array(input.length);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const byte = input[i];
    if (byte === 0x25 && i + 2 < input.length && isASCIIHexDigit(input[i + 1]) &&
        isASCIIHexDigit(input[i + 2])) {
      output[n++] = hexValue(input[i + 1]) * 16 + hexValue(input[i + 2]);
      i += 2;
    } else {
      output[n++] = byte;
    }
  }
  return TypedArrayPrototypeSubarray(output, 0, n);
}

// https://url.spec.whatwg.org/#string-percent-decode
function percentDecodeString(input) {
  return percentDecodeBytes(utf8Encode(input));
}

// ---------------------------------------------------------------------------------------------
// Hosts (https://url.spec.whatwg.org/#hosts-(domains-and-ip-addresses))

// https://url.spec.whatwg.org/#forbidden-host-code-point
function isForbiddenHostCodePoint(c) {
  return c === 0x00 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x20 || c === 0x23 ||
         c === 0x2f || c === 0x3a || c === 0x3c || c === 0x3e || c === 0x3f || c === 0x40 ||
         c === 0x5b || c === 0x5c || c === 0x5d || c === 0x5e || c === 0x7c;
}

// Matches unless `domain` is ASCII and no dot-separated label starts with "xn--" (ASCII
// case-insensitively); without a match, Unicode ToASCII is exactly ASCII lowercasing.
const needsUnicodeToASCIIPattern = /[^\x00-\x7f]|(?:^|\.)xn--/i;
// https://url.spec.whatwg.org/#forbidden-domain-code-point
const forbiddenDomainCodePointPattern = /[\x00-\x20#%/:<>?@[\\\]^|\x7f]/;

// https://url.spec.whatwg.org/#concept-domain-to-ascii with beStrict false.
function domainToASCII(domain) {
  // 1-2. Unicode ToASCII (UTS #46) with CheckHyphens, UseSTD3ASCIIRules and VerifyDnsLength false;
  // ICU does it natively unless it amounts to ASCII lowercasing.
  let result;
  if (RegExpPrototypeExec(needsUnicodeToASCIIPattern, domain) === null) {
    result = StringPrototypeToLowerCase(domain);
  } else {
    result = opDomainToASCII(domain);
    if (result === null) return FAILURE;
  }
  // 3.1. If result is the empty string, return failure.
  if (result === '') return FAILURE;
  // 3.2. If result contains a forbidden domain code point, return failure.
  if (RegExpPrototypeExec(forbiddenDomainCodePointPattern, result) !== null) return FAILURE;
  return result;
}

// https://url.spec.whatwg.org/#concept-host-parser
function parseHost(input, isOpaque) {
  // 1. If input starts with "[": it must end with "]"; parse the IPv6 address between.
  if (StringPrototypeCharCodeAt(input, 0) === 0x5b) {
    if (StringPrototypeCharCodeAt(input, input.length - 1) !== 0x5d) return FAILURE;
    const address = parseIPv6(StringPrototypeSlice(input, 1, input.length - 1));
    return address === FAILURE ? FAILURE : `[${serializeIPv6(address)}]`;
  }
  // 2. If isOpaque, return the result of opaque-host parsing input.
  if (isOpaque) return parseOpaqueHost(input);
  // 4. Let domain be the UTF-8 decode without BOM of the percent-decoding of input.
  const domain = StringPrototypeIndexOf(input, '%') === -1 ?
      input : utf8DecodeWithoutBOM(percentDecodeString(input));
  // 5-6. Let asciiDomain be the result of domain to ASCII; failure is failure.
  const asciiDomain = domainToASCII(domain);
  if (asciiDomain === FAILURE) return FAILURE;
  // 7. If asciiDomain ends in a number, return the result of IPv4 parsing asciiDomain.
  if (endsInANumber(asciiDomain)) {
    const address = parseIPv4(asciiDomain);
    return address === FAILURE ? FAILURE : serializeIPv4(address);
  }
  // 8. Return asciiDomain.
  return asciiDomain;
}

// Strictly splits on U+002E (.).
function splitOnDots(input) {
  const parts = [];
  let start = 0;
  for (;;) {
    const dot = StringPrototypeIndexOf(input, '.', start);
    if (dot === -1) break;
    ArrayPrototypePush(parts, StringPrototypeSlice(input, start, dot));
    start = dot + 1;
  }
  ArrayPrototypePush(parts, StringPrototypeSlice(input, start));
  return parts;
}

// https://url.spec.whatwg.org/#ends-in-a-number-checker
function endsInANumber(input) {
  // 1-2. Split on dots; drop a trailing empty part unless it is the only one. Only the last part
  // matters, so it is found without splitting.
  if (input === '') return false;
  let end = input.length;
  if (StringPrototypeCharCodeAt(input, end - 1) === 0x2e) end--;
  const start = end === 0 ? 0 : StringPrototypeLastIndexOf(input, '.', end - 1) + 1;
  // 3-4. If the last part is non-empty and only ASCII digits, return true.
  const last = StringPrototypeSlice(input, start, end);
  let allDigits = last !== '';
  for (let i = 0; i < last.length && allDigits; i++) {
    allDigits = isASCIIDigit(StringPrototypeCharCodeAt(last, i));
  }
  if (allDigits) return true;
  // 5. If parsing last as an IPv4 number does not fail, return true ("0x" + hex digits).
  return parseIPv4Number(last) !== FAILURE;
}

// https://url.spec.whatwg.org/#ipv4-number-parser (the validation flag is not needed).
function parseIPv4Number(input) {
  // 1. If input is the empty string, return failure.
  if (input === '') return FAILURE;
  // 3-4. "0x"/"0X" prefix: radix 16; otherwise a leading "0": radix 8.
  let radix = 10;
  let start = 0;
  if (input.length >= 2 && input[0] === '0' && (input[1] === 'x' || input[1] === 'X')) {
    radix = 16;
    start = 2;
  } else if (input.length >= 2 && input[0] === '0') {
    radix = 8;
    start = 1;
  }
  // 5. If input is now empty, return 0.
  if (start === input.length) return 0;
  // 6. Every code point must be a radix-R digit.
  for (let i = start; i < input.length; i++) {
    const c = StringPrototypeCharCodeAt(input, i);
    if (radix === 10 ? !isASCIIDigit(c) :
        radix === 8 ? !(c >= 0x30 && c <= 0x37) : !isASCIIHexDigit(c)) {
      return FAILURE;
    }
  }
  // 7. The value (beyond 2^53 only its magnitude matters to the IPv4 parser).
  return NumberParseInt(StringPrototypeSlice(input, start), radix);
}

// https://url.spec.whatwg.org/#concept-ipv4-parser
function parseIPv4(input) {
  // 1-2. Split on dots; drop a trailing empty part.
  const parts = splitOnDots(input);
  if (parts[parts.length - 1] === '' && parts.length > 1) ArrayPrototypePop(parts);
  // 3. More than four parts is failure.
  if (parts.length > 4) return FAILURE;
  // 4-5. Parse each part as an IPv4 number.
  const numbers = [];
  for (let i = 0; i < parts.length; i++) {
    const n = parseIPv4Number(parts[i]);
    if (n === FAILURE) return FAILURE;
    ArrayPrototypePush(numbers, n);
  }
  // 7. Any but the last item greater than 255 is failure.
  for (let i = 0; i < numbers.length - 1; i++) if (numbers[i] > 255) return FAILURE;
  // 8. The last item must be less than 256^(5 - size).
  if (numbers[numbers.length - 1] >= 256 ** (5 - numbers.length)) return FAILURE;
  // 9-12. Combine.
  let ipv4 = numbers[numbers.length - 1];
  for (let i = 0; i < numbers.length - 1; i++) ipv4 += numbers[i] * 256 ** (3 - i);
  return ipv4;
}

// https://url.spec.whatwg.org/#concept-ipv4-serializer
function serializeIPv4(address) {
  let output = '';
  let n = address;
  for (let i = 1; i <= 4; i++) {
    output = `${n % 256}${output}`;
    if (i !== 4) output = `.${output}`;
    n = MathFloor(n / 256);
  }
  return output;
}

// https://url.spec.whatwg.org/#concept-ipv6-parser
function parseIPv6(input) {
  const c = (i) => (i < input.length ? StringPrototypeCharCodeAt(input, i) : EOF);
  // 1-4.
  const address = [0, 0, 0, 0, 0, 0, 0, 0];
  let pieceIndex = 0;
  let compress = null;
  let pointer = 0;
  // 5. A leading ":" must be "::".
  if (c(pointer) === 0x3a) {
    if (c(pointer + 1) !== 0x3a) return FAILURE;
    pointer += 2;
    pieceIndex++;
    compress = pieceIndex;
  }
  // 6. While c is not the EOF code point:
  while (c(pointer) !== EOF) {
    // 6.1. Too many pieces.
    if (pieceIndex === 8) return FAILURE;
    // 6.2. A compression ("::").
    if (c(pointer) === 0x3a) {
      if (compress !== null) return FAILURE;
      pointer++;
      pieceIndex++;
      compress = pieceIndex;
      continue;
    }
    // 6.3-6.4. Up to four hex digits.
    let value = 0;
    let length = 0;
    while (length < 4 && isASCIIHexDigit(c(pointer))) {
      value = value * 0x10 + hexValue(c(pointer));
      pointer++;
      length++;
    }
    // 6.5. An embedded IPv4 address.
    if (c(pointer) === 0x2e) {
      if (length === 0) return FAILURE;
      pointer -= length;
      if (pieceIndex > 6) return FAILURE;
      let numbersSeen = 0;
      while (c(pointer) !== EOF) {
        let ipv4Piece = null;
        if (numbersSeen > 0) {
          if (c(pointer) === 0x2e && numbersSeen < 4) pointer++;
          else return FAILURE;
        }
        if (!isASCIIDigit(c(pointer))) return FAILURE;
        while (isASCIIDigit(c(pointer))) {
          const number = c(pointer) - 0x30;
          if (ipv4Piece === null) ipv4Piece = number;
          else if (ipv4Piece === 0) return FAILURE;
          else ipv4Piece = ipv4Piece * 10 + number;
          if (ipv4Piece > 255) return FAILURE;
          pointer++;
        }
        address[pieceIndex] = address[pieceIndex] * 0x100 + ipv4Piece;
        numbersSeen++;
        if (numbersSeen === 2 || numbersSeen === 4) pieceIndex++;
      }
      if (numbersSeen !== 4) return FAILURE;
      break;
    } else if (c(pointer) === 0x3a) {
      // 6.6. A ":" must be followed by something.
      pointer++;
      if (c(pointer) === EOF) return FAILURE;
    } else if (c(pointer) !== EOF) {
      // 6.7.
      return FAILURE;
    }
    // 6.8-6.9.
    address[pieceIndex] = value;
    pieceIndex++;
  }
  // 7. Move the pieces after the compression to the end.
  if (compress !== null) {
    let swaps = pieceIndex - compress;
    pieceIndex = 7;
    while (pieceIndex !== 0 && swaps > 0) {
      const t = address[pieceIndex];
      address[pieceIndex] = address[compress + swaps - 1];
      address[compress + swaps - 1] = t;
      pieceIndex--;
      swaps--;
    }
  } else if (pieceIndex !== 8) {
    // 8.
    return FAILURE;
  }
  return address;
}

// https://url.spec.whatwg.org/#concept-ipv6-serializer
function serializeIPv6(address) {
  // 2. compress: the first longest run of two or more zero pieces.
  let compress = null;
  let longestSize = 1;
  let foundIndex = null;
  let foundSize = 0;
  for (let i = 0; i < 8; i++) {
    if (address[i] !== 0) {
      if (foundSize > longestSize) {
        compress = foundIndex;
        longestSize = foundSize;
      }
      foundIndex = null;
      foundSize = 0;
    } else {
      if (foundIndex === null) foundIndex = i;
      foundSize++;
    }
  }
  if (foundSize > longestSize) compress = foundIndex;
  // 3-4.
  let output = '';
  let ignore0 = false;
  for (let i = 0; i < 8; i++) {
    if (ignore0 && address[i] === 0) continue;
    ignore0 = false;
    if (compress === i) {
      output += i === 0 ? '::' : ':';
      ignore0 = true;
      continue;
    }
    output += NumberPrototypeToString(address[i], 16);
    if (i !== 7) output += ':';
  }
  return output;
}

// https://url.spec.whatwg.org/#concept-opaque-host-parser
function parseOpaqueHost(input) {
  for (let i = 0; i < input.length; i++) {
    if (isForbiddenHostCodePoint(StringPrototypeCharCodeAt(input, i))) return FAILURE;
  }
  return utf8PercentEncode(input, C0_CONTROL_SET);
}

// ---------------------------------------------------------------------------------------------
// URL records (https://url.spec.whatwg.org/#url-representation)

class URLRecord {
  constructor() {
    this.scheme = '';
    this.username = '';
    this.password = '';
    this.host = null;
    this.port = null;
    this.path = [];
    this.query = null;
    this.fragment = null;
  }
}

function cloneRecord(url) {
  const copy = new URLRecord();
  copy.scheme = url.scheme;
  copy.username = url.username;
  copy.password = url.password;
  copy.host = url.host;
  copy.port = url.port;
  copy.path = typeof url.path === 'string' ? url.path : ArrayPrototypeSlice(url.path);
  copy.query = url.query;
  copy.fragment = url.fragment;
  return copy;
}

// https://url.spec.whatwg.org/#special-scheme
function isSpecialScheme(scheme) {
  switch (scheme) {
    case 'http':
    case 'https':
    case 'ws':
    case 'wss':
    case 'ftp':
    case 'file':
      return true;
    default:
      return false;
  }
}
function isSpecial(url) { return isSpecialScheme(url.scheme); }
// https://url.spec.whatwg.org/#default-port
function defaultPort(scheme) {
  switch (scheme) {
    case 'http':
    case 'ws':
      return 80;
    case 'https':
    case 'wss':
      return 443;
    case 'ftp':
      return 21;
    default:
      return null;
  }
}
function hasOpaquePath(url) { return typeof url.path === 'string'; }
function includesCredentials(url) { return url.username !== '' || url.password !== ''; }
// https://url.spec.whatwg.org/#cannot-have-a-username-password-port
function cannotHaveUsernamePasswordPort(url) {
  return url.host === null || url.host === '' || url.scheme === 'file';
}

// https://url.spec.whatwg.org/#windows-drive-letter
function isWindowsDriveLetter(s) {
  if (s.length !== 2 || !isASCIIAlpha(StringPrototypeCharCodeAt(s, 0))) return false;
  const c = StringPrototypeCharCodeAt(s, 1);
  return c === 0x3a || c === 0x7c;
}
function isNormalizedWindowsDriveLetter(s) {
  return s.length === 2 && isASCIIAlpha(StringPrototypeCharCodeAt(s, 0)) && s[1] === ':';
}
// https://url.spec.whatwg.org/#start-with-a-windows-drive-letter, on input from `pointer`.
function startsWithWindowsDriveLetter(input, pointer) {
  if (input.length - pointer < 2) return false;
  if (!isWindowsDriveLetter(StringPrototypeSlice(input, pointer, pointer + 2))) return false;
  if (input.length - pointer === 2) return true;
  const c = StringPrototypeCharCodeAt(input, pointer + 2);
  return c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23;
}

// https://url.spec.whatwg.org/#shorten-a-urls-path
function shortenPath(url) {
  const path = url.path;
  if (url.scheme === 'file' && path.length === 1 && isNormalizedWindowsDriveLetter(path[0])) return;
  if (path.length > 0) ArrayPrototypePop(path);
}

// https://url.spec.whatwg.org/#single-dot-path-segment
function isSingleDotSegment(s) {
  return s === '.' || (s.length === 3 && StringPrototypeToLowerCase(s) === '%2e');
}
// https://url.spec.whatwg.org/#double-dot-path-segment
function isDoubleDotSegment(s) {
  if (s === '..') return true;
  if (s.length !== 4 && s.length !== 6) return false;
  const lower = StringPrototypeToLowerCase(s);
  return lower === '.%2e' || lower === '%2e.' || lower === '%2e%2e';
}

// Input preprocessing: strip leading/trailing C0 control or space, remove ASCII tab or newline.
function trimControlAndSpace(input) {
  let start = 0;
  let end = input.length;
  while (start < end && StringPrototypeCharCodeAt(input, start) <= 0x20) start++;
  while (end > start && StringPrototypeCharCodeAt(input, end - 1) <= 0x20) end--;
  return start === 0 && end === input.length ? input : StringPrototypeSlice(input, start, end);
}
const tabOrNewlinePattern = /[\t\n\r]/;
function removeTabAndNewline(input) {
  const match = RegExpPrototypeExec(tabOrNewlinePattern, input);
  if (match === null) return input;
  let i = match.index;
  let out = StringPrototypeSlice(input, 0, i);
  for (; i < input.length; i++) {
    const c = StringPrototypeCharCodeAt(input, i);
    if (c !== 0x09 && c !== 0x0a && c !== 0x0d) out += input[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The basic URL parser (https://url.spec.whatwg.org/#concept-basic-url-parser)

const SCHEME_START = 1;
const SCHEME = 2;
const NO_SCHEME = 3;
const SPECIAL_RELATIVE_OR_AUTHORITY = 4;
const PATH_OR_AUTHORITY = 5;
const RELATIVE = 6;
const RELATIVE_SLASH = 7;
const SPECIAL_AUTHORITY_SLASHES = 8;
const SPECIAL_AUTHORITY_IGNORE_SLASHES = 9;
const AUTHORITY = 10;
const HOST = 11;
const HOSTNAME = 12;
const PORT = 13;
const FILE = 14;
const FILE_SLASH = 15;
const FILE_HOST = 16;
const PATH_START = 17;
const PATH = 18;
const OPAQUE_PATH = 19;
const QUERY = 20;
const FRAGMENT = 21;

// Runs the basic URL parser on the scalar value string `input`. Without `url` it returns a new
// URLRecord or FAILURE. With `url` and `stateOverride` (the setters) it modifies `url` and returns
// `url` on success or FAILURE; as in the spec, a failure may leave earlier changes in place.
// The encoding argument is always UTF-8 here.
//
// `c` is a UTF-16 code unit rather than a code point: every decision the parser makes is on ASCII,
// and buffers are percent-encoded a whole run at a time, so surrogate pairs stay together.
// "remaining starts with X" reads the next code unit; past the end that is NaN, never X.
function basicURLParse(input, base = null, url = undefined, stateOverride = 0) {
  // 1. If url is not given: a new URL; strip leading and trailing C0 control or space.
  if (url === undefined) {
    url = new URLRecord();
    input = trimControlAndSpace(input);
  }
  // 2-3. Remove all ASCII tab or newline.
  input = removeTabAndNewline(input);
  const length = input.length;
  // 4-8.
  let state = stateOverride || SCHEME_START;
  let buffer = '';
  let atSignSeen = false;
  let insideBrackets = false;
  let passwordTokenSeen = false;
  let pointer = 0;

  // 9. Run the state machine; after each run, stop at EOF or advance the pointer.
  for (;;) {
    const c = pointer < length ? StringPrototypeCharCodeAt(input, pointer) : EOF;
    switch (state) {
      case SCHEME_START:
        if (isASCIIAlpha(c)) {
          buffer += StringFromCharCode(c | 0x20);
          state = SCHEME;
        } else if (!stateOverride) {
          state = NO_SCHEME;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case SCHEME:
        if (isASCIIAlphanumeric(c) || c === 0x2b || c === 0x2d || c === 0x2e) {
          buffer += isASCIIAlpha(c) ? StringFromCharCode(c | 0x20) : input[pointer];
        } else if (c === 0x3a) {
          if (stateOverride) {
            // Special and non-special schemes do not change into each other; "file" needs no
            // credentials or port; a file URL with an empty host keeps its scheme.
            if (isSpecial(url) !== isSpecialScheme(buffer)) return url;
            if ((includesCredentials(url) || url.port !== null) && buffer === 'file') return url;
            if (url.scheme === 'file' && url.host === '') return url;
          }
          url.scheme = buffer;
          if (stateOverride) {
            if (url.port === defaultPort(url.scheme)) url.port = null;
            return url;
          }
          buffer = '';
          if (url.scheme === 'file') {
            state = FILE;
          } else if (isSpecial(url) && base !== null && base.scheme === url.scheme) {
            state = SPECIAL_RELATIVE_OR_AUTHORITY;
          } else if (isSpecial(url)) {
            state = SPECIAL_AUTHORITY_SLASHES;
          } else if (StringPrototypeCharCodeAt(input, pointer + 1) === 0x2f) {
            state = PATH_OR_AUTHORITY;
            pointer++;
          } else {
            url.path = '';
            state = OPAQUE_PATH;
          }
        } else if (!stateOverride) {
          // Not a scheme after all: start over in the no scheme state.
          buffer = '';
          state = NO_SCHEME;
          pointer = -1;
        } else {
          return FAILURE;
        }
        break;

      case NO_SCHEME:
        if (base === null || (hasOpaquePath(base) && c !== 0x23)) {
          return FAILURE;
        } else if (hasOpaquePath(base) && c === 0x23) {
          url.scheme = base.scheme;
          url.path = base.path;
          url.query = base.query;
          url.fragment = '';
          state = FRAGMENT;
        } else if (base.scheme !== 'file') {
          state = RELATIVE;
          pointer--;
        } else {
          state = FILE;
          pointer--;
        }
        break;

      case SPECIAL_RELATIVE_OR_AUTHORITY:
        if (c === 0x2f && StringPrototypeCharCodeAt(input, pointer + 1) === 0x2f) {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
          pointer++;
        } else {
          state = RELATIVE;
          pointer--;
        }
        break;

      case PATH_OR_AUTHORITY:
        if (c === 0x2f) {
          state = AUTHORITY;
        } else {
          state = PATH;
          pointer--;
        }
        break;

      case RELATIVE:
        url.scheme = base.scheme;
        if (c === 0x2f || (isSpecial(url) && c === 0x5c)) {
          state = RELATIVE_SLASH;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          url.path = ArrayPrototypeSlice(base.path);
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            shortenPath(url);
            state = PATH;
            pointer--;
          }
        }
        break;

      case RELATIVE_SLASH:
        if (isSpecial(url) && (c === 0x2f || c === 0x5c)) {
          state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
        } else if (c === 0x2f) {
          state = AUTHORITY;
        } else {
          url.username = base.username;
          url.password = base.password;
          url.host = base.host;
          url.port = base.port;
          state = PATH;
          pointer--;
        }
        break;

      case SPECIAL_AUTHORITY_SLASHES:
        state = SPECIAL_AUTHORITY_IGNORE_SLASHES;
        if (c === 0x2f && StringPrototypeCharCodeAt(input, pointer + 1) === 0x2f) {
          pointer++;
        } else {
          pointer--;
        }
        break;

      case SPECIAL_AUTHORITY_IGNORE_SLASHES:
        if (c !== 0x2f && c !== 0x5c) {
          state = AUTHORITY;
          pointer--;
        }
        break;

      case AUTHORITY:
        if (c === 0x40) {
          // Everything so far was credentials; a second "@" belongs to them too.
          if (atSignSeen) buffer = `%40${buffer}`;
          atSignSeen = true;
          // The first ":" (if no password started yet) separates username from password.
          if (passwordTokenSeen) {
            url.password += utf8PercentEncode(buffer, USERINFO_SET);
          } else {
            const colon = StringPrototypeIndexOf(buffer, ':');
            if (colon === -1) {
              url.username += utf8PercentEncode(buffer, USERINFO_SET);
            } else {
              passwordTokenSeen = true;
              const username = StringPrototypeSlice(buffer, 0, colon);
              const password = StringPrototypeSlice(buffer, colon + 1);
              url.username += utf8PercentEncode(username, USERINFO_SET);
              url.password += utf8PercentEncode(password, USERINFO_SET);
            }
          }
          buffer = '';
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 ||
                   (isSpecial(url) && c === 0x5c)) {
          if (atSignSeen && buffer === '') return FAILURE;
          pointer -= buffer.length + 1;
          buffer = '';
          state = HOST;
        } else {
          // Append c, and the code points up to the next one this state looks at, to buffer.
          const special = isSpecial(url);
          let end = pointer + 1;
          for (; end < length; end++) {
            const d = StringPrototypeCharCodeAt(input, end);
            if (d === 0x40 || d === 0x2f || d === 0x3f || d === 0x23 || (special && d === 0x5c)) {
              break;
            }
          }
          buffer += StringPrototypeSlice(input, pointer, end);
          pointer = end - 1;
        }
        break;

      case HOST:
      case HOSTNAME:
        if (stateOverride && url.scheme === 'file') {
          pointer--;
          state = FILE_HOST;
        } else if (c === 0x3a && !insideBrackets) {
          if (buffer === '') return FAILURE;
          if (stateOverride === HOSTNAME) return FAILURE;
          const host = parseHost(buffer, !isSpecial(url));
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = '';
          state = PORT;
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 ||
                   (isSpecial(url) && c === 0x5c)) {
          pointer--;
          if (isSpecial(url) && buffer === '') return FAILURE;
          if (stateOverride && buffer === '' && (includesCredentials(url) || url.port !== null)) {
            return FAILURE;
          }
          const host = parseHost(buffer, !isSpecial(url));
          if (host === FAILURE) return FAILURE;
          url.host = host;
          buffer = '';
          state = PATH_START;
          if (stateOverride) return url;
        } else {
          // Append c, and the code points up to the next one this state looks at, to buffer,
          // tracking whether they are inside brackets.
          const special = isSpecial(url);
          let end = pointer;
          for (; end < length; end++) {
            const d = StringPrototypeCharCodeAt(input, end);
            if (d === 0x5b) {
              insideBrackets = true;
            } else if (d === 0x5d) {
              insideBrackets = false;
            } else if ((d === 0x3a && !insideBrackets) || d === 0x2f || d === 0x3f || d === 0x23 ||
                       (special && d === 0x5c)) {
              if (end > pointer) break;
            }
          }
          buffer += StringPrototypeSlice(input, pointer, end);
          pointer = end - 1;
        }
        break;

      case PORT:
        if (isASCIIDigit(c)) {
          buffer += input[pointer];
        } else if (c === EOF || c === 0x2f || c === 0x3f || c === 0x23 ||
                   (isSpecial(url) && c === 0x5c) || stateOverride) {
          if (buffer !== '') {
            const port = NumberParseInt(buffer, 10);
            if (port > 65535) return FAILURE;
            url.port = port === defaultPort(url.scheme) ? null : port;
            buffer = '';
            if (stateOverride) return url;
          }
          if (stateOverride) return FAILURE;
          state = PATH_START;
          pointer--;
        } else {
          return FAILURE;
        }
        break;

      case FILE:
        url.scheme = 'file';
        url.host = '';
        if (c === 0x2f || c === 0x5c) {
          state = FILE_SLASH;
        } else if (base !== null && base.scheme === 'file') {
          url.host = base.host;
          url.path = ArrayPrototypeSlice(base.path);
          url.query = base.query;
          if (c === 0x3f) {
            url.query = '';
            state = QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = FRAGMENT;
          } else if (c !== EOF) {
            url.query = null;
            // A (platform-independent) Windows drive letter quirk.
            if (!startsWithWindowsDriveLetter(input, pointer)) shortenPath(url);
            else url.path = [];
            state = PATH;
            pointer--;
          }
        } else {
          state = PATH;
          pointer--;
        }
        break;

      case FILE_SLASH:
        if (c === 0x2f || c === 0x5c) {
          state = FILE_HOST;
        } else {
          if (base !== null && base.scheme === 'file') {
            url.host = base.host;
            // A (platform-independent) Windows drive letter quirk.
            if (!startsWithWindowsDriveLetter(input, pointer) && base.path.length > 0 &&
                isNormalizedWindowsDriveLetter(base.path[0])) {
              ArrayPrototypePush(url.path, base.path[0]);
            }
          }
          state = PATH;
          pointer--;
        }
        break;

      case FILE_HOST:
        if (c === EOF || c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) {
          pointer--;
          if (!stateOverride && isWindowsDriveLetter(buffer)) {
            // A Windows drive letter quirk: buffer is kept and becomes the first path segment.
            state = PATH;
          } else if (buffer === '') {
            url.host = '';
            if (stateOverride) return url;
            state = PATH_START;
          } else {
            let host = parseHost(buffer, !isSpecial(url));
            if (host === FAILURE) return FAILURE;
            if (host === 'localhost') host = '';
            url.host = host;
            if (stateOverride) return url;
            buffer = '';
            state = PATH_START;
          }
        } else {
          buffer += input[pointer];
        }
        break;

      case PATH_START:
        if (isSpecial(url)) {
          state = PATH;
          if (c !== 0x2f && c !== 0x5c) pointer--;
        } else if (!stateOverride && c === 0x3f) {
          url.query = '';
          state = QUERY;
        } else if (!stateOverride && c === 0x23) {
          url.fragment = '';
          state = FRAGMENT;
        } else if (c !== EOF) {
          state = PATH;
          if (c !== 0x2f) pointer--;
        } else if (stateOverride && url.host === null) {
          ArrayPrototypePush(url.path, '');
        }
        break;

      case PATH: {
        const special = isSpecial(url);
        if (c === EOF || c === 0x2f || (special && c === 0x5c) ||
            (!stateOverride && (c === 0x3f || c === 0x23))) {
          const slash = c === 0x2f || (special && c === 0x5c);
          if (isDoubleDotSegment(buffer)) {
            // ".." removes the last segment; "/usr/.." is "/", not an empty path.
            shortenPath(url);
            if (!slash) ArrayPrototypePush(url.path, '');
          } else if (isSingleDotSegment(buffer) && !slash) {
            ArrayPrototypePush(url.path, '');
          } else if (!isSingleDotSegment(buffer)) {
            // A Windows drive letter quirk: "C|" becomes "C:" as the first file path segment.
            if (url.scheme === 'file' && url.path.length === 0 && isWindowsDriveLetter(buffer)) {
              buffer = `${buffer[0]}:`;
            }
            ArrayPrototypePush(url.path, utf8PercentEncode(buffer, PATH_SET));
          }
          buffer = '';
          if (c === 0x3f) {
            url.query = '';
            state = QUERY;
          } else if (c === 0x23) {
            url.fragment = '';
            state = FRAGMENT;
          }
        } else {
          // Collect the rest of the segment; it is percent-encoded when the segment ends.
          let end = pointer + 1;
          for (; end < length; end++) {
            const d = StringPrototypeCharCodeAt(input, end);
            if (d === 0x2f || (special && d === 0x5c) ||
                (!stateOverride && (d === 0x3f || d === 0x23))) {
              break;
            }
          }
          buffer += StringPrototypeSlice(input, pointer, end);
          pointer = end - 1;
        }
        break;
      }

      case OPAQUE_PATH:
        if (c === 0x3f) {
          url.query = '';
          state = QUERY;
        } else if (c === 0x23) {
          url.fragment = '';
          state = FRAGMENT;
        } else if (c === 0x20) {
          // A space right before the query or fragment is encoded so the path cannot end in a
          // space once they are removed.
          const next = pointer + 1 < length ? StringPrototypeCharCodeAt(input, pointer + 1) : EOF;
          url.path += next === 0x3f || next === 0x23 ? '%20' : ' ';
        } else if (c !== EOF) {
          let end = pointer + 1;
          for (; end < length; end++) {
            const d = StringPrototypeCharCodeAt(input, end);
            if (d === 0x3f || d === 0x23 || d === 0x20) break;
          }
          url.path += utf8PercentEncode(StringPrototypeSlice(input, pointer, end), C0_CONTROL_SET);
          pointer = end - 1;
        }
        break;

      case QUERY:
        if ((!stateOverride && c === 0x23) || c === EOF) {
          url.query += utf8PercentEncode(buffer, isSpecial(url) ? SPECIAL_QUERY_SET : QUERY_SET);
          buffer = '';
          if (c === 0x23) {
            url.fragment = '';
            state = FRAGMENT;
          }
        } else {
          let end = stateOverride ? -1 : StringPrototypeIndexOf(input, '#', pointer);
          if (end === -1) end = length;
          buffer += StringPrototypeSlice(input, pointer, end);
          pointer = end - 1;
        }
        break;

      case FRAGMENT:
        if (c !== EOF) {
          url.fragment += utf8PercentEncode(StringPrototypeSlice(input, pointer), FRAGMENT_SET);
          pointer = length - 1;
        }
        break;
    }
    if (pointer >= length) break;
    pointer++;
  }
  // 10. Return url.
  return url;
}

// https://url.spec.whatwg.org/#api-url-parser: base (a string or undefined) is parsed first.
function apiURLParse(input, base) {
  let parsedBase = null;
  if (base !== undefined && base !== null) {
    parsedBase = basicURLParse(base);
    if (parsedBase === FAILURE) return FAILURE;
  }
  return basicURLParse(input, parsedBase);
}

// ---------------------------------------------------------------------------------------------
// Serializers (https://url.spec.whatwg.org/#url-serializing)

// https://url.spec.whatwg.org/#url-path-serializer
function serializePath(url) {
  if (typeof url.path === 'string') return url.path;
  let output = '';
  const path = url.path;
  for (let i = 0; i < path.length; i++) output += `/${path[i]}`;
  return output;
}

// https://url.spec.whatwg.org/#concept-url-serializer
function serializeURL(url, excludeFragment = false) {
  let output = `${url.scheme}:`;
  if (url.host !== null) {
    output += '//';
    if (url.username !== '' || url.password !== '') {
      output += url.username;
      if (url.password !== '') output += `:${url.password}`;
      output += '@';
    }
    output += url.host;
    if (url.port !== null) output += `:${url.port}`;
  }
  // "web+demo:/.//not-a-host/" must not serialize as "web+demo://not-a-host/".
  if (url.host === null && typeof url.path !== 'string' && url.path.length > 1 &&
      url.path[0] === '') {
    output += '/.';
  }
  output += serializePath(url);
  if (url.query !== null) output += `?${url.query}`;
  if (!excludeFragment && url.fragment !== null) output += `#${url.fragment}`;
  return output;
}

// https://url.spec.whatwg.org/#concept-url-origin serialized
// (https://html.spec.whatwg.org/multipage/browsers.html#ascii-serialisation-of-an-origin).
// Opaque origins serialize as "null". There are no blob URL entries here.
function serializeOrigin(url) {
  switch (url.scheme) {
    case 'blob': {
      const pathURL = basicURLParse(serializePath(url));
      if (pathURL !== FAILURE && (pathURL.scheme === 'http' || pathURL.scheme === 'https' ||
                                  pathURL.scheme === 'file')) {
        return serializeOrigin(pathURL);
      }
      return 'null';
    }
    case 'ftp':
    case 'http':
    case 'https':
    case 'ws':
    case 'wss':
      return `${url.scheme}://${url.host}${url.port === null ? '' : `:${url.port}`}`;
    default:
      return 'null';
  }
}

// ---------------------------------------------------------------------------------------------
// The URL class (https://url.spec.whatwg.org/#url-class)

// Set by 11_urlsearchparams.js.
let newSearchParamsForURL;
let setSearchParamsList;
// Set by the static block of URL, which can reach the private record.
let setRecordQuery;
let recordOf;

class URL {
  #url;
  // The query object, created on first use of `searchParams` (nothing can observe it before).
  #query = null;

  constructor(url, base = undefined) {
    requiredArguments(arguments.length, 1, "Failed to construct 'URL'");
    url = toUSVString(url);
    if (base !== undefined) base = toUSVString(base);
    const parsed = apiURLParse(url, base);
    if (parsed === FAILURE) throw new TypeError('Invalid URL string.');
    this.#url = parsed;
  }

  static parse(url, base = undefined) {
    requiredArguments(arguments.length, 1, "Failed to execute 'parse' on 'URL'");
    url = toUSVString(url);
    if (base !== undefined) base = toUSVString(base);
    const parsed = apiURLParse(url, base);
    if (parsed === FAILURE) return null;
    const result = new URL('about:blank');
    result.#url = parsed;
    return result;
  }

  static canParse(url, base = undefined) {
    requiredArguments(arguments.length, 1, "Failed to execute 'canParse' on 'URL'");
    url = toUSVString(url);
    if (base !== undefined) base = toUSVString(base);
    return apiURLParse(url, base) !== FAILURE;
  }

  // Cloudflare Workers do not implement blob URLs; workerd throws the same way.
  static createObjectURL(object) {
    throw new Error('URL.createObjectURL() is not implemented');
  }

  static revokeObjectURL(url) {
    throw new Error('URL.revokeObjectURL() is not implemented');
  }

  get href() {
    return serializeURL(this.#url);
  }

  set href(value) {
    void this.#url;  // The brand check comes before converting the value.
    value = toUSVString(value);
    const parsed = basicURLParse(value);
    if (parsed === FAILURE) {
      throw new TypeError("Failed to set the 'href' property on 'URL': the provided value is " +
                          "not of type 'valid URL string'.");
    }
    this.#url = parsed;
    if (this.#query !== null) setSearchParamsList(this.#query, parsed.query);
  }

  get origin() {
    return serializeOrigin(this.#url);
  }

  get protocol() {
    return `${this.#url.scheme}:`;
  }

  set protocol(value) {
    const url = this.#url;
    basicURLParse(`${toUSVString(value)}:`, null, url, SCHEME_START);
  }

  get username() {
    return this.#url.username;
  }

  set username(value) {
    const url = this.#url;
    value = toUSVString(value);
    if (cannotHaveUsernamePasswordPort(url)) return;
    url.username = utf8PercentEncode(value, USERINFO_SET);
  }

  get password() {
    return this.#url.password;
  }

  set password(value) {
    const url = this.#url;
    value = toUSVString(value);
    if (cannotHaveUsernamePasswordPort(url)) return;
    url.password = utf8PercentEncode(value, USERINFO_SET);
  }

  get host() {
    const url = this.#url;
    if (url.host === null) return '';
    if (url.port === null) return url.host;
    return `${url.host}:${url.port}`;
  }

  set host(value) {
    const url = this.#url;
    value = toUSVString(value);
    if (hasOpaquePath(url)) return;
    basicURLParse(value, null, url, HOST);
  }

  get hostname() {
    const host = this.#url.host;
    return host === null ? '' : host;
  }

  set hostname(value) {
    const url = this.#url;
    value = toUSVString(value);
    if (hasOpaquePath(url)) return;
    basicURLParse(value, null, url, HOSTNAME);
  }

  get port() {
    const port = this.#url.port;
    return port === null ? '' : `${port}`;
  }

  set port(value) {
    const url = this.#url;
    value = toUSVString(value);
    if (cannotHaveUsernamePasswordPort(url)) return;
    if (value === '') url.port = null;
    else basicURLParse(value, null, url, PORT);
  }

  get pathname() {
    return serializePath(this.#url);
  }

  set pathname(value) {
    const url = this.#url;
    value = toUSVString(value);
    if (hasOpaquePath(url)) return;
    url.path = [];
    basicURLParse(value, null, url, PATH_START);
  }

  get search() {
    const query = this.#url.query;
    return query === null || query === '' ? '' : `?${query}`;
  }

  set search(value) {
    const url = this.#url;
    value = toUSVString(value);
    if (value === '') {
      url.query = null;
      if (this.#query !== null) setSearchParamsList(this.#query, null);
      return;
    }
    const input = value[0] === '?' ? StringPrototypeSlice(value, 1) : value;
    url.query = '';
    basicURLParse(input, null, url, QUERY);
    if (this.#query !== null) setSearchParamsList(this.#query, input);
  }

  get searchParams() {
    const url = this.#url;
    if (this.#query === null) this.#query = newSearchParamsForURL(this, url.query);
    return this.#query;
  }

  get hash() {
    const fragment = this.#url.fragment;
    return fragment === null || fragment === '' ? '' : `#${fragment}`;
  }

  set hash(value) {
    const url = this.#url;
    value = toUSVString(value);
    if (value === '') {
      url.fragment = null;
      return;
    }
    const input = value[0] === '#' ? StringPrototypeSlice(value, 1) : value;
    url.fragment = '';
    basicURLParse(input, null, url, FRAGMENT);
  }

  toJSON() {
    return serializeURL(this.#url);
  }

  toString() {
    return serializeURL(this.#url);
  }

  static {
    setRecordQuery = (object, query) => {
      object.#url.query = query;
    };
    recordOf = (object) =>
      (typeof object === 'object' && object !== null && #url in object ? object.#url : null);
  }
}

configureInterface(URL);
{
  const statics = ['parse', 'canParse', 'createObjectURL', 'revokeObjectURL'];
  for (let i = 0; i < statics.length; i++) {
    ObjectDefineProperty(URL, statics[i], { enumerable: true });
  }
}

internals.defineGlobal('URL', URL);

internals.url = {
  __proto__: null,
  URLRecord,
  // The basic URL parser without state override: a new URLRecord, or null on failure. `input` is
  // a string (lone surrogates encode as U+FFFD); `base` a URLRecord or null.
  parse: (input, base = null) => basicURLParse(input, base),
  // The API URL parser: `base` is a string or undefined.
  parseWithBaseString: apiURLParse,
  // The basic URL parser with a URL and state override (see `states`), for URLPattern & co.
  basicParse: basicURLParse,
  states: { __proto__: null, SCHEME_START, HOST, HOSTNAME, PORT, PATH_START, QUERY, FRAGMENT },
  serialize: serializeURL,
  serializePath,
  serializeOrigin,
  clone: cloneRecord,
  isSpecial,
  isSpecialScheme,
  defaultPort,
  hasOpaquePath,
  parseHost,
  domainToASCII,
  // https://url.spec.whatwg.org/#concept-domain-to-unicode (for display, e.g. node:url).
  domainToUnicode: (domain) => opDomainToUnicode(domain),
  // The record behind a URL object (live: do not modify it), or null when `object` is not a URL.
  recordOf,
  toUSVString,
  utf8Encode,
  utf8DecodeWithoutBOM,
  utf8PercentEncode,
  percentDecodeBytes,
  percentDecodeString,
  encodeSets: {
    __proto__: null, C0_CONTROL_SET, FRAGMENT_SET, QUERY_SET, SPECIAL_QUERY_SET, PATH_SET,
    USERINFO_SET, COMPONENT_SET, FORM_URLENCODED_SET,
  },
  // The URLSearchParams "update" steps: set a URL object's query (a string or null).
  setRecordQuery,
  // Called once by 11_urlsearchparams.js with the query-object factory and list setter.
  connectSearchParams(create, setList) {
    newSearchParamsForURL = create;
    setSearchParamsList = setList;
  },
};
