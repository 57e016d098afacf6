#include "storage/redis_url.h"

#include <charconv>

namespace pactown::storage {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percentDecode(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    int hi = hexValue(in[i + 1]);
    int lo = hexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi << 4 | lo);
    i += 2;
  }
  return out;
}

bool parseNumber(std::string_view text, int max, int* out) {
  if (text.empty()) return false;
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0 || value > max) {
    return false;
  }
  *out = value;
  return true;
}

}  // namespace

std::string RedisEndpoint::describe() const {
  std::string hostPart = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return hostPart + ":" + std::to_string(port) + "/" + std::to_string(db);
}

std::optional<RedisEndpoint> parseRedisUrl(std::string_view url, std::string* error) {
  auto fail = [&](const std::string& why) {
    *error = "invalid Redis URL: " + why;
    return std::nullopt;
  };
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, 9) == "rediss://") {
    *error =
        "rediss:// (Redis over TLS) is not supported: this build uses hiredis 0.14, which has no "
        "TLS support; use redis:// on a trusted network or a TLS tunnel (e.g. stunnel)";
    return std::nullopt;
  }
  if (url.substr(0, kScheme.size()) != kScheme) {
    return fail("expected redis://[[user]:password@]host[:port][/db]");
  }
  std::string_view rest = url.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return fail("query strings and fragments are not supported");
  }
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);

  RedisEndpoint endpoint;
  size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    size_t colon = userinfo.find(':');
    std::optional<std::string> user = percentDecode(userinfo.substr(0, colon));
    if (!user) return fail("bad percent-encoding in the user name");
    if (!user->empty()) endpoint.user = std::move(*user);
    if (colon != std::string_view::npos) {
      std::optional<std::string> password = percentDecode(userinfo.substr(colon + 1));
      if (!password) return fail("bad percent-encoding in the password");
      endpoint.password = std::move(*password);
    } else if (endpoint.user) {
      // redis://secret@host: a lone userinfo is the password, as redis-cli -u reads it.
      endpoint.password = std::move(endpoint.user);
      endpoint.user.reset();
    }
  }

  std::string_view portText;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail("unterminated [IPv6] host");
    endpoint.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return fail("unexpected text after ]");
      portText = after.substr(1);
      if (portText.empty()) return fail("empty port");
    }
  } else {
    size_t colon = authority.find(':');
    endpoint.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      portText = authority.substr(colon + 1);
      if (portText.empty()) return fail("empty port");
    }
  }
  if (endpoint.host.empty()) return fail("missing host");
  if (!portText.empty() && (!parseNumber(portText, 65535, &endpoint.port) || endpoint.port == 0)) {
    return fail("bad port \"" + std::string(portText) + "\"");
  }
  if (!path.empty() && !parseNumber(path, 1 << 20, &endpoint.db)) {
    return fail("bad database number \"" + std::string(path) + "\"");
  }
  return endpoint;
}

}  // namespace pactown::storage
