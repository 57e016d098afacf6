// Legacy encodings for TextDecoder: the WHATWG single-byte tables, and the multi-byte encodings
// (gb18030/GBK, Big5, EUC-JP, ISO-2022-JP, Shift_JIS, EUC-KR) decoded through ICU converters.
// https://encoding.spec.whatwg.org/#legacy-single-byte-encodings
// https://encoding.spec.whatwg.org/#legacy-multi-byte-chinese-(simplified)-encodings (and after)
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace pactown::bindings::encoding {

// Bytes 0x80-0xFF of one single-byte encoding; 0xFFFD marks a byte without a code point.
using HighTable = std::array<uint16_t, 128>;

// The table for a WHATWG single-byte encoding name (windows-1252, iso-8859-2, ..., x-user-defined),
// or nullptr. Tables are built once per process; safe from any thread.
const HighTable* singleByteTable(std::string_view name);

// A streaming decoder for one legacy multi-byte encoding, backed by an ICU converter. ICU's error
// recovery decides how many bytes one U+FFFD replaces, which can differ from the WHATWG decoders
// in malformed input (workerd has the same behaviour).
// Passed to the ICU callback; lives in the decoder.
struct CallbackOptions {
  bool fatal = false;
  bool gb18030 = false;
};

class LegacyDecoder {
 public:
  // nullptr if `name` is not a supported multi-byte encoding name.
  static std::unique_ptr<LegacyDecoder> open(std::string_view name, bool fatal);
  ~LegacyDecoder();
  LegacyDecoder(const LegacyDecoder&) = delete;
  LegacyDecoder& operator=(const LegacyDecoder&) = delete;

  // Appends the decoded UTF-16 to `out`; false on a fatal error (the decoder is then reset).
  // `flush` ends the stream: pending bytes are an error, and the decoder starts over.
  bool decode(const uint8_t* data, size_t size, bool flush, std::vector<uint16_t>* out);

 private:
  explicit LegacyDecoder(void* converter) : converter_(converter) {}
  void* converter_;  // UConverter*
  CallbackOptions options_;
};

}  // namespace pactown::bindings::encoding
