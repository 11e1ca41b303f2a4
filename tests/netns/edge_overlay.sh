#!/bin/bash
# edge_overlay.sh [--interop] N2N_EDGE N2N_SUPERNODE
#
# Two edges on two hosts of a bridge, a supernode on a third, all in network namespaces made
# here, with real TAP devices. For each case (every transform, header encryption, LZO and
# zstd, auto-IP, relay only with -S1, user/password with community.list user lines made by
# n2n-keygen, -e auto with -L 2, local multicast discovery (the peer listed "local"), relay
# over TCP with -S2): the edges register, ping each other both ways across the overlay, then
# a 10 MiB TCP transfer from A to B (byte count and SHA-256 checked; Mbit/s reported); in the
# user/password case a third edge of ours with a wrong password must be refused and say so.
# The -S2 restart case kills the supernode, starts it again and checks that the edges
# reconnect and the overlay carries pings and 1 MiB again. Without options both edges and the
# supernode are ours. With --interop (needs
# N2N_REF_EDGE, and N2N_REF_SUPERNODE for the second column) edge B is the reference's:
# ours with the reference edge under our supernode, and under the reference supernode.
# n2n-keygen is ours next to N2N_SUPERNODE's build directory, or N2N_KEYGEN; with N2N_REF_KEYGEN
# its lines must equal the reference's. ONLY=<case> runs one case.
# Prints a table case × set-up. Skips (77) without root, /dev/net/tun or the binaries. Only
# traffic inside the namespaces made here; everything started here is stopped by PID, the
# namespaces are removed, also on failure.
set -u
interop=0
if [ "${1:-}" = --interop ]; then
  interop=1
  shift
fi
edge=${1:-}
supernode=${2:-}
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
  echo "SKIPPED: needs root and /dev/net/tun (network namespaces, TAP devices)"
  exit 77
fi
for tool in ip ss ping python3 timeout; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not installed"; exit 77; }
done
for bin in "$edge" "$supernode"; do
  [ -x "$bin" ] || { echo "SKIPPED: binary '$bin' is not built"; exit 77; }
done
setups=(ours)
if [ $interop -eq 1 ]; then
  if [ -z "${N2N_REF_EDGE:-}" ]; then
    echo "SKIPPED: set N2N_REF_EDGE (and N2N_REF_SUPERNODE) to reference ntop/n2n 3.x binaries"
    exit 77
  fi
  setups=(ref-edge)
  if [ -n "${N2N_REF_SUPERNODE:-}" ]; then
    setups+=(ref-edge+ref-sn)
  else
    echo "note: N2N_REF_SUPERNODE not set: only our supernode"
  fi
fi

prefix="n2nk-e$$"
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_init
. "$(dirname "$0")/../lib/overlay_checks.sh"
sn_ip=198.19.0.1
sn_port=7654
mb=10
bytes=$((mb * 1024 * 1024))
lab_bridge sn=$sn_ip a=198.19.0.11 b=198.19.0.12 || exit 1

declare -A result rate detail
cases=()
key=n2nkit-overlay-key
# Per case, set around a case_ call: more supernode options, more options of edge A / edge B
# (arrays), and the options of a third edge (ours, on host a) that the supernode must refuse.
sn_extra=() a_extra=() b_extra=() refused_opts=() wrong_fed_opts=()
# 1: after the transfer the supernode reloads its community.list (management
# reload_communities); the edges must follow the new dynamic key (spec §10.5).
reload_check=0

# edge_peer_row HOST MAC : the management API's "edges" row (JSON) of the edge on HOST for the
# peer with MAC (upper case), empty if there is none.
edge_peer_row() {
  in_ns "$1" python3 -c '
import json, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"r 7 edges", ("127.0.0.1", 5644))
try:
    while True:
        row = json.loads(s.recv(4096))
        if row.get("_type") == "end":
            break
        if row.get("macaddr") == sys.argv[1]:
            print(json.dumps(row, sort_keys=True))
except socket.timeout:
    pass
' "$2"
}

