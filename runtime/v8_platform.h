// Process-wide V8 initialization: one platform for every isolate thread.
#pragma once

#include <uv.h>
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

// Registers (or, with nullptr, removes) the async handle that wakes `isolate`'s loop when V8 posts
// a foreground task from another thread.
void setPlatformWaker(v8::Isolate* isolate, uv_async_t* waker);

}  // namespace pactown::runtime
