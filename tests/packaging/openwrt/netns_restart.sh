#!/bin/bash
# netns_restart.sh N2N_EDGE N2N_SUPERNODE INIT_SCRIPT
#
# The OpenWrt init script for real, in network namespaces made here ("nkowrt<pid>-*"): it runs
# under busybox ash with busybox applets, the real ip and the stubbed rc.common/functions.sh/
# network.sh, and the procd stub starts and stops what the script registered (our n2n-edge,
# with real TAP devices). The router rtr (WAN eth0, gateway 198.19.0.1) has
#   list route '10.10.10.0/24:10.20.30.1'  and  list route '0.0.0.0/0:10.20.30.1'
# and our supernode is at 203.0.113.5, off the bridge, reached through that gateway; edge a
# (10.20.30.1) is another member. After start, after /etc/init.d/n2n restart, and after stop
# + start: the -n routes are on n2n0 (defect 6), the host route to the supernode goes through
# the WAN gateway (defect 4) and rtr pings 10.20.30.1 across the overlay while the overlay is
# its default route. After stop: the routes and the host route are gone. Skips (77) without
# root, /dev/net/tun, busybox or the binaries.
set -u
edge=${1:-}
supernode=${2:-}
init_src=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck disable=SC1091,SC2154 # the lab library; it sets work and lab_start's PIDs
. "$here/../../lib/bridge_lab.sh"
lab_require "ip ping busybox" "$edge" "$supernode"
# The router's /usr/sbin links to them: absolute paths.
edge=$(readlink -f "$edge")
supernode=$(readlink -f "$supernode")
# shellcheck disable=SC2034 # read by the lab library
prefix="nkowrt$$"
lab_init
lab_bridge sn=198.19.0.1 rtr=198.19.0.11 a=198.19.0.12 || exit 1
sn_ip=203.0.113.5
in_ns sn ip addr add "$sn_ip/32" dev lo
in_ns sn ip route replace 198.19.0.0/24 dev eth0 src "$sn_ip"
in_ns sn sysctl -qw net.ipv4.ip_forward=1
for h in rtr a; do in_ns "$h" ip route add default via 198.19.0.1; done

# The router's root: stubs, busybox applets, the real ip, and the binaries as /usr/sbin.
# shellcheck disable=SC2154 # set by lab_init
root="$work/root"
mkdir -p "$root/etc/config" "$root/etc/init.d" "$root/var/run" "$root/sbin" "$root/applets" \
  "$root/procd"
cp -R "$here/stubs/etc" "$here/stubs/lib" "$here/stubs/bin" "$root/"
rm "$root/bin/ip"
ln -s "$(command -v ip)" "$root/bin/ip"
ln -s "$edge" "$root/sbin/n2n-edge"
busybox=$(command -v busybox)
for applet in cat mkdir cmp mv rm head cut basename md5sum sed grep sleep env; do
  ln -s "$busybox" "$root/applets/$applet"
done
cp "$init_src" "$root/etc/init.d/n2n"
cat >"$root/etc/config/n2n" <<'UCI'
config edge 'home'
	option enabled '1'
	option ipaddr '10.20.30.254'
	option prefix '24'
	option community 'owrtlab'
	option key 'owrt-lab-key-1'
	option mgmt_port '5644'
	list supernode '203.0.113.5:7654'
	list route '10.10.10.0/24:10.20.30.1'
	list route '0.0.0.0/0:10.20.30.1'
UCI

