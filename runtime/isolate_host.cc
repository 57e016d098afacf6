#include "runtime/isolate_host.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bindings/registry.h"
#include "runtime/check.h"
#include "runtime/module_loader.h"
#include "runtime/snapshot.h"
#include "runtime/v8_platform.h"

namespace pactown::runtime {

namespace fs = std::filesystem;

std::string toStdString(v8::Isolate* isolate, v8::Local<v8::Value> value) {
  v8::String::Utf8Value utf8(isolate, value);
  return *utf8 ? std::string(*utf8, utf8.length()) : std::string();
}

void throwTypeError(v8::Isolate* isolate, std::string_view message) {
  isolate->ThrowException(v8::Exception::TypeError(v8str(isolate, message)));
}

void throwError(v8::Isolate* isolate, std::string_view message) {
  isolate->ThrowException(v8::Exception::Error(v8str(isolate, message)));
}

std::vector<JsSource> loadBuiltinSources(const std::string& jsDir,
                                         std::vector<std::string>* storage) {
  std::vector<JsSource> out;
  if (jsDir.empty()) {
    for (const JsSource& s : builtinJsSources()) out.push_back(s);
    return out;
  }
  std::vector<std::string> names;
  for (const char* dir : {"js", "compat"}) {
    std::vector<std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(fs::path(jsDir) / dir, ec)) {
      if (entry.path().extension() == ".js")
        files.push_back(std::string(dir) + "/" + entry.path().filename().string());
    }
    std::sort(files.begin(), files.end());
    names.insert(names.end(), files.begin(), files.end());
  }
  storage->clear();
  storage->reserve(names.size() * 2);
  for (const std::string& name : names) {
    std::ifstream in(fs::path(jsDir) / name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    storage->push_back(name);
    storage->push_back(ss.str());
  }
  for (size_t i = 0; i < storage->size(); i += 2) {
    out.push_back({(*storage)[i].c_str(), (*storage)[i + 1].data(), (*storage)[i + 1].size()});
  }
  return out;
}

v8::Local<v8::Object> runBuiltins(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                  const std::vector<JsSource>& sources, bool tolerant) {
  v8::EscapableHandleScope scope(isolate);
  v8::Local<v8::Object> internals = v8::Object::New(isolate);
  v8::Local<v8::Object> primordials = v8::Object::New(isolate);
  internals->Set(context, v8str(isolate, "primordials"), primordials).Check();
  v8::Local<v8::Object> ops = bindings::createOpsObject(isolate, context);
  v8::Local<v8::String> params[] = {v8str(isolate, "internals"), v8str(isolate, "primordials"),
                                    v8str(isolate, "ops")};
  for (const JsSource& src : sources) {
    v8::TryCatch tc(isolate);
    v8::ScriptOrigin origin(isolate, v8str(isolate, std::string("pactown:") + src.name));
    v8::ScriptCompiler::Source source(v8str(isolate, std::string_view(src.data, src.size)), origin);
    v8::Local<v8::Function> fn;
    v8::Local<v8::Value> argv[] = {internals, primordials, ops};
    if (!v8::ScriptCompiler::CompileFunction(context, &source, 3, params).ToLocal(&fn) ||
        fn->Call(context, v8::Undefined(isolate), 3, argv).IsEmpty()) {
      v8::Local<v8::Message> msg = tc.Message();
      std::string where = src.name;
      if (!msg.IsEmpty()) {
        where += ":" + std::to_string(msg->GetLineNumber(context).FromMaybe(0));
      }
      fprintf(stderr, "pactown-run: built-in %s failed: %s\n", where.c_str(),
              toStdString(isolate, tc.Exception()).c_str());
      v8::Local<v8::Value> stack;
      if (tc.StackTrace(context).ToLocal(&stack)) {
        fprintf(stderr, "%s\n", toStdString(isolate, stack).c_str());
      }
      // A snapshot must never be built from a half-run bootstrap; --js-dir development goes on.
      if (!tolerant) abort();
    }
  }
  // Built-ins are done mutating the shared captured intrinsics.
  primordials->SetIntegrityLevel(context, v8::IntegrityLevel::kFrozen).Check();
  return scope.Escape(internals);
}

// Pumps V8 platform tasks: when V8 posts one (the async handle, signalled from any thread), once
// per loop iteration, and every 500 ms while idle (delayed tasks). All three handles are unref'd:
// V8 does not say how much background work is outstanding, so they never keep a loop alive; a
// posted task wakes a loop that is still running (test mode adds a grace period for idle loops).
struct IsolateHost::PlatformPump {
  uv_check_t check;
  uv_timer_t timer;
  uv_async_t wake;
  IsolateHost* host;
  int open = 3;

