#!/bin/bash
# tui_terminal.sh [--interop] N2N_TUI N2N_EDGE N2N_SUPERNODE N2N_MSS
#
# n2n-tui in a real terminal (tmux, on a private socket) against our daemons in network
# namespaces: edges A and B go P2P and A's Peers view says so; edge C runs with -S1 (relay
# only) and A's Peers view says C is relayed, and m probes C's path MTU with n2n-mtu (next to
# n2n-tui); the supernode's view lists its community and the three edges (--once, --json). With -i n2n0 on A: a TCP connection from A to B appears in
# the MSS view (SYN and SYN-ACK), and in --once's snapshot of one refresh interval, and a clamp added with `n2n-mss clamp` inside A's namespace
# appears in the Firewall view. Keys: help, view switches, sort (marker), filter, pause,
# resize to 100x30 and back, quit. Bad input: a dead port, a wrong password and a port that
# answers garbage each give a clear status line. With N2N_REF_EDGE a reference edge on a fourth
# host: its Peers view shows B as P2P without a path MTU, and m probes it. With
# N2N_REF_SUPERNODE the reference supernode runs beside ours (UDP 7655, management 5646) with
# two of our edges in a community of their own (second TAPs on A and B): its view in --once,
# --json and the terminal lists that community and both edges. Captured screens go to stdout. Skips (77)
# without root, /dev/net/tun, tmux or the binaries. Only traffic inside the namespaces made
# here; everything started here is stopped by PID, the namespaces are removed, also on
# failure.
set -u
# --interop: N2N_REF_EDGE is required (skip, 77, without it).
if [ "${1:-}" = --interop ]; then
  shift
  if [ -z "${N2N_REF_EDGE:-}" ] || [ ! -x "${N2N_REF_EDGE}" ]; then
    echo "SKIPPED: set N2N_REF_EDGE to the reference ntop/n2n 3.x edge"
    exit 77
  fi
fi
tui=${1:-}
edge=${2:-}
supernode=${3:-}
mss_tool=${4:-}
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_require "ip ss ping python3 timeout tmux nft" "$tui" "$edge" "$supernode" "$mss_tool"

prefix="nktui$$"
lab_init
sock="$work/tmux.sock"
tmux_server=0
# The tmux server is ours (private socket): ended with the test.
tui_cleanup() {
  [ $tmux_server -eq 1 ] && tmux -S "$sock" kill-server 2>/dev/null
  lab_cleanup
}
trap tui_cleanup EXIT

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
pass() { echo "ok: $*"; }

# With N2N_REF_EDGE (the reference's edge, ntop/n2n 3.x): a fourth host D runs it, and its
# management port is watched too (its peers have no path MTU until m probes them).
ref_edge=${N2N_REF_EDGE:-}
hosts=(sn=198.19.0.1 a=198.19.0.11 b=198.19.0.12 c=198.19.0.13)
if [ -n "$ref_edge" ] && [ -x "$ref_edge" ]; then
  hosts+=(d=198.19.0.14)
else
  echo "note: N2N_REF_EDGE not set: no reference edge in this run"
  ref_edge=""
fi
lab_bridge "${hosts[@]}" || exit 1
key=nktui-key
lab_start sn_pid sn "$work/sn.log" "$supernode" -f -p 7654 -t 5645
lab_wait_udp sn 7654 "$sn_pid" || { echo "FAIL: the supernode did not start"; exit 1; }
common=(-f -d n2n0 -c nktui -k "$key" -A3 -l 198.19.0.1:7654)
lab_start ea a "$work/a.log" "$edge" "${common[@]}" -a 10.77.0.1/24 -m 02:77:00:00:00:01 -I edge-a
lab_start eb b "$work/b.log" "$edge" "${common[@]}" -a 10.77.0.2/24 -m 02:77:00:00:00:02 -I edge-b
lab_start ec c "$work/c.log" "$edge" "${common[@]}" -a 10.77.0.3/24 -m 02:77:00:00:00:03 -I edge-c -S1
for h in a b c; do
  wait_tap $h 15 || { echo "FAIL: edge $h got no TAP address"; cat "$work/$h.log"; exit 1; }
done
in_ns a ping -c 3 -i 0.3 -W 2 10.77.0.2 >/dev/null || fail "edge A cannot ping B over the overlay"
in_ns c ping -c 3 -i 0.3 -W 2 10.77.0.1 >/dev/null || fail "edge C cannot ping A over the overlay"

