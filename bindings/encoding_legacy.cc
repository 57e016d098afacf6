// Legacy encodings for TextDecoder: see encoding_legacy.h.
#include "bindings/encoding_legacy.h"

#include <unicode/ucnv.h>
#include <unicode/ucnv_cb.h>
#include <unicode/ucnv_err.h>

#include <cstring>
#include <string>
#include <unordered_map>

namespace pactown::bindings::encoding {
namespace {

// ISO-8859-16 (absent from Debian's ICU data): Latin-1 except these {byte, code point} pairs, from
// the ISO/IEC 8859-16 mapping (https://encoding.spec.whatwg.org/index-iso-8859-16.txt).
constexpr uint16_t kIso8859_16[][2] = {
    {0xA1, 0x0104}, {0xA2, 0x0105}, {0xA3, 0x0141}, {0xA4, 0x20AC}, {0xA5, 0x201E}, {0xA6, 0x0160},
    {0xA8, 0x0161}, {0xAA, 0x0218}, {0xAC, 0x0179}, {0xAE, 0x017A}, {0xAF, 0x017B}, {0xB2, 0x010C},
    {0xB3, 0x0142}, {0xB4, 0x017D}, {0xB5, 0x201D}, {0xB8, 0x017E}, {0xB9, 0x010D}, {0xBA, 0x0219},
    {0xBC, 0x0152}, {0xBD, 0x0153}, {0xBE, 0x0178}, {0xBF, 0x017C}, {0xC3, 0x0102}, {0xC5, 0x0106},
    {0xD0, 0x0110}, {0xD1, 0x0143}, {0xD5, 0x0150}, {0xD7, 0x015A}, {0xD8, 0x0170}, {0xDD, 0x0118},
    {0xDE, 0x021A}, {0xE3, 0x0103}, {0xE5, 0x0107}, {0xF0, 0x0111}, {0xF1, 0x0144}, {0xF5, 0x0151},
    {0xF7, 0x015B}, {0xF8, 0x0171}, {0xFD, 0x0119}, {0xFE, 0x021B}};

// https://encoding.spec.whatwg.org/index-windows-1252.txt, 0x80-0x9F (0xA0-0xFF are Latin-1).
constexpr uint16_t kWindows1252C1[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

struct SingleByteSpec {
  const char* name;     // WHATWG encoding name (lowercase)
  const char* icuName;  // ICU converter
  bool c1Fallback;      // bytes 0x80-0x9F ICU leaves unmapped decode to U+0080-U+009F
};

// The WHATWG single-byte encodings decoded through ICU tables. windows-1252 and x-user-defined are
// computed directly.
constexpr SingleByteSpec kIcuSingleByte[] = {
    {"ibm866", "ibm-866_P100-1995", false},        {"iso-8859-2", "ibm-912_P100-1995", false},
    {"iso-8859-3", "ibm-913_P100-2000", false},    {"iso-8859-4", "ibm-914_P100-1995", false},
    {"iso-8859-5", "ibm-915_P100-1995", false},    {"iso-8859-6", "ibm-1089_P100-1995", false},
    {"iso-8859-7", "ibm-9005_X110-2007", false},   {"iso-8859-8", "ibm-5012_P100-1999", false},
    {"iso-8859-8-i", "ibm-5012_P100-1999", false}, {"iso-8859-10", "iso-8859_10-1998", false},
    {"iso-8859-13", "ibm-921_P100-1995", false},   {"iso-8859-14", "iso-8859_14-1998", false},
    {"iso-8859-15", "ibm-923_P100-1998", false},   {"koi8-r", "ibm-878_P100-1996", false},
    {"koi8-u", "ibm-1168_P100-2002", false},       {"macintosh", "macos-0_2-10.2", false},
    {"windows-874", "windows-874-2000", true},     {"windows-1250", "ibm-5346_P100-1998", true},
    {"windows-1251", "ibm-5347_P100-1998", true},  {"windows-1253", "ibm-5349_P100-1998", true},
    {"windows-1254", "ibm-5350_P100-1998", true},  {"windows-1255", "ibm-9447_P100-2002", true},
    {"windows-1256", "ibm-9448_X100-2005", true},  {"windows-1257", "ibm-9449_P100-2002", true},
    {"windows-1258", "ibm-5354_P100-1998", true},  {"x-mac-cyrillic", "macos-7_3-10.2", false},
};

// Where the WHATWG index differs from ICU's table: {encoding, byte, code point}.
struct TableFix {
  const char* name;
  uint8_t byte;
  uint16_t codePoint;
};
constexpr TableFix kTableFixes[] = {
    // Bytes ICU maps that the WHATWG index leaves unmapped, and the reverse.
    {"windows-1253", 0xAA, 0xFFFD},
    {"windows-1255", 0xCA, 0x05BA},
    {"macintosh", 0xF0, 0xF8FF},  // the Apple logo, a private-use code point
    // index-koi8-u is KOI8-RU for these two bytes.
    {"koi8-u", 0xAE, 0x045E},
    {"koi8-u", 0xBE, 0x040E},
    // index-x-mac-cyrillic: the euro sign (Mac OS 9) rather than the generic currency sign.
    {"x-mac-cyrillic", 0xFF, 0x20AC},
};

bool buildIcuTable(const SingleByteSpec& spec, HighTable* table) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* conv = ucnv_open(spec.icuName, &status);
  if (U_FAILURE(status)) return false;
  ucnv_setToUCallBack(conv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  for (int b = 0x80; b <= 0xFF; b++) {
    char in = static_cast<char>(b);
    UChar out[4];
    status = U_ZERO_ERROR;
    ucnv_reset(conv);
    int32_t n = ucnv_toUChars(conv, out, 4, &in, 1, &status);
    uint16_t cp = 0xFFFD;
    // ICU's substitution characters and private-use mappings mean "no code point" here.
    if (U_SUCCESS(status) && n == 1 && out[0] != 0xFFFD && out[0] != 0x1A &&
        !(out[0] >= 0xE000 && out[0] <= 0xF8FF)) {
      cp = out[0];
    }
    if (cp == 0xFFFD && spec.c1Fallback && b <= 0x9F) cp = static_cast<uint16_t>(b);
    (*table)[b - 0x80] = cp;
  }
  ucnv_close(conv);
  for (const TableFix& fix : kTableFixes) {
    if (std::strcmp(fix.name, spec.name) == 0) (*table)[fix.byte - 0x80] = fix.codePoint;
  }
  return true;
}

// Tables for every supported single-byte encoding, built once per process (thread-safe).
const std::unordered_map<std::string, HighTable>& allSingleByteTables() {
  static const std::unordered_map<std::string, HighTable> tables = [] {
    std::unordered_map<std::string, HighTable> t;
    HighTable table;
    for (int b = 0x80; b <= 0xFF; b++) {
      table[b - 0x80] = b < 0xA0 ? kWindows1252C1[b - 0x80] : static_cast<uint16_t>(b);
    }
    t.emplace("windows-1252", table);
    for (int b = 0x80; b <= 0xFF; b++) table[b - 0x80] = static_cast<uint16_t>(0xF780 + b - 0x80);
    t.emplace("x-user-defined", table);
    for (int b = 0x80; b <= 0xFF; b++) table[b - 0x80] = static_cast<uint16_t>(b);
    for (const auto& pair : kIso8859_16) table[pair[0] - 0x80] = pair[1];
    t.emplace("iso-8859-16", table);
    for (const SingleByteSpec& spec : kIcuSingleByte) {
      if (buildIcuTable(spec, &table)) t.emplace(spec.name, table);
    }
    return t;
  }();
  return tables;
}

// WHATWG multi-byte encoding name → ICU converter. GBK decodes as gb18030, as the spec's GBK
// decoder is the gb18030 decoder.
constexpr std::pair<const char*, const char*> kIcuMultiByte[] = {
    {"gbk", "gb18030"},
    {"gb18030", "gb18030"},
    {"big5", "ibm-1375_P100-2008"},
    {"euc-jp", "ibm-33722_P12A_P12A-2009_U2"},
    {"iso-2022-jp", "ISO_2022,locale=ja,version=0"},
    {"shift_jis", "ibm-943_P15A-2003"},
    {"euc-kr", "windows-949-2000"},
};

// Replaces malformed input with U+FFFD (ICU's default substitution is U+001A for some converters)
// or, in fatal mode, leaves the error to stop the conversion. gb18030's decoder maps the lone byte
// 0x80 to U+20AC where ICU reports an error.
void toUnicodeCallback(const void* context, UConverterToUnicodeArgs* args, const char* codeUnits,
                       int32_t length, UConverterCallbackReason reason, UErrorCode* err) {
  if (reason > UCNV_IRREGULAR) return;  // reset, close, clone
  const auto* options = static_cast<const CallbackOptions*>(context);
  if (options->gb18030 && length == 1 && static_cast<uint8_t>(codeUnits[0]) == 0x80) {
    *err = U_ZERO_ERROR;
    const UChar euro = 0x20AC;
    ucnv_cbToUWriteUChars(args, &euro, 1, 0, err);
    return;
  }
  if (options->fatal) return;
  *err = U_ZERO_ERROR;
  const UChar replacement = 0xFFFD;
  ucnv_cbToUWriteUChars(args, &replacement, 1, 0, err);
}

}  // namespace

const HighTable* singleByteTable(std::string_view name) {
  const auto& tables = allSingleByteTables();
  auto it = tables.find(std::string(name));
  return it == tables.end() ? nullptr : &it->second;
}

std::unique_ptr<LegacyDecoder> LegacyDecoder::open(std::string_view name, bool fatal) {
  for (const auto& [whatwg, icu] : kIcuMultiByte) {
    if (name != whatwg) continue;
    UErrorCode status = U_ZERO_ERROR;
    UConverter* conv = ucnv_open(icu, &status);
    if (U_FAILURE(status)) return nullptr;
    std::unique_ptr<LegacyDecoder> decoder(new LegacyDecoder(conv));
    decoder->options_.fatal = fatal;
    decoder->options_.gb18030 = std::strcmp(icu, "gb18030") == 0;
    ucnv_setToUCallBack(conv, toUnicodeCallback, &decoder->options_, nullptr, nullptr, &status);
    return decoder;
  }
  return nullptr;
}

LegacyDecoder::~LegacyDecoder() { ucnv_close(static_cast<UConverter*>(converter_)); }

bool LegacyDecoder::decode(const uint8_t* data, size_t size, bool flush,
                           std::vector<uint16_t>* out) {
  UConverter* conv = static_cast<UConverter*>(converter_);
  const char* source = reinterpret_cast<const char*>(data);
  const char* sourceEnd = source + size;
  size_t start = out->size();
  out->resize(start + size * 2 + 16);
  UChar* target = reinterpret_cast<UChar*>(out->data() + start);
  for (;;) {
    UChar* targetEnd = reinterpret_cast<UChar*>(out->data() + out->size());
    UErrorCode status = U_ZERO_ERROR;
    ucnv_toUnicode(conv, &target, targetEnd, &source, sourceEnd, nullptr, flush, &status);
    size_t written = static_cast<size_t>(target - reinterpret_cast<UChar*>(out->data()));
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      out->resize(out->size() * 2);
      target = reinterpret_cast<UChar*>(out->data() + written);
      continue;
    }
    out->resize(written);
    if (U_FAILURE(status)) {
      ucnv_reset(conv);
      return false;
    }
    if (flush) ucnv_reset(conv);
    return true;
  }
}

}  // namespace pactown::bindings::encoding
