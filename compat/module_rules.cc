#include "compat/module_rules.h"

#include <algorithm>
#include <map>
#include <set>
#include <system_error>

namespace pactown::compat {
namespace {

struct TypeName {
  ModuleType type;
  std::string_view name;
  bool userVisible;
};

constexpr TypeName kTypeNames[] = {
    {ModuleType::kESModule, "ESModule", true},
    {ModuleType::kCommonJS, "CommonJS", true},
    {ModuleType::kCompiledWasm, "CompiledWasm", true},
    {ModuleType::kText, "Text", true},
    {ModuleType::kData, "Data", true},
    {ModuleType::kPythonModule, "PythonModule", false},
    {ModuleType::kPythonRequirement, "PythonRequirement", false},
};

// One element of a compiled glob.
enum class Tok { kLiteral, kSegmentStar, kAnyStar, kGlobstar };
struct Token {
  Tok kind;
  char ch = 0;
};

// Follows glob-to-regexp 0.4.1 (non-extended): `*` runs become `([^/]*)`, or `.*` without
// globstar; a `**` run that fills a whole segment becomes `((?:[^/]*(?:\/|$))*)` and swallows
// the `/` after it. Everything else is a literal (backslash included, see the header).
std::vector<Token> compileGlob(std::string_view glob, bool globstar) {
  std::vector<Token> out;
  for (size_t i = 0; i < glob.size(); ++i) {
    char c = glob[i];
    if (c != '*') {
      out.push_back({Tok::kLiteral, c});
      continue;
    }
    size_t start = i;
    while (i + 1 < glob.size() && glob[i + 1] == '*') ++i;
    bool segmentStart = start == 0 || glob[start - 1] == '/';
    bool segmentEnd = i + 1 == glob.size() || glob[i + 1] == '/';
    if (!globstar) {
      out.push_back({Tok::kAnyStar});
    } else if (i > start && segmentStart && segmentEnd) {
      out.push_back({Tok::kGlobstar});
      ++i;  // the "/" that follows belongs to the globstar
    } else {
      out.push_back({Tok::kSegmentStar});
    }
  }
  return out;
}

class GlobMatcher {
 public:
  GlobMatcher(const std::vector<Token>& tokens, std::string_view path)
      : tokens_(tokens), path_(path), memo_((tokens.size() + 1) * (path.size() + 1), 0) {}

  bool matches(size_t t, size_t p) {
    if (t == tokens_.size()) return p == path_.size();
    char& seen = memo_[t * (path_.size() + 1) + p];
    if (seen != 0) return seen == 1;
    bool result = step(t, p);
    seen = result ? 1 : 2;
    return result;
  }

 private:
  bool step(size_t t, size_t p) {
    const Token& tok = tokens_[t];
    switch (tok.kind) {
      case Tok::kLiteral:
        return p < path_.size() && path_[p] == tok.ch && matches(t + 1, p + 1);
      case Tok::kSegmentStar:
        for (size_t q = p;; ++q) {
          if (matches(t + 1, q)) return true;
          if (q == path_.size() || path_[q] == '/') return false;
        }
      case Tok::kAnyStar:
        for (size_t q = p; q <= path_.size(); ++q) {
          if (matches(t + 1, q)) return true;
        }
        return false;
      case Tok::kGlobstar:
        // Zero or more "segment then (slash or end)" groups: the globstar may stop right after
        // any slash, at its start, or at the end of the path.
        if (matches(t + 1, p) || matches(t + 1, path_.size())) return true;
        for (size_t q = p; q < path_.size(); ++q) {
          if (path_[q] == '/' && matches(t + 1, q + 1)) return true;
        }
        return false;
    }
    return false;
  }

