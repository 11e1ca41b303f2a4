#!/bin/sh
# test_openwrt_init.sh SHELL CASE INIT_SCRIPT: runs the OpenWrt init script under SHELL (ash:
# busybox ash with nothing but busybox applets and the stubs on PATH, as on a router; dash)
# against the stubbed OpenWrt in stubs/ (rc.common, functions.sh reading a real UCI file,
# procd.sh and network.sh recording to a trace, ip/fw4/resolveip/n2n-mac/logger recorders)
# and checks one CASE: one of the six defects of the field report, or the supernode.
set -eu
shell=$1
case_name=$2
init=$3
here=$(cd "$(dirname "$0")" && pwd)

case "$shell" in
ash)
	busybox=$(command -v busybox) || { echo "SKIPPED: busybox is not installed (apt-get install busybox)"; exit 77; }
	run_shell="$busybox ash"
	;;
dash)
	command -v dash >/dev/null || { echo "SKIPPED: dash is not installed"; exit 77; }
	run_shell=dash
	;;
*)
	echo "usage: $0 ash|dash CASE INIT_SCRIPT" >&2
	exit 2
	;;
esac

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp -R "$here/stubs/etc" "$here/stubs/lib" "$here/stubs/bin" "$root/"
mkdir -p "$root/etc/config" "$root/etc/init.d" "$root/var/run"
# Installed as /etc/init.d/n2n: procd knows the service by that name.
cp "$init" "$root/etc/init.d/n2n"
init_src=$init
init="$root/etc/init.d/n2n"
run_path="$root/bin:/usr/bin:/bin"
if [ "$shell" = ash ]; then
	mkdir "$root/applets"
	for applet in cat mkdir cmp mv rm head cut basename md5sum sed grep; do
		ln -s "$busybox" "$root/applets/$applet"
	done
	run_path="$root/bin:$root/applets"
fi
export STUB_TRACE="$root/trace" IPKG_INSTROOT="$root"
hostname=$(cat /proc/sys/kernel/hostname)
nft="$root/usr/share/nftables.d/chain-pre"

fail() {
	echo "FAIL ($shell, $case_name): $*" >&2
	echo "--- trace of the last action:" >&2
	cat "$STUB_TRACE" >&2 2>/dev/null || true
	exit 1
}

# run ACTION: one /etc/init.d/n2n ACTION, with a fresh trace.
run() {
	: >"$STUB_TRACE"
	# shellcheck disable=SC2086 # run_shell is "busybox ash" or "dash"
	PATH="$run_path" $run_shell "$root/etc/rc.common" "$init" "$1" 2>"$root/stderr" ||
		fail "$1 exited with $? ($(cat "$root/stderr"))"
	[ ! -s "$root/stderr" ] || fail "$1 wrote to stderr: $(cat "$root/stderr")"
}

conf() {
	cat >"$root/etc/config/n2n"
}

has() {
	grep -Fxq -- "$1" "$STUB_TRACE" || fail "no line '$1'"
}

lacks() {
	! grep -Fq -- "$1" "$STUB_TRACE" || fail "unexpected '$1': $(grep -F -- "$1" "$STUB_TRACE")"
}

# command_of INSTANCE: the command line procd was given for INSTANCE.
command_of() {
	awk -v inst="instance $1" '$0 == inst { on = 1; next } on && /^end$/ { exit }
		on && /^command / { sub(/^command /, ""); print }' "$STUB_TRACE"
}

# param_of INSTANCE PARAM: another procd parameter of INSTANCE.
param_of() {
	awk -v inst="instance $1" -v p="$2" '$0 == inst { on = 1; next } on && /^end$/ { exit }
		on && $1 == p { sub(/^[^ ]+ /, ""); print }' "$STUB_TRACE"
}

expect_command() {
	got=$(command_of "$1")
	[ "$got" = "$2" ] || fail "instance $1: command
  got      '$got'
  expected '$2'"
}

edge_base='/usr/sbin/n2n-edge -f -d n2n0 -c homenet1234567 -a static:10.20.30.254/24 -A3'

