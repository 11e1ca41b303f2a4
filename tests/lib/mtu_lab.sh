# Sourced by tests/netns/mtu_probe.sh and bench/mtu/run.sh (after bridge_lab.sh, with $prefix
# set): a routed path client (c, 198.18.1.2) - router (r) - server (s, 198.18.2.2), so that the
# router's link towards the server sets the path MTU and the router's ICMP "fragmentation
# needed" can be passed or dropped, and netem can lose probes on the way.
mtu_lab() {
  lab_netns c || return 1
  lab_netns r || return 1
  lab_netns s || return 1
  ip link add eth0 netns "$prefix-c" type veth peer name eth0 netns "$prefix-r" || return 1
  ip link add eth1 netns "$prefix-r" type veth peer name eth0 netns "$prefix-s" || return 1
  local h
  for h in c r s; do
    in_ns "$h" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  done
  in_ns c ip addr add 198.18.1.2/24 dev eth0
  in_ns r ip addr add 198.18.1.1/24 dev eth0
  in_ns r ip addr add 198.18.2.1/24 dev eth1
  in_ns s ip addr add 198.18.2.2/24 dev eth0
  in_ns c ip link set eth0 up
  in_ns r ip link set eth0 up
  in_ns r ip link set eth1 up
  in_ns s ip link set eth0 up
  in_ns c ip route add default via 198.18.1.1
  in_ns s ip route add default via 198.18.1.1 2>/dev/null || in_ns s ip route add default via 198.18.2.1
  in_ns r sysctl -qw net.ipv4.ip_forward=1
  # ICMP errors unthrottled on the router and the server: the bench and the tests measure the
  # search, not the kernel's 1/s limit (its effect is measured separately in the bench).
  in_ns r sysctl -qw net.ipv4.icmp_ratelimit=0
  in_ns s sysctl -qw net.ipv4.icmp_ratelimit=0
  in_ns c sysctl -qw net.ipv4.ping_group_range="0 2147483647"
}

# mtu_path MTU ICMP(pass|drop) LOSS% : the router-server link's MTU (both ends), the router's
# frag-needed passed or dropped, random loss of what the router forwards towards the server:
# netem where the kernel has sch_netem, else iptables' statistic match ($mtu_loss_by says).
mtu_path() {
  in_ns r ip link set eth1 mtu "$1"
  in_ns s ip link set eth0 mtu "$1"
  in_ns r iptables -F OUTPUT
  if [ "$2" = drop ]; then
    in_ns r iptables -A OUTPUT -p icmp --icmp-type fragmentation-needed -j DROP
  fi
  in_ns r iptables -F FORWARD
  in_ns r tc qdisc del dev eth1 root 2>/dev/null
  if [ "$3" != 0 ]; then
    if in_ns r tc qdisc add dev eth1 root netem loss "$3%" 2>/dev/null; then
      mtu_loss_by=netem
    else
      mtu_loss_by="iptables statistic (no sch_netem)"
      in_ns r iptables -A FORWARD -o eth1 -m statistic --mode random \
        --probability "$(awk "BEGIN{print $3/100}")" -j DROP || return 1
    fi
  fi
  return 0
}
