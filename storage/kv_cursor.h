// Key-range helpers shared by the KV backends: list cursors and prefix bounds.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pactown::storage {

// A list cursor is the base64url (unpadded) encoding of the last key a page returned; the next
// page starts strictly after that key.
std::string encodeCursor(std::string_view lastKey);
// Returns the key a cursor names, or nothing when `cursor` is not a cursor we made.
std::optional<std::string> decodeCursor(std::string_view cursor);

// The smallest byte string greater than every string that starts with `prefix`, or nothing when
// no such bound exists (empty prefix, or a prefix of 0xFF bytes only).
std::optional<std::string> prefixEnd(std::string_view prefix);

}  // namespace pactown::storage
