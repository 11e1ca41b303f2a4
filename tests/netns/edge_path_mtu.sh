#!/bin/bash
# edge_path_mtu.sh N2N_EDGE N2N_SUPERNODE
#
# Path-MTU discovery over real UDP: our edge on one host of a bridge, a supernode on another
# whose link (both ends) has a reduced MTU, so that datagrams above it are dropped on the way
# without any ICMP (a black hole: only the search's losses tell). For each path MTU the edge
# runs with -M auto (privileges dropped to the default user: the MTU change relies on the kept
# CAP_NET_ADMIN); its management method `paths` must report that path MTU, the TAP must get
# path MTU - 104 (AES), and the supernode's PONGs must have arrived (version in `supernodes`).
# With N2N_REF_SUPERNODE set, the reference supernode is tested too (padded PINGs get PONGs).
# Then P2P: a second edge (ours, and the reference's with N2N_REF_EDGE) on a host whose link
# has a reduced MTU; after pings across the overlay, `paths` must show that path MTU for the
# peer (padded REGISTERs get REGISTER_ACKs), and a DF ping too big for it must be answered by
# our edge with "fragmentation needed" (ping -M do reports "message too long" / "Frag needed").
# With N2N_REF_CTL (the reference's scripts/n2n-ctl), it must still read our edge's listings.
# Skips (77) without root, /dev/net/tun or the binaries. Only traffic inside the namespaces
# made here; everything started here is stopped by PID; the namespaces are removed.
set -u
edge=${1:-}
supernode=${2:-}
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
  echo "SKIPPED: needs root and /dev/net/tun (network namespaces, TAP devices)"
  exit 77
fi
for tool in ip python3; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not installed"; exit 77; }
done
[ -x "$edge" ] || { echo "SKIPPED: binary '$edge' is not built"; exit 77; }
supernodes=()
[ -x "$supernode" ] && supernodes+=("ours=$supernode")
[ -n "${N2N_REF_SUPERNODE:-}" ] && [ -x "$N2N_REF_SUPERNODE" ] &&
  supernodes+=("reference=$N2N_REF_SUPERNODE")
