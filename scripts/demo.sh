#!/bin/sh
# The main job: builds n2nkit, then runs the lab (lab/run): the network of the field report in
# network namespaces, with n2n-supernode and three n2n-edge, and a report of every check.
# Usage: scripts/demo.sh [build-dir] [lab/run options, e.g. --no-mss-clamp, --json, --ref DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build="$here/build"
case "${1:-}" in
  ""|-*) ;;
  *) build=$1; shift ;;
esac
"$here/scripts/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${N2NKIT_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" --parallel --target n2n-supernode n2n-edge
exec "$here/lab/run" --build "$build" "$@"
