#include "compat/dev_vars.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

extern char** environ;

namespace pactown::compat {
namespace {

namespace fs = std::filesystem;

// JavaScript's \s, restricted to ASCII (the parsers below work on UTF-8 bytes).
bool isSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}
bool isKeyChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}

std::string trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && isSpace(s[b])) ++b;
  while (e > b && isSpace(s[e - 1])) --e;
  return std::string(s.substr(b, e - b));
}

// Emulates dotenv 16.3.1's LINE regex, matched with the `m` and `g` flags:
//   ^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|
//   \s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$
// The backtracking that matters is kept: a quoted value may close at an escaped quote when the
// rest of its line would not otherwise match, and an unmatched quote falls back to the
// unquoted alternative. `\s` may cross newlines, exactly as in the regex.
class DotenvMatcher {
 public:
  explicit DotenvMatcher(std::string_view text) : s_(text) {}

  struct Match {
    std::string key;
    std::string rawValue;
    size_t end;
  };

  std::optional<Match> matchAt(size_t lineStart) const {
    size_t p = skipSpace(lineStart);
    if (s_.compare(p, 6, "export") == 0 && p + 6 < s_.size() && isSpace(s_[p + 6])) {
      if (auto m = matchKey(skipSpace(p + 6))) return m;
    }
    return matchKey(p);
  }

 private:
  size_t skipSpace(size_t p) const {
    while (p < s_.size() && isSpace(s_[p])) ++p;
    return p;
  }

  std::optional<Match> matchKey(size_t k) const {
    size_t e = k;
    while (e < s_.size() && isKeyChar(s_[e])) ++e;
    if (e == k) return std::nullopt;
    size_t eq = skipSpace(e);
    size_t valueStart;
    if (eq < s_.size() && s_[eq] == '=') {
      valueStart = eq + 1;
    } else if (e + 1 < s_.size() && s_[e] == ':' && isSpace(s_[e + 1])) {
      valueStart = e + 2;
    } else {
      return std::nullopt;
    }
    // The lazy \s*? after the separator always succeeds with zero characters, because the value
    // group is optional and the tail then matches at the value position.
    Match m{std::string(s_.substr(k, e - k)), "", 0};
    matchValue(valueStart, m);
    return m;
  }

  // \s*(?:#.*)?$ from q: the end of the match, or npos if it cannot match.
  size_t tailEnd(size_t q) const {
    size_t w = skipSpace(q);
    if (w == s_.size()) return w;
    if (s_[w] == '#') {
      size_t nl = s_.find('\n', w);
      return nl == std::string_view::npos ? s_.size() : nl;
    }
    for (size_t x = w; x > q; --x) {
      if (s_[x - 1] == '\n') return x - 1;
    }
    return std::string_view::npos;
  }

  void matchValue(size_t v, Match& m) const {
    for (char quote : {'\'', '"', '`'}) {
      size_t open = skipSpace(v);
      if (open >= s_.size() || s_[open] != quote) continue;
      // Greedy body first: it stops at the first quote not preceded by a backslash; backtracking
      // then tries each escaped quote before it, last one first, as the closing quote.
      std::vector<size_t> candidates;
      for (size_t i = open + 1; i < s_.size(); ++i) {
        if (s_[i] == '\\' && i + 1 < s_.size() && s_[i + 1] == quote) {
          candidates.push_back(++i);
        } else if (s_[i] == quote) {
          candidates.push_back(i);
          break;
        }
      }
      std::reverse(candidates.begin(), candidates.end());
      for (size_t close : candidates) {
        size_t end = tailEnd(close + 1);
        if (end != std::string_view::npos) {
          m.rawValue = std::string(s_.substr(v, close + 1 - v));
          m.end = end;
          return;
        }
      }
    }
    size_t i = v;
    while (i < s_.size() && s_[i] != '#' && s_[i] != '\n' && s_[i] != '\r') ++i;
    m.rawValue = std::string(s_.substr(v, i - v));
    m.end = tailEnd(i);  // always matches: s_[i] is '#', a newline, or the end
  }

  std::string_view s_;
};

// value.replace(/^(['"`])([\s\S]*)\1$/mg, '$2')
std::string stripQuotes(const std::string& v) {
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if ((i != 0 && v[i - 1] != '\n') || (v[i] != '\'' && v[i] != '"' && v[i] != '`')) continue;
    for (size_t j = v.size() - 1; j > i; --j) {
      if (v[j] == v[i] && (j + 1 == v.size() || v[j + 1] == '\n')) {
        out.append(v, copied, i - copied).append(v, i + 1, j - i - 1);
        copied = j + 1;
        i = j;
        break;
      }
    }
  }
  return out.append(v, copied, std::string::npos);
}

