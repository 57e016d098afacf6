// Resolves the embedded snapshot. Binaries without a blob link runtime/snapshot_none.cc instead,
// which defines the two symbols as an empty range.
#include "runtime/snapshot.h"

extern "C" const char pt_snapshot_blob[];
extern "C" const char pt_snapshot_blob_end[];

namespace pactown::runtime {

v8::StartupData embeddedSnapshot() {
  int size = static_cast<int>(pt_snapshot_blob_end - pt_snapshot_blob);
  if (size <= 0) return {nullptr, 0};
  return {pt_snapshot_blob, size};
}

}  // namespace pactown::runtime
