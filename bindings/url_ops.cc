// URL ops: UTS #46 (IDNA) processing for the WHATWG URL host parser, backed by ICU.
//   https://url.spec.whatwg.org/#concept-domain-to-ascii
//   https://url.spec.whatwg.org/#concept-domain-to-unicode
//   https://www.unicode.org/reports/tr46/
//
// js/10_url.js calls these only for hosts that are not plain ASCII (or that have an "xn--" label);
// everything else about URLs is JavaScript.
//
//   ops.domainToASCII(domain: string) -> string | null  (null: the spec's failure)
//   ops.domainToUnicode(domain: string) -> string        (unchanged input on a ToUnicode error)

#include <unicode/uidna.h>
#include <unicode/utypes.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bindings/op.h"

namespace pactown::bindings {
namespace {

// The URL standard runs UTS #46 with CheckHyphens, UseSTD3ASCIIRules and VerifyDnsLength set to
// beStrict (false for the host parser), CheckBidi and CheckJoiners set to true, and nontransitional
// processing. ICU cannot switch off the hyphen and DNS-length checks, so their error bits are
// ignored instead (as Chromium does). UIDNA_USE_STD3_RULES stays off.
constexpr uint32_t kUts46Options = UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                                   UIDNA_NONTRANSITIONAL_TO_ASCII |
                                   UIDNA_NONTRANSITIONAL_TO_UNICODE;

constexpr uint32_t kIgnoredErrors = UIDNA_ERROR_EMPTY_LABEL | UIDNA_ERROR_LABEL_TOO_LONG |
                                    UIDNA_ERROR_DOMAIN_NAME_TOO_LONG | UIDNA_ERROR_LEADING_HYPHEN |
                                    UIDNA_ERROR_TRAILING_HYPHEN | UIDNA_ERROR_HYPHEN_3_4;

// A UTS #46 instance is immutable after creation and safe to share between threads.
const UIDNA* uts46() {
  static const UIDNA* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const UIDNA* idna = uidna_openUTS46(kUts46Options, &status);
    return U_SUCCESS(status) ? idna : nullptr;
  }();
  return instance;
}

using IcuConvert = int32_t (*)(const UIDNA*, const char*, int32_t, char*, int32_t, UIDNAInfo*,
                               UErrorCode*);

// Runs one ICU UTF-8 conversion, growing the output buffer once if ICU asks for more room.
// Returns false when ICU itself failed (not for IDNA processing errors, which land in `info`).
bool runIcu(IcuConvert convert, std::string_view input, std::string& out, UIDNAInfo& info) {
  const UIDNA* idna = uts46();
  if (idna == nullptr) return false;
  out.resize(input.size() * 2 + 64);
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode status = U_ZERO_ERROR;
    info = UIDNA_INFO_INITIALIZER;
    int32_t length = convert(idna, input.data(), static_cast<int32_t>(input.size()), out.data(),
                             static_cast<int32_t>(out.size()), &info, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      out.resize(static_cast<size_t>(length));
      continue;
    }
    if (U_FAILURE(status)) return false;
    out.resize(static_cast<size_t>(length));
    return true;
  }
  return false;
}

bool startsWithAcePrefix(std::string_view label) {
  return label.size() >= 4 && (label[0] | 0x20) == 'x' && (label[1] | 0x20) == 'n' &&
         label[2] == '-' && label[3] == '-';
}

// UTS #46 validity criterion V4 without CheckHyphens: a label must not begin with "xn--" once its
// Punycode is decoded (so "xn--xn--a--gua" fails). ICU folds this into the hyphen-3-4 error that
// the URL standard ignores, so it is checked here for each ACE label of the converted name.
bool hasDecodedAcePrefix(std::string_view asciiName) {
  size_t start = 0;
  while (start <= asciiName.size()) {
    size_t dot = asciiName.find('.', start);
    if (dot == std::string_view::npos) dot = asciiName.size();
    std::string_view label = asciiName.substr(start, dot - start);
    if (startsWithAcePrefix(label)) {
      std::string decoded;
      UIDNAInfo info = UIDNA_INFO_INITIALIZER;
      if (runIcu(uidna_labelToUnicodeUTF8, label, decoded, info) && startsWithAcePrefix(decoded)) {
        return true;
      }
    }
    start = dot + 1;
  }
  return false;
}

// https://url.spec.whatwg.org/#concept-domain-to-ascii with beStrict = false, minus the checks the
// JavaScript caller does itself (empty result, forbidden domain code points).
std::optional<std::string> domainToAscii(std::string_view domain) {
  std::string out;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  if (domain.size() > INT32_MAX / 4) return std::nullopt;
  if (!runIcu(uidna_nameToASCII_UTF8, domain, out, info)) return std::nullopt;
  if ((info.errors & ~kIgnoredErrors) != 0) return std::nullopt;
  if ((info.errors & UIDNA_ERROR_HYPHEN_3_4) != 0 && hasDecodedAcePrefix(out)) return std::nullopt;
  return out;
}

// https://url.spec.whatwg.org/#concept-domain-to-unicode: Unicode ToUnicode with the same options;
// when it records an error the domain is returned unchanged, so that it round-trips.
std::string domainToUnicode(std::string_view domain) {
  std::string out;
  UIDNAInfo info = UIDNA_INFO_INITIALIZER;
  if (domain.size() > INT32_MAX / 4) return std::string(domain);
  if (!runIcu(uidna_nameToUnicodeUTF8, domain, out, info)) return std::string(domain);
  if ((info.errors & ~kIgnoredErrors) != 0) return std::string(domain);
  return out;
}

// Reads args[0] as a string; throws a TypeError and returns false otherwise.
bool stringArgument(const v8::FunctionCallbackInfo<v8::Value>& args, const char* op) {
  if (args.Length() >= 1 && args[0]->IsString()) return true;
  v8::Isolate* isolate = args.GetIsolate();
  std::string message = std::string(op) + ": argument must be a string";
  isolate->ThrowException(
      v8::Exception::TypeError(v8::String::NewFromUtf8(isolate, message.c_str()).ToLocalChecked()));
  return false;
}

v8::Local<v8::String> toV8(v8::Isolate* isolate, const std::string& s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}

void DomainToASCII(const v8::FunctionCallbackInfo<v8::Value>& args) {
  if (!stringArgument(args, "domainToASCII")) return;
  v8::Isolate* isolate = args.GetIsolate();
  v8::String::Utf8Value utf8(isolate, args[0]);
  std::optional<std::string> result =
      domainToAscii(std::string_view(*utf8, static_cast<size_t>(utf8.length())));
  if (!result) {
    args.GetReturnValue().SetNull();
    return;
  }
  args.GetReturnValue().Set(toV8(isolate, *result));
}

void DomainToUnicode(const v8::FunctionCallbackInfo<v8::Value>& args) {
  if (!stringArgument(args, "domainToUnicode")) return;
  v8::Isolate* isolate = args.GetIsolate();
  v8::String::Utf8Value utf8(isolate, args[0]);
  std::string result = domainToUnicode(std::string_view(*utf8, static_cast<size_t>(utf8.length())));
  args.GetReturnValue().Set(toV8(isolate, result));
}

}  // namespace
}  // namespace pactown::bindings

PT_OP_TABLE(url, {"domainToASCII", DomainToASCII}, {"domainToUnicode", DomainToUnicode});
