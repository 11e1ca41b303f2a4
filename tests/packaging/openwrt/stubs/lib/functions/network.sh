# shellcheck shell=sh
# shellcheck disable=SC3043 # as in OpenWrt's own, 'local' is in ash and dash
# Stand-in for OpenWrt's /lib/functions/network.sh (which asks netifd over ubus): an
# interface's state comes from STUB_NET_<iface>_device and STUB_NET_<iface>_gateway.

_stub_net_get() {
	local value
	eval "value=\${STUB_NET_$2_$3:-}"
	eval "$1=\$value"
	[ -n "$value" ]
}

network_get_device() { _stub_net_get "$1" "$2" device; }
network_get_physdev() { _stub_net_get "$1" "$2" device; }
network_get_gateway() { _stub_net_get "$1" "$2" gateway; }
