// `pactown-run --test file.js`: runs a test worker's test() exports inside the runtime.
#pragma once

#include <string>

#include "runtime/isolate_host.h"
#include "runtime/worker_loader.h"

namespace pactown::runtime {

// Returns the process exit code: 0 when every test passed (and at least one ran).
int runTestWorker(const WorkerSpec& spec, const IsolateHostOptions& options);

}  // namespace pactown::runtime
