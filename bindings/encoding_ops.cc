// Encoding ops: UTF-8 encode, UTF-8/UTF-16/single-byte decode, base64. Used by js/08_encoding.js.
// https://encoding.spec.whatwg.org/ · https://infra.spec.whatwg.org/#forgiving-base64
//
//   utf8Encode(string) -> Uint8Array                 lone surrogates become U+FFFD
//   utf8EncodeInto(string, Uint8Array, Uint32Array out) -> undefined; out[0] = code units read,
//                                                    out[1] = bytes written
//   utf8Decode(bytes, fatal?, flush?, state?) -> string | undefined (undefined: fatal error)
//   utf16Decode(bytes, bigEndian, fatal?, flush?, state?) -> string | undefined
//   singleByteDecode(encodingName, bytes, fatal) -> string | undefined
//   legacyDecode(encodingName, bytes, fatal) -> string | undefined      multi-byte (gbk, big5, ...)
//   legacyDecoderOpen(encodingName, fatal) -> id                         streaming multi-byte
//   legacyDecoderDecode(id, bytes, flush) -> string | undefined
//   legacyDecoderClose(id)
//   latin1Decode(bytes) -> string                    each byte one code unit (isomorphic decode)
//   base64Encode(bytes) -> string
//   base64Decode(string) -> Uint8Array | undefined   forgiving-base64 decode
//   atob(string) -> string | undefined               forgiving decode, bytes as Latin-1 code units
//   btoa(string) -> string | undefined               undefined if a code unit is above U+00FF
//
// `bytes` is an ArrayBuffer, SharedArrayBuffer or ArrayBufferView (anything else: TypeError).
// `state` is the caller's Int32Array(4) carrying a streaming decoder's partial sequence between
// calls; without it (or unless `flush` is false) the call decodes a whole input and flushes. A BOM
// is never stripped here: that is the caller's decision.
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "bindings/encoding_legacy.h"
#include "bindings/op.h"

namespace pactown::bindings {
namespace {

using Args = v8::FunctionCallbackInfo<v8::Value>;

void throwTypeError(v8::Isolate* isolate, const char* message) {
  isolate->ThrowException(
      v8::Exception::TypeError(v8::String::NewFromUtf8(isolate, message).ToLocalChecked()));
}

void throwRangeError(v8::Isolate* isolate, const char* message) {
  isolate->ThrowException(
      v8::Exception::RangeError(v8::String::NewFromUtf8(isolate, message).ToLocalChecked()));
}

// The bytes of a buffer source. On-heap typed arrays (small, no ArrayBuffer yet) are copied into
// `inlineCopy` rather than forcing V8 to materialize their buffer.
class Bytes {
 public:
  bool init(v8::Local<v8::Value> value) {
    if (value->IsArrayBufferView()) {
      v8::Local<v8::ArrayBufferView> view = value.As<v8::ArrayBufferView>();
      size_ = view->ByteLength();
      if (size_ == 0) return true;
      if (!view->HasBuffer() && size_ <= inlineCopy_.size()) {
        view->CopyContents(inlineCopy_.data(), size_);
        data_ = inlineCopy_.data();
      } else {
        data_ = static_cast<const uint8_t*>(view->Buffer()->Data()) + view->ByteOffset();
      }
      return true;
    }
    if (value->IsArrayBuffer()) {
      v8::Local<v8::ArrayBuffer> buffer = value.As<v8::ArrayBuffer>();
      size_ = buffer->ByteLength();
      data_ = static_cast<const uint8_t*>(buffer->Data());
      return true;
    }
    if (value->IsSharedArrayBuffer()) {
      v8::Local<v8::SharedArrayBuffer> buffer = value.As<v8::SharedArrayBuffer>();
      size_ = buffer->ByteLength();
      data_ = static_cast<const uint8_t*>(buffer->Data());
      return true;
    }
    return false;
  }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }

