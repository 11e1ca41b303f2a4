#!/bin/sh
# Runs ctest in a build directory; when tests fail, ends with the failing tests' own "FAIL"
# and "SKIPPED" lines, so that a CI log cut to its head and tail still says what failed.
# Usage: scripts/ctest-summary.sh BUILD_DIR [ctest options...]
set -u
build=$1
shift
if ctest --test-dir "$build" --output-on-failure --parallel "$(nproc)" "$@"; then
  exit 0
fi
log="$build/Testing/Temporary/LastTest.log"
echo "== what the failing tests said (FAIL lines from $log):"
grep -n -E "FAIL|ERROR:|is NOT correct|Timeout" "$log" | tail -n 60
exit 1
