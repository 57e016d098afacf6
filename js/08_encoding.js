// TextEncoder, TextDecoder, atob, btoa.
// https://encoding.spec.whatwg.org/#api
// https://html.spec.whatwg.org/multipage/webappapis.html#atob
// The byte work is done by bindings/encoding_ops.cc. Exposes `internals.encoding` (see the bottom
// of this file) and the globals TextEncoder, TextDecoder, atob, btoa. TextEncoderStream and
// TextDecoderStream live in 18_encoding_streams.js (they need streams).
'use strict';

const {
  ArrayBufferIsView, ArrayBufferPrototypeGetByteLength, FinalizationRegistry,
  FinalizationRegistryPrototypeRegister, FinalizationRegistryPrototypeUnregister, Int32Array,
  ObjectFreeze, RangeError,
  SafeMap, SharedArrayBufferPrototypeGetByteLength, StringPrototypeCharCodeAt,
  StringPrototypeSlice, StringPrototypeToLowerCase, TypeError, TypedArrayPrototypeFill,
  TypedArrayPrototypeGetSymbolToStringTag, Uint32Array,
} = primordials;
const { requiredArguments, toDOMString, toDictionary, configureInterface } = internals.webidl;
const DOMException = internals.DOMException;

// https://encoding.spec.whatwg.org/#names-and-labels: encoding name → labels.
const kEncodings = {
  'utf-8': ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8',
            'x-unicode20utf8'],
  'ibm866': ['866', 'cp866', 'csibm866', 'ibm866'],
  'iso-8859-2': ['csisolatin2', 'iso-8859-2', 'iso-ir-101', 'iso8859-2', 'iso88592', 'iso_8859-2',
                 'iso_8859-2:1987', 'l2', 'latin2'],
  'iso-8859-3': ['csisolatin3', 'iso-8859-3', 'iso-ir-109', 'iso8859-3', 'iso88593', 'iso_8859-3',
                 'iso_8859-3:1988', 'l3', 'latin3'],
  'iso-8859-4': ['csisolatin4', 'iso-8859-4', 'iso-ir-110', 'iso8859-4', 'iso88594', 'iso_8859-4',
                 'iso_8859-4:1988', 'l4', 'latin4'],
  'iso-8859-5': ['csisolatincyrillic', 'cyrillic', 'iso-8859-5', 'iso-ir-144', 'iso8859-5',
                 'iso88595', 'iso_8859-5', 'iso_8859-5:1988'],
  'iso-8859-6': ['arabic', 'asmo-708', 'csiso88596e', 'csiso88596i', 'csisolatinarabic',
                 'ecma-114', 'iso-8859-6', 'iso-8859-6-e', 'iso-8859-6-i', 'iso-ir-127',
                 'iso8859-6', 'iso88596', 'iso_8859-6', 'iso_8859-6:1987'],
  'iso-8859-7': ['csisolatingreek', 'ecma-118', 'elot_928', 'greek', 'greek8', 'iso-8859-7',
                 'iso-ir-126', 'iso8859-7', 'iso88597', 'iso_8859-7', 'iso_8859-7:1987',
                 'sun_eu_greek'],
  'iso-8859-8': ['csiso88598e', 'csisolatinhebrew', 'hebrew', 'iso-8859-8', 'iso-8859-8-e',
                 'iso-ir-138', 'iso8859-8', 'iso88598', 'iso_8859-8', 'iso_8859-8:1988', 'visual'],
  'iso-8859-8-i': ['csiso88598i', 'iso-8859-8-i', 'logical'],
  'iso-8859-10': ['csisolatin6', 'iso-8859-10', 'iso-ir-157', 'iso8859-10', 'iso885910', 'l6',
                  'latin6'],
  'iso-8859-13': ['iso-8859-13', 'iso8859-13', 'iso885913'],
  'iso-8859-14': ['iso-8859-14', 'iso8859-14', 'iso885914'],
  'iso-8859-15': ['csisolatin9', 'iso-8859-15', 'iso8859-15', 'iso885915', 'iso_8859-15', 'l9'],
  'iso-8859-16': ['iso-8859-16'],
  'koi8-r': ['cskoi8r', 'koi', 'koi8', 'koi8-r', 'koi8_r'],
  'koi8-u': ['koi8-ru', 'koi8-u'],
  'macintosh': ['csmacintosh', 'mac', 'macintosh', 'x-mac-roman'],
  'windows-874': ['dos-874', 'iso-8859-11', 'iso8859-11', 'iso885911', 'tis-620', 'windows-874'],
  'windows-1250': ['cp1250', 'windows-1250', 'x-cp1250'],
  'windows-1251': ['cp1251', 'windows-1251', 'x-cp1251'],
  'windows-1252': ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819',
                   'iso-8859-1', 'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1',
                   'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii', 'windows-1252', 'x-cp1252'],
  'windows-1253': ['cp1253', 'windows-1253', 'x-cp1253'],
  'windows-1254': ['cp1254', 'csisolatin5', 'iso-8859-9', 'iso-ir-148', 'iso8859-9', 'iso88599',
                   'iso_8859-9', 'iso_8859-9:1989', 'l5', 'latin5', 'windows-1254', 'x-cp1254'],
  'windows-1255': ['cp1255', 'windows-1255', 'x-cp1255'],
  'windows-1256': ['cp1256', 'windows-1256', 'x-cp1256'],
  'windows-1257': ['cp1257', 'windows-1257', 'x-cp1257'],
  'windows-1258': ['cp1258', 'windows-1258', 'x-cp1258'],
  'x-mac-cyrillic': ['x-mac-cyrillic', 'x-mac-ukrainian'],
  'gbk': ['chinese', 'csgb2312', 'csiso58gb231280', 'gb2312', 'gb_2312', 'gb_2312-80', 'gbk',
          'iso-ir-58', 'x-gbk'],
  'gb18030': ['gb18030'],
  'big5': ['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5'],
  'euc-jp': ['cseucpkdfmtjapanese', 'euc-jp', 'x-euc-jp'],
  'iso-2022-jp': ['csiso2022jp', 'iso-2022-jp'],
  'shift_jis': ['csshiftjis', 'ms932', 'ms_kanji', 'shift-jis', 'shift_jis', 'sjis', 'windows-31j',
                'x-sjis'],
  'euc-kr': ['cseuckr', 'csksc56011987', 'euc-kr', 'iso-ir-149', 'korean', 'ks_c_5601-1987',
             'ks_c_5601-1989', 'ksc5601', 'ksc_5601', 'windows-949'],
  'replacement': ['csiso2022kr', 'hz-gb-2312', 'iso-2022-cn', 'iso-2022-cn-ext', 'iso-2022-kr',
                  'replacement'],
  'utf-16be': ['unicodefffe', 'utf-16be'],
  'utf-16le': ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16',
               'utf-16le'],
  'x-user-defined': ['x-user-defined'],
};