  explicit PlatformPump(IsolateHost* h) : host(h) {
    uv_check_init(h->loop(), &check);
    uv_timer_init(h->loop(), &timer);
    uv_async_init(h->loop(), &wake,
                  [](uv_async_t* a) { static_cast<PlatformPump*>(a->data)->pump(); });
    check.data = timer.data = wake.data = this;
    uv_check_start(&check, [](uv_check_t* c) { static_cast<PlatformPump*>(c->data)->pump(); });
    uv_timer_start(
        &timer, [](uv_timer_t* t) { static_cast<PlatformPump*>(t->data)->pump(); }, 500, 500);
    uv_unref(reinterpret_cast<uv_handle_t*>(&check));
    uv_unref(reinterpret_cast<uv_handle_t*>(&timer));
    uv_unref(reinterpret_cast<uv_handle_t*>(&wake));
    setPlatformWaker(h->isolate(), &wake);
  }
  void pump() {
    if (!host) return;
    v8::Isolate::Scope scope(host->isolate());
    v8::HandleScope handles(host->isolate());
    v8::Context::Scope contextScope(host->context());
    pumpPlatformTasks(host->isolate());
    host->afterCallback();  // tasks may settle promises (e.g. WebAssembly.compile)
  }
  void close() {
    setPlatformWaker(host->isolate(), nullptr);
    host = nullptr;
    auto done = [](uv_handle_t* h) {
      auto* self = static_cast<PlatformPump*>(h->data);
      if (--self->open == 0) delete self;
    };
    uv_close(reinterpret_cast<uv_handle_t*>(&check), done);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), done);
    uv_close(reinterpret_cast<uv_handle_t*>(&wake), done);
  }
};

IsolateHost::IsolateHost(uv_loop_t* loop, const IsolateHostOptions& options)
    : loop_(loop), timeOrigin_(uv_hrtime()) {
  allocator_.reset(v8::ArrayBuffer::Allocator::NewDefaultAllocator());
  v8::Isolate::CreateParams params;
  params.array_buffer_allocator = allocator_.get();
  params.external_references = bindings::externalReferences();
  static v8::StartupData blob;
  blob = embeddedSnapshot();
  bool fromSnapshot = options.useSnapshot && options.jsDir.empty() && blob.data != nullptr;
  if (fromSnapshot) params.snapshot_blob = &blob;
  isolate_ = v8::Isolate::New(params);
  isolate_->SetData(0, this);
  isolate_->SetMicrotasksPolicy(v8::MicrotasksPolicy::kExplicit);
  isolate_->SetPromiseRejectCallback(&IsolateHost::promiseRejectCallback);
  modules_ = std::make_unique<ModuleLoader>(this);

  v8::Isolate::Scope isolateScope(isolate_);
  v8::HandleScope handleScope(isolate_);
  v8::Local<v8::Context> context = v8::Context::New(isolate_);
  v8::Context::Scope contextScope(context);
  v8::Local<v8::Object> internals;
  if (fromSnapshot) {
    internals = context->GetDataFromSnapshotOnce<v8::Object>(0).ToLocalChecked();
  } else {
    std::vector<std::string> storage;
    internals = runBuiltins(isolate_, context, loadBuiltinSources(options.jsDir, &storage),
                            !options.jsDir.empty());
  }
  context_.Reset(isolate_, context);
  internals_.Reset(isolate_, internals);
  pump_ = new PlatformPump(this);
  // Per-isolate start-up that must not live in the snapshot (clocks, randomness, loop state).
  v8::Local<v8::Function> init = internalFunction("isolateInit");
  if (!init.IsEmpty()) {
    v8::TryCatch tc(isolate_);
    if (init->Call(context, v8::Undefined(isolate_), 0, nullptr).IsEmpty()) {
      reportException(tc, "isolate init failed");
    }
  }
}

IsolateHost::~IsolateHost() {
  if (pump_) pump_->close();
  functionCache_.clear();
  pendingRejections_.clear();
  entryNamespace.Reset();
  modules_.reset();
  internals_.Reset();
  context_.Reset();
  isolate_->Dispose();
}

