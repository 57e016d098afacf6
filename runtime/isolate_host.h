// One V8 isolate + context bound to one libuv loop (one per thread). Owns the built-in `internals`
// object, the module loader, native-object id tables and the unhandled-rejection bookkeeping.
#pragma once

#include <uv.h>
#include <v8.h>

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/js_sources.h"

namespace pactown::runtime {

class ModuleLoader;

struct IsolateHostOptions {
  bool useSnapshot = true;
  // When set, built-in JS is read from this source tree instead of the embedded copy (implies no
  // snapshot): edit js/ and rerun without rebuilding.
  std::string jsDir;
};

class IsolateHost {
 public:
  IsolateHost(uv_loop_t* loop, const IsolateHostOptions& options);
  ~IsolateHost();
  IsolateHost(const IsolateHost&) = delete;
  IsolateHost& operator=(const IsolateHost&) = delete;

  static IsolateHost* from(v8::Isolate* isolate) {
    return static_cast<IsolateHost*>(isolate->GetData(0));
  }

  v8::Isolate* isolate() const { return isolate_; }
  uv_loop_t* loop() const { return loop_; }
  v8::Local<v8::Context> context() const { return context_.Get(isolate_); }
  v8::Local<v8::Object> internals() const { return internals_.Get(isolate_); }
  ModuleLoader& modules() { return *modules_; }

  // internals.<a>.<b> as a function, cached; empty if missing. Call inside a HandleScope.
  v8::Local<v8::Function> internalFunction(const std::string& path);

  // Runs the microtask checkpoint and reports rejections nobody handled. Call after every entry
  // from native code into JS (CallbackScope does it).
  void afterCallback();

  // "file:line:column: message" plus the stack, for logs.
  std::string describeException(v8::Local<v8::Value> exception, v8::Local<v8::Message> message);
  void reportException(const v8::TryCatch& tryCatch, const char* what);

  // Called for each rejection still unhandled after a checkpoint (default: log it).
  std::function<void(const std::string&)> onUnhandledRejection;

  // The worker's entry module namespace (modules format), once loaded.
  v8::Global<v8::Value> entryNamespace;

  // Time origin for performance.now(), in ns from uv_hrtime().
  uint64_t timeOrigin() const { return timeOrigin_; }

 private:
  static void promiseRejectCallback(v8::PromiseRejectMessage message);

  uv_loop_t* loop_;
  v8::Isolate* isolate_ = nullptr;
  std::unique_ptr<v8::ArrayBuffer::Allocator> allocator_;
  v8::Global<v8::Context> context_;
  v8::Global<v8::Object> internals_;
  std::unique_ptr<ModuleLoader> modules_;
  std::unordered_map<std::string, v8::Global<v8::Function>> functionCache_;
  struct PendingRejection {
    v8::Global<v8::Promise> promise;
    v8::Global<v8::Value> reason;
  };
  std::vector<PendingRejection> pendingRejections_;
  uint64_t timeOrigin_;
  bool inCheckpoint_ = false;
  // Loop handles that pump V8's foreground tasks; heap-owned, freed by their close callbacks.
  struct PlatformPump;
  PlatformPump* pump_ = nullptr;
};

// Enters the host's context for a native → JS call; on exit runs microtasks and reports an
// exception left in the TryCatch (unless the caller consumed it with tryCatch.Reset()).
class CallbackScope {
 public:
  explicit CallbackScope(IsolateHost* host, const char* what = "Uncaught exception");
  ~CallbackScope();
  v8::TryCatch& tryCatch() { return tryCatch_; }
  v8::Local<v8::Context> context() const { return context_; }

 private:
  IsolateHost* host_;
  const char* what_;
  v8::Isolate::Scope isolateScope_;
  v8::HandleScope handleScope_;
  v8::Local<v8::Context> context_;
  v8::Context::Scope contextScope_;
  v8::TryCatch tryCatch_;
};

// Runs the built-in files in `context`, returning the `internals` object. A failing file aborts
// the process unless `tolerant` (then it is reported and the next file runs).
v8::Local<v8::Object> runBuiltins(v8::Isolate* isolate, v8::Local<v8::Context> context,
                                  const std::vector<JsSource>& sources, bool tolerant = false);

// The built-in sources: embedded, or read from `jsDir` (js/*.js then compat/*.js, sorted).
std::vector<JsSource> loadBuiltinSources(const std::string& jsDir,
                                         std::vector<std::string>* storage);

// Helpers for ops.
inline v8::Local<v8::String> v8str(v8::Isolate* isolate, std::string_view s) {
  return v8::String::NewFromUtf8(isolate, s.data(), v8::NewStringType::kNormal,
                                 static_cast<int>(s.size()))
      .ToLocalChecked();
}
std::string toStdString(v8::Isolate* isolate, v8::Local<v8::Value> value);
void throwTypeError(v8::Isolate* isolate, std::string_view message);
void throwError(v8::Isolate* isolate, std::string_view message);

}  // namespace pactown::runtime
