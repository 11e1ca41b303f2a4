#!/bin/bash
# mtu_probe.sh N2N_MTU N2N_SUPERNODE [N2N_EDGE [N2N_KEYGEN]]
#
# n2n-mtu probe over real traffic: a client, a router and a server in namespaces; the
# router-server link has MTU 1500, 1492 or 1400, the router's ICMP "fragmentation needed" is
# passed or dropped (iptables in the router), and 10 % of what the router sends towards the
# server is lost (netem, or iptables' statistic match where the kernel lacks sch_netem). For each path, n2n-mtu must report exactly that path MTU:
#   - to our supernode (padded PINGs; plain, -H once our edge has registered the community
#     with header encryption, and user/password with -I/-J: a throw-away registration),
#   - to the reference supernode too when N2N_REF_SUPERNODE is set (else that part is skipped
#     visibly),
#   - --host with ICMP echo, and --host --udp (port unreachable; ICMP passed only: a router that
#     drops ICMP also drops what the UDP form needs, said in the man page).
# Then --overlay between our edge in the client and one in the server: fine at -M 1290 on a
# 1500 path (exit 0), the far edge's -M 1200 seen in fragmented replies (exit 1), this edge's
# -M too big for a 1300 path (exit 1, -M 1204 suggested). The user/password probes must leave
# no edge in the supernodes' lists (management `edges`); a refused user is exit 2.
# Also: a supernode address where nothing listens gives exit 4, an unreachable host exit 4.
# Prints probes and time for every run. Only traffic inside the namespaces made here;
# everything started here is stopped by PID; the namespaces are removed.
set -u
mtu=${1:-}
supernode=${2:-}
edge=${3:-}
keygen=${4:-}
prefix="nkmtu2$$"
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_require "ip iptables tc jq" "$mtu" "$supernode"
. "$(dirname "$0")/../lib/mtu_lab.sh"
lib="$(dirname "$0")/../lib"
lab_init
mtu_lab || exit 1
mtu_path 1500 pass 10 || { echo "FAIL: neither netem nor iptables statistic can lose packets"; exit 1; }
echo "random loss by: $mtu_loss_by"

printf "mtu-plain\nmtu-probe\n" > "$work/community.list"
# A user/password community (alice/secret): probed after a throw-away registration.
if [ -x "$keygen" ]; then
  { echo "mtu-up"; "$keygen" alice secret; } >> "$work/community.list"
fi
lab_start pid_sn s "$work/sn.log" "$supernode" -f -p 7654 -c "$work/community.list"
lab_wait_udp s 7654 "$pid_sn" || { echo "FAIL: our supernode did not start"; cat "$work/sn.log"; exit 1; }
ref=""
if [ -n "${N2N_REF_SUPERNODE:-}" ] && [ -x "$N2N_REF_SUPERNODE" ]; then
  lab_start pid_ref s "$work/ref.log" "$N2N_REF_SUPERNODE" -f -p 7655 -t 5646 -c "$work/community.list"
  lab_wait_udp s 7655 "$pid_ref" && ref=yes
  [ -n "$ref" ] || { echo "FAIL: the reference supernode did not start"; cat "$work/ref.log"; exit 1; }
else
  echo "SKIPPED (part): reference supernode (set N2N_REF_SUPERNODE)"
fi

# A supernode opens -H PINGs only for a community it knows to use header encryption: an edge
# of it registers first (ours, in the client; one per supernode). From then on the supernode
# drops plaintext PINGs of that community, so the plain runs use another one (mtu-plain).
if [ -x "$edge" ]; then
  lab_start pid_edge c "$work/edge.log" "$edge" -f -c mtu-probe -k k -H -l "198.18.2.2:7654" \
    -a 10.77.0.1 -d nkmtu0 -t 5650
  [ -n "$ref" ] && lab_start pid_edge2 c "$work/edge2.log" "$edge" -f -c mtu-probe -k k -H \
    -l "198.18.2.2:7655" -a 10.78.0.2 -d nkmtu1 -t 5651
  sleep 2