# until_once HOST PATTERN SECONDS ARGS... : n2n-tui --once in HOST until its output matches
until_once() {
  local host=$1 pattern=$2 seconds=$3 out _
  shift 3
  for _ in $(seq $((seconds * 2))); do
    out=$(in_ns "$host" "$tui" --once "$@" 2>&1)
    if grep -qE -- "$pattern" <<<"$out"; then
      printf '%s\n' "$out"
      return 0
    fi
    in_ns a ping -c 1 -W 1 10.77.0.2 >/dev/null 2>&1
    sleep 0.5
  done
  printf '%s\n' "$out"
  return 1
}

echo "--- --once on edge A (B must be P2P)"
until_once a '^P2P +10\.77\.0\.2/24 .*02:77:00:00:00:02' 20 ||
  fail "edge A's --once does not show B as P2P"

# tmux helpers: one session per screen, 80x24 unless resized.
tui_start() {  # tui_start NAME HOST ARGS...
  local name=$1 host=$2
  shift 2
  tmux -S "$sock" new-session -d -s "$name" -x 80 -y 24 \
    "ip netns exec $prefix-$host $tui $* ; sleep 30" || return 1
  tmux_server=1
}
screen() { tmux -S "$sock" capture-pane -p -t "$1"; }
keys() {
  local name=$1
  shift
  tmux -S "$sock" send-keys -t "$name" "$@"
}
# wait_screen NAME PATTERN [SECONDS] : until the pane shows PATTERN (grep -E)
wait_screen() {
  local _
  for _ in $(seq $((${3:-10} * 10))); do
    screen "$1" | grep -qE -- "$2" && return 0
    sleep 0.1
  done
  return 1
}
check_screen() {  # check_screen NAME PATTERN WHAT
  if wait_screen "$1" "$2"; then pass "$3"; else
    fail "$3 (pattern '$2' not on the screen)"
    screen "$1"
  fi
}
show() {  # show NAME TITLE : the captured screen, for the record
  echo "--- screen: $2"
  screen "$1"
}

echo "--- interactive on edge A"
tui_start ta a -t 5644
check_screen ta '^P2P +10\.77\.0\.2/24 .*02:77:00:00:00:02' "Peers view: B is P2P"
check_screen ta '^\?Help 1-5/Tab View' "key-hint bar on the last line"
show ta "Peers (edge A)"
# Colour as severity: the P2P row green (SGR 32), unless --no-color.
if tmux -S "$sock" capture-pane -e -p -t ta | grep '02:77:00:00:00:02' | grep -q $'\e\[32m'; then
  pass "the P2P row is green"
else
  fail "the P2P row is not green"
fi
keys ta '?'
check_screen ta 'n2n-tui: the overlay at a glance' "? shows the help"
show ta "help"
keys ta x
check_screen ta '^MODE +OVERLAY' "any key leaves the help"
keys ta 2
check_screen ta '^PATH +UNDERLAY +STATE +PMTU +NEED +MAXTAP' "2: Path MTU view"
check_screen ta '^TAP ' "Path MTU view lists the TAP"
show ta "Path MTU (edge A)"
keys ta 3
check_screen ta '^COUNTER +TX +RX' "3: Counters view"
check_screen ta '^packets p2p ' "Counters view lists the P2P packets"
show ta "Counters (edge A)"
keys ta Tab
check_screen ta '^no capture: start n2n-tui with -i IFACE' "Tab: MSS view (without -i it says how)"
keys ta Tab
check_screen ta '^no overlay interface: start n2n-tui with -i' "Tab: Firewall view (without -i)"
keys ta Tab
check_screen ta '^MODE +OVERLAY' "Tab wraps around to Peers"
keys ta s
check_screen ta '^MODE\^ ' "s sorts by MODE, marked ^"
keys ta S
check_screen ta '^MODEv ' "S reverses, marked v"
keys ta / z z z Enter
check_screen ta "^\[filter 'zzz': [12] hidden\]" "/ filter: the status line names it and counts the hidden rows"
if screen ta | grep -q '02:77:00:00:00:02'; then fail "the filtered-out peer is still shown"; fi
keys ta / BSpace BSpace BSpace Enter
check_screen ta '^P2P +10\.77\.0\.2/24' "an empty filter shows all again"
keys ta p
check_screen ta 'PAUSED' "p pauses (PAUSED in the title)"
keys ta Space
sleep 0.3
if screen ta | grep -q PAUSED; then fail "space does not resume"; else pass "space resumes"; fi
tmux -S "$sock" resize-window -t ta -x 100 -y 30
sleep 0.5
rows=$(screen ta | wc -l)
last=$(screen ta | tail -1)
if [ "$rows" -eq 30 ] && grep -q '^?Help' <<<"$last"; then
  pass "resize to 100x30: the hint bar moves to line 30"
