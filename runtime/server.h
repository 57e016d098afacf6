// Serving: N threads, each with its own libuv loop, V8 isolate (the worker instantiated once per
// isolate) and HttpServer on the shared port (SO_REUSEPORT). SIGINT/SIGTERM drain and exit 0.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "runtime/http_server.h"
#include "runtime/isolate_host.h"
#include "runtime/worker_loader.h"

namespace pactown::runtime {

struct ServeHooks {
  // Hands a request to the worker (bindings/http_ops.cc), on the exchange's loop thread.
  std::function<void(IsolateHost*, std::shared_ptr<HttpExchange>)> dispatch;
  // Requests and waitUntil promises still pending on the calling thread.
  std::function<size_t()> pendingWork;
  // Called once per loop iteration (log flushing).
  std::function<void()> afterIteration;
  // Per-thread set-up before the worker loads (e.g. the thread's KV store) and tear-down after
  // the isolate is gone; a non-empty string from threadStart is a start-up error.
  std::function<std::string(uv_loop_t*)> threadStart;
  std::function<void()> threadStop;
};

struct ServeOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8787;
  int threads = 1;
  uint64_t drainTimeoutMs = 30'000;
  WorkerSpec worker;
  IsolateHostOptions isolate;
  HttpServerOptions http;  // host/port/reusePort are filled from the fields above
};

// Runs until SIGINT/SIGTERM, then drains. Returns the process exit code.
int serve(const ServeOptions& options, const ServeHooks& hooks);

}  // namespace pactown::runtime