const kLabelToEncoding = new SafeMap();
for (const name in kEncodings) {
  const labels = kEncodings[name];
  for (let i = 0; i < labels.length; i++) kLabelToEncoding.set(labels[i], name);
}

// How TextDecoder decodes each encoding (every name but 'replacement').
const kKindUtf8 = 0;
const kKindUtf16 = 1;
const kKindSingleByte = 2;
const kKindMultiByte = 3;  // legacy CJK encodings, through ICU (bindings/encoding_legacy.cc)
const kDecoderKind = new SafeMap();
kDecoderKind.set('utf-8', kKindUtf8);
kDecoderKind.set('utf-16le', kKindUtf16);
kDecoderKind.set('utf-16be', kKindUtf16);
for (const name of ['gbk', 'gb18030', 'big5', 'euc-jp', 'iso-2022-jp', 'shift_jis', 'euc-kr']) {
  kDecoderKind.set(name, kKindMultiByte);
}
for (const name in kEncodings) {
  if (!kDecoderKind.has(name) && name !== 'replacement') kDecoderKind.set(name, kKindSingleByte);
}

// Closes the native state of streaming multi-byte decoders dropped before their stream ended.
// Created on first use, not in the startup snapshot.
let decoderRegistry = null;
function registerDecoder(owner, id) {
  if (decoderRegistry === null) {
    decoderRegistry = new FinalizationRegistry((heldId) => ops.legacyDecoderClose(heldId));
  }
  FinalizationRegistryPrototypeRegister(decoderRegistry, owner, id, owner);
}
function unregisterDecoder(owner, id) {
  ops.legacyDecoderClose(id);
  if (decoderRegistry !== null) FinalizationRegistryPrototypeUnregister(decoderRegistry, owner);
}

// https://encoding.spec.whatwg.org/#concept-encoding-get: the encoding name, or undefined.
function getEncoding(label) {
  let start = 0;
  let end = label.length;
  while (start < end && isAsciiWhitespace(StringPrototypeCharCodeAt(label, start))) start++;
  while (end > start && isAsciiWhitespace(StringPrototypeCharCodeAt(label, end - 1))) end--;
  const trimmed = StringPrototypeSlice(label, start, end);
  // ASCII lowercase only: non-ASCII (e.g. U+212A KELVIN SIGN) must not fold into a label.
  for (let i = 0; i < trimmed.length; i++) {
    if (StringPrototypeCharCodeAt(trimmed, i) > 0x7f) return undefined;
  }
  return kLabelToEncoding.get(StringPrototypeToLowerCase(trimmed));
}

