#!/bin/sh
# run.sh [BENCH_BINARY] [bench-supernode-scale options...]
# Runs the supernode scale benchmark (building it first when no binary is given) and prints the
# table that bench/RESULTS.md records. Options: --edges N --communities N --seconds S --pps N
# --broadcast-share F --no-he --no-plain (see bench-supernode-scale --help).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -gt 0 ] && [ -x "$1" ]; then
  bin=$1
  shift
else
  build=${BUILD_DIR:-$root/build-bench}
  cmake -S "$root" -B "$build" -G Ninja -DN2NKIT_TOOLS=OFF >/dev/null
  ninja -C "$build" bench-supernode-scale >/dev/null
  bin=$build/bench/supernode/bench-supernode-scale
fi
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
exec "$bin" "$@"