case_defect1_host_routes() {
	conf <<-'UCI'
		config edge 'home'
			option enabled '1'
			option ipaddr '10.20.30.254'
			option netmask '255.255.255.0'
			option community 'homenet1234567'
			option key 'secret-key-2024'
			option cipher 'aes'
			option macaddr '02:12:34:56:78:9a'
			option wan ''
			list supernode '203.0.113.5:7777'
			list route '10.10.10.0/24:10.20.30.1'
			list route '192.168.50.0/24:10.20.30.1'
			list route '10.99.0.0/16'
	UCI
	run start
	expect_command edge_home "$edge_base -m 02:12:34:56:78:9a -l 203.0.113.5:7777 -n 10.10.10.0/24:10.20.30.1 -n 192.168.50.0/24:10.20.30.1"
	has "logger -t n2n -p daemon.err edge home: route '10.99.0.0/16' is not NET/LEN:GATEWAY, left out"
	# The key goes to the edge in its environment, out of sight of ps.
	[ "$(param_of edge_home env)" = "N2N_KEY=secret-key-2024" ] || fail "env: '$(param_of edge_home env)'"
	# The edge owns the routes: nothing else may add them behind its back.
	lacks "ip "
}

case_defect2_mac() {
	conf <<-'UCI'
		config edge 'fixed'
			option enabled '1'
			option tunname 'n2n1'
			option mode 'auto'
			option community 'fixedmac'
			option macaddr '02:12:34:56:78:9a'
			option wan ''
			list supernode '203.0.113.5:7777'
		config edge 'derived'
			option enabled '1'
			option tunname 'n2n2'
			option mode 'auto'
			option community 'derivedmac'
			option mgmt_port '5645'
			option macaddr 'stable'
			option wan ''
			list supernode '203.0.113.5:7777'
		config edge 'random'
			option enabled '1'
			option tunname 'n2n3'
			option mode 'auto'
			option community 'randommac'
			option mgmt_port '5646'
			option macaddr 'random'
			option wan ''
			list supernode '203.0.113.5:7777'
		config edge 'unset'
			option enabled '1'
			option tunname 'n2n4'
			option mode 'auto'
			option community 'unsetmac'
			option mgmt_port '5647'
			option wan ''
			list supernode '203.0.113.5:7777'
	UCI
	run start
	expect_command edge_fixed "/usr/sbin/n2n-edge -f -d n2n1 -c fixedmac -m 02:12:34:56:78:9a -l 203.0.113.5:7777"
	mac=$(PATH="$root/bin:$PATH" n2n-mac from-name "$hostname/n2n2")
	expect_command edge_derived "/usr/sbin/n2n-edge -f -d n2n2 -c derivedmac -t 5645 -m $mac -l 203.0.113.5:7777"
	expect_command edge_random "/usr/sbin/n2n-edge -f -d n2n3 -c randommac -t 5646 -l 203.0.113.5:7777"
	expect_command edge_unset "/usr/sbin/n2n-edge -f -d n2n4 -c unsetmac -t 5647 -l 203.0.113.5:7777"
	first=$(command_of edge_derived)
	run restart
	[ "$(command_of edge_derived)" = "$first" ] || fail "the derived MAC changed across a restart"
}

case_defect3_snat_or_masquerade() {
	cat >"$root/uci-head" <<-'UCI'
		config edge 'gw'
			option enabled '1'
			option ipaddr '10.20.30.254'
			option prefix '24'
			option community 'homenet1234567'
			option forward '1'
			option macaddr '02:12:34:56:78:9a'
			option wan ''
			option lan 'lan'
			list supernode '203.0.113.5:7777'
	UCI
	export STUB_NET_lan_device=br-lan
	{ cat "$root/uci-head"; echo "	option nat 'masquerade'"; } | conf
	run start
	expect_command edge_gw "/usr/sbin/n2n-edge -f -d n2n0 -c homenet1234567 -a static:10.20.30.254/24 -r -m 02:12:34:56:78:9a -l 203.0.113.5:7777"
	printf '%s\n' 'iifname "n2n0" oifname "br-lan" accept comment "n2n gw: overlay to LAN"' \
		'iifname "br-lan" oifname "n2n0" accept comment "n2n gw: LAN to overlay"' >"$root/want-forward"
	cmp -s "$nft/forward/50-n2n-gw.nft" "$root/want-forward" || fail "forward rules: $(cat "$nft/forward/50-n2n-gw.nft")"
	[ "$(cat "$nft/srcnat/50-n2n-gw.nft")" = 'meta nfproto ipv4 iifname "n2n0" oifname "br-lan" masquerade comment "n2n gw: NAT of the overlay"' ] ||
		fail "masquerade rule: $(cat "$nft/srcnat/50-n2n-gw.nft")"
	has "fw4 -q reload"
	run reload
	lacks "fw4" # nothing changed: no firewall reload

	{ cat "$root/uci-head"; echo "	option nat 'snat'"; echo "	option snat_ip '10.10.10.1'"; } | conf
	run reload
	[ "$(cat "$nft/srcnat/50-n2n-gw.nft")" = 'meta nfproto ipv4 iifname "n2n0" oifname "br-lan" snat ip to 10.10.10.1 comment "n2n gw: NAT of the overlay"' ] ||
		fail "snat rule: $(cat "$nft/srcnat/50-n2n-gw.nft")"
	has "fw4 -q reload"

	{ cat "$root/uci-head"; echo "	option nat 'snat'"; } | conf
	run reload
	has "logger -t n2n -p daemon.err edge gw: nat 'snat' needs option snat_ip (an IPv4 address), no NAT"

	run stop
	for f in "$nft/forward/50-n2n-gw.nft" "$nft/srcnat/50-n2n-gw.nft"; do
		[ ! -e "$f" ] || fail "stop left $f"
	done
	has "fw4 -q reload"

	# At boot the firewall starts after n2n and reads the files itself.
	{ cat "$root/uci-head"; echo "	option nat 'masquerade'"; } | conf
	run boot
	[ -e "$nft/srcnat/50-n2n-gw.nft" ] || fail "boot wrote no NAT rule"
	lacks "fw4"
}

