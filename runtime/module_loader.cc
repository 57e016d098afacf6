#include "runtime/module_loader.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "runtime/isolate_host.h"
#include "runtime/package_resolver.h"

namespace pactown::runtime {

namespace fs = std::filesystem;

namespace {

bool readFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

}  // namespace

std::optional<ModuleKind> ModuleLoader::kindByExtension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  if (ext == ".js" || ext == ".mjs") return ModuleKind::kEsm;
  if (ext == ".cjs") return ModuleKind::kCommonJs;
  if (ext == ".txt" || ext == ".html" || ext == ".sql") return ModuleKind::kText;
  if (ext == ".bin") return ModuleKind::kData;
  if (ext == ".json") return ModuleKind::kJson;
  if (ext == ".wasm") return ModuleKind::kCompiledWasm;
  return std::nullopt;
}

namespace {

std::string fileUrl(const std::string& path) { return "file://" + path; }

}  // namespace

ModuleLoader::ModuleLoader(IsolateHost* host)
    : kindFor(kindByExtension), host_(host), commonJs_(host) {
  v8::Isolate* isolate = host->isolate();
  isolate->SetHostImportModuleDynamicallyCallback(&ModuleLoader::importDynamically);
  isolate->SetHostInitializeImportMetaObjectCallback(&ModuleLoader::initImportMeta);
}

ModuleLoader::~ModuleLoader() = default;

bool ModuleLoader::looksLikeModule(const std::string& source) {
  static const std::regex re(R"((^|\n)\s*(import\s*[\w{*'"]|export\s))");
  return std::regex_search(source, re);
}

std::string ModuleLoader::pathOf(v8::Local<v8::Module> module) const {
  auto range = pathByHash_.equal_range(module->GetIdentityHash());
  for (auto it = range.first; it != range.second; ++it) {
    auto found = byPath_.find(it->second);
    if (found != byPath_.end() && found->second == module) return it->second;
  }
  return {};
}

v8::MaybeLocal<v8::Module> ModuleLoader::builtinModule(const std::string& specifier) {
  v8::Isolate* isolate = host_->isolate();
  auto cached = byPath_.find(specifier);
  if (cached != byPath_.end()) return cached->second.Get(isolate);
  v8::Local<v8::Context> context = host_->context();
  v8::Local<v8::Value> registry;
  v8::Local<v8::Value> ns;
  if (!host_->internals()->Get(context, v8str(isolate, "builtinModules")).ToLocal(&registry) ||
      !registry->IsObject() ||
      !registry.As<v8::Object>()->Get(context, v8str(isolate, specifier)).ToLocal(&ns) ||
      !ns->IsObject()) {
    throwError(isolate, "No such module \"" + specifier + "\".");
    return {};
  }
  v8::Local<v8::Module> module = syntheticModule(specifier, ns.As<v8::Object>());
  byPath_[specifier].Reset(isolate, module);
  pathByHash_.emplace(module->GetIdentityHash(), specifier);
  return module;
}