 private:
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  std::array<uint8_t, 128> inlineCopy_;
};

bool getBytes(const Args& args, int index, Bytes* bytes) {
  if (bytes->init(args[index])) return true;
  throwTypeError(args.GetIsolate(),
                 "The provided value is not of type '(ArrayBuffer or ArrayBufferView)'.");
  return false;
}

// A growable UTF-16 output buffer that starts on the stack.
class Utf16Out {
 public:
  explicit Utf16Out(size_t capacity) {
    if (capacity > stack_.size()) {
      heap_.resize(capacity);
      data_ = heap_.data();
    } else {
      data_ = stack_.data();
    }
  }
  void push(uint16_t unit) { data_[size_++] = unit; }
  void pushCodePoint(uint32_t cp) {
    if (cp < 0x10000) {
      data_[size_++] = static_cast<uint16_t>(cp);
    } else {
      cp -= 0x10000;
      data_[size_++] = static_cast<uint16_t>(0xD800 + (cp >> 10));
      data_[size_++] = static_cast<uint16_t>(0xDC00 + (cp & 0x3FF));
    }
  }
  // Sets the return value to the string, or throws RangeError if it is too long for V8.
  void returnString(const Args& args) {
    v8::Local<v8::String> result;
    if (size_ > static_cast<size_t>(v8::String::kMaxLength) ||
        !v8::String::NewFromTwoByte(args.GetIsolate(), data_, v8::NewStringType::kNormal,
                                    static_cast<int>(size_))
             .ToLocal(&result)) {
      return throwRangeError(args.GetIsolate(), "Invalid string length");
    }
    args.GetReturnValue().Set(result);
  }

 private:
  std::array<uint16_t, 512> stack_;
  std::vector<uint16_t> heap_;
  uint16_t* data_;
  size_t size_ = 0;
};

void returnOneByte(const Args& args, const uint8_t* data, size_t size) {
  v8::Local<v8::String> result;
  if (size > static_cast<size_t>(v8::String::kMaxLength) ||
      !v8::String::NewFromOneByte(args.GetIsolate(), data, v8::NewStringType::kNormal,
                                  static_cast<int>(size))
           .ToLocal(&result)) {
    return throwRangeError(args.GetIsolate(), "Invalid string length");
  }
  args.GetReturnValue().Set(result);
}

bool isAscii(const uint8_t* data, size_t size) {
  size_t i = 0;
  for (; i + 8 <= size; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    if (word & 0x8080808080808080ull) return false;
  }
  for (; i < size; i++) {
    if (data[i] & 0x80) return false;
  }
  return true;
}

// A decoder's state, in the caller's Int32Array(4) when streaming.
class StreamState {
 public:
  explicit StreamState(v8::Local<v8::Value> value) {
    if (value->IsInt32Array()) {
      v8::Local<v8::Int32Array> array = value.As<v8::Int32Array>();
      if (array->Length() >= 4) {
        slots_ = reinterpret_cast<int32_t*>(static_cast<uint8_t*>(array->Buffer()->Data()) +
                                            array->ByteOffset());
      }
    }
    if (slots_ == nullptr) slots_ = local_.data();
  }
  int32_t& operator[](int i) { return slots_[i]; }
  // False when the caller passed no state array: the call must flush.
  bool streaming() const { return slots_ != local_.data(); }

 private:
  std::array<int32_t, 4> local_{};
  int32_t* slots_ = nullptr;
};

// --- UTF-8 ---------------------------------------------------------------------------------------

void Utf8Encode(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::String> str;
  if (!args[0]->ToString(isolate->GetCurrentContext()).ToLocal(&str)) return;
  size_t length = static_cast<size_t>(str->Utf8Length(isolate));
  std::unique_ptr<v8::BackingStore> store;
  if (length == 0) {
    store = v8::ArrayBuffer::NewBackingStore(isolate, 0);
  } else {
    void* memory = std::malloc(length);
    if (memory == nullptr) return throwRangeError(isolate, "Array buffer allocation failed");
    str->WriteUtf8(isolate, static_cast<char*>(memory), static_cast<int>(length), nullptr,
                   v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
    store = v8::ArrayBuffer::NewBackingStore(
        memory, length, [](void* data, size_t, void*) { std::free(data); }, nullptr);
  }
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  args.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, length));
}

