// Wrangler module rules: which files are modules, and of which type.
//
// Mirrors wrangler 4 (workers-sdk packages/wrangler/src/deployment-bundle/rules.ts and
// find-additional-modules.ts):
// - User rules come first, then wrangler's defaults: Text for **/*.txt, **/*.html, **/*.sql;
//   Data for **/*.bin; CompiledWasm for **/*.wasm, **/*.wasm?module. There is no default rule for
//   JavaScript or JSON (wrangler's bundler inlines those), so .js/.mjs/.cjs files only become
//   additional modules through a user rule.
// - Once a rule without `fallthrough = true` has been seen for a type, every later rule of that
//   type (user or default) is removed. Files that match only a removed rule get no type.
// - The first rule (in order) with a glob matching the path decides the type.
// - Globs are glob-to-regexp 0.4.1 with `globstar: true` and no `extended`: `**` as a whole path
//   segment matches zero or more directories, `*` matches within one segment, and `?`, `[...]`,
//   `{a,b}` and `,` are literal characters (which is why `**/*.wasm?module` works). A glob must
//   match the whole relative path, which uses `/` separators.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pactown::compat {

// Wrangler's rule `type` values.
enum class ModuleType {
  kESModule,
  kCommonJS,
  kCompiledWasm,
  kText,
  kData,
  kPythonModule,
  kPythonRequirement,
};

// "ESModule" <-> ModuleType::kESModule, ... Only the five types wrangler accepts in user `rules`
// parse (ESModule, CommonJS, CompiledWasm, Text, Data); the Python types are internal.
std::optional<ModuleType> moduleTypeFromRuleName(std::string_view name);
std::string_view moduleTypeName(ModuleType type);

struct ModuleRule {
  ModuleType type = ModuleType::kESModule;
  std::vector<std::string> globs;
  // Unset and false both end the type; the distinction only changes wrangler's warning text.
  std::optional<bool> fallthrough;
};

// Wrangler's DEFAULT_MODULE_RULES, in order.
const std::vector<ModuleRule>& defaultModuleRules();

struct ParsedRules {
  std::vector<ModuleRule> rules;         // user rules, then defaults, minus removed ones
  std::vector<ModuleRule> removedRules;  // shadowed by an earlier rule of the same type
  std::vector<std::string> warnings;     // wrangler's "does not have a fallback" warnings
};

ParsedRules parseRules(const std::vector<ModuleRule>& userRules);

// glob-to-regexp semantics as described above. With `globstar` false (wrangler's import-specifier
// matching while bundling), every run of `*` matches any characters including `/`.
struct GlobOptions {
  bool globstar = true;
};
bool globMatches(std::string_view glob, std::string_view path, GlobOptions options = {});

// Type of `relativePath` (relative to base_dir, `/`-separated) under `userRules` + defaults.
std::optional<ModuleType> moduleTypeFor(std::string_view relativePath,
                                        const std::vector<ModuleRule>& userRules);
std::optional<ModuleType> moduleTypeFor(std::string_view relativePath, const ParsedRules& rules);

struct AdditionalModule {
  std::string name;            // relative to base_dir, `/`-separated: the module specifier name
  std::filesystem::path path;  // absolute path on disk
  ModuleType type = ModuleType::kESModule;
};

struct CollectOptions {
  // Skipped when met during the walk (wrangler never uploads these as additional modules).
  std::filesystem::path entryPath;   // the worker's main module
  std::filesystem::path configPath;  // the wrangler config file
  // `<projectRoot>/.wrangler` is skipped; empty means base_dir.
  std::filesystem::path projectRoot;
};

struct CollectResult {
  std::vector<AdditionalModule> modules;  // sorted by name
  std::vector<std::string> warnings;
  std::optional<std::string> error;  // base_dir unreadable
};

// find_additional_modules: walks `baseDir` recursively (every directory, including node_modules
// and dot directories, as wrangler does; only `<projectRoot>/.wrangler` is skipped) and returns
// each file that some rule gives a type. Symlinks to directories are not followed.
CollectResult collectAdditionalModules(const std::filesystem::path& baseDir,
                                       const std::vector<ModuleRule>& userRules,
                                       const CollectOptions& options = {});

}  // namespace pactown::compat
