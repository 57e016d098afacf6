// Redis connection URLs: redis://[[user]:password@]host[:port][/db]
//
// host is a name, an IPv4 address or a bracketed IPv6 address; port defaults to 6379, db to 0.
// user and password are percent-decoded. rediss:// (TLS) is rejected: Debian 12 ships hiredis 0.14
// without TLS support (there is no libhiredis-ssl package).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pactown::storage {

struct RedisEndpoint {
  std::string host;  // without brackets
  int port = 6379;
  std::optional<std::string> user;
  std::optional<std::string> password;
  int db = 0;

  // host:port/db for messages and logs (never the password).
  std::string describe() const;
};

// Returns the endpoint, or nothing with the reason in *error.
std::optional<RedisEndpoint> parseRedisUrl(std::string_view url, std::string* error);

}  // namespace pactown::storage
