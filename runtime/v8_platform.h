// Process-wide V8 initialization: one platform for every isolate thread.
#pragma once

#include <string_view>

namespace pactown::runtime {

struct V8Options {
  bool exposeGc = false;  // --expose-gc for tests and benchmarks
};

// Idempotent; call before any isolate is created.
void initV8(const V8Options& options = {});

}  // namespace pactown::runtime
