#!/bin/bash
# route_tool.sh N2N_ROUTE N2N_EDGE N2N_SUPERNODE
#
# n2n-route on real edges, in network namespaces made here:
#
#   c (10.10.10.10, no default route) --lan0-- b: gateway edge 10.20.30.254 ==overlay== a: edge 10.20.30.1
#   a 198.19.0.11/24 and b 198.19.1.12/24 on one bridge, routed by sn (198.19.0.1, 198.19.1.1),
#   the supernode at 203.0.113.5 behind it: both edges reach the supernode and each other
#   through their default route, which an overlay default route would capture.
#
# Checks: `add 10.10.10.0/24 via 10.20.30.254` on a plus `gateway enable --lan lan0
# --masquerade` (nftables) and then `--snat 10.10.10.1 --firewall iptables` on b make c
# reachable from a (ping, TCP with SHA-256; c has no route back to the overlay, so only the
# gateway's NAT makes its replies possible); `list` explains the
# routes; enable twice = once; `undo` on both leaves ip route (all tables), iptables-save, nft
# list ruleset and net.ipv4.ip_forward byte-identical to before; the reference form
# `n2n-route -t PORT 10.20.30.254` adds the /1 routes and host routes to the supernode and to
# the peer via the underlay, removes them at SIGTERM, and after kill -9 `undo` removes them;
# `list` flags a default route through the overlay without the supernode's host route (exit 1,
# the fix), and supernode-route fixes it; dry runs change nothing; a route the kernel refuses is
# one line, exit 1, and leaves no journal. Skips (77) without root or /dev/net/tun.
set -u
tool=${1:-}
edge=${2:-}
supernode=${3:-}
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_require "ip ss ping python3 timeout nft iptables-save ip6tables-save sysctl setpriv" "$tool" "$edge" "$supernode"

prefix="nkrt-t$$"
lab_init
transfer="$(dirname "$0")/../lib/tcp_transfer.py"
lab_bridge sn=198.19.0.1 a=198.19.0.11 b=198.19.1.12 || exit 1
sn_ip=203.0.113.5
in_ns sn ip addr add 198.19.1.1/24 dev eth0
in_ns sn ip addr add "$sn_ip/32" dev lo
# Replies from the supernode's public address, as from a host on the internet.
in_ns sn ip route replace 198.19.0.0/24 dev eth0 src "$sn_ip"
in_ns sn ip route replace 198.19.1.0/24 dev eth0 src "$sn_ip"
in_ns sn sysctl -qw net.ipv4.ip_forward=1
# The router's redirects would send a and b to each other directly (and leave cached routes).
in_ns sn sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.eth0.send_redirects=0
in_ns a ip route add default via 198.19.0.1
in_ns b ip route add default via 198.19.1.1
lab_netns c || exit 1
ip link add lan0 netns "$prefix-b" type veth peer name eth0 netns "$prefix-c" || exit 1
in_ns b ip addr add 10.10.10.1/24 dev lan0
in_ns b ip link set lan0 up
in_ns c ip addr add 10.10.10.10/24 dev eth0
in_ns c ip link set eth0 up

