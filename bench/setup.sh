#!/usr/bin/env bash
# Installs what bench/run.sh needs; safe to run again (does nothing when all is there).
#   - wrk and nginx (the hello baseline; optional) from Debian, with apt-get;
#   - the anchors workerd, deno and bun from the npm registry into bench/.tools (gitignored),
#     at the versions below (override with WORKERD_VERSION=..., DENO_VERSION=..., BUN_VERSION=...);
#   - Node.js is the machine's (Node 20 or newer); its adapter needs no package.
# Prints one line per anchor saying whether it runs. A failed anchor is reported, not fatal: the
# harness skips runtimes it cannot start and says so in the results.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=$here/.tools

WORKERD_VERSION=${WORKERD_VERSION:-1.20261123.1}
DENO_VERSION=${DENO_VERSION:-2.9.6}
BUN_VERSION=${BUN_VERSION:-1.4.5}

sudo_cmd=()
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then sudo_cmd=(sudo); fi

apt_install() {
  # apt_install PACKAGE...: tries the current lists first, then once more after apt-get update.
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "$@" >/dev/null 2>&1 &&
    return 0
  if [ -z "${apt_updated:-}" ]; then
    "${sudo_cmd[@]}" apt-get update -q >/dev/null 2>&1
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q "$@" >/dev/null 2>&1
}

if ! command -v wrk >/dev/null; then
  echo "setup: installing wrk (apt-get)"
  apt_install wrk || { echo "setup: could not install wrk; the benchmark needs it" >&2; exit 1; }
fi
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "setup: installing nginx-light (apt-get) for the hello baseline"
  apt_install nginx-light || apt_install nginx ||
    echo "setup: nginx did not install; the hello baseline will be skipped" >&2
fi

if ! command -v npm >/dev/null; then
  echo "setup: npm not found; workerd, deno and bun cannot be installed" >&2
  exit 0
fi
mkdir -p "$tools"
if [ ! -f "$tools/package.json" ]; then
  echo '{"name": "pactown-bench-tools", "private": true}' >"$tools/package.json"
fi

installed_version() {
  node -p "require('$tools/node_modules/$1/package.json').version" 2>/dev/null
}

for spec in "workerd@$WORKERD_VERSION" "deno@$DENO_VERSION" "bun@$BUN_VERSION"; do
  name=${spec%@*}
  want=${spec#*@}
  if [ "$(installed_version "$name")" != "$want" ]; then
    echo "setup: npm install $spec"
    # One package per call, so one that fails does not stop the others. The packages ship their
    # binary in a per-platform optional dependency from the npm registry; their postinstall only
    # links it into place.
    if ! (cd "$tools" && npm install --no-audit --no-fund --loglevel=error "$spec" \
        >"$tools/npm-$name.log" 2>&1); then
      echo "setup: npm install $spec failed (see $tools/npm-$name.log)" >&2
    fi
  fi
done

# Report which anchors actually run (the harness finds the same binaries).
check() {
  local label=$1
  shift
  local bin
  for bin in "$@"; do
    if [ -x "$bin" ] && head -c4 "$bin" 2>/dev/null | grep -q ELF; then
      if out=$("$bin" --version 2>&1 | head -1); then
        echo "setup: $label ok: $out"
        return 0
      fi
    fi
  done
  echo "setup: $label NOT available" >&2
}
nm=$tools/node_modules
check workerd "$nm/@cloudflare/workerd-linux-64/bin/workerd" "$nm/workerd/bin/workerd" \
  "$nm/.bin/workerd"
check deno "$nm/@deno/linux-x64-glibc/deno" "$nm/deno/deno" "$nm/.bin/deno"
check bun "$nm/@oven/bun-linux-x64/bin/bun" "$nm/bun/bin/bun.exe" "$nm/.bin/bun"
if command -v node >/dev/null; then echo "setup: node ok: $(node --version)"; fi
if command -v nginx >/dev/null || [ -x /usr/sbin/nginx ]; then
  echo "setup: nginx ok: $( (nginx -v || /usr/sbin/nginx -v) 2>&1 | head -1)"
fi
echo "setup: wrk ok: $(wrk -v 2>&1 | head -1)"