void Utf8EncodeInto(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  if (!args[0]->IsString() || !args[1]->IsUint8Array() || !args[2]->IsUint32Array()) {
    return throwTypeError(isolate, "utf8EncodeInto(string, Uint8Array, Uint32Array)");
  }
  v8::Local<v8::String> str = args[0].As<v8::String>();
  v8::Local<v8::Uint8Array> dest = args[1].As<v8::Uint8Array>();
  v8::Local<v8::Uint32Array> out = args[2].As<v8::Uint32Array>();
  size_t capacity = dest->ByteLength();
  int read = 0;
  int written = 0;
  if (capacity > 0 && str->Length() > 0) {
    char* data = static_cast<char*>(dest->Buffer()->Data()) + dest->ByteOffset();
    int limit = capacity > static_cast<size_t>(INT32_MAX) ? INT32_MAX : static_cast<int>(capacity);
    written = str->WriteUtf8(isolate, data, limit, &read,
                             v8::String::NO_NULL_TERMINATION | v8::String::REPLACE_INVALID_UTF8);
  }
  uint32_t* result =
      reinterpret_cast<uint32_t*>(static_cast<uint8_t*>(out->Buffer()->Data()) + out->ByteOffset());
  result[0] = static_cast<uint32_t>(read);
  result[1] = static_cast<uint32_t>(written);
}

// https://encoding.spec.whatwg.org/#utf-8-decoder
// State slots: 0 code point, 1 bytes needed, 2 bytes seen, 3 lower boundary | upper << 8.
void Utf8Decode(const Args& args) {
  Bytes bytes;
  if (!getBytes(args, 0, &bytes)) return;
  bool fatal = args[1]->IsTrue();
  StreamState state(args[3]);
  bool flush = !args[2]->IsFalse() || !state.streaming();
  uint32_t codePoint = static_cast<uint32_t>(state[0]);
  int needed = state[1];
  int seen = state[2];
  int lower = state[3] == 0 ? 0x80 : (state[3] & 0xFF);
  int upper = state[3] == 0 ? 0xBF : (state[3] >> 8);
  const uint8_t* in = bytes.data();
  size_t size = bytes.size();

  if (needed == 0 && isAscii(in, size)) {
    return returnOneByte(args, in, size);
  }
  Utf16Out out(size + 4);
  for (size_t i = 0; i < size;) {
    uint8_t byte = in[i];
    if (needed == 0) {
      i++;
      if (byte < 0x80) {
        out.push(byte);
      } else if (byte >= 0xC2 && byte <= 0xDF) {
        needed = 1;
        codePoint = byte & 0x1F;
      } else if (byte >= 0xE0 && byte <= 0xEF) {
        if (byte == 0xE0) lower = 0xA0;
        if (byte == 0xED) upper = 0x9F;
        needed = 2;
        codePoint = byte & 0xF;
      } else if (byte >= 0xF0 && byte <= 0xF4) {
        if (byte == 0xF0) lower = 0x90;
        if (byte == 0xF4) upper = 0x8F;
        needed = 3;
        codePoint = byte & 0x7;
      } else {
        if (fatal) return;
        out.push(0xFFFD);
      }
      continue;
    }
    if (byte < lower || byte > upper) {
      // The byte is not consumed: it starts the next sequence.
      codePoint = 0;
      needed = 0;
      seen = 0;
      lower = 0x80;
      upper = 0xBF;
      if (fatal) return;
      out.push(0xFFFD);
      continue;
    }
    i++;
    lower = 0x80;
    upper = 0xBF;
    codePoint = (codePoint << 6) | (byte & 0x3F);
    if (++seen == needed) {
      out.pushCodePoint(codePoint);
      codePoint = 0;
      needed = 0;
      seen = 0;
    }
  }
  if (flush && needed != 0) {
    codePoint = 0;
    needed = 0;
    seen = 0;
    lower = 0x80;
    upper = 0xBF;
    if (fatal) {
      state[0] = state[1] = state[2] = state[3] = 0;
      return;
    }
    out.push(0xFFFD);
  }
  state[0] = static_cast<int32_t>(codePoint);
  state[1] = needed;
  state[2] = seen;
  state[3] = needed == 0 ? 0 : (lower | (upper << 8));
  out.returnString(args);
}