else
  echo "SKIPPED (part): -H (needs n2n-edge to register the community)"
fi

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# run LABEL WANT ARGS... : n2n-mtu --json in the client; the path MTU must be WANT, exact
# (also at the client's own interface MTU: nothing larger can leave it), exit 0. With
# $want_method set, the JSON method must match that regex; with $max_probes, no more probes.
want_method=""
max_probes=""
run() {
  local label=$1 want=$2 out rc got conf probes
  shift 2
  out=$(in_ns c "$mtu" probe "$@" --json 2>"$work/stderr")
  rc=$?
  got=$(jq -r '.path_mtu' <<<"$out" 2>/dev/null)
  conf=$(jq -r .confidence <<<"$out" 2>/dev/null)
  probes=$(jq -r .probes_sent <<<"$out" 2>/dev/null)
  printf '%-44s path MTU %-5s (want %s) exit %s, %3s probes (%s lost), %7s ms, %s\n' "$label" \
    "${got:-?}" "$want" "$rc" "$probes" \
    "$(jq -r .lost <<<"$out" 2>/dev/null)" "$(jq -r .time_ms <<<"$out" 2>/dev/null)" "$conf"
  [ "$rc" = 0 ] || fail "$label: exit $rc ($(cat "$work/stderr"))"
  [ "${got:-}" = "$want" ] || fail "$label: path MTU '${got:-}', want $want ($out)"
  [ "${conf:-}" = exact ] || fail "$label: confidence '${conf:-}', want exact ($out)"
  if [ -n "$want_method" ]; then
    jq -e --arg m "$want_method" '.method | test($m)' <<<"$out" >/dev/null ||
      fail "$label: method '$(jq -r .method <<<"$out" 2>/dev/null)', want /$want_method/"
  fi
  if [ -n "$max_probes" ] && ! [ "${probes:-999}" -le "$max_probes" ] 2>/dev/null; then
    fail "$label: ${probes:-?} probes, want at most $max_probes"
  fi
}

sn=198.18.2.2
for path in 1500 1492 1400; do
  for icmp in pass drop; do
    for loss in 0 10; do
      mtu_path "$path" "$icmp" "$loss" || { fail "cannot set up the path"; continue; }
      tag="$path icmp=$icmp loss=$loss%"
      run "ours  $tag" "$path" "$sn:7654" -c mtu-plain
      [ -x "$edge" ] && run "ours -H $tag" "$path" "$sn:7654" -c mtu-probe -H
      if [ -n "$ref" ]; then
        run "ref   $tag" "$path" "$sn:7655" -c mtu-plain
        [ -x "$edge" ] && run "ref -H $tag" "$path" "$sn:7655" -c mtu-probe -H
      fi
      if [ -x "$keygen" ]; then
        run "ours -J $tag" "$path" "$sn:7654" -c mtu-up -I alice -J secret
        [ -n "$ref" ] && run "ref -J $tag" "$path" "$sn:7655" -c mtu-up -I alice -J secret
      fi
      want_method="^ICMP echo" run "host  $tag" "$path" --host "$sn"
      if [ "$icmp" = pass ]; then
        run "udp   $tag" "$path" --host "$sn" --udp
      fi
    done
  done
done

# --- The ceiling: the client's route. A jumbo client link (9000) before a 1500 bottleneck,
# "fragmentation needed" dropped: 1500 is a likely size, proven by its boundary (1501 lost),
# not by a dozen halvings from 9000; 9000 end to end is exact at the interface's MTU. (The
# client has a learnt PMTU of 1400 cached from the runs above: it must not cap the search.)
echo "client's route before the jumbo runs: $(in_ns c ip route get 198.18.2.2 | tr -s ' \n' ' ')"
in_ns c ip link set eth0 mtu 9000
in_ns r ip link set eth0 mtu 9000
for loss in 0 10; do
  mtu_path 1500 drop "$loss" || fail "cannot set up the path"
  [ "$loss" = 0 ] && max_probes=10
  run "jumbo 9000 -> 1500 icmp=drop loss=$loss%" 1500 --host "$sn"
  run "jumbo sn 9000 -> 1500 icmp=drop loss=$loss%" 1500 "$sn:7654" -c mtu-plain
  max_probes=""
