// Node's ESM resolution algorithm (https://nodejs.org/api/esm.html#resolution-algorithm) as esbuild
// applies it for wrangler's build: conditions ["workerd", "worker", "browser"] plus "import" and
// "default"; platform "browser", so main fields ["browser", "module", "main"].
#include "runtime/package_resolver.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string_view>
#include <vector>

namespace pactown::runtime {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;  // "exports" conditions are matched in object order

// wrangler passes conditions ["workerd", "worker", "browser"]; esbuild adds "import" for ESM
// imports and always "default". esbuild adds "module" only when no custom conditions are set.
constexpr std::array<std::string_view, 5> kConditions = {"workerd", "worker", "browser", "import",
                                                         "default"};
// esbuild's default main fields for platform "browser" (wrangler leaves the platform unset).
constexpr std::array<std::string_view, 3> kMainFields = {"browser", "module", "main"};
constexpr std::array<std::string_view, 2> kExtensions = {".js", ".mjs"};

bool isFile(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

bool isDirectory(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

// Absolute, symlink-free path (esbuild's default preserveSymlinks=false).
std::string finalPath(const fs::path& p) {
  std::error_code ec;
  fs::path real = fs::canonical(p, ec);
  return ec ? p.lexically_normal().string() : real.string();
}

struct PackageJson {
  bool present = false;
  Json json;
  std::string error;  // set when present but unreadable or not a JSON object
};

PackageJson readPackageJson(const fs::path& dir) {
  PackageJson out;
  fs::path file = dir / "package.json";
  if (!isFile(file)) return out;
  out.present = true;
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in && !in.eof()) {
    out.error = "cannot read " + file.string();
    return out;
  }
  out.json = Json::parse(buffer.str(), nullptr, /*allow_exceptions=*/false);
  if (out.json.is_discarded() || !out.json.is_object()) {
    out.error = "invalid JSON in " + file.string();
    out.json = Json::object();
  }
  return out;
}

// --- Without "exports": files, extensions, directories, main fields -----------------------------

std::optional<fs::path> loadAsFile(const fs::path& p) {
  if (isFile(p)) return p;
  for (std::string_view ext : kExtensions) {
    fs::path withExt = p;
    withExt += ext;
    if (isFile(withExt)) return withExt;
  }
  return std::nullopt;
}

std::optional<fs::path> loadAsIndex(const fs::path& dir) { return loadAsFile(dir / "index"); }

std::optional<fs::path> loadAsFileOrDirectory(const fs::path& p);

// The first main field that names an existing file or directory, then the index file.
std::optional<fs::path> loadAsDirectory(const fs::path& dir, const Json& packageJson) {
  for (std::string_view field : kMainFields) {
    auto it = packageJson.find(field);
    if (it == packageJson.end() || !it->is_string()) continue;  // "browser" objects are maps
    const std::string& rel = it->get_ref<const std::string&>();
    if (rel.empty()) continue;
    fs::path target = (dir / rel).lexically_normal();
    if (auto file = loadAsFile(target)) return file;
    if (target != dir && isDirectory(target)) {
      if (auto index = loadAsIndex(target)) return index;
    }
  }
  return loadAsIndex(dir);
}

std::optional<fs::path> loadAsFileOrDirectory(const fs::path& p) {
  if (auto file = loadAsFile(p)) return file;
  if (!isDirectory(p)) return std::nullopt;
  PackageJson pj = readPackageJson(p);
  return loadAsDirectory(p, pj.json);
}

// --- "exports" (PACKAGE_EXPORTS_RESOLVE) ---------------------------------------------------------

enum class TargetStatus { kFound, kUndefined, kNull, kInvalid };

struct TargetResult {
  TargetStatus status = TargetStatus::kUndefined;
  std::string value;  // the "./..." target on kFound, the message on kInvalid
};

bool isConditionActive(std::string_view key) {
  return std::find(kConditions.begin(), kConditions.end(), key) != kConditions.end();
}

bool isArrayIndexKey(std::string_view key) {
  return !key.empty() &&
         std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return out;
}

// Node rejects "", ".", ".." and "node_modules" segments (also percent-encoded) so that a target
// cannot leave its package. `allowTrailingEmpty` admits the final "/" of folder mappings.
bool hasInvalidSegment(std::string_view path, bool allowTrailingEmpty) {
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find_first_of("/\\", start);
    if (end == std::string_view::npos) end = path.size();
    std::string seg = lower(path.substr(start, end - start));
    bool last = end == path.size();
    if (seg.empty() && !(last && allowTrailingEmpty)) return true;
    if (seg == "." || seg == ".." || seg == "%2e" || seg == "%2e%2e" || seg == ".%2e" ||
        seg == "%2e." || seg == "node_modules" || seg == "node%5fmodules") {
      return true;
    }
    start = end + 1;
  }
  return false;
}

std::string replaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

struct ExportsContext {
  std::string packageJsonPath;
  std::string subpath;  // "." or "./x", for messages
};

TargetResult invalidTarget(const ExportsContext& ctx, const std::string& target) {
  return {TargetStatus::kInvalid, "Invalid \"exports\" target \"" + target + "\" defined for '" +
                                      ctx.subpath + "' in " + ctx.packageJsonPath};
}

// PACKAGE_TARGET_RESOLVE. `patternMatch` is set for "*" and trailing-"/" keys.
TargetResult resolveTarget(const ExportsContext& ctx, const Json& target,
                           const std::optional<std::string>& patternMatch, bool folderKey) {
  if (target.is_string()) {
    const std::string& t = target.get_ref<const std::string&>();
    if (t.rfind("./", 0) != 0) return invalidTarget(ctx, t);
    if (folderKey && t.back() != '/') return invalidTarget(ctx, t);
    if (hasInvalidSegment(std::string_view(t).substr(2), folderKey)) return invalidTarget(ctx, t);
    if (!patternMatch) return {TargetStatus::kFound, t};
    if (hasInvalidSegment(*patternMatch, false)) {
      return {TargetStatus::kInvalid, "Subpath '" + ctx.subpath +
                                          "' resolves outside its package " +
                                          "through \"exports\" in " + ctx.packageJsonPath};
    }
    return {TargetStatus::kFound,
            folderKey ? t + *patternMatch : replaceAll(t, "*", *patternMatch)};
  }
  if (target.is_object()) {
    for (const auto& [key, value] : target.items()) {
      if (isArrayIndexKey(key)) {
        return {TargetStatus::kInvalid, "\"exports\" in " + ctx.packageJsonPath +
                                            " has a numeric condition key \"" + key + "\""};
      }
      if (!isConditionActive(key)) continue;
      TargetResult r = resolveTarget(ctx, value, patternMatch, folderKey);
      if (r.status == TargetStatus::kUndefined) continue;
      return r;
    }
    return {TargetStatus::kUndefined, {}};
  }
  if (target.is_array()) {
    // Fallbacks: invalid and excluded entries are skipped; the last error is reported.
    TargetResult last{TargetStatus::kNull, {}};
    for (const Json& entry : target) {
      TargetResult r = resolveTarget(ctx, entry, patternMatch, folderKey);
      if (r.status == TargetStatus::kFound) return r;
      if (r.status == TargetStatus::kInvalid || r.status == TargetStatus::kNull) last = r;
    }
    return last;
  }
  if (target.is_null()) return {TargetStatus::kNull, {}};
  return invalidTarget(ctx, target.dump());
}

// PATTERN_KEY_COMPARE: longer prefix before "*" first, then the longer key.
bool patternKeyBefore(const std::string& a, const std::string& b) {
  size_t starA = a.find('*');
  size_t starB = b.find('*');
  size_t baseA = starA == std::string::npos ? a.size() : starA + 1;
  size_t baseB = starB == std::string::npos ? b.size() : starB + 1;
  if (baseA != baseB) return baseA > baseB;
  return a.size() > b.size();
}

// PACKAGE_IMPORTS_EXPORTS_RESOLVE over a subpath map.
TargetResult resolveSubpathMap(const ExportsContext& ctx, const Json& map,
                               const std::string& matchKey) {
  auto exact = map.find(matchKey);
  if (exact != map.end() && matchKey.find('*') == std::string::npos) {
    return resolveTarget(ctx, *exact, std::nullopt, false);
  }
  std::vector<std::string> expansionKeys;
  for (const auto& [key, value] : map.items()) {
    size_t star = key.find('*');
    bool singleStar = star != std::string::npos && key.find('*', star + 1) == std::string::npos;
    bool folder = star == std::string::npos && !key.empty() && key.back() == '/';
    if (singleStar || folder) expansionKeys.push_back(key);
  }
  std::stable_sort(expansionKeys.begin(), expansionKeys.end(), patternKeyBefore);
  for (const std::string& key : expansionKeys) {
    size_t star = key.find('*');
    if (star == std::string::npos) {  // legacy folder mapping "./dir/": "./lib/"
      if (matchKey.size() > key.size() && matchKey.rfind(key, 0) == 0) {
        return resolveTarget(ctx, map[key], matchKey.substr(key.size()), true);
      }
      continue;
    }
    std::string base = key.substr(0, star);
    std::string trailer = key.substr(star + 1);
    if (matchKey.size() <= base.size() || matchKey.rfind(base, 0) != 0) continue;
    if (!trailer.empty() && (matchKey.size() < key.size() || !matchKey.ends_with(trailer))) {
      continue;
    }
    std::string match =
        matchKey.substr(base.size(), matchKey.size() - base.size() - trailer.size());
    return resolveTarget(ctx, map[key], match, false);
  }
  return {TargetStatus::kUndefined, {}};
}

// Maps `subpath` through "exports" to a "./..." target, or sets `error`.
std::optional<std::string> resolveExports(const ExportsContext& ctx, const Json& exports,
                                          std::string& error) {
  bool isSubpathMap = false;
  if (exports.is_object() && !exports.empty()) {
    bool anyDot = false;
    bool anyOther = false;
    for (const auto& [key, value] : exports.items()) {
      (!key.empty() && key[0] == '.' ? anyDot : anyOther) = true;
    }
    if (anyDot && anyOther) {
      error = "\"exports\" in " + ctx.packageJsonPath +
              " mixes subpath keys (\"./...\") and condition keys";
      return std::nullopt;
    }
    isSubpathMap = anyDot;
  }
  TargetResult r;
  if (ctx.subpath == ".") {
    if (!isSubpathMap) {
      r = resolveTarget(ctx, exports, std::nullopt, false);
    } else if (auto it = exports.find("."); it != exports.end()) {
      r = resolveTarget(ctx, *it, std::nullopt, false);
    }
  } else if (isSubpathMap) {
    r = resolveSubpathMap(ctx, exports, ctx.subpath);
  }
  if (r.status == TargetStatus::kFound) return r.value;
  if (r.status == TargetStatus::kInvalid) {
    error = r.value;
  } else if (ctx.subpath == ".") {
    error = "No \"exports\" main defined in " + ctx.packageJsonPath;
  } else {
    error = "Package subpath '" + ctx.subpath + "' is not defined by \"exports\" in " +
            ctx.packageJsonPath;
  }
  return std::nullopt;
}

// An "exports" target must name the file exactly (Node and esbuild do not add extensions).
std::optional<fs::path> checkExportsTarget(const fs::path& packageDir, const std::string& target,
                                           std::string& error) {
  fs::path file = (packageDir / target).lexically_normal();
  if (isFile(file)) return file;
  if (isDirectory(file)) {
    error = "\"exports\" resolves to the directory " + file.string() +
            ", which cannot be imported as an ES module";
  } else {
    error = "\"exports\" resolves to " + file.string() + ", which does not exist";
    for (std::string_view ext : kExtensions) {
      fs::path withExt = file;
      withExt += ext;
      if (isFile(withExt)) {
        error += " (did you mean " + withExt.string() + "?)";
        break;
      }
    }
  }
  return std::nullopt;
}

// --- Specifier parsing and the node_modules walk -------------------------------------------------

struct ParsedSpecifier {
  std::string name;     // "hono", "@scope/pkg"
  std::string subpath;  // ".", "./cors"
};

std::optional<ParsedSpecifier> parseSpecifier(const std::string& specifier, std::string& error) {
  if (specifier.empty()) {
    error = "empty module specifier";
    return std::nullopt;
  }
  if (specifier[0] == '.' || specifier[0] == '/' || specifier.find(':') != std::string::npos) {
    error = "not a bare package specifier";
    return std::nullopt;
  }
  size_t slash = specifier.find('/');
  if (specifier[0] == '@') {
    if (slash == std::string::npos || slash == 1 || slash + 1 == specifier.size() ||
        specifier[slash + 1] == '/') {
      error = "invalid scoped package name";
      return std::nullopt;
    }
    slash = specifier.find('/', slash + 1);
  }
  ParsedSpecifier out;
  out.name = specifier.substr(0, slash);
  out.subpath = slash == std::string::npos ? "." : "." + specifier.substr(slash);
  if (out.name.find_first_of("\\%") != std::string::npos) {
    error = "invalid package name \"" + out.name + "\"";
    return std::nullopt;
  }
  if (out.subpath != "." && hasInvalidSegment(std::string_view(out.subpath).substr(2), true)) {
    error = "invalid package subpath '" + out.subpath + "'";
    return std::nullopt;
  }
  return out;
}

ResolveResult fail(const std::string& specifier, const std::string& referrerPath,
                   const std::string& why) {
  return {{}, "Cannot resolve \"" + specifier + "\" from " + referrerPath + ": " + why};
}

ResolveResult resolveUnchecked(const std::string& specifier, const std::string& referrerPath) {
  std::string error;
  std::optional<ParsedSpecifier> parsed = parseSpecifier(specifier, error);
  if (!parsed) return fail(specifier, referrerPath, error);

  fs::path dir = fs::path(referrerPath).parent_path();
  if (dir.empty() || dir.is_relative()) {
    std::error_code ec;
    dir = fs::absolute(dir, ec);
  }
  dir = dir.lexically_normal();

  std::string firstError;
  while (true) {
    if (dir.filename() != "node_modules") {
      fs::path packageDir = dir / "node_modules" / parsed->name;
      if (isDirectory(packageDir)) {
        PackageJson pj = readPackageJson(packageDir);
        if (!pj.error.empty()) return fail(specifier, referrerPath, pj.error);
        auto exports = pj.json.find("exports");
        if (exports != pj.json.end()) {
          // A package with "exports" is authoritative: no fallback to other folders.
          ExportsContext ctx{(packageDir / "package.json").string(), parsed->subpath};
          std::optional<std::string> target = resolveExports(ctx, *exports, error);
          if (!target) return fail(specifier, referrerPath, error);
          std::optional<fs::path> file = checkExportsTarget(packageDir, *target, error);
          if (!file) return fail(specifier, referrerPath, error);
          return {finalPath(*file), {}};
        }
        std::optional<fs::path> file =
            parsed->subpath == "."
                ? loadAsDirectory(packageDir, pj.json)
                : loadAsFileOrDirectory((packageDir / parsed->subpath).lexically_normal());
        if (file) return {finalPath(*file), {}};
        // esbuild keeps walking up when a package without "exports" has no such file.
        if (firstError.empty()) {
          firstError = parsed->subpath == "."
                           ? "no entry point (\"browser\", \"module\", \"main\" or index.js) in " +
                                 packageDir.string()
                           : "no file for '" + parsed->subpath + "' in " + packageDir.string();
        }
      }
    }
    fs::path parent = dir.parent_path();
    if (parent == dir || parent.empty()) break;
    dir = parent;
  }
  if (!firstError.empty()) return fail(specifier, referrerPath, firstError);
  return fail(specifier, referrerPath,
              "package \"" + parsed->name + "\" not found in any node_modules directory");
}

}  // namespace

ResolveResult resolvePackage(const std::string& specifier, const std::string& referrerPath) {
  try {
    return resolveUnchecked(specifier, referrerPath);
  } catch (const std::exception& e) {
    return fail(specifier, referrerPath, e.what());
  }
}

}  // namespace pactown::runtime