function isAsciiWhitespace(c) {
  return c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20;
}

// AllowSharedBufferSource: ArrayBuffer, SharedArrayBuffer or an ArrayBufferView.
function isAllowSharedBufferSource(v) {
  if (ArrayBufferIsView(v)) return true;
  return ops.isArrayBuffer(v) || ops.isSharedArrayBuffer(v);
}

function isUint8Array(v) {
  return TypedArrayPrototypeGetSymbolToStringTag(v) === 'Uint8Array';
}

const encodeIntoResult = new Uint32Array(2);
let isTextEncoder;
let isTextDecoder;

// https://encoding.spec.whatwg.org/#interface-textencoder
class TextEncoder {
  #brand = true;

  get encoding() {
    if (!isTextEncoder(this)) throw new TypeError('Illegal invocation');
    return 'utf-8';
  }

  // https://encoding.spec.whatwg.org/#dom-textencoder-encode (USVString: lone surrogates are
  // replaced by the op).
  encode(input = '') {
    if (!isTextEncoder(this)) throw new TypeError('Illegal invocation');
    return ops.utf8Encode(toDOMString(input));
  }

  // https://encoding.spec.whatwg.org/#dom-textencoder-encodeinto
  encodeInto(source, destination) {
    if (!isTextEncoder(this)) throw new TypeError('Illegal invocation');
    const prefix = "Failed to execute 'encodeInto' on 'TextEncoder'";
    requiredArguments(arguments.length, 2, prefix);
    const string = toDOMString(source);
    if (!isUint8Array(destination)) {
      throw new TypeError(`${prefix}: parameter 2 is not of type 'Uint8Array'.`);
    }
    ops.utf8EncodeInto(string, destination, encodeIntoResult);
    return { read: encodeIntoResult[0], written: encodeIntoResult[1] };
  }

  static {
    isTextEncoder = (value) => value !== null && typeof value === 'object' && #brand in value;
  }
}
configureInterface(TextEncoder);

// https://encoding.spec.whatwg.org/#interface-textdecoder
class TextDecoder {
  #encoding;
  #kind;
  #fatal;
  #ignoreBOM;
  #bomSeen = false;
  #doNotFlush = false;
  // The streaming decoder's partial sequence (see encoding_ops.cc), created on first stream use.
  #state = null;
  // A streaming multi-byte decoder's native id (0: none).
  #legacyId = 0;

  // https://encoding.spec.whatwg.org/#dom-textdecoder
  constructor(label = 'utf-8', options = undefined) {
    const labelString = toDOMString(label);
    const dict = toDictionary(options, "Failed to construct 'TextDecoder': parameter 2");
    const fatal = !!dict.fatal;
    const ignoreBOM = !!dict.ignoreBOM;
    // 1-2. Get an encoding; failure or replacement is a RangeError (workerd's message).
    const encoding = getEncoding(labelString);
    const kind = encoding === undefined ? undefined : kDecoderKind.get(encoding);
    if (kind === undefined) throw new RangeError(`"${labelString}" is not a valid encoding.`);
    this.#encoding = encoding;
    this.#kind = kind;
    this.#fatal = fatal;
    this.#ignoreBOM = ignoreBOM;
  }

  get encoding() {
    return brand(this).#encoding;
  }

  get fatal() {
    return brand(this).#fatal;
  }

  get ignoreBOM() {
    return brand(this).#ignoreBOM;
  }

