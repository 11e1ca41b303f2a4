#!/bin/bash
# edge_routes.sh N2N_EDGE N2N_SUPERNODE
#
# Routes that last, in network namespaces made here, with real TAP devices and real TCP:
#
#   c (10.10.10.10) --- b: gateway edge -r, 10.20.30.254 ==overlay== a: edge 10.20.30.1
#                          \__________ bridge 198.19.0.0/24 __________/
#                                          |
#                          sn: supernode at 203.0.113.5, the hosts' default gateway
#
# Edge a runs as `nobody` with -n 10.10.10.0/24:10.20.30.254 and -n 0.0.0.0/0:10.20.30.254:
# the supernode (reached through the underlay's default route) needs a host route, added
# first. Checks: the routes and the host route are there; ping and a 10 MiB TCP transfer (count
# and SHA-256) from a to c, the LAN behind the gateway edge; a deleted route comes back; the TAP
# set down comes back up with its routes (so CAP_NET_ADMIN was kept); at exit every route the
# edge added goes, and the underlay's default route stays; a restarted edge has its routes
# again; a restarted supernode is found again. Skips (77) without root or /dev/net/tun.
set -u
edge=${1:-}
supernode=${2:-}
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_require "ip ss ping python3 timeout" "$edge" "$supernode"
id nobody >/dev/null 2>&1 || { echo "SKIPPED: no user nobody"; exit 77; }

prefix="n2nk-r$$"
lab_init
transfer="$(dirname "$0")/../lib/tcp_transfer.py"
query="$(dirname "$0")/../lib/mgmt_query.py"
lab_bridge sn=198.19.0.1 a=198.19.0.11 b=198.19.0.12 || exit 1
# The supernode's public address is off the bridge's subnet: the hosts reach it through their
# default route, which an overlay default route would capture.
sn_ip=203.0.113.5
in_ns sn ip addr add "$sn_ip/32" dev lo
in_ns sn ip route replace 198.19.0.0/24 dev eth0 src "$sn_ip"
in_ns sn sysctl -qw net.ipv4.ip_forward=1
for h in a b; do in_ns "$h" ip route add default via 198.19.0.1; done
# The LAN behind the gateway edge b.
lab_netns c || exit 1
ip link add lan0 netns "$prefix-b" type veth peer name eth0 netns "$prefix-c" || exit 1
in_ns b ip addr add 10.10.10.1/24 dev lan0
in_ns b ip link set lan0 up
in_ns b sysctl -qw net.ipv4.ip_forward=1
in_ns c ip addr add 10.10.10.10/24 dev eth0
in_ns c ip link set eth0 up
in_ns c ip route add default via 10.10.10.1

failures=0
check() {  # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then echo "PASS $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
eventually() {  # eventually SECONDS CMD... : true once CMD succeeds
  local _
  for _ in $(seq $(($1 * 10))); do
    "${@:2}" && return 0
    sleep 0.1
  done
  return 1
}
route_is() {  # route_is HOST DST PATTERN : `ip route show DST` matches PATTERN
  in_ns "$1" ip -4 route show "$2" 2>/dev/null | grep -q -- "$3"
}
no_route() {  # no_route HOST DST
  [ -z "$(in_ns "$1" ip -4 route show "$2" 2>/dev/null)" ]
}
lan_route() { route_is a 10.10.10.0/24 "via 10.20.30.254 dev n2n0"; }
all_routes() {
  lan_route && route_is a 0.0.0.0/1 "via 10.20.30.254 dev n2n0" &&
    route_is a 128.0.0.0/1 "via 10.20.30.254 dev n2n0" &&
    route_is a "$sn_ip" "via 198.19.0.1 dev eth0"
}
ping_c() { in_ns a ping -c 1 -W 1 10.10.10.10 >/dev/null 2>&1; }

start_sn() { lab_start sn_pid sn "$work/sn.log" "$supernode" -f -p 7654 -t 5645; }
start_a() {
  lab_start ea a "$work/a$1.log" "$edge" -f -d n2n0 -c routes -A3 -k n2nkit-routes-key \
    -l "$sn_ip:7654" -m 02:20:30:00:00:01 -a 10.20.30.1/24 -u nobody -g nogroup -i 5 \
    -n 10.10.10.0/24:10.20.30.254 -n 0.0.0.0/0:10.20.30.254
}
start_sn
lab_wait_udp sn 7654 "$sn_pid"
lab_start eb b "$work/b.log" "$edge" -f -d n2n0 -c routes -A3 -k n2nkit-routes-key \
  -l "$sn_ip:7654" -m 02:20:30:00:00:02 -a 10.20.30.254/24 -r -i 5
start_a 1

check "the -n routes and a host route to the supernode via the underlay gateway" \
  eventually 10 all_routes
in_ns a ip -4 route show | sed 's/^/    /'
check "the underlay's default route is untouched" route_is a default "via 198.19.0.1 dev eth0"
check "ping a -> c (the LAN behind the gateway edge) through the overlay" eventually 15 ping_c

bytes=$((10 * 1024 * 1024))
lab_start rx c "$work/recv" timeout 90 python3 "$transfer" recv 10.10.10.10 5001
listening() { in_ns c ss -Hltn "sport = :5001" | grep -q .; }
eventually 3 listening
in_ns a timeout 90 python3 "$transfer" send 10.10.10.10 5001 "$bytes" >"$work/send" 2>&1
wait "$rx" 2>/dev/null
sent=$(cat "$work/send")
got=$(cut -d' ' -f1,2 "$work/recv" 2>/dev/null)
echo "    sent: $sent; received: $(cat "$work/recv" 2>/dev/null)"
check "10 MiB TCP a -> c: byte count and SHA-256 match" test -n "$got" -a "$sent" = "$got"

in_ns a ip route del 10.10.10.0/24
check "a deleted -n route is added again (edge running as nobody)" eventually 5 lan_route
in_ns a ip link set n2n0 down
check "the TAP set down comes back up with every route" eventually 5 all_routes
check "ping a -> c again" eventually 10 ping_c

lab_stop "$ea"
check "at exit the LAN route is removed" no_route a 10.10.10.0/24
check "at exit the host route to the supernode is removed" no_route a "$sn_ip"
check "at exit the default route is the underlay's again" route_is a default "via 198.19.0.1 dev eth0"

start_a 2
check "a restarted edge has its routes again" eventually 10 all_routes
check "ping a -> c after the edge's restart" eventually 15 ping_c

lab_stop "$sn_pid"
start_sn
lab_wait_udp sn 7654 "$sn_pid"
# Both edges register again within one interval (-i 5 here).
sn_edges() { [ "$(in_ns sn python3 "$query" 5645 edges macaddr 2>/dev/null | wc -l)" -eq 2 ]; }
t0=$SECONDS
check "after a restart of the supernode both edges are registered again" eventually 20 sn_edges
echo "    (both edges registered again $((SECONDS - t0)) s after the supernode's restart)"
check "ping a -> c after the supernode's restart" eventually 10 ping_c
for p in "$sn_pid" "$ea" "$eb"; do
  kill -0 "$p" 2>/dev/null || { echo "FAIL a daemon died"; failures=$((failures + 1)); }
done
lab_stop "$ea"
lab_stop "$eb"
lab_stop "$sn_pid"
if [ $failures -ne 0 ]; then
  for f in a1 a2 b sn; do
    echo "--- $f log (last lines)"
    tail -12 "$work/$f.log" 2>/dev/null | sed 's/^/    /'
  done
fi
echo "$failures failing"
[ "$failures" -eq 0 ]