// --- UTF-16 --------------------------------------------------------------------------------------

// https://encoding.spec.whatwg.org/#shared-utf-16-decoder
// State slots: 0 lead byte + 1 (0: none), 1 lead surrogate (0: none).
void Utf16Decode(const Args& args) {
  Bytes bytes;
  if (!getBytes(args, 0, &bytes)) return;
  bool bigEndian = args[1]->IsTrue();
  bool fatal = args[2]->IsTrue();
  StreamState state(args[4]);
  bool flush = !args[3]->IsFalse() || !state.streaming();
  int leadByte = state[0] - 1;
  int leadSurrogate = state[1];
  const uint8_t* in = bytes.data();
  size_t size = bytes.size();
  Utf16Out out(size / 2 + 4);
  for (size_t i = 0; i < size; i++) {
    if (leadByte < 0) {
      leadByte = in[i];
      continue;
    }
    uint16_t unit = bigEndian ? static_cast<uint16_t>((leadByte << 8) | in[i])
                              : static_cast<uint16_t>((in[i] << 8) | leadByte);
    leadByte = -1;
    if (leadSurrogate != 0) {
      uint16_t lead = static_cast<uint16_t>(leadSurrogate);
      leadSurrogate = 0;
      if (unit >= 0xDC00 && unit <= 0xDFFF) {
        out.push(lead);
        out.push(unit);
        continue;
      }
      // The unit is not consumed by the pair: the lead surrogate alone is an error.
      if (fatal) return;
      out.push(0xFFFD);
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      leadSurrogate = unit;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      if (fatal) return;
      out.push(0xFFFD);
    } else {
      out.push(unit);
    }
  }
  if (flush && (leadByte >= 0 || leadSurrogate != 0)) {
    leadByte = -1;
    leadSurrogate = 0;
    if (fatal) {
      state[0] = state[1] = 0;
      return;
    }
    out.push(0xFFFD);
  }
  state[0] = leadByte + 1;
  state[1] = leadSurrogate;
  out.returnString(args);
}

// --- Single-byte and legacy multi-byte encodings ------------------------------------------------

// https://encoding.spec.whatwg.org/#single-byte-decoder
void SingleByteDecode(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::String::Utf8Value name(isolate, args[0]);
  const encoding::HighTable* table = encoding::singleByteTable(*name ? *name : "");
  if (table == nullptr) return throwRangeError(isolate, "Unsupported encoding");
  Bytes bytes;
  if (!getBytes(args, 1, &bytes)) return;
  bool fatal = args[2]->IsTrue();
  const uint8_t* in = bytes.data();
  size_t size = bytes.size();
  if (isAscii(in, size)) return returnOneByte(args, in, size);
  Utf16Out out(size);
  for (size_t i = 0; i < size; i++) {
    uint8_t byte = in[i];
    if (byte < 0x80) {
      out.push(byte);
      continue;
    }
    uint16_t cp = (*table)[byte - 0x80];
    if (cp == 0xFFFD && fatal) return;
    out.push(cp);
  }
  out.returnString(args);
}

// Streaming multi-byte decoders by id, per thread (each thread runs one isolate). JS closes them
// when a stream ends, and through a FinalizationRegistry when a decoder is dropped mid-stream.
thread_local std::unordered_map<int32_t, std::unique_ptr<encoding::LegacyDecoder>> tDecoders;
thread_local int32_t tNextDecoderId = 1;

void returnUtf16(const Args& args, const std::vector<uint16_t>& units) {
  v8::Local<v8::String> result;
  if (units.size() > static_cast<size_t>(v8::String::kMaxLength) ||
      !v8::String::NewFromTwoByte(args.GetIsolate(), units.data(), v8::NewStringType::kNormal,
                                  static_cast<int>(units.size()))
           .ToLocal(&result)) {
    return throwRangeError(args.GetIsolate(), "Invalid string length");
  }
  args.GetReturnValue().Set(result);
}

