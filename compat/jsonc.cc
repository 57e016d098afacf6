#include "compat/jsonc.h"

#include <charconv>
#include <cstdlib>
#include <system_error>

namespace pactown::compat {
namespace {

class JsoncParser {
 public:
  explicit JsoncParser(std::string_view s) : s_(s) {}

  bool parse(Json& out) {
    if (!skip()) return false;
    if (i_ >= s_.size()) return fail("ValueExpected", i_);
    if (!value(out, 0) || !skip()) return false;
    return i_ >= s_.size() || fail("EndOfFileExpected", i_);
  }

  std::string code;
  size_t offset = 0;

 private:
  bool fail(const char* c, size_t at) {
    code = c;
    offset = at;
    return false;
  }

  bool skip() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
        ++i_;
      } else if (s_.compare(i_, 2, "//") == 0) {
        size_t nl = s_.find('\n', i_);
        i_ = nl == std::string_view::npos ? s_.size() : nl;
      } else if (s_.compare(i_, 2, "/*") == 0) {
        size_t close = s_.find("*/", i_ + 2);
        if (close == std::string_view::npos) return fail("UnexpectedEndOfComment", i_);
        i_ = close + 2;
      } else {
        break;
      }
    }
    return true;
  }

  bool value(Json& out, int depth) {
    if (depth > 512) return fail("NestingTooDeep", i_);
    char c = s_[i_];
    if (c == '{' || c == '[') return container(out, depth, c == '{');
    if (c == '"') {
      std::string str;
      if (!string(str)) return false;
      out = std::move(str);
      return true;
    }
    if (c == '-' || (c >= '0' && c <= '9')) return number(out);
    for (const auto& [word, literal] :
         {std::pair<std::string_view, Json>{"true", true}, {"false", false}, {"null", nullptr}}) {
      size_t end = i_ + word.size();
      if (s_.compare(i_, word.size(), word) == 0 &&
          (end == s_.size() || !std::isalnum(static_cast<unsigned char>(s_[end])))) {
        out = literal;
        i_ = end;
        return true;
      }
    }
    return fail(c == ',' || c == ']' || c == '}' || c == ':' ? "ValueExpected" : "InvalidSymbol",
                i_);
  }

  bool container(Json& out, int depth, bool isObject) {
    const char close = isObject ? '}' : ']';
    out = isObject ? Json::object() : Json::array();
    ++i_;
    if (!skip()) return false;
    if (i_ < s_.size() && s_[i_] == close) return ++i_, true;
    while (true) {
      if (i_ >= s_.size())
        return fail(isObject ? "CloseBraceExpected" : "CloseBracketExpected", i_);
      std::string key;
      if (isObject) {
        if (s_[i_] != '"') return fail("PropertyNameExpected", i_);
        if (!string(key) || !skip()) return false;
        if (i_ >= s_.size() || s_[i_] != ':') return fail("ColonExpected", i_);
        ++i_;
        if (!skip()) return false;
      }
      if (i_ >= s_.size()) return fail("ValueExpected", i_);
      Json item;
      if (!value(item, depth + 1) || !skip()) return false;
      if (isObject) {
        out[key] = std::move(item);  // a repeated key keeps its first position, last value
      } else {
        out.push_back(std::move(item));
      }
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        if (!skip()) return false;
        if (i_ < s_.size() && s_[i_] == close) return ++i_, true;  // trailing comma
        continue;
      }
      if (i_ < s_.size() && s_[i_] == close) return ++i_, true;
      if (i_ >= s_.size())
        return fail(isObject ? "CloseBraceExpected" : "CloseBracketExpected", i_);
      return fail("CommaExpected", i_);
    }
  }

  static void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool hex4(uint32_t& cp) {
    if (i_ + 4 > s_.size()) return false;
    auto r = std::from_chars(s_.data() + i_, s_.data() + i_ + 4, cp, 16);
    if (r.ptr != s_.data() + i_ + 4) return false;
    i_ += 4;
    return true;
  }

  bool string(std::string& out) {
    size_t start = i_++;
    while (true) {
      if (i_ >= s_.size()) return fail("UnexpectedEndOfString", start);
      char c = s_[i_];
      if (c == '"') return ++i_, true;
      if (c == '\n' || c == '\r') return fail("UnexpectedEndOfString", i_);
      if (static_cast<unsigned char>(c) < 0x20) return fail("InvalidCharacter", i_);
      ++i_;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return fail("UnexpectedEndOfString", start);
      char e = s_[i_++];
      static constexpr std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
      if (size_t k = kFrom.find(e); k != std::string_view::npos) {
        out += kTo[k];
      } else if (e == 'u') {
        uint32_t cp = 0, low = 0;
        if (!hex4(cp)) return fail("InvalidUnicode", i_ - 2);
        if (cp >= 0xD800 && cp < 0xDC00 && s_.compare(i_, 2, "\\u") == 0) {
          size_t save = i_;
          i_ += 2;
          if (hex4(low) && low >= 0xDC00 && low < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else {
            i_ = save;
          }
        }
        appendUtf8(out, cp >= 0xD800 && cp < 0xE000 ? 0xFFFD : cp);
      } else {
        return fail("InvalidEscapeCharacter", i_ - 2);
      }
    }
  }

  bool number(Json& out) {
    size_t start = i_;
    auto digits = [&] {
      size_t from = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ > from;
    };
    bool integral = true;
    if (s_[i_] == '-') ++i_;
    if (i_ < s_.size() && s_[i_] == '0') {
      ++i_;
    } else if (!digits()) {
      return fail("InvalidSymbol", start);
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      integral = false;
      if (!digits()) return fail("UnexpectedEndOfNumber", i_);
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      integral = false;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digits()) return fail("UnexpectedEndOfNumber", i_);
    }
    std::string text(s_.substr(start, i_ - start));
    int64_t n = 0;
    auto r = std::from_chars(text.data(), text.data() + text.size(), n);
    if (integral && r.ec == std::errc() && r.ptr == text.data() + text.size()) {
      out = n;
    } else {
      out = std::strtod(text.c_str(), nullptr);
    }
    return true;
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

bool parseJsonc(std::string_view text, Json& out, JsoncError* error) {
  JsoncParser parser(text);
  if (parser.parse(out)) return true;
  if (error) {
    error->code = parser.code;
    error->offset = parser.offset;
  }
  return false;
}

}  // namespace pactown::compat