done
mtu_path 9000 drop 0
max_probes=4
run "jumbo 9000 end to end" 9000 --host "$sn"
max_probes=""
# A supernode reads no n2n message above 2048 bytes: its probe stops at 2076, "at least".
out=$(in_ns c "$mtu" probe "$sn:7654" -c mtu-plain --json 2>"$work/stderr")
rc=$?
echo "jumbo sn 9000 end to end: exit $rc, $(jq -r '"\(.path_mtu) \(.confidence), \(.probes_sent) probes, \(.time_ms) ms: \(.max_origin)"' <<<"$out")"
[ "$rc" = 0 ] && [ "$(jq -r '"\(.path_mtu) \(.confidence)"' <<<"$out")" = "2076 at least" ] ||
  fail "jumbo sn 9000 end to end: exit $rc, $(jq -c . <<<"$out")"
in_ns c ip link set eth0 mtu 1500
in_ns r ip link set eth0 mtu 1500
mtu_path 1500 drop 0
# A configured mtu metric is a ceiling too (the probes could leave bigger, nothing else does).
in_ns c ip route add 198.18.2.2/32 via 198.18.1.1 mtu 1400
run "route mtu 1400 on a 1500 path" 1400 --host "$sn"
in_ns c ip route del 198.18.2.2/32
# --max below the interface's MTU stays "at least".
out=$(in_ns c "$mtu" probe --host "$sn" --max 1450 --json 2>/dev/null)
echo "--max 1450 on a 1500 path: $(jq -r .statement <<<"$out")"
[ "$(jq -r .confidence <<<"$out")" = "at least" ] || fail "--max 1450: $(jq -c . <<<"$out")"

# --- Root where echo sockets are refused (the default ping_group_range "1 0" binds root too):
# a raw ICMP socket, as fast as the echo socket and exact with ICMP dropped.
in_ns c sysctl -qw net.ipv4.ping_group_range="1 0"
for icmp in pass drop; do
  mtu_path 1492 "$icmp" 0
  want_method="^raw ICMP echo" run "host raw 1492 icmp=$icmp" 1492 --host "$sn"
done
mtu_path 1492 drop 10
want_method="^raw ICMP echo" run "host raw 1492 icmp=drop loss=10%" 1492 --host "$sn"
in_ns c sysctl -qw net.ipv4.ping_group_range="0 2147483647"
mtu_path 1500 pass 0