v8::Local<v8::Function> IsolateHost::internalFunction(const std::string& path) {
  auto it = functionCache_.find(path);
  if (it != functionCache_.end()) return it->second.Get(isolate_);
  v8::Local<v8::Context> context = this->context();
  v8::Local<v8::Value> cur = internals();
  size_t start = 0;
  while (start <= path.size()) {
    size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->IsObject()) return {};
    if (!cur.As<v8::Object>()->Get(context, v8str(isolate_, part)).ToLocal(&cur)) return {};
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (!cur->IsFunction()) return {};
  functionCache_[path].Reset(isolate_, cur.As<v8::Function>());
  return cur.As<v8::Function>();
}

void IsolateHost::promiseRejectCallback(v8::PromiseRejectMessage message) {
  v8::Local<v8::Promise> promise = message.GetPromise();
  v8::Isolate* isolate = promise->GetIsolate();
  IsolateHost* host = from(isolate);
  switch (message.GetEvent()) {
    case v8::kPromiseRejectWithNoHandler:
      host->pendingRejections_.push_back({v8::Global<v8::Promise>(isolate, promise),
                                          v8::Global<v8::Value>(isolate, message.GetValue())});
      break;
    case v8::kPromiseHandlerAddedAfterReject: {
      auto& list = host->pendingRejections_;
      list.erase(std::remove_if(list.begin(), list.end(),
                                [&](const PendingRejection& p) { return p.promise == promise; }),
                 list.end());
      break;
    }
    default:
      break;
  }
}

void IsolateHost::afterCallback() {
  if (inCheckpoint_) return;
  inCheckpoint_ = true;
  isolate_->PerformMicrotaskCheckpoint();
  while (!pendingRejections_.empty()) {
    std::vector<PendingRejection> list = std::move(pendingRejections_);
    pendingRejections_.clear();
    for (PendingRejection& p : list) {
      v8::HandleScope scope(isolate_);
      std::string text = "Uncaught (in promise) " +
                         describeException(p.reason.Get(isolate_), v8::Local<v8::Message>());
      if (onUnhandledRejection) {
        onUnhandledRejection(text);
      } else {
        fprintf(stderr, "%s\n", text.c_str());
      }
    }
    isolate_->PerformMicrotaskCheckpoint();
  }
  inCheckpoint_ = false;
}

std::string IsolateHost::describeException(v8::Local<v8::Value> exception,
                                           v8::Local<v8::Message> message) {
  v8::Local<v8::Context> context = this->context();
  std::string out;
  if (!message.IsEmpty() && message->GetScriptResourceName()->IsString() &&
      message->GetLineNumber(context).FromMaybe(0) > 0) {
    std::string file = toStdString(isolate_, message->GetScriptResourceName());
    int line = message->GetLineNumber(context).FromMaybe(0);
    int column = message->GetStartColumn(context).FromMaybe(0) + 1;
    out += file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
  }
  v8::TryCatch tc(isolate_);
  // Prefer the console's inspector (it prints the stack for errors, readable values otherwise).
  v8::Local<v8::Function> inspect = internalFunction("console.inspect");
  v8::Local<v8::Value> text;
  if (!inspect.IsEmpty() &&
      inspect->Call(context, v8::Undefined(isolate_), 1, &exception).ToLocal(&text)) {
    return out + toStdString(isolate_, text);
  }
  if (exception->IsObject()) {
    v8::Local<v8::Value> stack;
    if (exception.As<v8::Object>()->Get(context, v8str(isolate_, "stack")).ToLocal(&stack) &&
        stack->IsString()) {
      return out + toStdString(isolate_, stack);
    }
  }
  return out + toStdString(isolate_, exception);
}

void IsolateHost::reportException(const v8::TryCatch& tryCatch, const char* what) {
  if (!tryCatch.HasCaught()) return;
  v8::HandleScope scope(isolate_);
  std::string text = describeException(tryCatch.Exception(), tryCatch.Message());
  fprintf(stderr, "%s: %s\n", what, text.c_str());
}

CallbackScope::CallbackScope(IsolateHost* host, const char* what)
    : host_(host),
      what_(what),
      isolateScope_(host->isolate()),
      handleScope_(host->isolate()),
      context_(host->context()),
      contextScope_(context_),
      tryCatch_(host->isolate()) {}

CallbackScope::~CallbackScope() {
  if (tryCatch_.HasCaught() && !tryCatch_.HasTerminated()) host_->reportException(tryCatch_, what_);
  tryCatch_.Reset();
  host_->afterCallback();
}

}  // namespace pactown::runtime