else
  fail "after resize: $rows lines, last '$last'"
fi
wide=$(screen ta | awk 'NR == 2 { print length($0) }')
screen ta | sed -n 2p | grep -q 'DESC' || fail "after resize the header lost DESC"
tmux -S "$sock" resize-window -t ta -x 80 -y 24
sleep 0.5
[ "$(screen ta | wc -l)" -eq 24 ] && pass "resize back to 80x24" || fail "resize back to 80x24"
check_screen ta '^P2P +10\.77\.0\.2/24' "Peers still right after the resizes"
keys ta q
for _ in $(seq 20); do
  screen ta | grep -q '^?Help' || break
  sleep 0.1
done
if screen ta | grep -q '^?Help'; then fail "q does not quit"; else pass "q quits"; fi
echo "(header width at 100 columns: $wide)"

tui_start tnc a -t 5644 --no-color
check_screen tnc '^P2P +10\.77\.0\.2/24' "--no-color: Peers view"
if tmux -S "$sock" capture-pane -e -p -t tnc | grep -q $'\e\[3[0-7]m'; then
  fail "--no-color still draws colours"
else
  pass "--no-color draws no colours"
fi
keys tnc q

echo "--- edge C (-S1, relay only) as edge A sees it"
in_ns c ping -c 2 -i 0.3 -W 2 10.77.0.1 >/dev/null
tui_start tc a -t 5644
check_screen tc '^relayed +.*02:77:00:00:00:03' "Peers view on A: C (-S1) is relayed"
check_screen tc '^P2P +10\.77\.0\.2/24 .*02:77:00:00:00:02' "Peers view on A: B still P2P"
check_screen tc 'edge, 2 peers \(1 p2p, 1 relayed\)' "the status line counts 1 p2p, 1 relayed"
show tc "Peers (edge A: B direct, C relayed)"
# m: n2n-mtu (next to n2n-tui) probes the path the edge reports no MTU for: C's underlay.
keys tc m
check_screen tc '^relayed +.*02:77:00:00:00:03 +[0-9]+s +1500( |$)' "m: C's path MTU probed (1500)"
keys tc 2
check_screen tc '^02:77:00:00:00:03 +198\.19\.0\.13:[0-9]+ +probed +1500 ' "Path MTU view: C probed"
show tc "Path MTU after m (edge A)"
keys tc q

echo "--- MSS and Firewall views on edge A (-i n2n0)"
lab_start listener b "$work/listen.log" python3 -c '
import socket
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", 8080))
s.listen(4)
while True:
    c, _ = s.accept()
    c.close()
'
tui_start tm a -t 5644 -i n2n0
keys tm 4
check_screen tm 'capturing SYNs on n2n0: 0 seen' "4: MSS view, capturing on n2n0"
in_ns a python3 -c '
import socket
s = socket.create_connection(("10.77.0.2", 8080), timeout=5)
s.close()' || fail "no TCP connection from A to B over the overlay"
check_screen tm '^[0-9:]{8} +SYN +10\.77\.0\.1:[0-9]+ +10\.77\.0\.2:8080 +[0-9]+ +[0-9]+ ' \
  "MSS view: the SYN from A to B:8080"
check_screen tm '^[0-9:]{8} +SYN-ACK +10\.77\.0\.2:8080 +10\.77\.0\.1:[0-9]+ ' \
  "MSS view: B's SYN-ACK"
