#!/usr/bin/env bash
# Installs everything pactown-run needs to build and test. Idempotent.
# V8 comes from Debian's libnode-dev; where an installed Node.js package blocks
# `apt-get install libnode-dev node-llhttp`, the .debs are downloaded and unpacked under
# third_party/root instead (see CMakeLists.txt, which looks there first).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

BUILD_PKGS=(build-essential cmake ninja-build pkg-config git ca-certificates clang-format
  libuv1-dev libssl-dev libsqlite3-dev libhiredis-dev libcurl4-openssl-dev zlib1g-dev libbrotli-dev
  nlohmann-json3-dev libcpptoml-dev libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev
  libicu-dev libc-ares2 libnghttp2-14 libuv1 libbrotli1)
TEST_PKGS=(redis-server python3 curl)

missing=()
for p in "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

have_v8() {
  [ -f /usr/include/node/v8.h ] && [ -f /usr/share/llhttp/llhttp.c ] && return 0
  [ -f third_party/root/usr/include/node/v8.h ] && [ -f third_party/root/usr/share/llhttp/llhttp.c ]
}
if ! have_v8; then
  if ! $SUDO apt-get install -y -qq --no-install-recommends libnode-dev node-llhttp >/dev/null 2>&1; then
    echo "setup: libnode-dev/node-llhttp not installable here (a Node.js package blocks them);" \
         "unpacking the Debian packages under third_party/root" >&2
    $SUDO apt-get update -qq || true
    mkdir -p third_party/debs third_party/root
    (cd third_party/debs && apt-get download libnode-dev libnode108 node-llhttp >/dev/null 2>&1)
    for d in third_party/debs/*.deb; do dpkg -x "$d" third_party/root; done
  fi
fi
have_v8 || { echo "setup: V8 headers or llhttp sources still missing" >&2; exit 1; }
echo "setup: dependencies ready"
