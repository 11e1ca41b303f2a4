#!/bin/bash
# firewall_owners.sh FIREWALL_DRIVER
# core/firewall's owners on a real firewall, for nft, iptables-nft and iptables-legacy: the MSS
# clamp and the gateway (forward accepts, NAT: masquerade and SNAT) installed side by side;
# NAT really translates the overlay's source address; undoing one owner leaves the other's
# rules and an unrelated rule exactly as they were; apply twice = once; undoing both restores
# the ruleset byte for byte (counters aside). One namespace pair, nothing outside it.
set -u
export LC_ALL=C
driver=$1
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../lib/bridge_lab.sh"
lab_require "nft iptables-nft iptables-legacy ip6tables-nft ip6tables-legacy python3" "$driver"

prefix=nkmss-fw$$
lab_init
export N2NKIT_STATE_DIR=$work/state
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
ok() { echo "ok: $*"; }

# overlay side (10.78.0.0/24 on ov0) -- gw -- LAN side (192.168.78.0/24 on lan0)
lab_netns peer || exit 1
lab_netns gw || exit 1
lab_netns lanhost || exit 1
ip link add ov0 netns "$prefix-gw" type veth peer name eth0 netns "$prefix-peer"
ip link add lan0 netns "$prefix-gw" type veth peer name eth0 netns "$prefix-lanhost"
for h in peer lanhost; do in_ns $h ip link set eth0 up; done
in_ns gw ip link set ov0 up
in_ns gw ip link set lan0 up
in_ns peer ip addr add 10.78.0.2/24 dev eth0
in_ns peer ip route add default via 10.78.0.1
in_ns gw ip addr add 10.78.0.1/24 dev ov0
in_ns gw ip addr add 192.168.78.1/24 dev lan0
in_ns gw ip addr add 192.168.78.5/24 dev lan0
in_ns lanhost ip addr add 192.168.78.2/24 dev eth0
in_ns gw sysctl -qw net.ipv4.ip_forward=1
in_ns gw iptables-nft -A INPUT -s 192.0.2.99 -m comment --comment "not n2nkit" -j DROP
in_ns gw iptables-legacy -A INPUT -s 192.0.2.98 -j DROP
in_ns gw nft add table ip someone_else
in_ns gw nft add chain ip someone_else c
in_ns gw nft add rule ip someone_else c ip saddr 192.0.2.97 counter
for t in mangle filter nat; do
  in_ns gw iptables-legacy -t $t -S >/dev/null
  in_ns gw ip6tables-legacy -t $t -S >/dev/null 2>&1
done
mkdir -p "$work/state"

drive() { in_ns gw "$driver" "$@"; }  # always inside gw, never on this host

snapshot() {
  {
    in_ns gw nft list ruleset 2>&1 | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/'
    for p in iptables-nft ip6tables-nft iptables-legacy ip6tables-legacy; do
      echo "== $p-save"
      in_ns gw "$p-save" 2>&1 | grep -v '^#' | sed -E 's/\[[0-9]+:[0-9]+\]/[counters]/'
    done
    in_ns gw ip route
  } >"$1"
}
same() {  # LABEL A B
  if diff -u "$2" "$3" >"$work/diff"; then ok "$1"; else fail "$1: $(cat "$work/diff")"; fi
}
# The source address the LAN host sees for a UDP datagram from the overlay peer.
seen_source() {
  in_ns lanhost timeout 3 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.168.78.2", 9999))
s.settimeout(2.5)
try:
    print(s.recvfrom(100)[1][0])
except socket.timeout:
    print("nothing")' >"$work/seen" &
  local pid=$!
  sleep 0.5
  in_ns peer python3 -c '
import socket
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.168.78.2", 9999))'
  wait $pid
  cat "$work/seen"
}

snapshot "$work/before"
for b in nft iptables-nft iptables-legacy; do
  drive $b clamp ov0 1400 >/dev/null 2>"$work/err" || fail "$b: clamp: $(cat "$work/err")"
  snapshot "$work/mss_only.$b"
  drive $b gateway ov0 lan0 10.78.0.0/24 >/dev/null 2>"$work/err" ||
    fail "$b: gateway: $(cat "$work/err")"
  src=$(seen_source)
  [ "$src" = "192.168.78.1" ] && ok "$b: masquerade: the LAN sees 192.168.78.1" ||
    fail "$b: masquerade: the LAN saw $src"
  drive $b gateway ov0 lan0 10.78.0.0/24 >/dev/null 2>&1
  snapshot "$work/both.$b"
  drive $b gateway ov0 lan0 10.78.0.0/24 >/dev/null 2>&1
  snapshot "$work/both_again.$b"
  same "$b: gateway twice = once" "$work/both.$b" "$work/both_again.$b"
  drive - state >"$work/state.$b"
  grep -q "mss 4 gateway " "$work/state.$b" || fail "$b: state: $(cat "$work/state.$b")"
  drive $b undo gateway >/dev/null 2>"$work/err" || fail "$b: undo gateway: $(cat "$work/err")"
  snapshot "$work/after_gw.$b"
  same "$b: undoing the gateway leaves the clamp and everything else as it was" \
    "$work/mss_only.$b" "$work/after_gw.$b"
  src=$(seen_source)
  [ "$src" = "10.78.0.2" ] && ok "$b: without the gateway no NAT: the LAN sees 10.78.0.2" ||
    fail "$b: after undo gateway the LAN saw $src"
  # SNAT, then undo the clamp first: the gateway stays.
  drive $b gateway ov0 lan0 10.78.0.0/24 192.168.78.5 >/dev/null 2>"$work/err" ||
    fail "$b: gateway snat: $(cat "$work/err")"
  src=$(seen_source)
  [ "$src" = "192.168.78.5" ] && ok "$b: SNAT: the LAN sees 192.168.78.5" ||
    fail "$b: SNAT: the LAN saw $src"
  drive $b undo mss >/dev/null 2>"$work/err" || fail "$b: undo mss: $(cat "$work/err")"
  drive - state >"$work/state2.$b"
  grep -q "mss 0 gateway [1-9]" "$work/state2.$b" || fail "$b: undo mss touched the gateway: $(cat "$work/state2.$b")"
  drive $b undo gateway >/dev/null 2>"$work/err" || fail "$b: undo gateway: $(cat "$work/err")"
  snapshot "$work/after.$b"
  same "$b: both undone: ruleset and routes as before" "$work/before" "$work/after.$b"
done

if [ $failures -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "all core/firewall owner checks passed"
