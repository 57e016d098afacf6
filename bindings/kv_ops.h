// Workers KV ops: the bridge between compat/50_kv.js (KVNamespace) and storage::KvStore.
// Each loop thread owns one store (storage/ is single-threaded per loop).
#pragma once

#include <uv.h>

#include <optional>
#include <string>

#include "storage/kv_store.h"

namespace pactown::bindings {

// Creates the calling thread's KV store on `loop`; returns an error message on failure. Call on
// the loop thread before the worker is loaded.
std::optional<std::string> initThreadKv(uv_loop_t* loop, const storage::KvStoreConfig& config);

// Destroys the calling thread's store (pending callbacks are dropped). Keep running the loop
// afterwards so its handles close.
void shutdownThreadKv();

}  // namespace pactown::bindings