[ ${#supernodes[@]} -gt 0 ] || { echo "SKIPPED: no supernode binary"; exit 77; }

prefix="n2nk-pm$$"
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_init
lab_bridge sn=198.19.0.1 a=198.19.0.11 b=198.19.0.12 || exit 1

# mgmt METHOD : the rows of a management request to the edge in host a, one JSON per line.
mgmt() {
  in_ns a python3 - "$1" <<'PY'
import json, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
s.sendto(f"r 1 {sys.argv[1]}".encode(), ("127.0.0.1", 5644))
try:
    while True:
        row = json.loads(s.recv(4096))
        if row["_type"] == "end":
            break
        if row["_type"] == "row":
            print(json.dumps(row))
except socket.timeout:
    pass
PY
}

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

for entry in "${supernodes[@]}"; do
  name=${entry%%=*}
  bin=${entry#*=}
  for path in 1300 1420 1500; do
    in_ns lan ip link set vsn mtu "$path"
    in_ns sn ip link set eth0 mtu "$path"
    lab_start pid_sn sn "$work/sn-$name-$path.log" "$bin" -f -p 7654
    sleep 0.5
    lab_start pid_edge a "$work/edge-$name-$path.log" "$edge" -f -c pmtu -k pmtu-key \
      -l 198.19.0.1:7654 -a 10.20.30.1 -M auto
    got=""
    for _ in $(seq 60); do
      sleep 0.5
      got=$(mgmt paths)
      echo "$got" | grep -q '"state": "done"' && break
    done
    pmtu=$(echo "$got" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["pmtu"])' 2>/dev/null)
    probes=$(echo "$got" | python3 -c 'import json,sys; r=json.loads(sys.stdin.readline()); print(r["probes_sent"], r["answered"], r["lost"])' 2>/dev/null)
    tap=$(in_ns a cat /sys/class/net/edge0/mtu 2>/dev/null)
    version=$(mgmt supernodes | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["version"])' 2>/dev/null)
    printf '%-9s link MTU %4s: paths pmtu %-4s (probes sent/answered/lost %s), TAP MTU %s, supernode version "%s"\n' \
      "$name" "$path" "${pmtu:-?}" "${probes:-?}" "${tap:-?}" "${version:-}"
    [ "${pmtu:-}" = "$path" ] || fail "$name $path: paths reports pmtu '${pmtu:-}' ($got)"
    [ "${tap:-}" = "$((path - 104))" ] || fail "$name $path: TAP MTU '${tap:-}', want $((path - 104))"
    [ -n "${version:-}" ] || fail "$name $path: no PONG version in supernodes"
    lab_stop "$pid_edge"
    lab_stop "$pid_sn"
  done
done
# --- P2P -------------------------------------------------------------------------------------
in_ns lan ip link set vsn mtu 1500
in_ns sn ip link set eth0 mtu 1500
peer_path=1360
in_ns lan ip link set vb mtu $peer_path
in_ns b ip link set eth0 mtu $peer_path
first=${supernodes[0]#*=}
peers=("ours=$edge")
[ -n "${N2N_REF_EDGE:-}" ] && [ -x "$N2N_REF_EDGE" ] && peers+=("reference=$N2N_REF_EDGE")
for entry in "${peers[@]}"; do
  name=${entry%%=*}
  bin=${entry#*=}
  lab_start pid_sn sn "$work/sn-p2p-$name.log" "$first" -f -p 7654
  sleep 0.5
  lab_start pid_a a "$work/edge-a-p2p-$name.log" "$edge" -f -c pmtu -k pmtu-key \
    -l 198.19.0.1:7654 -a 10.20.30.1 -u root -g root
  if [ "$name" = ours ]; then
    lab_start pid_b b "$work/edge-b-p2p-$name.log" "$bin" -f -c pmtu -k pmtu-key \
      -l 198.19.0.1:7654 -a 10.20.30.2 -M 1200 -u root -g root -t 5645
  else
    lab_start pid_b b "$work/edge-b-p2p-$name.log" "$bin" -f -c pmtu -k pmtu-key -A3 \
      -l 198.19.0.1:7654 -a 10.20.30.2 -M 1200 -t 5645
  fi
  row=""
  for _ in $(seq 40); do
    in_ns a ping -c1 -W1 -s 100 10.20.30.2 >/dev/null 2>&1
    row=$(mgmt paths | grep '"peer": "p2p"')
    echo "$row" | grep -q '"state": "done"' && break
    sleep 0.5
  done
  pmtu=$(echo "$row" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["pmtu"])' 2>/dev/null)
  limit=$(echo "$row" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["frame_limit"])' 2>/dev/null)
  # A DF ping one byte too big for the peer's path (IP packet = frame limit - 14 + 1).
  size=$(( ${limit:-1400} - 14 + 1 - 28 ))
  big=$(in_ns a ping -c2 -i 0.3 -W1 -M do -s "$size" 10.20.30.2 2>&1)
  fits=$(in_ns a ping -c1 -W2 -M do -s $((size - 1)) 10.20.30.2 >/dev/null 2>&1 && echo yes || echo no)
  printf 'p2p with %-9s edge, link MTU %s: paths pmtu %s, frame_limit %s; DF ping of %s bytes: %s; one byte less passes: %s\n' \
    "$name" "$peer_path" "${pmtu:-?}" "${limit:-?}" "$((size + 28))" \
    "$(echo "$big" | grep -oiE 'frag needed[^)]*|message too long[^,]*' | head -1)" "$fits"
  [ "${pmtu:-}" = "$peer_path" ] || fail "p2p $name: paths pmtu '${pmtu:-}' ($row)"
  [ "${limit:-}" = "$((peer_path - 82))" ] || fail "p2p $name: frame_limit '${limit:-}'"
  echo "$big" | grep -qiE 'frag needed|message too long' ||
    fail "p2p $name: no fragmentation-needed for a DF ping too big ($big)"
  [ "$fits" = yes ] || fail "p2p $name: a DF ping that fits did not pass"
  if [ -n "${N2N_REF_CTL:-}" ]; then
    ctl=$(in_ns a python3 "$N2N_REF_CTL" -t 5644 supernodes 2>&1)
    echo "$ctl" | grep -q '3.1.1' || fail "n2n-ctl supernodes: $ctl"
    ctl=$(in_ns a python3 "$N2N_REF_CTL" -t 5644 edges 2>&1)
    echo "$ctl" | grep -q '10.20.30.2' || fail "n2n-ctl edges: $ctl"
  fi
  lab_stop "$pid_b"
  lab_stop "$pid_a"
  lab_stop "$pid_sn"
done

[ $failures -eq 0 ] && echo "edge_path_mtu: all passed"
exit $((failures > 0))
