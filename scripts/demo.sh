#!/bin/sh
# The main job, until the full lab network of issue #4 exists. Part 1: n2nkit writes a capture
# of a small n2n network with its own encoders (supernode on a cloud VM, a home router and a
# laptop; AES, zstd, header encryption) and n2n-decode reads it back, for people and as JSON.
# Part 2 (as root): the same network with the real daemons in network namespaces,
# n2n-supernode and two n2n-edge, pinging and moving 10 MiB across the overlay while
# n2n-decode watches the wire; a report of checks. Usage: scripts/demo.sh [build-dir]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
"$here/scripts/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${N2NKIT_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" --parallel --target n2n-decode n2nkit-demo-capture n2n-supernode n2n-edge
capture="$build/demo.pcap"
"$build/lab/n2nkit-demo-capture" "$capture"
echo
echo "== n2n-decode -r $capture -c demo-net -k demo-secret-key -A3 -H"
status=0
"$build/tools/n2n-decode/n2n-decode" -r "$capture" -c demo-net -k demo-secret-key -A3 -H || status=$?
echo
echo "== the TCP SYN as JSON (n2n-decode --json, one object per message)"
"$build/tools/n2n-decode/n2n-decode" -r "$capture" -c demo-net -k demo-secret-key -A3 -H --json \
  --no-summary | grep '"SYN"' | head -1 || true
echo
# Exit 1 from n2n-decode is expected: the demo contains one deliberately undecodable datagram.
[ "$status" -le 1 ] || exit "$status"
echo
echo "== the demo network with the real daemons (network namespaces): lab/overlay_demo.sh"
"$here/lab/overlay_demo.sh" "$build/tools/n2n-supernode/n2n-supernode" \
  "$build/tools/n2n-edge/n2n-edge" "$build/tools/n2n-decode/n2n-decode"
