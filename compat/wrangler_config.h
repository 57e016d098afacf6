// Wrangler configuration (wrangler.toml / wrangler.json / wrangler.jsonc) as wrangler 4 reads it.
//
// Reference: https://developers.cloudflare.com/workers/wrangler/configuration/ and wrangler's
// own loader (workers-sdk packages/workers-utils/src/config/validation.ts). In short:
// - wrangler.json and wrangler.jsonc are both parsed as JSONC: // and /* */ comments and trailing
//   commas are allowed. A UTF-8 BOM is skipped; UTF-16/32 BOMs are errors.
// - `main` and `base_dir` are resolved against the config file's directory.
// - With an environment selected, inheritable keys (name, main, compatibility_*, rules, triggers,
//   migrations, no_bundle, ...) fall back to the top level (a missing `name` becomes
//   "<name>-<env>"), while bindings and vars come from `[env.<name>]` only. Selecting an
//   environment that is not defined is an error when other environments exist, else a warning.
// - Unknown keys are warnings; wrong types in known keys are errors, all collected.
// - Binding names must be unique across binding kinds (vars included), as wrangler requires.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compat/dev_vars.h"
#include "compat/module_rules.h"

namespace pactown::compat {

using Json = nlohmann::ordered_json;

enum class ConfigFormat { kToml, kJson, kJsonc };

struct KvNamespaceBinding {
  std::string binding;
  std::optional<std::string> id;  // wrangler 4 allows it to be absent (auto-provisioning)
  std::optional<std::string> previewId;
};

struct DurableObjectBinding {
  std::string name;
  std::string className;
  std::optional<std::string> scriptName;
  std::optional<std::string> environment;
};

struct RenamedClass {
  std::string from;
  std::string to;
};

struct TransferredClass {
  std::string from;
  std::string fromScript;
  std::string to;
};

struct Migration {
  std::string tag;
  std::vector<std::string> newClasses;
  std::vector<std::string> newSqliteClasses;
  std::vector<RenamedClass> renamedClasses;
  std::vector<std::string> deletedClasses;
  std::vector<TransferredClass> transferredClasses;
};

// A binding (or binding-like feature) this loader recognises but pactown-run does not implement:
// {"r2_buckets", "BUCKET"}, {"ai", "AI"}, {"queues", "PRODUCER"}, {"queues.consumers", "<queue>"},
// {"tail_consumers", "<service>"}, {"assets", ""} (assets without a binding), ...
struct OtherBinding {
  std::string kind;  // the config key
  std::string name;  // binding name, or the entry's identifying field
};

struct WorkerConfig {
  std::filesystem::path configPath;  // absolute
  ConfigFormat format = ConfigFormat::kToml;
  std::optional<std::string> env;  // the selected environment
  std::vector<std::string> definedEnvironments;

  std::optional<std::string> name;
  std::optional<std::filesystem::path> main;  // absolute
  std::optional<std::string> compatibilityDate;
  std::vector<std::string> compatibilityFlags;
  Json vars = Json::object();  // name -> string, or any JSON value for non-string vars
  std::optional<std::vector<std::string>> requiredSecrets;  // `secrets.required`
  std::vector<KvNamespaceBinding> kvNamespaces;
  std::vector<DurableObjectBinding> durableObjects;
  std::vector<Migration> migrations;
  std::vector<std::string> crons;  // triggers.crons
  std::vector<ModuleRule> rules;
  std::optional<std::filesystem::path> baseDir;  // absolute
  std::optional<bool> findAdditionalModules;
  std::optional<bool> noBundle;
  std::vector<OtherBinding> otherBindings;
  // Keys present that change wrangler's build or runtime behaviour but are not applied here
  // (define, alias, build, limits, placement, jsx_*, tsconfig, minify, ...).
  std::vector<std::string> ignoredKeys;
  Json dev = Json::object();  // the top-level [dev] section as written (ip, port, ...)
  std::vector<std::string> warnings;

  // Filled by applyDevVars() and applyVarOverrides().
  DotenvEntries secrets;
  std::vector<std::filesystem::path> secretsFiles;
  DotenvEntries varOverrides;
};

struct ConfigError {
  std::string message;              // one line: "<path>[:<line>[:<col>]]: <first problem>"
  std::vector<std::string> errors;  // every problem found
};

struct ConfigResult {
  std::optional<WorkerConfig> config;
  ConfigError error;  // meaningful only when `config` is empty
  explicit operator bool() const { return config.has_value(); }
};

// Reads and validates `path`; the format follows the extension (.toml, .json, .jsonc).
ConfigResult loadWorkerConfig(const std::filesystem::path& path,
                              std::optional<std::string> env = std::nullopt);

// Same, from text already in memory (`path` names the file in messages and anchors `main`).
ConfigResult parseWorkerConfig(std::string_view text, ConfigFormat format,
                               const std::filesystem::path& path,
                               std::optional<std::string> env = std::nullopt);

// wrangler's config discovery: in each directory from `workerScriptDir` (or, when that is empty,
// from `cwd`) up to the filesystem root, looks for wrangler.json, then walks again for
// wrangler.jsonc, then for wrangler.toml; the first regular file found wins. Wrangler never looks
// in the working directory when a script is given.
std::optional<std::filesystem::path> findConfig(const std::filesystem::path& workerScriptDir,
                                                const std::filesystem::path& cwd);

// Loads .dev.vars (or the .env fallback) next to the config into `config.secrets`, using
// `config.env` when options.env is unset. With `secrets.required` declared, only keys that are
// vars or required secrets are kept, and missing required secrets become warnings. Returns an
// error message if an existing .dev.vars file cannot be read.
std::optional<std::string> applyDevVars(WorkerConfig& config, DevVarsOptions options = {});

// wrangler dev's `--var` values. Each must be KEY:VALUE (wrangler's form) or KEY=VALUE; the first
// ':' or '=' separates, so values may contain either character. Returns an error for an empty key
// or a missing separator, leaving `config` unchanged.
std::optional<std::string> applyVarOverrides(WorkerConfig& config,
                                             const std::vector<std::string>& args);

// The text/JSON entries of `env` in wrangler dev's precedence: config vars, then secrets (which
// never replace a binding of another kind with the same name), then --var overrides (which do).
Json mergedVars(const WorkerConfig& config);

// base_dir, or the directory of `main` (empty if neither is set).
std::filesystem::path moduleRoot(const WorkerConfig& config);

// find_additional_modules, defaulting to no_bundle (wrangler: true without bundling, else false).
bool findsAdditionalModules(const WorkerConfig& config);

}  // namespace pactown::compat
