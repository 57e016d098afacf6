#include "runtime/worker_loader.h"

#include <fstream>
#include <sstream>

#include "runtime/module_loader.h"

namespace pactown::runtime {

namespace {
bool callInternal(IsolateHost& host, const char* name, std::vector<v8::Local<v8::Value>> args) {
  v8::Local<v8::Function> fn = host.internalFunction(name);
  return !fn.IsEmpty() && !fn->Call(host.context(), v8::Undefined(host.isolate()),
                                    static_cast<int>(args.size()), args.data())
                               .IsEmpty();
}
}  // namespace

bool loadWorker(IsolateHost& host, const WorkerSpec& spec, std::string* error) {
  v8::Isolate* isolate = host.isolate();
  v8::Isolate::Scope isolateScope(isolate);
  v8::HandleScope handleScope(isolate);
  v8::Context::Scope contextScope(host.context());
  v8::TryCatch tc(isolate);

  std::ifstream in(spec.mainPath, std::ios::binary);
  if (!in) {
    *error = "cannot read worker script " + spec.mainPath;
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  bool isModule = ModuleLoader::looksLikeModule(ss.str());

  auto fail = [&]() {
    *error = tc.HasCaught() ? host.describeException(tc.Exception(), tc.Message())
                            : "failed to load " + spec.mainPath;
    return false;
  };
  if (spec.moduleKind) host.modules().kindFor = spec.moduleKind;
  v8::Local<v8::Value> envJson = v8str(isolate, spec.envJson);
  if (isModule) {
    if (!callInternal(host, "dispatch.init", {v8::Undefined(isolate), envJson})) return fail();
    v8::Local<v8::Module> module;
    if (!host.modules().loadEntry(spec.mainPath).ToLocal(&module)) return fail();
    if (module->GetStatus() == v8::Module::kEvaluating) {
      // Top-level await still pending: run the loop until the module settles.
      while (module->GetStatus() == v8::Module::kEvaluating &&
             uv_run(host.loop(), UV_RUN_ONCE) != 0) {
        host.afterCallback();
      }
      if (module->GetStatus() == v8::Module::kErrored) {
        isolate->ThrowException(module->GetException());
        return fail();
      }
    }
    v8::Local<v8::Value> ns = module->GetModuleNamespace();
    host.entryNamespace.Reset(isolate, ns);
    if (!callInternal(host, "dispatch.setEntry", {ns})) return fail();
  } else {
    if (!callInternal(host, "dispatch.defineEnvGlobals", {envJson})) return fail();
    if (host.modules().runClassicScript(spec.mainPath).IsEmpty()) return fail();
    host.afterCallback();
    if (!callInternal(host, "dispatch.setEntry", {v8::Undefined(isolate)})) return fail();
  }
  host.afterCallback();
  return true;
}

v8::Local<v8::Value> workerNamespace(IsolateHost& host) {
  if (host.entryNamespace.IsEmpty()) return v8::Undefined(host.isolate());
  return host.entryNamespace.Get(host.isolate());
}

}  // namespace pactown::runtime
