#!/bin/bash
# overlay_demo.sh N2N_SUPERNODE N2N_EDGE N2N_DECODE
#
# The demo network with real daemons, in network namespaces made here and always removed: a
# cloud VM running n2n-supernode, a home router and a laptop running n2n-edge (AES, zstd,
# header encryption, community "demo-net"), all on one bridge standing for the internet.
# n2n-decode captures on the bridge while the laptop pings the router across the overlay and
# sends it 10 MiB over TCP. Prints a report: each check, what it proves, PASS or FAIL; exit 0
# only if every check passed. Needs root (namespaces, TAP devices).
set -u
supernode=$1
edge=$2
decode=$3
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
  echo "overlay demo SKIPPED: needs root and /dev/net/tun (network namespaces, TAP devices)"
  exit 77
fi
prefix="n2nk-demo$$"
. "$(dirname "$0")/../tests/lib/bridge_lab.sh"
lab_init
transfer="$(dirname "$0")/../tests/lib/tcp_transfer.py"
lab_bridge cloud=198.19.0.1 router=198.19.0.20 laptop=198.19.0.30 || exit 1
printf 'demo-net\n' >"$work/community.list"
checks=0
failed=0
check() {  # check OK(0|1) WHAT PROOF
  checks=$((checks + 1))
  if [ "$1" -eq 1 ]; then
    printf '  PASS  %s\n        %s\n' "$2" "$3"
  else
    printf '  FAIL  %s\n        %s\n' "$2" "$3"
    failed=$((failed + 1))
  fi
}

lab_start sn cloud "$work/supernode.log" "$supernode" -f -p 7654 -c "$work/community.list"
lab_wait_udp cloud 7654 "$sn"
lab_start dec lan "$work/decode.log" "$decode" -i br0 -c demo-net -k demo-secret-key -A3 -H \
  --no-summary
sleep 0.5
common=(-f -d n2n0 -c demo-net -k demo-secret-key -A3 -H -z2 -l 198.19.0.1:7654)
lab_start router_pid router "$work/router.log" "$edge" "${common[@]}" -a 10.77.0.1/24 \
  -m 02:00:00:77:00:01 -I home-router
lab_start laptop_pid laptop "$work/laptop.log" "$edge" "${common[@]}" -a 10.77.0.2/24 \
  -m 02:00:00:77:00:02 -I laptop
wait_tap router 10
wait_tap laptop 10
laptop_ip=$(tap_addr laptop)
echo "n2nkit demo: supernode on the cloud VM (198.19.0.1:7654), edges on the home router"
echo "(10.77.0.1) and the laptop (${laptop_ip:-none})"
echo
up=0
for _ in $(seq 10); do in_ns laptop ping -c 1 -W 1 10.77.0.1 >/dev/null 2>&1 && { up=1; break; }; done
check $up "the laptop reaches the router across the overlay" \
  "both edges registered with the supernode and a ping crossed"
in_ns laptop ping -c 5 -i 0.2 -W 2 10.77.0.1 >"$work/ping.log" 2>&1
received=$(grep -o '[0-9]* received' "$work/ping.log" | cut -d' ' -f1)
check $([ "${received:-0}" = 5 ] && echo 1 || echo 0) "5 of 5 pings answered" \
  "$(grep -o 'rtt.*' "$work/ping.log" || echo 'no replies')"
lab_start rx router "$work/recv.log" timeout 60 python3 "$transfer" recv 10.77.0.1 5001
for _ in $(seq 30); do in_ns router ss -Hltn "sport = :5001" | grep -q . && break; sleep 0.1; done
in_ns laptop timeout 60 python3 "$transfer" send 10.77.0.1 5001 $((10 * 1024 * 1024)) \
  >"$work/send.log" 2>&1
wait "$rx" 2>/dev/null
sent=$(cat "$work/send.log" 2>/dev/null)
got=$(cut -d' ' -f1,2 "$work/recv.log" 2>/dev/null)
secs=$(cut -d' ' -f3 "$work/recv.log" 2>/dev/null)
ok=$([ -n "$got" ] && [ "$sent" = "$got" ] && echo 1 || echo 0)
check "$ok" "10 MiB over TCP from the laptop to the router, SHA-256 identical" \
  "AES payloads, zstd compression and header encryption on every datagram (${secs:-?} s)"
# The router's management port, as the reference's n2n-ctl reads it (spec §13).
edges_json=$(in_ns router python3 -c '
import json, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(b"r 7 edges", ("127.0.0.1", 5644))
rows = []
while True:
    j = json.loads(s.recv(2048))
    if j["_type"] == "row":
        rows.append(j)
    elif j["_type"] in ("end", "error"):
        break
print(" ".join("%s %s %s" % (r["mode"], r["macaddr"], r["desc"]) for r in rows))
' 2>&1)
check $(echo "$edges_json" | grep -q "p2p 02:00:00:77:00:02 laptop" && echo 1 || echo 0) \
  "the router's management API lists the laptop as a direct (p2p) peer" \
  "r 7 edges on 127.0.0.1:5644: ${edges_json:-no answer}"
lab_stop "$laptop_pid"
lab_stop "$router_pid"
sleep 0.5
lab_stop "$dec" INT
messages=$(grep -c . "$work/decode.log")
types=$(grep -oE 'REGISTER_SUPER_ACK|REGISTER_SUPER|PACKET|REGISTER_ACK|QUERY_PEER|PEER_INFO|UNREGISTER_SUPER' \
  "$work/decode.log" | sort -u | tr '\n' ' ')
check $([ "$messages" -gt 20 ] && echo 1 || echo 0) \
  "n2n-decode decoded the live traffic on the bridge ($messages messages)" \
  "message types seen: ${types:-none}"
check $(grep -q UNREGISTER_SUPER "$work/decode.log" && echo 1 || echo 0) \
  "the edges said goodbye on SIGTERM" "UNREGISTER_SUPER from both edges reached the supernode"
echo
echo "first decoded messages (n2n-decode -i br0):"
head -8 "$work/decode.log" | sed 's/^/  /'
lab_stop "$sn"
echo
echo "overlay demo: $((checks - failed)) of $checks checks passed"
[ "$failed" -eq 0 ]