case_defect4_supernode_via_wan() {
	echo "198.51.100.7 sn.example.net" >"$root/etc/hosts"
	conf <<-'UCI'
		config edge 'home'
			option enabled '1'
			option ipaddr '10.20.30.254'
			option community 'homenet1234567'
			option macaddr '02:12:34:56:78:9a'
			list supernode 'sn.example.net:7777'
			list supernode '203.0.113.5:7654'
			list supernode 'unknown.example.net:7777'
			list route '0.0.0.0/0:10.20.30.1'
	UCI
	# WAN not up yet (boot): no host route, a notice, and a trigger that reloads when it is.
	run start
	has "logger -t n2n -p daemon.notice edge home: wan is not up yet, supernode host routes follow when it is"
	has "trigger interface wan reload"
	lacks "ip "
	export STUB_NET_wan_device=eth1 STUB_NET_wan_gateway=192.0.2.1
	run reload
	expect_command edge_home "/usr/sbin/n2n-edge -f -d n2n0 -c homenet1234567 -a static:10.20.30.254/24 -m 02:12:34:56:78:9a -l sn.example.net:7777 -l 203.0.113.5:7654 -l unknown.example.net:7777 -n 0.0.0.0/0:10.20.30.1"
	has "ip -4 route replace 198.51.100.7/32 via 192.0.2.1 dev eth1 proto static"
	has "ip -4 route replace 203.0.113.5/32 via 192.0.2.1 dev eth1 proto static"
	has "logger -t n2n -p daemon.warning supernode unknown.example.net: no IPv4 address yet, no host route via eth1"
	# A new WAN gateway (DHCP renewal elsewhere): the old host routes go, new ones come.
	export STUB_NET_wan_gateway=192.0.2.254
	run reload
	has "ip -4 route del 198.51.100.7/32 via 192.0.2.1 dev eth1"
	has "ip -4 route replace 198.51.100.7/32 via 192.0.2.254 dev eth1 proto static"
	# PPPoE: no gateway, the device is the route.
	export STUB_NET_wan_device=pppoe-wan STUB_NET_wan_gateway=
	run reload
	has "ip -4 route replace 203.0.113.5/32 dev pppoe-wan proto static"
	run stop
	has "ip -4 route del 198.51.100.7/32 dev pppoe-wan"
	has "ip -4 route del 203.0.113.5/32 dev pppoe-wan"
	[ ! -e "$root/var/run/n2n.hostroutes" ] || fail "stop left the host route state"
}