failures=0
check() {  # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then echo "PASS $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}
eventually() {  # eventually SECONDS CMD...
  local _
  for _ in $(seq $(($1 * 10))); do
    "${@:2}" && return 0
    sleep 0.1
  done
  return 1
}
route() {  # route HOST ARGS... : n2n-route in HOST with HOST's own state directory
  local host=$1
  shift
  in_ns "$host" "$tool" --state-dir "$work/state-$host" "$@"
}
snapshot() {  # snapshot HOST : everything undo must restore
  in_ns "$1" ip route
  in_ns "$1" ip -4 route show table all
  in_ns "$1" iptables-save | grep -v '^#'
  in_ns "$1" ip6tables-save | grep -v '^#'
  in_ns "$1" nft list ruleset
  in_ns "$1" sysctl net.ipv4.ip_forward
}
same_as_before() {  # same_as_before HOST
  snapshot "$1" >"$work/now-$1" 2>&1
  if cmp -s "$work/before-$1" "$work/now-$1"; then return 0; fi
  diff "$work/before-$1" "$work/now-$1" | sed 's/^/    /'
  return 1
}
ping_c() { in_ns a ping -c 1 -W 1 10.10.10.10 >/dev/null 2>&1; }
route_is() { in_ns "$1" ip -4 route show "$2" 2>/dev/null | grep -q -- "$3"; }
no_journal() { [ ! -e "$work/state-$1/n2n-route.json" ]; }
tcp_to_c() {  # 1 MiB a -> c, byte count and SHA-256; c must see the gateway's address
  local rx
  lab_start rx c "$work/recv" timeout 20 python3 "$transfer" recv 10.10.10.10 5001
  listening() { in_ns c ss -Hltn "sport = :5001" | grep -q .; }
  eventually 3 listening
  in_ns a timeout 20 python3 "$transfer" send 10.10.10.10 5001 1048576 >"$work/send" 2>&1
  wait "$rx" 2>/dev/null
  local sent got
  sent=$(cat "$work/send")
  got=$(cut -d' ' -f1,2 "$work/recv" 2>/dev/null)
  echo "    sent: $sent; received: $(cat "$work/recv" 2>/dev/null)"
  [ -n "$got" ] && [ "$sent" = "$got" ]
}

lab_start sn_pid sn "$work/sn.log" "$supernode" -f -p 7654 -t 5645
lab_wait_udp sn 7654 "$sn_pid"
lab_start ea a "$work/a.log" "$edge" -f -d n2n0 -c rtool -A3 -k n2nkit-route-tool -t 5644 \
  -l "$sn_ip:7654" -m 02:20:30:00:00:01 -a 10.20.30.1/24 -i 5
lab_start eb b "$work/b.log" "$edge" -f -d n2n0 -c rtool -A3 -k n2nkit-route-tool -t 5644 \
  -l "$sn_ip:7654" -m 02:20:30:00:00:02 -a 10.20.30.254/24 -r -i 5
wait_tap a 10 && wait_tap b 10 || { echo "FAIL the edges have no TAP address"; exit 1; }
overlay_up() { in_ns a ping -c 1 -W 1 10.20.30.254 >/dev/null 2>&1; }
check "the overlay is up (a pings b's 10.20.30.254)" eventually 20 overlay_up
for h in a b; do snapshot "$h" >"$work/before-$h" 2>&1; done
check "before: c is not reachable from a" bash -c "! in_ns() { :; }; ! ip netns exec $prefix-a ping -c1 -W1 10.10.10.10 >/dev/null 2>&1"

# --- dry runs change nothing ------------------------------------------------------------------
route a add 10.10.10.0/24 via 10.20.30.254 --dry-run >"$work/dry" 2>&1
route b gateway enable --lan lan0 --masquerade --dry-run >>"$work/dry" 2>&1
route b gateway enable --lan lan0 --snat 10.10.10.1 --firewall iptables --dry-run --json >>"$work/dry" 2>&1
route a -t 5644 10.20.30.254 --dry-run >>"$work/dry" 2>&1
sed 's/^/    /' "$work/dry"
check "dry runs say what they would do" grep -q "would: add route 10.10.10.0/24 via 10.20.30.254 dev n2n0" "$work/dry"
check "the reference form's dry run names the supernode's host route" grep -q "would: add route $sn_ip/32 via 198.19.0.1 dev eth0" "$work/dry"
check "dry runs: a unchanged" same_as_before a
check "dry runs: b unchanged" same_as_before b
check "dry runs: no state directory" test ! -e "$work/state-a" -a ! -e "$work/state-b"

# --- a route the kernel refuses: one line, exit 1, no journal left ----------------------------
route a add 10.10.10.0/24 via 192.0.2.99 >"$work/out" 2>"$work/err"
status=$?
check "a gateway off every link: exit 1 ($status), one line: $(cat "$work/err")" \
  test "$status" -eq 1 -a "$(wc -l <"$work/err")" -eq 1
check "  ... naming the gateway" grep -q "is 192.0.2.99 reachable on n2n0" "$work/err"
check "  ... and nothing recorded" no_journal a
check "  ... and nothing changed" same_as_before a

# --- bad input on the gateway: one line, exit 2; without CAP_NET_ADMIN exit 3; nothing changes -
one_line_exit() {  # one_line_exit STATUS HOST ARGS...
  local want=$1 host=$2
  shift 2
  route "$host" "$@" >"$work/out" 2>"$work/err"
  local status=$?
  [ "$status" -eq "$want" ] && [ "$(wc -l <"$work/err")" -eq 1 ] && echo "    $(cat "$work/err")"
}
check "gateway enable --lan nkrt-none: exit 2" one_line_exit 2 b gateway enable --lan nkrt-none --masquerade
check "gateway enable without --snat or --masquerade: exit 2" one_line_exit 2 b gateway enable --lan lan0
check "gateway enable --snat 10.10.10.300: exit 2" one_line_exit 2 b gateway enable --lan lan0 --snat 10.10.10.300
check "gateway enable --firewall bogus: exit 2" one_line_exit 2 b gateway enable --lan lan0 --masquerade --firewall bogus
as_nobody() {  # the gateway enable without CAP_NET_ADMIN: exit 3 and the documented line
  in_ns b setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all \
    "$tool" --state-dir "$work/state-b" gateway enable --lan lan0 --masquerade >"$work/out" 2>"$work/err"
  local status=$?
  echo "    $(cat "$work/err")"
  [ "$status" -eq 3 ] && grep -qx "n2n-route: adding routes needs root or CAP_NET_ADMIN" "$work/err"
}
check "gateway enable as nobody: exit 3" as_nobody
b_untouched() { same_as_before b && [ ! -e "$work/state-b" ]; }
check "bad input: b unchanged, no journal" b_untouched

for variant in masquerade snat; do
  echo "--- gateway with $variant"
  if [ $variant = masquerade ]; then
    route b gateway enable --lan lan0 --masquerade >"$work/gw" 2>&1
  else
    route b gateway enable --lan lan0 --snat 10.10.10.1 --firewall iptables >"$work/gw" 2>&1
  fi
  status=$?
  sed 's/^/    /' "$work/gw"
  check "$variant: gateway enable exits 0" test $status -eq 0
  route a add 10.10.10.0/24 via 10.20.30.254 >"$work/add" 2>&1
  check "$variant: add exits 0" test $? -eq 0
  check "$variant: the route is there" route_is a 10.10.10.0/24 "via 10.20.30.254 dev n2n0"
  check "$variant: ip_forward on b" test "$(in_ns b sysctl -n net.ipv4.ip_forward)" = 1
  check "$variant: ping a -> c through the gateway" eventually 10 ping_c
  check "$variant: TCP a -> c, 1 MiB, SHA-256 matches" tcp_to_c
  # c has no route to the overlay: it can only have answered the gateway's LAN address.
  route a list >"$work/list" 2>&1
  status=$?
  sed 's/^/    /' "$work/list"
  check "$variant: list exits 0" test $status -eq 0
  check "$variant: list names the route and its origin" grep -q "from n2n-route add" "$work/list"
  # Twice is once: the second enable and add record nothing new and add no rule.
  snapshot b >"$work/once" 2>&1
  cp "$work/state-b/n2n-route.json" "$work/journal-once"
  if [ $variant = masquerade ]; then
    route b gateway enable --lan lan0 --masquerade >/dev/null 2>&1
  else
    route b gateway enable --lan lan0 --snat 10.10.10.1 --firewall iptables >/dev/null 2>&1
  fi
  route a add 10.10.10.0/24 via 10.20.30.254 >/dev/null 2>&1
  snapshot b >"$work/twice" 2>&1
  check "$variant: enable twice = once (rules)" cmp -s "$work/once" "$work/twice"
  check "$variant: enable twice = once (journal)" cmp -s "$work/journal-once" "$work/state-b/n2n-route.json"
  check "$variant: add twice = once (one change in a's journal)" \
    test "$(grep -c '"kind": "route_added"' "$work/state-a/n2n-route.json")" -eq 1
  route a undo >"$work/undo-a" 2>&1
  check "$variant: undo on a exits 0" test $? -eq 0
  route b undo >"$work/undo-b" 2>&1
  check "$variant: undo on b exits 0" test $? -eq 0
  sed 's/^/    /' "$work/undo-b"
  check "$variant: after undo a is byte-identical (routes, iptables, nft, ip_forward)" same_as_before a
  check "$variant: after undo b is byte-identical (routes, iptables, nft, ip_forward)" same_as_before b
  check "$variant: the journals are gone" bash -c "[ ! -e '$work/state-a/n2n-route.json' ] && [ ! -e '$work/state-b/n2n-route.json' ]"
  check "$variant: c is unreachable again" bash -c "! ip netns exec $prefix-a ping -c1 -W1 10.10.10.10 >/dev/null 2>&1"
done

# --- the reference form on a -------------------------------------------------------------------
query="$(dirname "$0")/../lib/mgmt_query.py"
peer_known() { in_ns a python3 "$query" 5644 edges sockaddr 2>/dev/null | grep -q 198.19.1.12; }
check "a knows b's socket (198.19.1.12) as a peer" eventually 20 peer_known
all_routes() {
  route_is a 0.0.0.0/1 "via 10.20.30.254 dev n2n0" && route_is a 128.0.0.0/1 "via 10.20.30.254 dev n2n0" &&
    route_is a "$sn_ip" "via 198.19.0.1 dev eth0" && route_is a 198.19.1.12 "via 198.19.0.1 dev eth0"
}
lab_start follow a "$work/follow.log" "$tool" --state-dir "$work/state-a" -t 5644 -v 10.20.30.254
check "reference form: /1 routes via the overlay, host routes to the supernode and the peer" eventually 10 all_routes
in_ns a ip -4 route show | sed 's/^/    /'
check "reference form: the overlay still works (a pings b)" eventually 10 overlay_up
route a list >"$work/list" 2>&1
check "reference form: list finds no problem (exit 0)" test $? -eq 0
lab_stop "$follow"
sed 's/^/    /' "$work/follow.log"
check "reference form: at SIGTERM every route it added is gone (a byte-identical)" same_as_before a
check "reference form: and its journal entries with them" no_journal a
lab_start follow a "$work/follow2.log" "$tool" --state-dir "$work/state-a" -t 5644 10.20.30.254
check "reference form, second run: routes again" eventually 10 all_routes
lab_stop "$follow" KILL
check "after kill -9 the routes are still there" all_routes
route a undo >"$work/undo" 2>&1
check "undo after kill -9 removes them (a byte-identical)" same_as_before a

# --- the reference form with -n: only that network, no host routes (nothing is captured) -------
lab_start follow a "$work/follow3.log" "$tool" --state-dir "$work/state-a" -t 5644 -n 10.10.10.0/24 10.20.30.254
check "reference form -n: the network via the overlay" eventually 10 route_is a 10.10.10.0/24 "via 10.20.30.254 dev n2n0"
check "reference form -n: no /1 routes, no host route to the supernode" \
  bash -c "! ip netns exec $prefix-a ip -4 route show | grep -qE '^(0.0.0.0/1|128.0.0.0/1|$sn_ip )'"
lab_stop "$follow"
check "reference form -n: at SIGTERM a is byte-identical" same_as_before a

# --- del: someone else's route is deleted and recorded, undo brings it back exactly -------------
in_ns a ip route add 192.168.77.0/24 via 198.19.0.1 metric 7
snapshot a >"$work/with-foreign" 2>&1
route a del 192.168.77.0/24 >"$work/del" 2>&1
check "del of a route n2n-route did not add: exit 0 ($(cat "$work/del"))" test $? -eq 0
check "  ... it is gone" bash -c "[ -z \"\$(ip netns exec $prefix-a ip -4 route show 192.168.77.0/24)\" ]"
route a del 192.168.77.0/24 >"$work/del" 2>&1
check "del twice = del once (exit 0, nothing to delete)" grep -q "nothing to delete" "$work/del"
route a undo >/dev/null 2>&1
snapshot a >"$work/now-a" 2>&1
check "undo brings it back exactly (proto, metric)" cmp -s "$work/with-foreign" "$work/now-a"
in_ns a ip route del 192.168.77.0/24 via 198.19.0.1 metric 7
check "del/undo: a byte-identical" same_as_before a

# --- the seed's failure, found and fixed ---------------------------------------------------------
in_ns a ip route add 0.0.0.0/1 via 10.20.30.254 dev n2n0
in_ns a ip route add 128.0.0.0/1 via 10.20.30.254 dev n2n0
route a list >"$work/list" 2>&1
status=$?
sed 's/^/    /' "$work/list"
check "list: a default route via n2n0 capturing the supernode is a problem (exit 1)" test $status -eq 1
check "list: and says the fix" grep -q "fix: n2n-route supernode-route" "$work/list"
route a supernode-route >"$work/snr" 2>&1
check "supernode-route exits 0: $(cat "$work/snr")" test $? -eq 0
check "supernode-route: the host route via the underlay gateway" route_is a "$sn_ip" "via 198.19.0.1 dev eth0"
route a list --json >"$work/list.json" 2>&1
check "list after the fix: exit 0 (only the peer may be left: it gets its own problem)" \
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert not [p for p in d["problems"] if "supernode" in p["problem"]], d' "$work/list.json"
route a undo >/dev/null 2>&1
in_ns a ip route del 0.0.0.0/1 via 10.20.30.254 dev n2n0
in_ns a ip route del 128.0.0.0/1 via 10.20.30.254 dev n2n0
check "undo of supernode-route: a byte-identical" same_as_before a

for p in "$sn_pid" "$ea" "$eb"; do
  kill -0 "$p" 2>/dev/null || { echo "FAIL a daemon died"; failures=$((failures + 1)); }
done
lab_stop "$ea"
lab_stop "$eb"
lab_stop "$sn_pid"
if [ $failures -ne 0 ]; then
  for f in a b sn follow follow2 follow3; do
    echo "--- $f log (last lines)"
    tail -12 "$work/$f.log" 2>/dev/null | sed 's/^/    /'
  done
fi
echo "$failures failing"
[ "$failures" -eq 0 ]
