// Build-time tool: evaluates the built-in JS under v8::SnapshotCreator and writes the blob that
// CMake embeds into pactown-run.
#include <cstdio>
#include <fstream>

#include "runtime/snapshot.h"
#include "runtime/v8_platform.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: pactown-snapshot OUTPUT\n");
    return 2;
  }
  pactown::runtime::initV8();
  std::string blob = pactown::runtime::createSnapshotBlob();
  std::ofstream out(argv[1], std::ios::binary);
  out.write(blob.data(), static_cast<std::streamsize>(blob.size()));
  if (!out) {
    fprintf(stderr, "pactown-snapshot: cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