show tm "MSS (edge A, -i n2n0)"
keys tm 5
check_screen tm '^firewall for n2n0 \(read: ' "5: Firewall view reads the firewall for n2n0"
check_screen tm '^sysctl +/proc/sys +forwarding +IPv4 (on|off), IPv6' "Firewall view: forwarding sysctl"
if screen tm | grep -q '^clamp '; then fail "a clamp is listed before n2n-mss clamp ran"; fi
show tm "Firewall before the clamp (edge A)"
in_ns a "$mss_tool" clamp --iface n2n0 >"$work/clamp.log" 2>&1 || {
  fail "n2n-mss clamp in A's namespace failed"
  cat "$work/clamp.log"
}
keys tm u
check_screen tm '^clamp +.*n2n0.*\(n2nkit\)' "Firewall view: the clamp n2n-mss added"
show tm "Firewall after n2n-mss clamp (edge A)"
keys tm q
# q ends the process, capture thread and all (a quiet interface once kept it in libpcap).
for _ in $(seq 30); do
  pgrep -f -- "$tui -t 5644 -i n2n0" >/dev/null || break
  sleep 0.1
done
if pgrep -f -- "$tui -t 5644 -i n2n0" >/dev/null; then
  fail "n2n-tui -i n2n0 still runs 3 s after q"
else
  pass "q ends n2n-tui -i n2n0 (capture thread stopped)"
fi
in_ns a "$mss_tool" clamp --undo --iface n2n0 >/dev/null 2>&1

echo "--- --once -i n2n0 -d 2: the SYNs of one refresh interval"
in_ns a "$tui" --once -t 5644 -i n2n0 -d 2 >"$work/once-mss.out" 2>&1 &
once_pid=$!
sleep 0.7
in_ns a python3 -c '
import socket
s = socket.create_connection(("10.77.0.2", 8080), timeout=5)
s.close()' || fail "no TCP connection from A to B for --once"
wait "$once_pid"
sed -n '/== MSS ==/,/^$/p' "$work/once-mss.out"
{ grep -qE 'SYNs captured on n2n0 for 2\.0 s \(-d\): [1-9][0-9]* seen' "$work/once-mss.out" &&
  grep -qE '^[0-9:]{8} +SYN +10\.77\.0\.1:[0-9]+ +10\.77\.0\.2:8080 ' "$work/once-mss.out"; } &&
  pass "--once -i n2n0: the SYN from A to B:8080 in the snapshot" ||
  { fail "--once -i n2n0 lists no SYN"; cat "$work/once-mss.out"; }

if [ -n "$ref_edge" ]; then
  echo "--- the reference edge on D"
  lab_start ed d "$work/d.log" "$ref_edge" "${common[@]}" -a 10.77.0.4/24 -m 02:77:00:00:00:04 \
    -I edge-d
  if wait_tap d 15; then
    in_ns d ping -c 3 -i 0.3 -W 2 10.77.0.2 >/dev/null || fail "reference edge D cannot ping B"
    tui_start tref d -t 5644
    check_screen tref '^P2P +10\.77\.0\.2/24 .*02:77:00:00:00:02 +[0-9]+s +- ' \
      "reference edge: B is P2P, no path MTU reported"
    keys tref m
    check_screen tref '^P2P +10\.77\.0\.2/24 .*02:77:00:00:00:02 +[0-9]+s +1500 ' \
      "reference edge: m probes B's path MTU (1500)"
    show tref "Peers (reference edge D, after m)"
    keys tref q
  else
    fail "the reference edge on D got no TAP address"
    cat "$work/d.log"
  fi
fi

echo "--- the supernode"
nedges=3
[ -n "$ref_edge" ] && nedges=4
out=$(until_once sn "community nktui: $nedges edges" 10 -t 5645) && pass "supernode --once: nktui has $nedges edges" ||
  fail "supernode --once does not list $nedges edges of nktui"
