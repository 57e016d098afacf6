#include "runtime/commonjs.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "runtime/isolate_host.h"
#include "runtime/module_loader.h"
#include "runtime/package_resolver.h"

namespace pactown::runtime {

namespace fs = std::filesystem;

CommonJsLoader::~CommonJsLoader() = default;

bool CommonJsLoader::looksLikeCommonJs(const std::string& source) {
  static const std::regex re(R"(\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w+\s*=)");
  return !ModuleLoader::looksLikeModule(source) && std::regex_search(source, re);
}

std::string CommonJsLoader::resolve(const std::string& specifier, const std::string& fromPath,
                                    std::string* error) {
  bool relative = specifier.rfind("./", 0) == 0 || specifier.rfind("../", 0) == 0 ||
                  specifier.rfind("/", 0) == 0 || specifier == "." || specifier == "..";
  if (!relative) {
    if (specifier.find(':') != std::string::npos) {
      *error = "No such module \"" + specifier + "\".";
      return {};
    }
    ResolveResult r = resolvePackage(specifier, fromPath);
    if (!r.error.empty()) *error = "No such module \"" + specifier + "\": " + r.error;
    return r.path;
  }
  fs::path base = specifier.rfind("/", 0) == 0 ? fs::path(specifier)
                                               : fs::path(fromPath).parent_path() / specifier;
  base = base.lexically_normal();
  // Node's file then directory rules, as esbuild applies them to require().
  for (const char* suffix :
       {"", ".js", ".cjs", ".json", "/index.js", "/index.cjs", "/index.json"}) {
    fs::path candidate = base.string() + suffix;
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  *error = "No such module \"" + specifier + "\" (required from " + fromPath + ").";
  return {};
}

void CommonJsLoader::requireCallback(const v8::FunctionCallbackInfo<v8::Value>& args) {
  v8::Isolate* isolate = args.GetIsolate();
  CommonJsLoader& self = IsolateHost::from(isolate)->modules().commonJs();
  if (!args[0]->IsString()) return throwTypeError(isolate, "require() expects a string");
  std::string fromPath = toStdString(isolate, args.Data());
  std::string error;
  std::string path = self.resolve(toStdString(isolate, args[0]), fromPath, &error);
  if (path.empty()) return throwError(isolate, error);
  v8::Local<v8::Value> exports;
  if (self.require(path).ToLocal(&exports)) args.GetReturnValue().Set(exports);
}

v8::MaybeLocal<v8::Value> CommonJsLoader::require(const std::string& path) {
  v8::Isolate* isolate = host_->isolate();
  v8::Local<v8::Context> context = host_->context();
  v8::Local<v8::String> exportsKey = v8str(isolate, "exports");
  auto cached = modules_.find(path);
  if (cached != modules_.end()) return cached->second.Get(isolate)->Get(context, exportsKey);

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throwError(isolate, "No such module \"" + path + "\".");
    return {};
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string source = ss.str();
  v8::Local<v8::Object> module = v8::Object::New(isolate);
  if (fs::path(path).extension() == ".json") {
    v8::Local<v8::Value> value;
    if (!v8::JSON::Parse(context, v8str(isolate, source)).ToLocal(&value)) return {};
    module->Set(context, exportsKey, value).Check();
    modules_[path].Reset(isolate, module);
    return value;
  }
  if (ModuleLoader::looksLikeModule(source)) {
    throwError(isolate,
               "require() of the ES module \"" + path + "\" is not supported; use import.");
    return {};
  }
  v8::Local<v8::Object> exports = v8::Object::New(isolate);
  module->Set(context, exportsKey, exports).Check();
  modules_[path].Reset(isolate, module);  // before running: cycles see the partial exports

  v8::Local<v8::String> params[] = {exportsKey, v8str(isolate, "require"), v8str(isolate, "module"),
                                    v8str(isolate, "__filename"), v8str(isolate, "__dirname")};
  v8::ScriptOrigin origin(isolate, v8str(isolate, path));
  v8::ScriptCompiler::Source src(v8str(isolate, source), origin);
  v8::Local<v8::Function> fn;
  v8::Local<v8::Function> requireFn;
  if (!v8::ScriptCompiler::CompileFunction(context, &src, 5, params).ToLocal(&fn) ||
      !v8::Function::New(context, &CommonJsLoader::requireCallback, v8str(isolate, path))
           .ToLocal(&requireFn)) {
    modules_.erase(path);
    return {};
  }
  v8::Local<v8::Value> argv[] = {exports, requireFn, module, v8str(isolate, path),
                                 v8str(isolate, fs::path(path).parent_path().string())};
  if (fn->Call(context, exports, 5, argv).IsEmpty()) {
    modules_.erase(path);
    return {};
  }
  return module->Get(context, exportsKey);
}

}  // namespace pactown::runtime
