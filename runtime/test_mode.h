// `pactown-run --test file.js`: runs a test worker's test() exports inside the runtime.
#pragma once

#include <functional>
#include <string>

#include "runtime/isolate_host.h"
#include "runtime/worker_loader.h"

namespace pactown::runtime {

struct TestHooks {
  std::function<std::string(uv_loop_t*)> threadStart;  // as ServeHooks::threadStart
  std::function<void()> threadStop;
};

// Returns the process exit code: 0 when every test passed (and at least one ran).
int runTestWorker(const WorkerSpec& spec, const IsolateHostOptions& options,
                  const TestHooks& hooks = {});

}  // namespace pactown::runtime