# --- --overlay: our edge in the client (nkmtu0, 10.77.0.1, -M 1290, management 5650) and one
# in the server (10.77.0.3). With a 1500 path full TAP-MTU packets cross (exit 0); with 1300
# the client edge's frame limit for the peer (1300 - 82) is below its -M: "the path to the peer
# is smaller than this edge's -M allows", -M 1204 suggested (exit 1).
# overlay_run ADDRESS LABEL WANT_EXIT WANT_MTU WANT_VERDICT (each far edge gets an address of
# its own, so that no neighbour entry of an earlier one is in the way)
overlay_method=""
overlay_run() {
  local address=$1 out rc got verdict mac
  shift
  for _ in $(seq 40); do  # until the edges talk peer to peer and that peer's search is done
    in_ns c ping -c1 -W1 -s 100 "$address" >/dev/null 2>&1 || { sleep 0.5; continue; }
    mac=$(in_ns c python3 "$lib/mgmt_query.py" 5650 edges 2>/dev/null |
      jq -r --arg a "$address" 'select((.ip4addr | split("/")[0]) == $a) | .macaddr' | head -1)
    [ -n "$mac" ] && in_ns c python3 "$lib/mgmt_query.py" 5650 paths 2>/dev/null |
      jq -e --arg m "$mac" 'select(.peer == "p2p" and .macaddr == $m and .state == "done")' \
        >/dev/null && break
    sleep 0.5
  done
  out=$(in_ns c "$mtu" probe --overlay "$address" -t 5650 --json 2>"$work/stderr")
  rc=$?
  got=$(jq -r .path_mtu <<<"$out" 2>/dev/null)
  verdict=$(jq -r .overlay.verdict <<<"$out" 2>/dev/null)
  printf '%-44s largest %-5s (want %s) exit %s, %s probes, %s ms: %s\n' "$1" "${got:-?}" "$3" "$rc" \
    "$(jq -r .probes_sent <<<"$out" 2>/dev/null)" "$(jq -r .time_ms <<<"$out" 2>/dev/null)" \
    "$(jq -r .overlay.statement <<<"$out" 2>/dev/null)"
  [ "$rc" = "$2" ] || fail "$1: exit $rc, want $2 ($(cat "$work/stderr"))"
  [ "${got:-}" = "$3" ] || fail "$1: largest '${got:-}', want $3 ($out)"
  [ "${verdict:-}" = "$4" ] || fail "$1: verdict '${verdict:-}', want '$4'"
  if [ -n "$overlay_method" ]; then
    jq -e --arg m "$overlay_method" '.method | test($m)' <<<"$out" >/dev/null ||
      fail "$1: method '$(jq -r .method <<<"$out" 2>/dev/null)', want /$overlay_method/"
  fi
}
if [ -x "$edge" ]; then
  lab_start pid_far s "$work/edge-far.log" "$edge" -f -c mtu-probe -k k -H -l "198.18.2.2:7654" \
    -a 10.77.0.3 -d nkmtu2 -t 5652
  sleep 2
  overlay_run 10.77.0.3 "overlay, path 1500, -M 1290 both" 0 1290 fine
  lab_stop "$pid_far"
  lab_start pid_far s "$work/edge-far-1200.log" "$edge" -f -c mtu-probe -k k -H \
    -l "198.18.2.2:7654" -a 10.77.0.4 -d nkmtu2 -t 5652 -M 1200
  sleep 2
  overlay_run 10.77.0.4 "overlay, path 1500, far edge -M 1200" 1 1290 "far side smaller"
  lab_stop "$pid_far"
  lab_stop "$pid_edge"
  mtu_path 1300 pass 0
  lab_start pid_edge c "$work/edge-1300.log" "$edge" -f -c mtu-probe -k k -H \
    -l "198.18.2.2:7654" -a 10.77.0.1 -d nkmtu0 -t 5650
  lab_start pid_far s "$work/edge-far-1300.log" "$edge" -f -c mtu-probe -k k -H \
    -l "198.18.2.2:7654" -a 10.77.0.5 -d nkmtu2 -t 5652
  sleep 2
  overlay_run 10.77.0.5 "overlay, path 1300, -M 1290 (too big)" 1 1204 "local -M too big for the path"
  lab_stop "$pid_far"
  mtu_path 1500 pass 0
  # The lab's case: TAP MTU 1390 on both edges, run as root where echo sockets are refused: the
  # raw socket (no UDP pacing), exact at the TAP's MTU; then with echo sockets allowed.
  lab_stop "$pid_edge"
  lab_start pid_edge c "$work/edge-1390.log" "$edge" -f -c mtu-probe -k k -H \
    -l "198.18.2.2:7654" -a 10.77.0.1 -d nkmtu0 -t 5650 -M 1390
  lab_start pid_far s "$work/edge-far-1390.log" "$edge" -f -c mtu-probe -k k -H \
    -l "198.18.2.2:7654" -a 10.77.0.6 -d nkmtu2 -t 5652 -M 1390
  sleep 2
  in_ns c sysctl -qw net.ipv4.ping_group_range="1 0"
  overlay_method="^raw ICMP echo" overlay_run 10.77.0.6 "overlay, -M 1390 both, root, raw echo" \
    0 1390 fine
  in_ns c sysctl -qw net.ipv4.ping_group_range="0 2147483647"
  overlay_method="^ICMP echo" overlay_run 10.77.0.6 "overlay, -M 1390 both, echo socket" 0 1390 fine
  lab_stop "$pid_far"