failures=0
t0=$(date +%s%N)
check() {  # check NAME CONDITION-COMMAND...
  local name=$1
  shift
  if "$@"; then echo "PASS $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
  echo "    ($(( ($(date +%s%N) - t0) / 1000000 )) ms since the lab was up)"
}
eventually() {  # eventually SECONDS CMD... : true once CMD succeeds within SECONDS
  local deadline=$((SECONDS + $1))
  while [ "$SECONDS" -lt "$deadline" ]; do
    "${@:2}" && return 0
    sleep 0.1
  done
  return 1
}
initd() {  # initd ACTION : /etc/init.d/n2n ACTION on the router
  in_ns rtr env -i PATH="$root/bin:$root/applets" IPKG_INSTROOT="$root" STUB_TRACE="$work/trace" \
    STUB_PROCD_RUN="$root/procd" STUB_SBIN="$root/sbin" STUB_NET_wan_device=eth0 \
    STUB_NET_wan_gateway=198.19.0.1 "$busybox" ash "$root/etc/rc.common" "$root/etc/init.d/n2n" \
    "$1" >>"$work/initd.log" 2>&1
}
route_is() {  # route_is DST EXPECTED-SUBSTRING
  in_ns rtr ip -4 route show "$1" | grep -q -- "$2"
}
overlay_routes() {
  route_is 10.10.10.0/24 "via 10.20.30.1 dev n2n0" && route_is 0.0.0.0/1 "via 10.20.30.1 dev n2n0" &&
    route_is 128.0.0.0/1 "via 10.20.30.1 dev n2n0"
}
host_route() {
  route_is "$sn_ip" "via 198.19.0.1 dev eth0"
}
no_routes() {
  [ -z "$(in_ns rtr ip -4 route show 10.10.10.0/24)" ] && [ -z "$(in_ns rtr ip -4 route show 0.0.0.0/1)" ] &&
    [ -z "$(in_ns rtr ip -4 route show "$sn_ip")" ]
}
across_overlay() {
  in_ns rtr ping -c1 -W1 -q 10.20.30.1 >/dev/null 2>&1
}
edge_pid() {
  cat "$root/procd/edge_home.pid" 2>/dev/null
}
edge_running() {  # the edge procd started is alive a second later (no exec error, no exit)
  local pid
  pid=$(edge_pid)
  sleep 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

lab_start pid_sn sn "$work/sn.log" "$supernode" -f -p 7654 -t 5645
# shellcheck disable=SC2154 # set by lab_start
lab_wait_udp sn 7654 "$pid_sn" || { echo "FAIL supernode did not start"; exit 1; }
lab_start pid_a a "$work/a.log" "$edge" -f -d n2n0 -c owrtlab -k owrt-lab-key-1 \
  -l "$sn_ip:7654" -m 02:20:30:00:00:01 -a 10.20.30.1/24 -r
wait_tap a 10 || { echo "FAIL edge a has no TAP address"; exit 1; }

started=$(date +%s.%N)
check "init start" initd start
check "init start: the edge runs" edge_running
check "init start: -n routes on n2n0 (10.10.10.0/24, 0.0.0.0/1, 128.0.0.0/1 via 10.20.30.1)" \
  eventually 10 overlay_routes
check "init start: host route $sn_ip via the WAN gateway 198.19.0.1 dev eth0" host_route
check "init start: 10.20.30.1 answers across the overlay (the overlay is the default route)" \
  eventually 15 across_overlay
echo "    up and across the overlay in $(echo "$(date +%s.%N) $started" | awk '{printf "%.1f", $1 - $2}') s"
first=$(edge_pid)

check "init restart" initd restart
check "init restart: a new edge process" test -n "$(edge_pid)" -a "$(edge_pid)" != "$first"
check "init restart: the new edge runs" edge_running
check "init restart: -n routes back on n2n0" eventually 10 overlay_routes
check "init restart: host route via the WAN gateway" host_route
check "init restart: 10.20.30.1 answers across the overlay" eventually 15 across_overlay

check "init stop" initd stop
check "init stop: no edge process left" eventually 5 test ! -e "$root/procd/edge_home.pid"
check "init stop: the -n routes and the host route are gone" eventually 5 no_routes
check "init stop: the underlay's default route stays" route_is default "via 198.19.0.1 dev eth0"

check "init start after stop" initd start
check "init start after stop: the edge runs" edge_running
check "init start after stop: -n routes on n2n0" eventually 10 overlay_routes
check "init start after stop: host route via the WAN gateway" host_route
check "init start after stop: 10.20.30.1 answers across the overlay" eventually 15 across_overlay
initd stop

if [ "$failures" -ne 0 ]; then
  echo "--- init script output"; cat "$work/initd.log"
  echo "--- router edge log"; tail -20 "$root/procd/edge_home.log" 2>/dev/null
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
