// ES module loading for worker scripts: relative imports across files, import(), cycles, wrangler's
// non-JS module types (text, data, json, wasm) and built-in modules such as `cloudflare:workers`.
#pragma once

#include <v8.h>

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>

#include "runtime/commonjs.h"

namespace pactown::runtime {

class IsolateHost;

enum class ModuleKind { kEsm, kCommonJs, kText, kData, kJson, kCompiledWasm };

class ModuleLoader {
 public:
  explicit ModuleLoader(IsolateHost* host);
  ~ModuleLoader();

  // Maps an absolute path to its module kind (wrangler's rules). Default: by file extension.
  std::function<std::optional<ModuleKind>(const std::string& path)> kindFor;

  // Loads, links and evaluates `path` as the entry module. On success returns the namespace;
  // the evaluation promise (top-level await) is settled by running the loop. On failure returns
  // empty with the exception left in the caller's TryCatch.
  v8::MaybeLocal<v8::Module> loadEntry(const std::string& path);

  // Evaluates a classic (service-worker syntax) script.
  v8::MaybeLocal<v8::Value> runClassicScript(const std::string& path);

  // .js/.mjs → ESM, .cjs, .txt/.html/.sql → text, .bin → data, .json, .wasm.
  static std::optional<ModuleKind> kindByExtension(const std::string& path);

  CommonJsLoader& commonJs() { return commonJs_; }

  // True when the source looks like an ES module (has import/export statements at line start).
  static bool looksLikeModule(const std::string& source);

 private:
  static v8::MaybeLocal<v8::Module> resolveCallback(v8::Local<v8::Context> context,
                                                    v8::Local<v8::String> specifier,
                                                    v8::Local<v8::FixedArray> assertions,
                                                    v8::Local<v8::Module> referrer);
  static v8::MaybeLocal<v8::Promise> importDynamically(v8::Local<v8::Context> context,
                                                       v8::Local<v8::Data> options,
                                                       v8::Local<v8::Value> resourceName,
                                                       v8::Local<v8::String> specifier,
                                                       v8::Local<v8::FixedArray> assertions);
  static v8::MaybeLocal<v8::Value> syntheticEvaluate(v8::Local<v8::Context> context,
                                                     v8::Local<v8::Module> module);
  static void initImportMeta(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                             v8::Local<v8::Object> meta);

  // Resolves `specifier` against the directory of `referrerPath` and returns the module,
  // compiling it on first use. Throws (and returns empty) on a missing file or syntax error.
  v8::MaybeLocal<v8::Module> getModule(const std::string& specifier,
                                       const std::string& referrerPath);
  v8::MaybeLocal<v8::Module> compileFile(const std::string& path);
  v8::MaybeLocal<v8::Module> builtinModule(const std::string& specifier);
  v8::Local<v8::Module> syntheticModule(const std::string& name, v8::Local<v8::Object> ns);
  v8::Local<v8::Module> cjsNamespaceModule(const std::string& path, v8::Local<v8::Value> exports);
  std::string pathOf(v8::Local<v8::Module> module) const;

  IsolateHost* host_;
  CommonJsLoader commonJs_;
  std::unordered_map<std::string, v8::Global<v8::Module>> byPath_;
  std::unordered_multimap<int, std::string> pathByHash_;
  // Exports of synthetic modules, keyed by module identity hash.
  std::unordered_multimap<int, std::pair<v8::Global<v8::Module>, v8::Global<v8::Object>>>
      synthetic_;
};

}  // namespace pactown::runtime
