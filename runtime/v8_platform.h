// Process-wide V8 initialization: one platform for every isolate thread.
#pragma once

#include <v8.h>

#include <string_view>

namespace pactown::runtime {

struct V8Options {
  bool exposeGc = false;  // --expose-gc for tests and benchmarks
};

// Idempotent; call before any isolate is created.
void initV8(const V8Options& options = {});

// Runs V8's pending foreground tasks for `isolate` (GC finalization, FinalizationRegistry
// cleanup, Wasm tiering). Loops call it once per iteration; it never blocks.
void pumpPlatformTasks(v8::Isolate* isolate);

}  // namespace pactown::runtime