// legacyDecode(name, bytes, fatal) -> string | undefined: one whole input.
void LegacyDecode(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::String::Utf8Value name(isolate, args[0]);
  auto decoder = encoding::LegacyDecoder::open(*name ? *name : "", args[2]->IsTrue());
  if (!decoder) return throwRangeError(isolate, "Unsupported encoding");
  Bytes bytes;
  if (!getBytes(args, 1, &bytes)) return;
  std::vector<uint16_t> out;
  if (!decoder->decode(bytes.data(), bytes.size(), true, &out)) return;
  returnUtf16(args, out);
}

// legacyDecoderOpen(name, fatal) -> id
void LegacyDecoderOpen(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::String::Utf8Value name(isolate, args[0]);
  auto decoder = encoding::LegacyDecoder::open(*name ? *name : "", args[1]->IsTrue());
  if (!decoder) return throwRangeError(isolate, "Unsupported encoding");
  int32_t id = tNextDecoderId++;
  tDecoders.emplace(id, std::move(decoder));
  args.GetReturnValue().Set(id);
}

// legacyDecoderDecode(id, bytes, flush) -> string | undefined (undefined: fatal error)
void LegacyDecoderDecode(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  auto it = tDecoders.find(args[0]->Int32Value(isolate->GetCurrentContext()).FromMaybe(0));
  if (it == tDecoders.end()) return throwTypeError(isolate, "Unknown decoder");
  Bytes bytes;
  if (!getBytes(args, 1, &bytes)) return;
  std::vector<uint16_t> out;
  if (!it->second->decode(bytes.data(), bytes.size(), args[2]->IsTrue(), &out)) return;
  returnUtf16(args, out);
}

// legacyDecoderClose(id): unknown ids are ignored.
void LegacyDecoderClose(const Args& args) {
  tDecoders.erase(args[0]->Int32Value(args.GetIsolate()->GetCurrentContext()).FromMaybe(0));
}

void Latin1Decode(const Args& args) {
  Bytes bytes;
  if (!getBytes(args, 0, &bytes)) return;
  returnOneByte(args, bytes.data(), bytes.size());
}

// --- Base64 --------------------------------------------------------------------------------------

constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64Encode(const uint8_t* in, size_t size) {
  std::string out;
  out.resize((size + 2) / 3 * 4);
  char* o = out.data();
  size_t i = 0;
  for (; i + 3 <= size; i += 3) {
    uint32_t n = (in[i] << 16) | (in[i + 1] << 8) | in[i + 2];
    *o++ = kBase64Alphabet[n >> 18];
    *o++ = kBase64Alphabet[(n >> 12) & 63];
    *o++ = kBase64Alphabet[(n >> 6) & 63];
    *o++ = kBase64Alphabet[n & 63];
  }
  if (size - i == 1) {
    uint32_t n = in[i] << 16;
    *o++ = kBase64Alphabet[n >> 18];
    *o++ = kBase64Alphabet[(n >> 12) & 63];
    *o++ = '=';
    *o++ = '=';
  } else if (size - i == 2) {
    uint32_t n = (in[i] << 16) | (in[i + 1] << 8);
    *o++ = kBase64Alphabet[n >> 18];
    *o++ = kBase64Alphabet[(n >> 12) & 63];
    *o++ = kBase64Alphabet[(n >> 6) & 63];
    *o++ = '=';
  }
  return out;
}

int base64Value(uint16_t c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool isAsciiWhitespace(uint16_t c) {
  return c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20;
}

// https://infra.spec.whatwg.org/#forgiving-base64-decode. Returns false on failure.
template <typename Char>
bool forgivingBase64Decode(const Char* in, size_t size, std::vector<uint8_t>* out) {
  // 1. Remove all ASCII whitespace (counted, not copied).
  size_t length = 0;
  size_t last = 0;
  size_t beforeLast = 0;
  for (size_t i = 0; i < size; i++) {
    if (isAsciiWhitespace(in[i])) continue;
    length++;
    beforeLast = last;
    last = i;
  }
  // 2. If length % 4 == 0, drop one or two trailing '='.
  size_t padding = 0;
  if (length % 4 == 0 && length > 0 && in[last] == '=') {
    padding = 1;
    if (length >= 2 && in[beforeLast] == '=') padding = 2;
  }
  size_t dataLength = length - padding;
  // 3. If length % 4 == 1, failure.
  if (dataLength % 4 == 1) return false;
  out->clear();
  out->reserve(dataLength / 4 * 3 + 2);
  uint32_t buffer = 0;
  int bits = 0;
  size_t taken = 0;
  for (size_t i = 0; i < size && taken < dataLength; i++) {
    if (isAsciiWhitespace(in[i])) continue;
    taken++;
    // 4. A code point outside the base64 alphabet is a failure.
    int v = base64Value(static_cast<uint16_t>(in[i]));
    if (v < 0) return false;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out->push_back(static_cast<uint8_t>(buffer >> bits));
      buffer &= (1u << bits) - 1;
    }
  }
  return true;
}