std::string replaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// String.prototype.replace(string, string): first occurrence, with $$, $&, $` and $' patterns.
std::string jsReplaceFirst(const std::string& s, const std::string& pattern,
                           const std::string& replacement) {
  size_t at = s.find(pattern);
  if (at == std::string::npos) return s;
  std::string sub;
  for (size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    char n = i + 1 < replacement.size() ? replacement[i + 1] : '\0';
    if (c != '$' || (n != '$' && n != '&' && n != '`' && n != '\'')) {
      sub += c;
      continue;
    }
    if (n == '$') sub += '$';
    if (n == '&') sub += pattern;
    if (n == '`') sub += s.substr(0, at);
    if (n == '\'') sub += s.substr(at + pattern.size());
    ++i;
  }
  return s.substr(0, at) + sub + s.substr(at + pattern.size());
}

struct VarRef {
  std::string templateText;
  std::string expression;
};

// /(?<!\\)\${([^{}]+)}|(?<!\\)\$([A-Za-z_][A-Za-z0-9_]*)/ from the start of `s`.
std::optional<VarRef> findVarRef(const std::string& s) {
  auto identStart = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; };
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != '$' || (i > 0 && s[i - 1] == '\\')) continue;
    if (s[i + 1] == '{') {
      size_t j = i + 2;
      while (j < s.size() && s[j] != '{' && s[j] != '}') ++j;
      if (j > i + 2 && j < s.size() && s[j] == '}') {
        return VarRef{s.substr(i, j + 1 - i), s.substr(i + 2, j - i - 2)};
      }
    } else if (identStart(s[i + 1])) {
      size_t j = i + 2;
      while (j < s.size() && (identStart(s[j]) || std::isdigit(static_cast<unsigned char>(s[j]))))
        ++j;
      return VarRef{s.substr(i, j - i), s.substr(i + 1, j - i - 1)};
    }
  }
  return std::nullopt;
}

std::vector<std::string> jsSplit(const std::string& s, const std::string& sep) {
  std::vector<std::string> parts;
  size_t from = 0;
  for (size_t at = s.find(sep); at != std::string::npos; at = s.find(sep, from)) {
    parts.push_back(s.substr(from, at - from));
    from = at + sep.size();
  }
  parts.push_back(s.substr(from));
  return parts;
}

std::string expandValue(const std::string& value, const DotenvEntries& processEnv,
                        const DotenvEntries& runningParsed) {
  auto lookup = [&](const std::string& key) -> std::string {
    if (const std::string* v = findEntry(processEnv, key)) return *v;
    if (const std::string* v = findEntry(runningParsed, key)) return *v;
    return "";
  };
  std::string result = value;
  std::set<std::string> seen;
  // The cap only guards against pathological inputs; dotenv-expand's own checks end real cases.
  for (int guard = 0; guard < 10000; ++guard) {
    std::optional<VarRef> ref = findVarRef(result);
    if (!ref) break;
    seen.insert(result);
    // The first operator by position; at one position ":+" and ":-" win over "+" and "-".
    std::string splitter;
    for (size_t i = 0; i < ref->expression.size() && splitter.empty(); ++i) {
      char c = ref->expression[i];
      char n = i + 1 < ref->expression.size() ? ref->expression[i + 1] : '\0';
      if (c == ':' && (n == '+' || n == '-')) splitter = std::string{c, n};
      if (c == '+' || c == '-') splitter = std::string{c};
    }
    // dotenv-expand calls split(null) when there is no operator, which splits on "null".
    std::vector<std::string> parts = jsSplit(ref->expression, splitter.empty() ? "null" : splitter);
    std::string key = parts.front();
    std::string joined;
    for (size_t i = 1; i < parts.size(); ++i) {
      joined += (i > 1 ? (splitter.empty() ? "null" : splitter) : "") + parts[i];
    }
    std::string replacement;
    if (splitter == ":+" || splitter == "+") {
      replacement = lookup(key).empty() ? "" : joined;
    } else {
      std::string current = lookup(key);
      replacement = current.empty() || seen.count(current) ? joined : current;
    }
    result = jsReplaceFirst(result, ref->templateText, replacement);
    const std::string* running = findEntry(runningParsed, key);
    if (running && *running == result) break;
  }
  return result;
}

