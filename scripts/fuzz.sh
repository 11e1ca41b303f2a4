#!/bin/sh
# Builds every libFuzzer target (clang, ASan + UBSan) and runs each for a bounded time.
# Usage: scripts/fuzz.sh [seconds-per-target]   (default 30)
# Seeds: tests/fuzz/corpus/<target>/ if present, plus the UDP payloads of the shared captures.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
build="$here/build-fuzz"
"$here/scripts/install-deps.sh"
CC=clang CXX=clang++ cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DN2NKIT_FUZZ=ON -DN2NKIT_TOOLS=OFF ${N2NKIT_CMAKE_ARGS:-}
cmake --build "$build" --parallel
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shared=${N2NKIT_SHARED_DIR:-"$here/../shared"}
if [ -d "$shared/vectors/pcap" ]; then
  python3 "$here/scripts/fuzz-seeds.py" "$shared/vectors/pcap" "$work/seeds"
else
  echo "fuzz: no shared captures at $shared/vectors/pcap: fuzzing without capture seeds" >&2
fi
failed=0
count=0
for target in "$build"/tests/fuzz/fuzz-*; do
  [ -x "$target" ] || continue
  name=$(basename "$target")
  corpus="$work/$name"
  mkdir -p "$corpus"
  seeds="$here/tests/fuzz/corpus/${name#fuzz-}"
  [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/ 2>/dev/null || true
  [ -d "$work/seeds/${name#fuzz-}" ] && cp -r "$work/seeds/${name#fuzz-}"/. "$corpus"/
  count=$((count + 1))
  echo "== $name for ${seconds}s"
  if ! ASAN_OPTIONS=detect_leaks=1 "$target" -max_total_time="$seconds" -timeout=10 \
      -rss_limit_mb=2048 -print_final_stats=1 "$corpus" >"$work/$name.log" 2>&1; then
    echo "FAIL: $name" >&2
    tail -40 "$work/$name.log" >&2
    failed=$((failed + 1))
  else
    grep -E 'stat::number_of_executed_units|Done' "$work/$name.log" | tail -2
  fi
done
echo "fuzz: $((count - failed)) passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$count" -gt 0 ]
