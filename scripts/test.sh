#!/bin/sh
# Builds n2nkit and runs every test (unit, conformance against ../shared, tool checks).
# Usage: scripts/test.sh [build-dir]   (default: build)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
"$here/scripts/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${N2NKIT_CMAKE_ARGS:-}
cmake --build "$build" --parallel
"$here/scripts/ctest-summary.sh" "$build"