case_defect5_early_start() {
	start=$(sed -n 's/^START=\([0-9]*\)$/\1/p' "$init")
	stop=$(sed -n 's/^STOP=\([0-9]*\)$/\1/p' "$init")
	[ -n "$start" ] || fail "no START= in $init_src"
	[ -n "$stop" ] || fail "no STOP= in $init_src"
	# OpenWrt's START values of the services that bind to or filter the overlay.
	for service in firewall:19 dnsmasq:19 dropbear:19 network:20 odhcpd:35 uhttpd:50; do
		[ "$start" -lt "${service#*:}" ] || fail "START=$start is not before ${service%:*} (${service#*:})"
	done
	# ...and after the ones it needs: boot (kernel modules, 10), sysctl (11), log (12).
	[ "$start" -gt 12 ] || fail "START=$start is before log/sysctl/boot"
	[ "$stop" -gt 50 ] || fail "STOP=$stop stops the overlay before the services that use it"
	conf <<-'UCI'
		config edge 'home'
			option enabled '1'
			option ipaddr '10.20.30.254'
			option community 'homenet1234567'
			option macaddr '02:12:34:56:78:9a'
			list supernode '203.0.113.5:7777'
		config edge 'off'
			option enabled '0'
			option community 'disabled'
			option wan 'wan2'
	UCI
	run boot
	has "instance edge_home"
	lacks "instance edge_off"
	[ "$(param_of edge_home respawn)" = "3600 5 0" ] || fail "respawn: '$(param_of edge_home respawn)'"
	[ "$(param_of edge_home stdout)" = 1 ] || fail "the edge's stdout does not go to syslog"
	[ "$(param_of edge_home stderr)" = 1 ] || fail "the edge's stderr does not go to syslog"
	has "trigger config n2n"
	has "trigger interface wan reload"
	lacks "trigger interface wan2"
	case "$(command_of edge_home)" in
	*" -f "*"-a static:10.20.30.254/24"*) ;;
	*) fail "the edge must stay in the foreground and set its static address itself" ;;
	esac
}

case_defect6_routes_after_restart() {
	export STUB_NET_wan_device=eth1 STUB_NET_wan_gateway=192.0.2.1
	conf <<-'UCI'
		config edge 'home'
			option enabled '1'
			option ipaddr '10.20.30.254'
			option community 'homenet1234567'
			option macaddr '02:12:34:56:78:9a'
			list supernode '203.0.113.5:7777'
			list route '10.10.10.0/24:10.20.30.1'
			list route '0.0.0.0/0:10.20.30.1'
	UCI
	run start
	first=$(command_of edge_home)
	case "$first" in
	*"-n 10.10.10.0/24:10.20.30.1 -n 0.0.0.0/0:10.20.30.1") ;;
	*) fail "routes not on the edge's command line: $first" ;;
	esac
	run stop
	has "kill n2n"
	has "ip -4 route del 203.0.113.5/32 via 192.0.2.1 dev eth1"
	run start
	[ "$(command_of edge_home)" = "$first" ] || fail "stop + start changed the command line: $(command_of edge_home)"
	has "ip -4 route replace 203.0.113.5/32 via 192.0.2.1 dev eth1 proto static"
	run restart
	grep -n "" "$STUB_TRACE" | grep -q "^[0-9]*:kill n2n$" || fail "restart did not stop"
	[ "$(command_of edge_home)" = "$first" ] || fail "restart changed the command line"
	has "ip -4 route replace 203.0.113.5/32 via 192.0.2.1 dev eth1 proto static"
}

case_supernode() {
	conf <<-'UCI'
		config supernode 'sn'
			option enabled '1'
			option port '7777'
			option mgmt_port '5655'
			option communities '/etc/n2n/communities.txt'
			option federation '*Federation'
			option autoip '10.128.255.0-10.255.255.0/24'
			option spoofing_protection '0'
		config supernode 'off'
			option enabled 'no'
	UCI
	run start
	expect_command supernode_sn "/usr/sbin/n2n-supernode -f -p 7777 -t 5655 -c /etc/n2n/communities.txt -F *Federation -a 10.128.255.0-10.255.255.0/24 -M"
	[ "$(param_of supernode_sn respawn)" = "3600 5 0" ] || fail "supernode respawn"
	[ "$(param_of supernode_sn file)" = /etc/n2n/communities.txt ] || fail "communities file not watched"
	lacks "instance supernode_off"
	lacks "trigger interface"
}

# The shipped /etc/config/n2n, with its sections enabled, gives a working edge and supernode.
case_example_config() {
	echo "198.51.100.7 sn.example.net" >"$root/etc/hosts"
	export STUB_NET_wan_device=eth1 STUB_NET_wan_gateway=192.0.2.1 STUB_NET_lan_device=br-lan
	sed "s/option enabled '0'/option enabled '1'/" "$(dirname "$init_src")/n2n.config" | conf
	run start
	expect_command edge_home "/usr/sbin/n2n-edge -f -d n2n0 -c CHANGE-community -a static:10.20.30.254/24 -A3 -M 1390 -r -l sn.example.net:7777"
	expect_command supernode_sn "/usr/sbin/n2n-supernode -f -p 7777"
	has "ip -4 route replace 198.51.100.7/32 via 192.0.2.1 dev eth1 proto static"
	[ -s "$nft/srcnat/50-n2n-home.nft" ] || fail "no NAT rule from the example"
	lacks "logger"
}

"case_$case_name"
echo "ok: $case_name under $shell"
