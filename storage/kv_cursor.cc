#include "storage/kv_cursor.h"

#include <cstdint>

namespace pactown::storage {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int decodeChar(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string encodeCursor(std::string_view lastKey) {
  std::string out;
  out.reserve((lastKey.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= lastKey.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(lastKey[i]) << 16 |
                 static_cast<uint8_t>(lastKey[i + 1]) << 8 | static_cast<uint8_t>(lastKey[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  size_t rest = lastKey.size() - i;
  if (rest > 0) {
    uint32_t n = static_cast<uint8_t>(lastKey[i]) << 16;
    if (rest == 2) n |= static_cast<uint8_t>(lastKey[i + 1]) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    if (rest == 2) out += kAlphabet[(n >> 6) & 63];
  }
  return out;
}

std::optional<std::string> decodeCursor(std::string_view cursor) {
  // A cursor always names a non-empty key; a length of 1 mod 4 cannot come from the encoder.
  if (cursor.empty() || cursor.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(cursor.size() / 4 * 3 + 2);
  uint32_t bits = 0;
  int count = 0;
  for (char c : cursor) {
    int v = decodeChar(c);
    if (v < 0) return std::nullopt;
    bits = bits << 6 | static_cast<uint32_t>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  // Leftover bits must be zero, or the cursor is not in canonical form.
  if ((bits & ((1u << count) - 1)) != 0) return std::nullopt;
  return out;
}

std::optional<std::string> prefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty()) {
    auto last = static_cast<uint8_t>(end.back());
    if (last != 0xff) {
      end.back() = static_cast<char>(last + 1);
      return end;
    }
    end.pop_back();
  }
  return std::nullopt;
}

}  // namespace pactown::storage
