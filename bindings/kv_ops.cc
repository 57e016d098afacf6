#include "bindings/kv_ops.h"

#include <memory>

namespace pactown::bindings {
namespace {

// The calling loop thread's store (one isolate and one loop per thread).
thread_local std::unique_ptr<storage::KvStore> threadStore;

}  // namespace

std::optional<std::string> initThreadKv(uv_loop_t* loop, const storage::KvStoreConfig& config) {
  std::string error;
  threadStore = storage::makeKvStore(loop, config, &error);
  if (!threadStore) return "cannot open the KV store: " + error;
  return std::nullopt;
}

void shutdownThreadKv() { threadStore.reset(); }

}  // namespace pactown::bindings