v8::MaybeLocal<v8::Module> ModuleLoader::compileFile(const std::string& path) {
  v8::Isolate* isolate = host_->isolate();
  v8::Local<v8::Context> context = host_->context();
  std::optional<ModuleKind> kind = kindFor(path);
  if (!kind) {
    throwError(isolate, "No such module \"" + path + "\": no module rule matches this file type.");
    return {};
  }
  std::string source;
  if (!readFile(path, &source)) {
    throwError(isolate, "No such module \"" + path + "\".");
    return {};
  }
  // esbuild decides by syntax: a .js file with require()/module.exports and no import/export is
  // CommonJS (most npm packages that predate ES modules).
  if (*kind == ModuleKind::kEsm && fs::path(path).extension() == ".js" &&
      CommonJsLoader::looksLikeCommonJs(source)) {
    kind = ModuleKind::kCommonJs;
  }
  v8::Local<v8::Module> module;
  if (*kind == ModuleKind::kCommonJs) {
    // CommonJS runs now (its export names must be known to link). An exception escaping JS that
    // runs inside V8's resolve callback must be re-thrown from C++ to reach the importer.
    v8::Local<v8::Value> exports;
    v8::Local<v8::Value> exception;
    {
      v8::TryCatch tryCatch(isolate);
      if (!commonJs_.require(path).ToLocal(&exports)) exception = tryCatch.Exception();
    }
    if (exports.IsEmpty()) {
      isolate->ThrowException(
          exception.IsEmpty() ? v8::Exception::Error(v8str(isolate, "require failed")) : exception);
      return {};
    }
    module = cjsNamespaceModule(path, exports);
  } else if (*kind == ModuleKind::kEsm) {
    v8::ScriptOrigin origin(isolate, v8str(isolate, path), 0, 0, false, -1, v8::Local<v8::Value>(),
                            false, false, true);
    v8::ScriptCompiler::Source src(v8str(isolate, source), origin);
    if (!v8::ScriptCompiler::CompileModule(isolate, &src).ToLocal(&module)) return {};
  } else {
    // Non-JS modules become synthetic modules whose default export is the file's value.
    v8::Local<v8::Value> value;
    switch (*kind) {
      case ModuleKind::kText:
        value = v8str(isolate, source);
        break;
      case ModuleKind::kData: {
        auto store = v8::ArrayBuffer::NewBackingStore(isolate, source.size());
        memcpy(store->Data(), source.data(), source.size());
        value = v8::ArrayBuffer::New(isolate, std::move(store));
        break;
      }
      case ModuleKind::kJson:
        if (!v8::JSON::Parse(context, v8str(isolate, source)).ToLocal(&value)) return {};
        break;
      case ModuleKind::kCompiledWasm: {
        v8::Local<v8::WasmModuleObject> wasm;
        if (!v8::WasmModuleObject::Compile(
                 isolate, v8::MemorySpan<const uint8_t>(
                              reinterpret_cast<const uint8_t*>(source.data()), source.size()))
                 .ToLocal(&wasm)) {
          return {};
        }
        value = wasm;
        break;
      }
      default:
        throwError(isolate, "Unsupported module type: \"" + path + "\".");
        return {};
    }
    v8::Local<v8::Object> ns = v8::Object::New(isolate);
    ns->Set(context, v8str(isolate, "default"), value).Check();
    module = syntheticModule(path, ns);
  }
  byPath_[path].Reset(isolate, module);
  pathByHash_.emplace(module->GetIdentityHash(), path);
  return module;
}

// The ES-module face of a CommonJS module, as esbuild's __toESM gives it: default is
// module.exports (its .default when __esModule is set); own enumerable keys are named exports.
v8::Local<v8::Module> ModuleLoader::cjsNamespaceModule(const std::string& path,
                                                       v8::Local<v8::Value> exports) {
  v8::Isolate* isolate = host_->isolate();
  v8::Local<v8::Context> context = host_->context();
  v8::Local<v8::Object> ns = v8::Object::New(isolate);
  v8::Local<v8::Value> defaultValue = exports;
  if (exports->IsObject()) {
    v8::Local<v8::Object> obj = exports.As<v8::Object>();
    v8::Local<v8::Value> esModule;
    if (obj->Get(context, v8str(isolate, "__esModule")).ToLocal(&esModule) &&
        esModule->BooleanValue(isolate)) {
      (void)obj->Get(context, v8str(isolate, "default")).ToLocal(&defaultValue);
    }
    v8::Local<v8::Array> keys;
    if (obj->GetOwnPropertyNames(context).ToLocal(&keys)) {
      for (uint32_t i = 0; i < keys->Length(); i++) {
        v8::Local<v8::Value> key = keys->Get(context, i).ToLocalChecked();
        v8::Local<v8::Value> value;
        if (!key->IsString() || toStdString(isolate, key) == "default" ||
            !obj->Get(context, key).ToLocal(&value)) {
          continue;
        }
        ns->Set(context, key, value).Check();
      }
    }
  }
  ns->Set(context, v8str(isolate, "default"), defaultValue).Check();
  return syntheticModule(path, ns);
}