  // https://encoding.spec.whatwg.org/#dom-textdecoder-decode
  decode(input = undefined, options = undefined) {
    const self = brand(this);
    if (input !== undefined && !isAllowSharedBufferSource(input)) {
      throw new TypeError("Failed to execute 'decode' on 'TextDecoder': parameter 1 is not of " +
                          "type 'ArrayBuffer or ArrayBufferView'.");
    }
    const stream = !!toDictionary(options, "Failed to execute 'decode' on 'TextDecoder'").stream;
    // 1. If do not flush is false, start over with a new decoder.
    if (!self.#doNotFlush) {
      if (self.#state !== null) TypedArrayPrototypeFill(self.#state, 0);
      self.#bomSeen = false;
    }
    // 2. Set do not flush to options.stream.
    self.#doNotFlush = stream;
    const bytes = input === undefined ? kEmpty : input;
    let state = self.#state;
    if (state === null && stream && self.#kind <= kKindUtf16) {
      state = self.#state = new Int32Array(4);
    }
    let result;
    switch (self.#kind) {
      case kKindUtf8:
        result = ops.utf8Decode(bytes, self.#fatal, !stream, state ?? undefined);
        break;
      case kKindUtf16:
        result = ops.utf16Decode(bytes, self.#encoding === 'utf-16be', self.#fatal, !stream,
                                 state ?? undefined);
        break;
      case kKindSingleByte:
        result = ops.singleByteDecode(self.#encoding, bytes, self.#fatal);
        return result === undefined ? throwDecodeError() : result;
      default:
        return self.#decodeMultiByte(bytes, stream);
    }
    if (result === undefined) throwDecodeError();
    // https://encoding.spec.whatwg.org/#concept-td-serialize: drop one leading BOM once.
    if (!self.#ignoreBOM && !self.#bomSeen && result.length > 0) {
      self.#bomSeen = true;
      if (StringPrototypeCharCodeAt(result, 0) === 0xfeff) result = StringPrototypeSlice(result, 1);
    }
    return result;
  }

  #decodeMultiByte(bytes, stream) {
    if (!stream && this.#legacyId === 0) {
      const result = ops.legacyDecode(this.#encoding, bytes, this.#fatal);
      return result === undefined ? throwDecodeError() : result;
    }
    if (this.#legacyId === 0) {
      this.#legacyId = ops.legacyDecoderOpen(this.#encoding, this.#fatal);
      registerDecoder(this, this.#legacyId);
    }
    const result = ops.legacyDecoderDecode(this.#legacyId, bytes, !stream);
    if (!stream || result === undefined) {
      unregisterDecoder(this, this.#legacyId);
      this.#legacyId = 0;
    }
    return result === undefined ? throwDecodeError() : result;
  }

  static {
    isTextDecoder = (value) => value !== null && typeof value === 'object' && #kind in value;
  }
}
configureInterface(TextDecoder);

const kEmpty = new Uint8Array(0);

function brand(value) {
  if (!isTextDecoder(value)) throw new TypeError('Illegal invocation');
  return value;
}

// workerd's message for a fatal decoding error.
function throwDecodeError() {
  throw new TypeError('Failed to decode input.');
}

// https://html.spec.whatwg.org/multipage/webappapis.html#dom-atob
function atob(data) {
  requiredArguments(arguments.length, 1,
                    "Failed to execute 'atob' on 'ServiceWorkerGlobalScope'");
  const result = ops.atob(toDOMString(data));
  if (result === undefined) {
    throw new DOMException(
      'atob() called with invalid base64-encoded data. (Only whitespace, \'+\', \'/\', ' +
      'alphanumeric ASCII, and up to two terminal \'=\' signs when the input data length is ' +
      'divisible by 4 are allowed.)', 'InvalidCharacterError');
  }
  return result;
}

// https://html.spec.whatwg.org/multipage/webappapis.html#dom-btoa
function btoa(data) {
  requiredArguments(arguments.length, 1,
                    "Failed to execute 'btoa' on 'ServiceWorkerGlobalScope'");
  const result = ops.btoa(toDOMString(data));
  if (result === undefined) {
    throw new DOMException(
      'btoa() can only operate on characters in the Latin1 (ISO/IEC 8859-1) range.',
      'InvalidCharacterError');
  }
  return result;
}

internals.encoding = {
  TextEncoder,
  TextDecoder,
  // The encoding name for a label (https://encoding.spec.whatwg.org/#concept-encoding-get), or
  // undefined ('replacement' is returned as a name).
  getEncoding,
  // string → Uint8Array (UTF-8, lone surrogates as U+FFFD).
  utf8Encode: (string) => ops.utf8Encode(string),
  // BufferSource → string. https://encoding.spec.whatwg.org/#utf-8-decode: one leading BOM is
  // dropped, errors become U+FFFD. `{ fatal: true }` returns undefined on malformed input.
  utf8Decode(bytes, { fatal = false, ignoreBOM = false } = {}) {
    const result = ops.utf8Decode(bytes, fatal, true);
    if (result === undefined || ignoreBOM || StringPrototypeCharCodeAt(result, 0) !== 0xfeff) {
      return result;
    }
    return StringPrototypeSlice(result, 1);
  },
  // BufferSource → string, one code unit per byte.
  latin1Decode: (bytes) => ops.latin1Decode(bytes),
  base64Encode: (bytes) => ops.base64Encode(bytes),
  // Forgiving-base64 decode: string → Uint8Array, or undefined if invalid.
  base64Decode: (string) => ops.base64Decode(string),
  isAllowSharedBufferSource,
  labels: ObjectFreeze(kEncodings),
};

internals.defineGlobals({ TextEncoder, TextDecoder, atob, btoa });
