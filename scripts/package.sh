#!/bin/sh
# Builds the Debian package and tests it on this machine (installs, checks, purges): see
# tests/packaging/deb_package.sh. Needs root. Reuses the build directory of scripts/test.sh.
# Usage: scripts/package.sh [build-dir]   (default: build)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
start=$(date +%s)
"$here/scripts/install-deps.sh"
if [ ! -f "$build/CMakeCache.txt" ]; then
  # N2NKIT_CMAKE_ARGS holds several arguments, as in scripts/test.sh.
  # shellcheck disable=SC2086
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${N2NKIT_CMAKE_ARGS:-}
else
  # Picks up CPack settings changed since the build directory was configured.
  cmake "$build" >/dev/null
fi
cmake --build "$build" --parallel
N2NKIT_PACKAGE_TEST=1 "$here/tests/packaging/deb_package.sh" "$build"
echo "package.sh: $(($(date +%s) - start)) s"
