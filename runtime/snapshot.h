// The startup snapshot: built at build time by runtime/snapshot_main.cc, embedded into pactown-run
// with .incbin (symbols pt_snapshot_blob / pt_snapshot_blob_end).
#pragma once

#include <v8.h>

#include <string>

namespace pactown::runtime {

// The embedded blob, or {nullptr, 0} in binaries built without one (unit tests).
v8::StartupData embeddedSnapshot();

// Runs the built-in JS in a fresh isolate under SnapshotCreator and returns the blob bytes.
std::string createSnapshotBlob();

}  // namespace pactown::runtime