// Decodes a JS string; false if it is not valid forgiving-base64.
bool decodeStringArg(v8::Isolate* isolate, v8::Local<v8::Value> value, std::vector<uint8_t>* out) {
  v8::Local<v8::String> str;
  if (!value->ToString(isolate->GetCurrentContext()).ToLocal(&str)) return false;
  int length = str->Length();
  if (str->IsOneByte()) {
    std::vector<uint8_t> chars(static_cast<size_t>(length));
    str->WriteOneByte(isolate, chars.data(), 0, length, v8::String::NO_NULL_TERMINATION);
    return forgivingBase64Decode(chars.data(), chars.size(), out);
  }
  std::vector<uint16_t> chars(static_cast<size_t>(length));
  str->Write(isolate, chars.data(), 0, length, v8::String::NO_NULL_TERMINATION);
  return forgivingBase64Decode(chars.data(), chars.size(), out);
}

void Base64Encode(const Args& args) {
  Bytes bytes;
  if (!getBytes(args, 0, &bytes)) return;
  std::string encoded = base64Encode(bytes.data(), bytes.size());
  returnOneByte(args, reinterpret_cast<const uint8_t*>(encoded.data()), encoded.size());
}

void Base64Decode(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::vector<uint8_t> decoded;
  if (!decodeStringArg(isolate, args[0], &decoded)) return;
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, decoded.size());
  if (!decoded.empty()) std::memcpy(buffer->Data(), decoded.data(), decoded.size());
  args.GetReturnValue().Set(v8::Uint8Array::New(buffer, 0, decoded.size()));
}

// https://html.spec.whatwg.org/multipage/webappapis.html#dom-atob (steps 1-2 and 4).
void Atob(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  std::vector<uint8_t> decoded;
  if (!decodeStringArg(isolate, args[0], &decoded)) return;
  returnOneByte(args, decoded.data(), decoded.size());
}

// https://html.spec.whatwg.org/multipage/webappapis.html#dom-btoa
void Btoa(const Args& args) {
  v8::Isolate* isolate = args.GetIsolate();
  v8::Local<v8::String> str;
  if (!args[0]->ToString(isolate->GetCurrentContext()).ToLocal(&str)) return;
  if (!str->ContainsOnlyOneByte()) return;  // undefined: the caller throws InvalidCharacterError
  int length = str->Length();
  std::vector<uint8_t> chars(static_cast<size_t>(length));
  str->WriteOneByte(isolate, chars.data(), 0, length, v8::String::NO_NULL_TERMINATION);
  std::string encoded = base64Encode(chars.data(), chars.size());
  returnOneByte(args, reinterpret_cast<const uint8_t*>(encoded.data()), encoded.size());
}

}  // namespace
}  // namespace pactown::bindings

PT_OP_TABLE(encoding, {"utf8Encode", Utf8Encode}, {"utf8EncodeInto", Utf8EncodeInto},
            {"utf8Decode", Utf8Decode}, {"utf16Decode", Utf16Decode},
            {"singleByteDecode", SingleByteDecode}, {"legacyDecode", LegacyDecode},
            {"legacyDecoderOpen", LegacyDecoderOpen}, {"legacyDecoderDecode", LegacyDecoderDecode},
            {"legacyDecoderClose", LegacyDecoderClose}, {"latin1Decode", Latin1Decode},
            {"base64Encode", Base64Encode}, {"base64Decode", Base64Decode}, {"atob", Atob},
            {"btoa", Btoa});
