#include "runtime/test_mode.h"

#include <cstdio>

#include "runtime/loop_util.h"

namespace pactown::runtime {
namespace {

// Loads the test worker and runs its tests; the isolate lives exactly as long as this call.
int runWithIsolate(uv_loop_t* loop, const WorkerSpec& spec, const IsolateHostOptions& options) {
  IsolateHost host(loop, options);
  {
    CallbackScope scope(&host);
    host.internalFunction("testRunner.installTestGlobals")
        ->Call(scope.context(), v8::Undefined(host.isolate()), 0, nullptr)
        .ToLocalChecked();
  }
  std::string error;
  if (!loadWorker(host, spec, &error)) {
    fprintf(stderr, "%s\n", error.c_str());
    fprintf(stdout, "0 passed, 1 failed\n");
    return 1;
  }
  v8::Global<v8::Promise> result;
  {
    CallbackScope scope(&host);
    v8::Local<v8::Value> args[] = {workerNamespace(host)};
    v8::Local<v8::Value> ret;
    if (host.internalFunction("testRunner.run")
            ->Call(scope.context(), v8::Undefined(host.isolate()), 1, args)
            .ToLocal(&ret) &&
        ret->IsPromise()) {
      result.Reset(host.isolate(), ret.As<v8::Promise>());
    }
  }
  v8::Isolate::Scope isolateScope(host.isolate());
  v8::HandleScope handleScope(host.isolate());
  auto state = [&] {
    return result.IsEmpty() ? v8::Promise::kRejected : result.Get(host.isolate())->State();
  };
  // Run the loop until the run settles. With no handle left, V8 may still be working in the
  // background (async Wasm compilation posts its result as a platform task that wakes the loop),
  // so an empty loop gets a grace period of 10 ms ticks before the test counts as hung.
  uv_timer_t grace;
  uv_timer_init(loop, &grace);
  int idleTicks = 0;
  while (state() == v8::Promise::kPending) {
    if (uv_run(loop, UV_RUN_ONCE) != 0) {
      idleTicks = 0;
    } else {
      if (++idleTicks > 300) break;
      uv_timer_start(
          &grace, [](uv_timer_t*) {}, 10, 0);
    }
    host.afterCallback();
  }
  // The timer lives on this frame: finish its close before returning.
  bool graceClosed = false;
  grace.data = &graceClosed;
  uv_close(reinterpret_cast<uv_handle_t*>(&grace),
           [](uv_handle_t* h) { *static_cast<bool*>(h->data) = true; });
  while (!graceClosed) uv_run(loop, UV_RUN_NOWAIT);
  int code = 1;
  if (state() == v8::Promise::kFulfilled) {
    code = result.Get(host.isolate())->Result()->Int32Value(host.context()).FromMaybe(1);
  } else if (state() == v8::Promise::kPending) {
    fprintf(stderr, "test worker never finished: a promise was left pending with no I/O\n");
    fprintf(stdout, "0 passed, 1 failed\n");
  }
  result.Reset();
  return code;
}

}  // namespace

int runTestWorker(const WorkerSpec& spec, const IsolateHostOptions& options,
                  const TestHooks& hooks) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  int code = 1;
  std::string startError = hooks.threadStart ? hooks.threadStart(&loop) : "";
  if (!startError.empty()) {
    fprintf(stderr, "%s\n", startError.c_str());
    fprintf(stdout, "0 passed, 1 failed\n");
  } else {
    code = runWithIsolate(&loop, spec, options);
  }
  if (hooks.threadStop) hooks.threadStop();
  closeLoop(&loop);
  return code;
}

}  // namespace pactown::runtime
