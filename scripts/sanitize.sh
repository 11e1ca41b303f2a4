#!/bin/sh
# Builds the unit and conformance tests with AddressSanitizer + UndefinedBehaviorSanitizer
# and runs them. Usage: scripts/sanitize.sh [build-dir]   (default: build-asan)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build-asan"}
"$here/scripts/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DN2NKIT_SANITIZE=ON \
  -DN2NKIT_BENCH=OFF ${N2NKIT_CMAKE_ARGS:-}
cmake --build "$build" --parallel
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS="suppressions=$here/tests/support/lsan.supp:print_suppressions=0" \
  "$here/scripts/ctest-summary.sh" "$build"