fi

# User/password: the throw-away registrations are gone from the supernodes' edge lists, and a
# wrong password is one line and exit 2.
if [ -x "$keygen" ]; then
  sleep 0.5
  for port in 5645 ${ref:+5646}; do
    left=$(in_ns s python3 "$lib/mgmt_query.py" "$port" edges 2>/dev/null |
      jq -r 'select(.community == "mtu-up") | .macaddr' | wc -l)
    echo "management port $port: $left mtu-up edge(s) left after the -J probes"
    [ "$left" = 0 ] || fail "supernode (management $port) still lists $left throw-away edge(s)"
  done
  # The check above must be able to see edges at all: the -H edges of mtu-probe are listed.
  seen=$(in_ns s python3 "$lib/mgmt_query.py" 5645 edges 2>/dev/null |
    jq -r 'select(.community == "mtu-probe") | .macaddr' | wc -l)
  [ "$seen" -ge 1 ] || fail "management edges lists no mtu-probe edge: the check sees nothing"
  # A wrong password and an unknown user get a NAK: exit 2, one line each.
  for case in "wrong password:alice:wrong:2" "unknown user:bob:secret:2"; do
    IFS=: read -r what user pass want <<<"$case"
    in_ns c "$mtu" probe "$sn:7654" -c mtu-up -I "$user" -J "$pass" >/dev/null 2>"$work/stderr"
    rc=$?
    echo "$what: exit $rc: $(cat "$work/stderr")"
    [ "$rc" = "$want" ] || fail "$what: exit $rc, want $want"
    [ "$(wc -l <"$work/stderr")" = 1 ] || fail "$what: want one line: $(cat "$work/stderr")"
  done
else
  echo "SKIPPED (part): user/password (needs n2n-keygen)"
fi

# No supernode answer: nothing listens on that port (ICMP port unreachable) -> 4 at once.
in_ns c "$mtu" probe "$sn:7999" -c mtu-probe >/dev/null 2>"$work/stderr"
rc=$?
[ "$rc" = 4 ] || fail "no supernode: exit $rc, want 4"
[ "$(wc -l <"$work/stderr")" = 1 ] || fail "no supernode: want one line on stderr: $(cat "$work/stderr")"
echo "no supernode: exit $rc: $(cat "$work/stderr")"
# Silence (the port's ICMP dropped by the router): 4 after --timeout.
in_ns r iptables -A FORWARD -p udp --dport 7999 -j DROP
in_ns c "$mtu" probe "$sn:7999" -c mtu-probe --timeout 2 >/dev/null 2>"$work/stderr"
rc=$?
[ "$rc" = 4 ] || fail "silent supernode: exit $rc, want 4"
echo "silent supernode: exit $rc: $(cat "$work/stderr")"
in_ns r iptables -F FORWARD
# A wrong community under -H: the supernode cannot open the PINGs and stays silent -> 4.
in_ns c "$mtu" probe "$sn:7654" -c other -H --timeout 2 >/dev/null 2>"$work/stderr"
rc=$?
[ "$rc" = 4 ] || fail "-H with an unknown community: exit $rc, want 4"
echo "-H, unknown community: exit $rc: $(cat "$work/stderr")"
# An address without a route: 4 with the reason.
in_ns c ip route del default
in_ns c "$mtu" probe --host 203.0.113.9 --timeout 2 >/dev/null 2>"$work/stderr"
rc=$?
[ "$rc" = 4 ] || fail "no route: exit $rc, want 4"
echo "no route: exit $rc: $(cat "$work/stderr")"

[ $failures -eq 0 ] && echo "mtu_probe: all passed"
exit $((failures > 0))
