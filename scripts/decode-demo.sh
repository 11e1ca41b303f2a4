#!/bin/sh
# n2n-decode on a capture that n2nkit writes with its own encoders (lab/demo_capture.cpp): a
# supernode on a cloud VM, a home router and a laptop register, ping across the overlay and open
# a TCP connection, with AES payloads, zstd compression and header encryption. Printed for
# people, then the TCP SYN as JSON. Usage: scripts/decode-demo.sh [build-dir]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-"$here/build"}
"$here/scripts/install-deps.sh"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo ${N2NKIT_CMAKE_ARGS:-} >/dev/null
cmake --build "$build" --parallel --target n2n-decode n2nkit-demo-capture
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
# Exit 1 from n2n-decode is expected: the demo contains one deliberately undecodable datagram.
[ "$status" -le 1 ] || exit "$status"