// A synthetic module exporting each own property of `ns` under its name; evaluation copies the
// values (syntheticEvaluate).
v8::Local<v8::Module> ModuleLoader::syntheticModule(const std::string& name,
                                                    v8::Local<v8::Object> ns) {
  v8::Isolate* isolate = host_->isolate();
  v8::Local<v8::Array> keys = ns->GetOwnPropertyNames(host_->context()).ToLocalChecked();
  std::vector<v8::Local<v8::String>> names;
  for (uint32_t i = 0; i < keys->Length(); i++) {
    names.push_back(keys->Get(host_->context(), i).ToLocalChecked().As<v8::String>());
  }
  v8::Local<v8::Module> module = v8::Module::CreateSyntheticModule(
      isolate, v8str(isolate, name), names, &ModuleLoader::syntheticEvaluate);
  synthetic_.emplace(
      module->GetIdentityHash(),
      std::make_pair(v8::Global<v8::Module>(isolate, module), v8::Global<v8::Object>(isolate, ns)));
  return module;
}

v8::MaybeLocal<v8::Module> ModuleLoader::getModule(const std::string& specifier,
                                                   const std::string& referrerPath) {
  v8::Isolate* isolate = host_->isolate();
  bool relative = specifier.rfind("./", 0) == 0 || specifier.rfind("../", 0) == 0 ||
                  specifier.rfind("/", 0) == 0;
  if (!relative) {
    if (specifier.find(':') != std::string::npos) return builtinModule(specifier);
    // A bare specifier is an npm package in node_modules, resolved as wrangler's bundler would.
    ResolveResult resolved = resolvePackage(
        specifier, referrerPath.empty() ? (fs::current_path() / "_").string() : referrerPath);
    if (!resolved.error.empty()) {
      throwError(isolate, "No such module \"" + specifier + "\": " + resolved.error);
      return {};
    }
    auto cached = byPath_.find(resolved.path);
    if (cached != byPath_.end()) return cached->second.Get(isolate);
    return compileFile(resolved.path);
  }
  fs::path base = referrerPath.empty() ? fs::current_path() : fs::path(referrerPath).parent_path();
  std::string path = specifier.rfind("/", 0) == 0 ? fs::path(specifier).lexically_normal().string()
                                                  : (base / specifier).lexically_normal().string();
  auto cached = byPath_.find(path);
  if (cached != byPath_.end()) return cached->second.Get(isolate);
  return compileFile(path);
}

v8::MaybeLocal<v8::Module> ModuleLoader::resolveCallback(v8::Local<v8::Context> context,
                                                         v8::Local<v8::String> specifier,
                                                         v8::Local<v8::FixedArray> assertions,
                                                         v8::Local<v8::Module> referrer) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleLoader& self = IsolateHost::from(isolate)->modules();
  return self.getModule(toStdString(isolate, specifier), self.pathOf(referrer));
}

v8::MaybeLocal<v8::Value> ModuleLoader::syntheticEvaluate(v8::Local<v8::Context> context,
                                                          v8::Local<v8::Module> module) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleLoader& self = IsolateHost::from(isolate)->modules();
  auto range = self.synthetic_.equal_range(module->GetIdentityHash());
  for (auto it = range.first; it != range.second; ++it) {
    if (it->second.first != module) continue;
    v8::Local<v8::Object> ns = it->second.second.Get(isolate);
    v8::Local<v8::Array> keys = ns->GetOwnPropertyNames(context).ToLocalChecked();
    for (uint32_t i = 0; i < keys->Length(); i++) {
      v8::Local<v8::Value> key = keys->Get(context, i).ToLocalChecked();
      v8::Local<v8::Value> value;
      if (!ns->Get(context, key).ToLocal(&value)) return {};
      if (module->SetSyntheticModuleExport(isolate, key.As<v8::String>(), value).IsNothing()) {
        return {};
      }
    }
  }
  v8::Local<v8::Promise::Resolver> resolver = v8::Promise::Resolver::New(context).ToLocalChecked();
  resolver->Resolve(context, v8::Undefined(isolate)).Check();
  return resolver->GetPromise();
}

v8::MaybeLocal<v8::Module> ModuleLoader::loadEntry(const std::string& path) {
  v8::Isolate* isolate = host_->isolate();
  v8::Local<v8::Context> context = host_->context();
  std::string abs = fs::absolute(path).lexically_normal().string();
  v8::Local<v8::Module> module;
  if (!getModule(abs, "").ToLocal(&module)) return {};
  if (!module->InstantiateModule(context, &ModuleLoader::resolveCallback).FromMaybe(false))
    return {};
  v8::Local<v8::Value> result;
  if (!module->Evaluate(context).ToLocal(&result)) return {};
  host_->afterCallback();
  if (module->GetStatus() == v8::Module::kErrored) {
    isolate->ThrowException(module->GetException());
    return {};
  }
  return module;
}