std::optional<std::string> readFile(const fs::path& path, bool& missing) {
  std::error_code ec;
  missing = !fs::exists(path, ec);
  if (missing) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in || fs::is_directory(path, ec)) return std::nullopt;
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::optional<bool> parseBooleanFlag(const char* name, std::optional<std::string>& error) {
  const char* raw = std::getenv(name);
  if (raw == nullptr) return std::nullopt;
  std::string value(raw);
  std::transform(value.begin(), value.end(), value.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (value == "true") return true;
  if (value == "false") return false;
  error = std::string("Expected ") + name + " to be \"true\" or \"false\", but got \"" + raw + "\"";
  return std::nullopt;
}

}  // namespace

void setEntry(DotenvEntries& entries, std::string_view key, std::string value) {
  for (auto& [k, v] : entries) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  entries.emplace_back(std::string(key), std::move(value));
}

const std::string* findEntry(const DotenvEntries& entries, std::string_view key) {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

DotenvEntries parseDotenv(std::string_view input) {
  std::string text = replaceAll(replaceAll(std::string(input), "\r\n", "\n"), "\r", "\n");
  DotenvMatcher matcher(text);
  DotenvEntries out;
  size_t pos = 0;
  while (pos <= text.size()) {
    // Next position where ^ can match (multiline): the start, or just after a newline.
    size_t lineStart = pos;
    if (pos != 0 && text[pos - 1] != '\n') {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) break;
      lineStart = nl + 1;
    }
    std::optional<DotenvMatcher::Match> m = matcher.matchAt(lineStart);
    if (!m) {
      pos = lineStart + 1;
      continue;
    }
    std::string value = trim(m->rawValue);
    char quote = value.empty() ? '\0' : value[0];
    value = stripQuotes(value);
    if (quote == '"') value = replaceAll(replaceAll(value, "\\n", "\n"), "\\r", "\r");
    // Assigning "__proto__" on a plain object changes its prototype; dotenv never stores it.
    if (m->key != "__proto__") setEntry(out, m->key, std::move(value));
    pos = m->end;
  }
  return out;
}

void expandDotenv(DotenvEntries& parsed, DotenvEntries& processEnv) {
  DotenvEntries running;
  for (auto& [key, value] : parsed) {
    const std::string* fromProcess = findEntry(processEnv, key);
    std::string expanded = fromProcess && !fromProcess->empty() && *fromProcess != value
                               ? *fromProcess
                               : expandValue(value, processEnv, running);
    value = replaceAll(expanded, "\\$", "$");
    setEntry(running, key, value);
  }
  for (const auto& [key, value] : parsed) setEntry(processEnv, key, value);
}

std::optional<std::string> readDevVarsEnvironment(DevVarsOptions& options) {
  std::optional<std::string> error;
  if (auto v = parseBooleanFlag("CLOUDFLARE_LOAD_DEV_VARS_FROM_DOT_ENV", error)) {
    options.loadDotEnv = *v;
  }
  if (auto v = parseBooleanFlag("CLOUDFLARE_INCLUDE_PROCESS_ENV", error)) {
    options.includeProcessEnv = *v;
  }
  options.processEnv.clear();
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string_view::npos) {
      setEntry(options.processEnv, entry.substr(0, eq), std::string(entry.substr(eq + 1)));
    }
  }
  return error;
}

DevVars loadDevVars(const fs::path& dir, const DevVarsOptions& options) {
  DevVars result;
  if (options.envFiles.empty()) {
    std::vector<fs::path> candidates;
    if (options.env) candidates.push_back(dir / (".dev.vars." + *options.env));
    candidates.push_back(dir / ".dev.vars");
    for (const fs::path& path : candidates) {
      bool missing = false;
      std::optional<std::string> text = readFile(path, missing);
      if (missing) continue;
      result.files.push_back(path);
      if (!text) {
        result.error = "Failed to load local dev variables file \"" + path.string() + "\"";
        return result;
      }
      result.found = true;
      result.values = parseDotenv(*text);
      return result;
    }
  }
  if (!options.loadDotEnv) return result;

  std::vector<fs::path> files = options.envFiles;
  if (files.empty()) {
    files = {".env", ".env.local"};
    if (options.env) {
      files.emplace_back(".env." + *options.env);
      files.emplace_back(".env." + *options.env + ".local");
    }
  }
  DotenvEntries merged;
  for (const fs::path& file : files) {
    fs::path path = file.is_absolute() ? file : dir / file;
    bool missing = false;
    std::optional<std::string> text = readFile(path, missing);
    if (!text) continue;  // wrangler only logs unreadable .env files at debug level
    result.files.push_back(path);
    for (auto& [key, value] : parseDotenv(*text)) setEntry(merged, key, std::move(value));
  }
  DotenvEntries expanded;
  if (options.includeProcessEnv) expanded = options.processEnv;
  expandDotenv(merged, expanded);
  result.found = true;
  result.values = std::move(expanded);
  return result;
}

}  // namespace pactown::compat
