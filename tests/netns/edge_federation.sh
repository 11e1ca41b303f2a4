#!/bin/bash
# edge_federation.sh N2N_EDGE N2N_SUPERNODE
#
# Our edges across two of our supernodes in one federation, in network namespaces made here,
# with real TAP devices: edge a registers at supernode 1, edge b at supernode 2 (started with
# -l supernode 1). Two cases: relayed only (-S1: every frame crosses both supernodes) and the
# default, where the edges find each other through the federation (QUERY_PEER forwarded to the
# member that knows the peer) and go peer to peer. Each: ping both ways and a 10 MiB TCP
# transfer (count and SHA-256). Skips (77) without root, /dev/net/tun or the binaries.
set -u
edge=${1:-}
supernode=${2:-}
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_require "ip ss ping python3 timeout" "$edge" "$supernode"
prefix="n2nk-f$$"
lab_init
. "$(dirname "$0")/../lib/overlay_checks.sh"
query="$(dirname "$0")/../lib/mgmt_query.py"
lab_bridge sn1=198.19.0.1 sn2=198.19.0.2 a=198.19.0.11 b=198.19.0.12 || exit 1
failures=0
run_case() {  # run_case NAME "EDGE OPTIONS" EXPECT(p2p|relayed)
  local name=$1 eopts=$2 expect=$3 s1 s2 ea eb
  echo "--- $name"
  lab_start s1 sn1 "$work/$name.sn1.log" "$supernode" -f -p 7654 -t 5645 -F n2nkitFedLab
  lab_wait_udp sn1 7654 "$s1"
  lab_start s2 sn2 "$work/$name.sn2.log" "$supernode" -f -p 7654 -t 5645 -F n2nkitFedLab \
    -l 198.19.0.1:7654
  lab_wait_udp sn2 7654 "$s2"
  # shellcheck disable=SC2086
  lab_start ea a "$work/$name.a.log" "$edge" -f -d n2n0 -c fedlab -A3 -k n2nkit-fed-key \
    -l 198.19.0.1:7654 -m 02:20:30:00:00:01 -a 10.98.0.1/24 -I edge-a $eopts
  # shellcheck disable=SC2086
  lab_start eb b "$work/$name.b.log" "$edge" -f -d n2n0 -c fedlab -A3 -k n2nkit-fed-key \
    -l 198.19.0.2:7654 -m 02:20:30:00:00:02 -a 10.98.0.2/24 -I edge-b $eopts
  local ok=1 why=""
  if wait_tap a 10 && wait_tap b 10; then
    overlay_check 10.98.0.1 10.98.0.2 "$work/$name" $((10 * 1024 * 1024)) 40
    ok=$overlay_ok why=$overlay_why
  else
    ok=0 why="no TAP address"
  fi
  # Where the frames went: our edge's packetstats (p2p vs super).
  local p2p
  p2p=$(in_ns a python3 "$query" 5644 packetstats 2>/dev/null |
    python3 -c 'import json,sys; r=[json.loads(l) for l in sys.stdin]; print(sum(x["tx_pkt"] for x in r if x["type"]=="p2p"))')
  echo "    edge a sent ${p2p:-?} frames peer to peer"
  if [ $ok -eq 1 ]; then
    if [ "$expect" = p2p ] && [ "${p2p:-0}" -eq 0 ]; then ok=0 why="no frame went peer to peer"; fi
    if [ "$expect" = relayed ] && [ "${p2p:-1}" -ne 0 ]; then ok=0 why="frames went peer to peer with -S1"; fi
  fi
  for p in "$s1" "$s2" "$ea" "$eb"; do
    kill -0 "$p" 2>/dev/null || { ok=0; why="${why:+$why; }a daemon died"; }
  done
  lab_stop "$ea"
  lab_stop "$eb"
  lab_stop "$s2"
  lab_stop "$s1"
  if [ $ok -eq 1 ]; then
    echo "PASS $name"
  else
    echo "FAIL $name: $why"
    failures=$((failures + 1))
    for f in sn1 sn2 a b; do
      echo "    --- $f log (last lines)"
      tail -8 "$work/$name.$f.log" | sed 's/^/    /'
    done
  fi
}
run_case federation-relayed "-S1" relayed
run_case federation-p2p "" p2p
echo "$failures failing"
[ "$failures" -eq 0 ]
