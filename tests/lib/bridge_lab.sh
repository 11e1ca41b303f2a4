# bridge_lab.sh: sourced by the network-namespace tests (bash). One bridge ("lan", br0) and hosts
# on it, each a namespace with eth0 on 198.19.0.0/24, named "$prefix-<host>"; processes started
# through lab_start are remembered and stopped by PID, and lab_cleanup (installed as the EXIT
# trap by lab_init) removes whatever the test made, also when it fails. Only traffic inside
# these namespaces.
#
#   prefix=n2nk-x$$; lab_init          # sets work (a temp dir) and the traps
#   lab_bridge sn=198.19.0.1 a=198.19.0.11 b=198.19.0.12
#   lab_start pid_sn sn "$work/sn.log" supernode -f ...
#   in_ns a ping -c1 10.20.30.2
#   lab_stop "$pid_sn"

# lab_require "TOOLS..." BINARIES... : skip (exit 77, one line saying why) without root,
# /dev/net/tun, one of the commands or one of the binaries. Call before lab_init.
lab_require() {
  local tool bin
  if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
    echo "SKIPPED: needs root and /dev/net/tun (network namespaces, TAP devices)"
    exit 77
  fi
  for tool in $1; do
    command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not installed"; exit 77; }
  done
  shift
  for bin in "$@"; do
    [ -x "$bin" ] || { echo "SKIPPED: binary '$bin' is not built"; exit 77; }
  done
}

lab_pids=()
lab_namespaces=()

in_ns() {  # in_ns HOST CMD...
  local ns=$1
  shift
  ip netns exec "$prefix-$ns" "$@"
}

lab_cleanup() {
  local pid ns
  for pid in "${lab_pids[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${lab_pids[@]}"; do wait "$pid" 2>/dev/null; done
  # Anything still running inside our namespaces was started by us: end it, then the namespaces.
  for ns in "${lab_namespaces[@]}"; do
    for pid in $(ip netns pids "$prefix-$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    ip netns del "$prefix-$ns" 2>/dev/null
  done
  if [ -n "${KEEP_WORK:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}

lab_init() {  # needs $prefix; makes $work
  work=$(mktemp -d)
  trap lab_cleanup EXIT
  trap 'exit 130' INT TERM
}

lab_netns() {  # lab_netns HOST : a namespace of ours, loopback up
  ip netns add "$prefix-$1" || return 1
  lab_namespaces+=("$1")
  in_ns "$1" ip link set lo up
}

# lab_bridge HOST=ADDRESS... : the bridge and the hosts (IPv6 off, so that only our traffic
# crosses; a 224.0.0.0/4 route on eth0 for n2n's multicast discovery).
lab_bridge() {
  lab_netns lan || return 1
  in_ns lan ip link add br0 type bridge
  in_ns lan ip link set br0 up
  local spec host address
  for spec in "$@"; do
    host=${spec%%=*}
    address=${spec#*=}
    lab_netns "$host" || return 1
    ip link add "v$host" netns "$prefix-lan" type veth peer name eth0 netns "$prefix-$host" ||
      return 1
    in_ns lan ip link set "v$host" master br0 up
    in_ns "$host" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    in_ns "$host" ip addr add "$address/24" dev eth0
    in_ns "$host" ip link set eth0 up
    in_ns "$host" ip route add 224.0.0.0/4 dev eth0
  done
}

lab_start() {  # lab_start VAR HOST LOG CMD... : in the background; its PID in VAR
  local var=$1 ns=$2 log=$3
  shift 3
  ip netns exec "$prefix-$ns" "$@" >"$log" 2>&1 &
  lab_pids+=($!)
  printf -v "$var" '%s' "$!"
}

lab_stop() {  # lab_stop PID [SIGNAL] : SIGNAL (TERM), then KILL after 5 s
  [ -n "$1" ] || return 0
  kill "-${2:-TERM}" "$1" 2>/dev/null
  local _
  for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 0
}

lab_wait_udp() {  # lab_wait_udp HOST PORT [PID] : until something listens there (5 s)
  local _
  for _ in $(seq 50); do
    in_ns "$1" ss -Hlun "sport = :$2" 2>/dev/null | grep -q . && return 0
    [ -n "${3:-}" ] && ! kill -0 "$3" 2>/dev/null && return 1
    sleep 0.1
  done
  return 1
}

tap_addr() {  # tap_addr HOST : the n2n0 IPv4 address (no prefix), empty until it has one
  in_ns "$1" ip -4 -o addr show dev n2n0 2>/dev/null | awk '{print $4}' | cut -d/ -f1 | head -1
}

wait_tap() {  # wait_tap HOST SECONDS : until n2n0 has an address
  local _
  for _ in $(seq $(($2 * 10))); do
    [ -n "$(tap_addr "$1")" ] && return 0
    sleep 0.1
  done
  return 1
}