# run_case NAME SETUP "EDGE OPTIONS" COMMUNITY AUTO_IP(0|1) LIST_BODY [restart|local]
run_case() {
  local name=$1 setup=$2 eopts=$3 comm=$4 auto=$5 list=$6 restart=${7:-}
  local sn_bin=$supernode edge_a=$edge edge_b=$edge
  case $setup in
    ref-edge) edge_b=$N2N_REF_EDGE ;;
    ref-edge+ref-sn) edge_b=$N2N_REF_EDGE sn_bin=$N2N_REF_SUPERNODE ;;
  esac
  local log="$work/$name-$setup"
  local sn_pid="" ea="" eb="" rx="" why="" ok=1
  echo "--- $name ($setup)"
  local clist=()
  if [ -n "$list" ]; then
    printf '%s' "$list" >"$log.list"
    # The supernodes re-read it after dropping privileges (reload_communities).
    chmod 711 "$work"
    chmod 644 "$log.list"
    clist=(-c "$log.list")
  fi
  lab_start sn_pid sn "$log.sn.log" "$sn_bin" -f -p "$sn_port" -t 5645 "${clist[@]}" \
    "${sn_extra[@]}"
  lab_wait_udp sn "$sn_port" "$sn_pid"
  local a_opts=(-a 10.99.0.1/24) b_opts=(-a 10.99.0.2/24)
  if [ "$auto" = 1 ]; then a_opts=(); b_opts=(); fi
  # shellcheck disable=SC2086
  lab_start ea a "$log.a.log" "$edge_a" -f -d n2n0 -c "$comm" -l "$sn_ip:$sn_port" \
    -m 02:20:30:00:00:01 "${a_opts[@]}" -I edge-a $eopts "${a_extra[@]}"
  # shellcheck disable=SC2086
  lab_start eb b "$log.b.log" "$edge_b" -f -d n2n0 -c "$comm" -l "$sn_ip:$sn_port" \
    -m 02:20:30:00:00:02 "${b_opts[@]}" -I edge-b $eopts "${b_extra[@]}"
  local ip_a="" ip_b=""
  if wait_tap a 15 && wait_tap b 15; then
    ip_a=$(tap_addr a)
    ip_b=$(tap_addr b)
    echo "    overlay: edge-a $ip_a, edge-b $ip_b"
    if [ "$auto" = 1 ] && [ "$ip_a" = "$ip_b" ]; then ok=0 why="auto-IP gave $ip_a twice"; fi
  else
    ok=0 why="the edges' TAP devices got no address (registration failed?)"
  fi
  if [ $ok -eq 1 ]; then
    overlay_check "$ip_a" "$ip_b" "$log" "$bytes" 15
    ok=$overlay_ok why=$overlay_why
    rate[$name,$setup]=$overlay_mbps
  fi
  if [ $ok -eq 1 ] && [ "$restart" = local ]; then
    # Both edges on one bridge: each must have heard the other's REGISTER on 224.0.0.68:1968
    # (only multicast discovery marks a peer "local").
    # The reference marks a peer local only when the group's REGISTER creates its entry or
    # finds it known, not while it is pending; so when the first REGISTERs crossed, its mark
    # comes with our next registration's multicast REGISTER (-i, 20 s): wait that long.
    local row host peer found _
    for host in a b; do
      peer=02:20:30:00:00:02
      [ $host = b ] && peer=02:20:30:00:00:01
      found=0
      for _ in $(seq 25); do
        row=$(edge_peer_row $host $peer)
        case $row in
          *'"local": 1'*'"mode": "p2p"'* | *'"mode": "p2p"'*'"local": 1'*) found=1; break ;;
        esac
        sleep 1
      done
      echo "    edge-$host's row for $peer: $row"
      [ $found -eq 1 ] || ok=0 why="${why:+$why; }edge-$host does not list $peer as a local p2p peer"
    done
  fi
  if [ $ok -eq 1 ] && [ "$restart" = restart ]; then
    # The supernode goes away (its connections die with it) and comes back with no state: the
    # edges must notice, reconnect and register again before the overlay works again.
    lab_stop "$sn_pid" KILL
    echo "    supernode killed"
    sleep 3
    lab_start sn_pid sn "$log.sn2.log" "$sn_bin" -f -p "$sn_port" -t 5645 "${clist[@]}"
    lab_wait_udp sn "$sn_port" "$sn_pid"
    echo "    supernode restarted"
    overlay_check "$ip_a" "$ip_b" "$log.again" $((1024 * 1024)) 40
    if [ $overlay_ok -eq 0 ]; then
      ok=0 why="after the supernode's restart: $overlay_why"
    fi
  fi
  for p in "$sn_pid" "$ea" "$eb"; do
    kill -0 "$p" 2>/dev/null || { ok=0; why="${why:+$why; }a daemon died"; }
  done
  if [ $ok -eq 1 ] && [ "$reload_check" = 1 ]; then
    reload_and_ping "$ip_a" "$ip_b" "$log"
    [ "$reload_ok" = 1 ] || { ok=0; why="${why:+$why; }$reload_why"; }
  fi
  if [ $ok -eq 1 ] && [ ${#refused_opts[@]} -gt 0 ]; then
    # Two more edges of ours on host a: C with a wrong password (NAK), D with the key of another
    # federation (-P; the supernode drops its requests, D must hint at -P).
    local ec="" ed="" t
    lab_start ec a "$log.c.log" "$edge" -f -d n2n1 -t 5646 -c "$comm" -l "$sn_ip:$sn_port" \
      -m 02:20:30:00:00:03 -a 10.99.0.3/24 "${refused_opts[@]}"
    lab_start ed a "$log.d.log" "$edge" -f -d n2n2 -t 5647 -c "$comm" -l "$sn_ip:$sn_port" \
      -m 02:20:30:00:00:04 -a 10.99.0.4/24 "${wrong_fed_opts[@]}"
    for t in $(seq 1 30); do
      grep -q 'refused user' "$log.c.log" 2>/dev/null &&
        grep -q 'is -P the key of its federation' "$log.d.log" 2>/dev/null && break
      sleep 0.5
    done
    if grep -q 'refused user' "$log.c.log"; then
      echo "    wrong password: $(grep -m1 'refused user' "$log.c.log")"
    else
      ok=0 why="${why:+$why; }the edge with a wrong password was not told it is refused"
    fi
    if grep -q 'is -P the key of its federation' "$log.d.log" &&
      ! grep -q 'dynamic header key' "$log.d.log"; then
      echo "    wrong -P: $(grep -m1 'is -P the key' "$log.d.log" | cut -c1-90)..."
    else
      ok=0 why="${why:+$why; }the edge with a wrong -P registered or gave no hint"
    fi
    kill -0 "$ec" 2>/dev/null || { ok=0; why="${why:+$why; }the refused edge stopped"; }
    kill -0 "$ed" 2>/dev/null || { ok=0; why="${why:+$why; }the edge with a wrong -P stopped"; }
    lab_stop "$ec"
    lab_stop "$ed"
  fi
  lab_stop "$ea"
  lab_stop "$eb"
  lab_stop "$sn_pid"
  if [ $ok -eq 1 ]; then
    result[$name,$setup]=PASS
    echo "PASS $name ($setup)"
  else
    result[$name,$setup]=FAIL
    detail[$name,$setup]=$why
    echo "FAIL $name ($setup): $why"
    for f in sn a b c d; do
      [ -f "$log.$f.log" ] || continue
      echo "    --- $f log (last lines)"
      tail -8 "$log.$f.log" | sed 's/^/    /'
    done
  fi
}

# reload_and_ping IP_A IP_B LOG: reload_communities to the supernode (management port 5645,
# default password), then pings both ways within 10 s, and edge A (ours, -v) must say it was told
# of the new key. Sets reload_ok and reload_why.
reload_and_ping() {
  local ip_a=$1 ip_b=$2 log=$3 reply _ up=0
  reload_ok=1 reload_why=""
  reply=$(in_ns sn python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
s.sendto(b"w 1:1:n2n reload_communities", ("127.0.0.1", 5645))
try:
    print(s.recv(4096).decode(errors="replace"))
except socket.timeout:
    print("no reply")
' 2>&1)
  echo "    reload_communities: $(echo "$reply" | head -1)"
  if echo "$reply" | grep -qE 'no reply|error|badauth'; then
    reload_ok=0 reload_why="reload_communities: $reply"
    return
  fi
  for _ in $(seq 10); do
    in_ns a ping -c 1 -W 1 "$ip_b" >/dev/null 2>&1 && { up=1; break; }
  done
  if [ $up -eq 0 ] || ! in_ns a ping -c 5 -i 0.2 -W 2 "$ip_b" >"$log.reload-ab" 2>&1 ||
    ! in_ns b ping -c 5 -i 0.2 -W 2 "$ip_a" >"$log.reload-ba" 2>&1; then
    reload_ok=0 reload_why="no pings both ways within 10 s after the reload"
    return
  fi
  if ! grep -q 'announced a new community key' "$log.a.log"; then
    reload_ok=0 reload_why="edge A was not told of the new key (RE_REGISTER_SUPER)"
    return
  fi
  if [ "$(grep -c 'dynamic header key from supernode' "$log.a.log")" -lt 2 ]; then
    reload_ok=0 reload_why="edge A did not get another dynamic key after the reload"
    return
  fi
  echo "    after the reload (new dynamic key): ping a→b and b→a: 5/5 each"
}

case_() {  # case_ NAME "EDGE OPTIONS" COMMUNITY AUTO_IP LIST_BODY [restart]
  if [ -n "${ONLY:-}" ] && [ "$1" != "$ONLY" ]; then return; fi
  cases+=("$1")
  local s
  for s in "${setups[@]}"; do run_case "$1" "$s" "$2" "$3" "$4" "$5" "${6:-}"; done
}

c=n2nkit-overlay
case_ null "-A1" $c 0 ""
case_ twofish "-A2 -k $key" $c 0 ""
case_ aes "-A3 -k $key" $c 0 ""
case_ chacha20 "-A4 -k $key" $c 0 ""
case_ speck "-A5 -k $key" $c 0 ""
# Header encryption needs the community in the supernode's community.list (spec §8.5).
case_ header-enc "-A4 -k $key -H" n2nkit-he 0 "n2nkit-he
"
case_ lzo "-A3 -k $key -z1" $c 0 ""
case_ zstd "-A4 -k $key -z2" $c 0 ""
case_ auto-ip "-A3 -k $key" $c 1 ""
case_ relay-s1 "-A3 -k $key -S1" $c 0 ""
case_ p2p-e-L "-A3 -k $key -e auto -L 2" $c 0 ""
case_ multicast "-A3 -k $key -H" n2nkit-he 0 "n2nkit-he
" local
case_ tcp-s2 "-A3 -k $key -S2" $c 0 ""
case_ tcp-s2-he "-A4 -k $key -H -z1 -S2" n2nkit-he 1 "n2nkit-he
"
case_ tcp-restart "-A3 -k $key -S2" $c 0 "" restart

# User/password (spec §10): users edge-a and edge-b in the list, keys made by our n2n-keygen
# (equal to the reference's, checked when N2N_REF_KEYGEN is set), a federation of our own.
keygen=${N2N_KEYGEN:-$(dirname "$supernode")/../n2n-keygen/n2n-keygen}
if [ -z "${ONLY:-}" ] || [ "${ONLY#user-password}" != "$ONLY" ]; then
  if [ ! -x "$keygen" ]; then
    echo "FAIL user-password: n2n-keygen not found at '$keygen' (set N2N_KEYGEN)"
    cases+=(user-password)
  else
    fed_name=n2nkitOverlayFed
    users() {  # users KEYGEN: the community and its two user lines
      printf 'n2nkit-up\n%s\n%s\n' "$("$1" edge-a 'pw of edge a')" "$("$1" edge-b pw-b)"
    }
    up_list=$(users "$keygen")
    fed_key=$("$keygen" -F "$fed_name" | awk '{print $2}')
    if [ -n "${N2N_REF_KEYGEN:-}" ]; then
      if [ "$(users "$N2N_REF_KEYGEN")" != "$up_list" ] ||
        [ "$("$N2N_REF_KEYGEN" -F "$fed_name" | awk '{print $2}')" != "$fed_key" ]; then
        echo "FAIL: the keys of our n2n-keygen differ from the reference's"
        exit 1
      fi
      echo "note: our n2n-keygen lines equal the reference's"
    fi
    sn_extra=(-F "$fed_name") a_extra=(-J 'pw of edge a' -v -v) b_extra=(-J pw-b) reload_check=1
    refused_opts=(-A4 -k "$key" -P "$fed_key" -I edge-a -J wrong)
    wrong_fed_opts=(-A4 -k "$key" -P "$("$keygen" -F otherFed | awk '{print $2}')" -I edge-b
      -J pw-b)
    case_ user-password "-A4 -k $key -P $fed_key" n2nkit-up 0 "$up_list
"
    # Everything through the supernode: it opens and re-seals each PACKET header (dynamic key,
    # IV covered).
    reload_check=0 refused_opts=()
    case_ user-password-s1 "-A5 -k $key -P $fed_key -S1" n2nkit-up 1 "$up_list
"
    sn_extra=() a_extra=() b_extra=() refused_opts=() reload_check=0
  fi
fi

echo
printf '%-17s' case
for s in "${setups[@]}"; do printf ' | %-20s' "$s"; done
echo
failures=0
for name in "${cases[@]}"; do
  printf '%-17s' "$name"
  for s in "${setups[@]}"; do
    r=${result[$name,$s]:-}
    if [ "$r" = PASS ]; then
      printf ' | %-20s' "PASS ${rate[$name,$s]} Mbit/s"
    else
      printf ' | %-20s' "FAIL"
      failures=$((failures + 1))
    fi
  done
  echo
done
for name in "${cases[@]}"; do
  for s in "${setups[@]}"; do
    [ -n "${detail[$name,$s]:-}" ] && echo "  $name/$s: ${detail[$name,$s]}"
  done
done
echo "$failures failing"
[ "$failures" -eq 0 ]
