#!/usr/bin/env bash
# pactown-run against workerd, Deno, Bun and Node (nginx: hello baseline). See bench/README.md.
#   bench/run.sh [--quick] [--workloads a,b] [--runtimes x,y] [other bench.py options, see --help]
# Installs the tools (bench/setup.sh), builds pactown-run when it is missing and wanted, then runs
# the harness; results go to bench/results/<date>.md and .jsonl.
# Environment: PACTOWN_RUN=/path/to/pactown-run uses that binary instead of build/pactown-run;
# BENCH_NO_SETUP=1 skips bench/setup.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")

for arg in "$@"; do
  case $arg in -h | --help) exec python3 "$here/bench.py" --help ;; esac
done

if [ -z "${BENCH_NO_SETUP:-}" ]; then
  bash "$here/setup.sh"
fi

# Is pactown-run among the runtimes? (all are, unless --runtimes leaves it out)
wants_pactown=1
prev=
for arg in "$@"; do
  list=
  case $arg in
    --runtimes=*) list=${arg#--runtimes=} ;;
    *) if [ "$prev" = --runtimes ]; then list=$arg; fi ;;
  esac
  if [ -n "$list" ]; then
    case ",$list," in
      *,pactown-run,* | *,pactown,* | *,pt,*) wants_pactown=1 ;;
      *) wants_pactown= ;;
    esac
  fi
  prev=$arg
done

if [ -n "$wants_pactown" ] && [ -z "${PACTOWN_RUN:-}" ] && [ ! -x "$root/build/pactown-run" ]; then
  echo "run.sh: building pactown-run (cmake + ninja)"
  (cd "$root" && cmake -S . -B build -G Ninja && ninja -C build pactown-run) ||
    echo "run.sh: pactown-run did not build; it will be reported as not run" >&2
fi

exec python3 "$here/bench.py" "$@"
