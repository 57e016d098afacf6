// Local development secrets: `.dev.vars` and `.env` files, parsed as wrangler 4 parses them.
//
// - Syntax is dotenv 16.3.1's `parse()`: `KEY=VALUE` or `KEY: VALUE` lines, optional `export `
//   prefix, keys made of [A-Za-z0-9_.-], `#` comments, values in '...', "..." or `...` quotes
//   that may span lines, `\n` and `\r` escapes expanded only inside double quotes, surrounding
//   whitespace trimmed. A later duplicate key overrides an earlier one.
// - File choice is wrangler's getVarsForDev(): next to the config file, `.dev.vars.<env>` if an
//   environment is selected and that file exists, else `.dev.vars`. Only when neither exists (and
//   CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV is not "false") the `.env` files are read instead:
//   `.env`, `.env.local`, `.env.<env>`, `.env.<env>.local`, later files overriding earlier ones,
//   then `${VAR}` expansion as dotenv-expand 12.0.2 does it. `.dev.vars` files are never expanded.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pactown::compat {

// Keys in first-appearance order, each with its last value.
using DotenvEntries = std::vector<std::pair<std::string, std::string>>;

// Sets `key` to `value`, keeping the position of an existing entry.
void setEntry(DotenvEntries& entries, std::string_view key, std::string value);
const std::string* findEntry(const DotenvEntries& entries, std::string_view key);

DotenvEntries parseDotenv(std::string_view text);

// dotenv-expand 12.0.2 `expand({parsed, processEnv})`: expands `${VAR}`, `$VAR`, `${VAR:-x}`,
// `${VAR-x}`, `${VAR:+x}`, `${VAR+x}` in `parsed` (earlier keys and `processEnv` are visible,
// `processEnv` winning), turns `\$` into `$`, then copies every parsed entry into `processEnv`.
void expandDotenv(DotenvEntries& parsed, DotenvEntries& processEnv);

struct DevVarsOptions {
  std::optional<std::string> env;               // the selected wrangler environment
  std::vector<std::filesystem::path> envFiles;  // explicit .env files (relative to the dir)
  bool loadDotEnv = true;                       // CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV
  bool includeProcessEnv = false;               // CLOUDFLARE_INCLUDE_PROCESS_ENV
  DotenvEntries processEnv;                     // used when includeProcessEnv is set
};

// Fills loadDotEnv, includeProcessEnv and processEnv from this process's environment. Returns an
// error message when one of the two flags is neither "true" nor "false" (any case).
std::optional<std::string> readDevVarsEnvironment(DevVarsOptions& options);

struct DevVars {
  bool found = false;  // a .dev.vars file was read, or the .env fallback ran
  DotenvEntries values;
  std::vector<std::filesystem::path> files;  // the files actually read, in order
  std::optional<std::string> error;          // a .dev.vars file exists but cannot be read
};

// Loads the secrets wrangler dev would use for a config file in `dir`.
DevVars loadDevVars(const std::filesystem::path& dir, const DevVarsOptions& options);

}  // namespace pactown::compat
