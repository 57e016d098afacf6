// CommonJS modules, loaded the way wrangler's bundler (esbuild) makes them usable from ES modules:
// the file runs once inside (exports, require, module, __filename, __dirname); `import x from`
// gives module.exports (or its `default` when the file marks itself __esModule), and every own
// enumerable key of module.exports is also a named export.
#pragma once

#include <v8.h>

#include <string>
#include <unordered_map>

namespace pactown::runtime {

class IsolateHost;

class CommonJsLoader {
 public:
  explicit CommonJsLoader(IsolateHost* host) : host_(host) {}
  ~CommonJsLoader();

  // Runs `path` once and returns its module.exports (a require cycle sees the partial exports).
  // Throws (and returns empty) on a missing file, syntax error or exception.
  v8::MaybeLocal<v8::Value> require(const std::string& path);

  // A .js file with require()/module.exports/exports.x and no import/export statement.
  static bool looksLikeCommonJs(const std::string& source);

 private:
  static void requireCallback(const v8::FunctionCallbackInfo<v8::Value>& args);
  // Resolves a require() specifier from the file `fromPath`; empty with `error` set on failure.
  std::string resolve(const std::string& specifier, const std::string& fromPath,
                      std::string* error);

  IsolateHost* host_;
  std::unordered_map<std::string, v8::Global<v8::Object>> modules_;  // path → `module` object
};

}  // namespace pactown::runtime