v8::MaybeLocal<v8::Value> ModuleLoader::runClassicScript(const std::string& path) {
  v8::Isolate* isolate = host_->isolate();
  v8::Local<v8::Context> context = host_->context();
  std::string source;
  if (!readFile(path, &source)) {
    throwError(isolate, "Cannot read \"" + path + "\".");
    return {};
  }
  v8::ScriptOrigin origin(isolate, v8str(isolate, fs::absolute(path).lexically_normal().string()));
  v8::ScriptCompiler::Source src(v8str(isolate, source), origin);
  v8::Local<v8::Script> script;
  if (!v8::ScriptCompiler::Compile(context, &src).ToLocal(&script)) return {};
  return script->Run(context);
}

v8::MaybeLocal<v8::Promise> ModuleLoader::importDynamically(v8::Local<v8::Context> context,
                                                            v8::Local<v8::Data> options,
                                                            v8::Local<v8::Value> resourceName,
                                                            v8::Local<v8::String> specifier,
                                                            v8::Local<v8::FixedArray> assertions) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleLoader& self = IsolateHost::from(isolate)->modules();
  v8::Local<v8::Promise::Resolver> resolver;
  if (!v8::Promise::Resolver::New(context).ToLocal(&resolver)) return {};
  v8::TryCatch tc(isolate);
  std::string referrer = resourceName->IsString() ? toStdString(isolate, resourceName) : "";
  v8::Local<v8::Module> module;
  v8::Local<v8::Value> evaluated;
  if (self.getModule(toStdString(isolate, specifier), referrer).ToLocal(&module) &&
      module->InstantiateModule(context, &ModuleLoader::resolveCallback).FromMaybe(false) &&
      module->Evaluate(context).ToLocal(&evaluated)) {
    if (evaluated->IsPromise()) {
      // Resolve with the namespace once evaluation (possibly async) finishes.
      v8::Local<v8::Promise> promise = evaluated.As<v8::Promise>();
      v8::Local<v8::Object> data = v8::Object::New(isolate);
      data->Set(context, 0, resolver).Check();
      data->Set(context, 1, module->GetModuleNamespace()).Check();
      auto onOk = [](const v8::FunctionCallbackInfo<v8::Value>& args) {
        v8::Local<v8::Context> ctx = args.GetIsolate()->GetCurrentContext();
        v8::Local<v8::Object> d = args.Data().As<v8::Object>();
        d->Get(ctx, 0)
            .ToLocalChecked()
            .As<v8::Promise::Resolver>()
            ->Resolve(ctx, d->Get(ctx, 1).ToLocalChecked())
            .Check();
      };
      auto onErr = [](const v8::FunctionCallbackInfo<v8::Value>& args) {
        v8::Local<v8::Context> ctx = args.GetIsolate()->GetCurrentContext();
        v8::Local<v8::Object> d = args.Data().As<v8::Object>();
        d->Get(ctx, 0).ToLocalChecked().As<v8::Promise::Resolver>()->Reject(ctx, args[0]).Check();
      };
      promise
          ->Then(context, v8::Function::New(context, onOk, data).ToLocalChecked(),
                 v8::Function::New(context, onErr, data).ToLocalChecked())
          .ToLocalChecked();
    } else {
      resolver->Resolve(context, module->GetModuleNamespace()).Check();
    }
  } else if (tc.HasCaught()) {
    resolver->Reject(context, tc.Exception()).Check();
  }
  return resolver->GetPromise();
}

void ModuleLoader::initImportMeta(v8::Local<v8::Context> context, v8::Local<v8::Module> module,
                                  v8::Local<v8::Object> meta) {
  v8::Isolate* isolate = context->GetIsolate();
  ModuleLoader& self = IsolateHost::from(isolate)->modules();
  meta->Set(context, v8str(isolate, "url"), v8str(isolate, fileUrl(self.pathOf(module)))).Check();
}

}  // namespace pactown::runtime