printf '%s\n' "$out" | sed -n '/== Peers ==/,/^$/p'
tui_start tsn sn -t 5645
check_screen tsn "community nktui: $nedges edges" "supernode Peers view: community with $nedges edges"
show tsn "Peers (supernode)"
keys tsn q
n=$(in_ns sn "$tui" --json -t 5645 | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = d["targets"][0]
print(t["kind"], len([p for p in t["peers"] if p["community"] == "nktui"]))')
[ "$n" = "supernode $nedges" ] && pass "--json: a supernode with $nedges edges" || fail "--json says '$n'"

ref_sn=${N2N_REF_SUPERNODE:-}
if [ -n "$ref_sn" ] && [ -x "$ref_sn" ]; then
  echo "--- the reference supernode (7655, management 5646) with two of our edges"
  lab_start rsn sn "$work/refsn.log" "$ref_sn" -f -p 7655 -t 5646
  if lab_wait_udp sn 7655 "$rsn"; then
    refc=(-f -d n2n1 -c nktuiref -k "$key" -A3 -l 198.19.0.1:7655)
    lab_start ra a "$work/ra.log" "$edge" "${refc[@]}" -a 10.78.0.1/24 -m 02:78:00:00:00:01 \
      -I ref-a -t 5650
    lab_start rb b "$work/rb.log" "$edge" "${refc[@]}" -a 10.78.0.2/24 -m 02:78:00:00:00:02 \
      -I ref-b -t 5650
    out=$(until_once sn "community nktuiref: 2 edges" 15 -t 5646) &&
      pass "reference supernode --once: nktuiref has 2 edges" ||
      fail "reference supernode --once does not list 2 edges of nktuiref"
    printf '%s\n' "$out" | sed -n '/== Peers ==/,/^$/p'
    tui_start trsn sn -t 5646
    check_screen trsn "community nktuiref: 2 edges" "reference supernode Peers view: 2 edges"
    check_screen trsn '02:78:00:00:00:02' "reference supernode Peers view: edge B's MAC"
    show trsn "Peers (reference supernode)"
    keys trsn q
    n=$(in_ns sn "$tui" --json -t 5646 | python3 -c '
import json, sys
d = json.load(sys.stdin)
t = d["targets"][0]
print(t["kind"], len([p for p in t["peers"] if p["community"] == "nktuiref"]))')
    [ "$n" = "supernode 2" ] && pass "--json: the reference supernode with 2 edges" ||
      fail "--json of the reference supernode says '$n'"
    # Both supernodes at once: one Peers view per management port (-t twice).
    out=$(in_ns sn "$tui" --once -t 5645 -t 5646 2>&1)
    { grep -q "community nktui: $nedges edges" <<<"$out" &&
      grep -q "community nktuiref: 2 edges" <<<"$out"; } &&
      pass "--once -t 5645 -t 5646: both supernodes' communities" ||
      { fail "--once with both supernodes"; printf '%s\n' "$out"; }
    lab_stop "$ra"
    lab_stop "$rb"
  else
    fail "the reference supernode did not start"
    cat "$work/refsn.log"
  fi
  lab_stop "$rsn"
else
  echo "note: N2N_REF_SUPERNODE not set: no reference supernode in this run"
fi

echo "--- bad input"
in_ns a "$tui" --once -t 5999 >"$work/dead.out" 2>&1
rc=$?
{ [ $rc -eq 4 ] && grep -q 'management port 5999 does not answer' "$work/dead.out"; } &&
  pass "a dead port: exit 4, 'does not answer'" || { fail "dead port: rc $rc"; cat "$work/dead.out"; }
tui_start tdead a -t 5999
check_screen tdead 'management port 5999 does not answer' "a dead port: the status line says so"
show tdead "dead port"
keys tdead q
in_ns a "$tui" --once -t 5644 --management-password wrong >"$work/pw.out" 2>&1
rc=$?
{ [ $rc -eq 1 ] && grep -q 'wrong management password' "$work/pw.out"; } &&
  pass "a wrong password: exit 1, 'wrong management password'" ||
  { fail "wrong password: rc $rc"; cat "$work/pw.out"; }
tui_start tpw a -t 5644 --management-password wrong
check_screen tpw 'wrong management password' "a wrong password: the status line says so"
keys tpw q
# A port that answers every request with rows of something else, tagged right.
lab_start junk a "$work/junk.log" python3 -c '
import json, socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 5998))
while True:
    data, peer = s.recvfrom(2048)
    tag = data.split()[1].split(b":")[0].decode() if len(data.split()) > 1 else "0"
    for t in ("begin", "row", "end"):
        s.sendto(json.dumps({"_tag": tag, "_type": t, "weather": "fine"}).encode(), peer)
'
lab_wait_udp a 5998 "$junk"
tui_start tjunk a -t 5998
check_screen tjunk "not a management edge list" "garbage replies: the status line says so"
show tjunk "garbage replies"
keys tjunk q
in_ns a "$tui" --once -t 5998 >/dev/null 2>&1
rc=$?
[ $rc -eq 1 ] && pass "garbage: --once exits 1" || fail "garbage: --once exit $rc"

echo
if [ $failures -ne 0 ]; then
  echo "FAILED: $failures checks"
  exit 1
fi
echo "PASSED"
