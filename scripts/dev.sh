#!/usr/bin/env bash
# One entry point for the README's two commands:
#   scripts/dev.sh run [worker.js] [pactown-run options]   set up, build, serve (default: examples/hello)
#   scripts/dev.sh test                                    set up, build, run every test (ctest)
# Environment: BUILD_DIR (default build), BUILD_TYPE (default RelWithDebInfo), CMAKE_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
cmd=${1:-run}
shift || true
BUILD_DIR=${BUILD_DIR:-build}

bash scripts/setup.sh
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" ${CMAKE_ARGS:-} >/dev/null
ninja -C "$BUILD_DIR"

case "$cmd" in
  run)
    if [ $# -eq 0 ]; then set -- examples/hello/worker.js; fi
    exec "$BUILD_DIR/pactown-run" "$@"
    ;;
  test)
    # Storage tests need a real redis-server; tests start their own on a free loopback port.
    exec ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh run [worker.js] [options] | test" >&2
    exit 2
    ;;
esac