  const std::vector<Token>& tokens_;
  std::string_view path_;
  std::vector<char> memo_;  // 0 unknown, 1 match, 2 no match
};

std::string quoteJson(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// JSON.stringify(rule), as wrangler prints rules in its warnings.
std::string describeRule(const ModuleRule& rule) {
  std::string out = "{\"type\":" + quoteJson(moduleTypeName(rule.type)) + ",\"globs\":[";
  for (size_t i = 0; i < rule.globs.size(); ++i) {
    out += (i > 0 ? "," : "") + quoteJson(rule.globs[i]);
  }
  out += "]";
  if (rule.fallthrough)
    out += std::string(",\"fallthrough\":") + (*rule.fallthrough ? "true" : "false");
  return out + "}";
}

bool anyGlobMatches(const ModuleRule& rule, std::string_view path) {
  return std::any_of(rule.globs.begin(), rule.globs.end(),
                     [&](const std::string& glob) { return globMatches(glob, path); });
}

}  // namespace

std::optional<ModuleType> moduleTypeFromRuleName(std::string_view name) {
  for (const TypeName& entry : kTypeNames) {
    if (entry.userVisible && entry.name == name) return entry.type;
  }
  return std::nullopt;
}

std::string_view moduleTypeName(ModuleType type) {
  for (const TypeName& entry : kTypeNames) {
    if (entry.type == type) return entry.name;
  }
  return "?";
}

const std::vector<ModuleRule>& defaultModuleRules() {
  static const std::vector<ModuleRule> rules = {
      {ModuleType::kText, {"**/*.txt", "**/*.html", "**/*.sql"}, std::nullopt},
      {ModuleType::kData, {"**/*.bin"}, std::nullopt},
      {ModuleType::kCompiledWasm, {"**/*.wasm", "**/*.wasm?module"}, std::nullopt},
  };
  return rules;
}

ParsedRules parseRules(const std::vector<ModuleRule>& userRules) {
  std::vector<ModuleRule> all = userRules;
  const auto& defaults = defaultModuleRules();
  all.insert(all.end(), defaults.begin(), defaults.end());

  ParsedRules parsed;
  std::map<ModuleType, size_t> completedAt;  // type -> index of the rule that ended it
  std::map<ModuleType, std::vector<size_t>> redundant;
  std::vector<ModuleType> completionOrder;
  for (size_t i = 0; i < all.size(); ++i) {
    const ModuleRule& rule = all[i];
    auto done = completedAt.find(rule.type);
    if (done != completedAt.end()) {
      if (all[done->second].fallthrough != false) redundant[rule.type].push_back(i);
      parsed.removedRules.push_back(rule);
      continue;
    }
    parsed.rules.push_back(rule);
    if (rule.fallthrough != true) {
      completedAt[rule.type] = i;
      completionOrder.push_back(rule.type);
    }
  }
  for (ModuleType type : completionOrder) {
    auto it = redundant.find(type);
    if (it == redundant.end()) continue;
    size_t at = completedAt[type];
    std::string warning = std::string("The ") + (at >= userRules.size() ? "default " : "") +
                          "module rule " + describeRule(all[at]) +
                          " does not have a fallback, the following rules will be ignored:";
    for (size_t index : it->second) {
      warning += "\n " + describeRule(all[index]) + (index >= userRules.size() ? " (DEFAULT)" : "");
    }
    warning +=
        "\n\nAdd `fallthrough = true` to rule to allow next rule to be used or "
        "`fallthrough = false` to silence this warning";
    parsed.warnings.push_back(std::move(warning));
  }
  return parsed;
}

bool globMatches(std::string_view glob, std::string_view path, GlobOptions options) {
  std::vector<Token> tokens = compileGlob(glob, options.globstar);
  return GlobMatcher(tokens, path).matches(0, 0);
}

std::optional<ModuleType> moduleTypeFor(std::string_view relativePath, const ParsedRules& rules) {
  for (const ModuleRule& rule : rules.rules) {
    if (anyGlobMatches(rule, relativePath)) return rule.type;
  }
  return std::nullopt;
}

std::optional<ModuleType> moduleTypeFor(std::string_view relativePath,
                                        const std::vector<ModuleRule>& userRules) {
  return moduleTypeFor(relativePath, parseRules(userRules));
}

CollectResult collectAdditionalModules(const std::filesystem::path& baseDir,
                                       const std::vector<ModuleRule>& userRules,
                                       const CollectOptions& options) {
  namespace fs = std::filesystem;
  CollectResult result;
  ParsedRules rules = parseRules(userRules);
  std::error_code ec;
  fs::path root = fs::absolute(baseDir, ec).lexically_normal();
  fs::path projectRoot =
      options.projectRoot.empty() ? root : fs::absolute(options.projectRoot, ec).lexically_normal();
  fs::path hiddenDir = projectRoot / ".wrangler";
  auto normalized = [&](const fs::path& p) {
    return p.empty() ? p : fs::absolute(p, ec).lexically_normal();
  };
  fs::path entry = normalized(options.entryPath);
  fs::path config = normalized(options.configPath);

  if (!fs::is_directory(root, ec)) {
    result.error = "Could not read base_dir " + root.string() + ": not a directory";
    return result;
  }
  std::vector<fs::path> pending = {root};
  while (!pending.empty()) {
    fs::path dir = pending.back();
    pending.pop_back();
    fs::directory_iterator it(dir, ec), end;
    if (ec) {
      result.error = "Could not read directory " + dir.string() + ": " + ec.message();
      return result;
    }
    for (; it != end; it.increment(ec)) {
      const fs::path path = it->path().lexically_normal();
      bool isLink = it->is_symlink(ec);
      if (!isLink && it->is_directory(ec)) {
        if (path != hiddenDir) pending.push_back(path);
        continue;
      }
      if (isLink && fs::is_directory(path, ec)) continue;
      if (path == config || path == entry) continue;
      std::string name = path.lexically_relative(root).generic_string();
      if (auto type = moduleTypeFor(name, rules)) {
        result.modules.push_back({name, path, *type});
      }
    }
  }
  std::sort(result.modules.begin(), result.modules.end(),
            [](const AdditionalModule& a, const AdditionalModule& b) { return a.name < b.name; });
  result.warnings = rules.warnings;
  return result;
}

}  // namespace pactown::compat
