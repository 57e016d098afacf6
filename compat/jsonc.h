// JSONC: JSON with // and /* */ comments and trailing commas, parsed as wrangler's jsonc-parser
// does (allowTrailingComma) for wrangler.json and wrangler.jsonc. Error codes are jsonc-parser's
// names ("ValueExpected", "CommaExpected", ...), so messages match what wrangler prints.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace pactown::compat {

using Json = nlohmann::ordered_json;

struct JsoncError {
  std::string code;   // jsonc-parser's error name
  size_t offset = 0;  // byte offset into the text
};

// Parses `text` into `out`; on failure returns false and fills `error`.
bool parseJsonc(std::string_view text, Json& out, JsoncError* error);

}  // namespace pactown::compat
