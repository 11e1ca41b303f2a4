#!/bin/bash
# test_n2n_tui.sh N2N_TUI [SHARED_DIR]: n2n-tui without a terminal. Bad usage: exit 2 with one
# line naming the problem. A dead port on the loopback: exit 4 and "does not answer", quickly.
# A fake management port (python, loopback) replaying the reference edge's and supernode's
# recorded replies from SHARED_DIR/vectors/management-examples.json with the request's tag:
# --once (and plain stdout to a pipe) shows the peer as P2P, --json is one document with the
# supernode's community; garbage replies exit 1 with a clear line; a wrong password is
# reported as such (the recorded badauth).
set -u
export LC_ALL=C
tui=$1
shared=${2:-}
failures=0
work=$(mktemp -d)
server_pids=()
cleanup() {
  local pid
  for pid in "${server_pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

bad_usage() {  # bad_usage PATTERN ARGS...
  local pattern=$1
  shift
  "$tui" "$@" >"$work/out" 2>"$work/err" </dev/null
  local rc=$?
  [ $rc -eq 2 ] || fail "n2n-tui $*: exit $rc, expected 2"
  [ ! -s "$work/out" ] || fail "n2n-tui $*: printed on stdout"
  [ "$(wc -l <"$work/err")" -eq 1 ] || fail "n2n-tui $*: stderr is not one line: $(cat "$work/err")"
  grep -qE "^n2n-tui: .*$pattern" "$work/err" || fail "n2n-tui $*: stderr '$(cat "$work/err")' lacks '$pattern'"
}

"$tui" --help >"$work/out" 2>&1 || fail "--help exits non-zero"
grep -q 'Exit status: 0 fine; 1 a problem' "$work/out" || fail "--help lacks the exit codes"
"$tui" --version | grep -qE '^n2n-tui [0-9]' || fail "--version"
bad_usage 'not a UDP port' -t 0
bad_usage 'not a UDP port' -t 70000
bad_usage 'want 0.2 .. 60 seconds' --refresh 0
bad_usage 'want 10 .. 10000 ms' --timeout 1
bad_usage 'want -A1 .. -A5' -A9
bad_usage '2 passwords for 3 ports' -t 1 -t 2 -t 3 --management-password a --management-password b
bad_usage 'nosuch' --nosuch
bad_usage '' -t notaport

# A port nothing listens on (the loopback answers with ICMP port unreachable).
dead=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s%N)
"$tui" --once -t "$dead" >"$work/out" 2>&1
rc=$?
ms=$((($(date +%s%N) - start) / 1000000))
[ $rc -eq 4 ] || fail "dead port: exit $rc, expected 4"
grep -q "management port $dead does not answer" "$work/out" || fail "dead port: $(cat "$work/out")"
[ $ms -lt 3000 ] || fail "dead port: took $ms ms"

# serve SESSION|garbage : a fake management port on the loopback; prints its port.
serve() {
  python3 - "$1" "${shared}/vectors/management-examples.json" >"$work/port.$1" 2>"$work/server.$1" <<'PY' &
import json, socket, sys
session, vectors = sys.argv[1], sys.argv[2]
answers = {}
if session != "garbage":
    for e in json.load(open(vectors))[session]["exchanges"]:
        parts = e["request"].split()
        if len(parts) == 3 and parts[0] == "r" and parts[2] not in answers:
            answers[parts[2]] = e["replies"]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
while True:
    data, peer = s.recvfrom(2048)
    parts = data.decode(errors="replace").split()
    if len(parts) < 3:
        continue
    tag, method = parts[1].split(":")[0], parts[2]
    pw = parts[1].split(":")[2] if parts[1].count(":") >= 2 else None
    if session == "garbage":
        replies = ['{"_tag":"%s","_type":"begin"}' % tag, '{"_tag":"%s","_type":"row","x":1}' % tag,
                   '{"_tag":"%s","_type":"end"}' % tag]
    elif pw not in (None, "n2n"):
        replies = ['{"_tag":"%s","_type":"error","error":"badauth"}\n' % tag]
    elif method in answers:
        # The recorded replies with this request's tag (the recording's tag is the first field).
        replies = [r.replace('"_tag":"%s"' % json.loads(r)["_tag"], '"_tag":"%s"' % tag, 1)
                   for r in answers[method]]
    else:
        replies = ['{"_tag":"%s","_type":"error","error":"unknowncmd"}\n' % tag]
    for r in replies:
        s.sendto(r.encode(), peer)
PY
  server_pids+=($!)
  local _
  for _ in $(seq 50); do [ -s "$work/port.$1" ] && break; sleep 0.1; done
}

serve garbage
gport=$(cat "$work/port.garbage")
"$tui" --once -t "$gport" >"$work/out" 2>&1
rc=$?
[ $rc -eq 1 ] || fail "garbage: exit $rc, expected 1"
grep -q "not a management edge list" "$work/out" || fail "garbage: $(cat "$work/out")"

if [ -z "$shared" ] || [ ! -f "$shared/vectors/management-examples.json" ]; then
  echo "note: no shared vectors: the recorded-reply checks are skipped"
else
  serve edgeA
  serve sn
  eport=$(cat "$work/port.edgeA")
  sport=$(cat "$work/port.sn")
  # stdout a pipe, no --once: still one text snapshot.
  "$tui" -t "$eport" </dev/null | cat >"$work/out"
  grep -qE '^P2P +10\.20\.30\.2/24 +198\.19\.0\.12:50002 +02:20:30:00:00:02 .* \(local\) edge-b$' \
    "$work/out" || fail "reference edge: no P2P row: $(cat "$work/out")"
  grep -q '== Path MTU ==' "$work/out" || fail "no Path MTU section"
  grep -qE '^packets transop +6 +6' "$work/out" || fail "no transop counters: $(cat "$work/out")"
  "$tui" --json -t "$eport" -t "$sport" >"$work/json"
  rc=$?
  [ $rc -eq 0 ] || fail "--json on the recorded edge and supernode: exit $rc"
  python3 - "$work/json" <<'PY' || fail "--json content"
import json, sys
d = json.load(open(sys.argv[1]))
edge, sn = d["targets"]
assert edge["kind"] == "edge" and edge["health"] == "ok", edge
assert edge["peers"][0]["path"] == "p2p" and edge["peers"][0]["macaddr"] == "02:20:30:00:00:02"
assert sn["kind"] == "supernode" and sn["communities"] == ["n2nkit-testvector"], sn
assert [p["macaddr"] for p in sn["peers"]] == ["02:20:30:00:00:01", "02:20:30:00:00:02"]
assert d["views"]["Peers"][0]["rows"][0]["MODE"] == "P2P"
PY
  "$tui" --once -t "$eport" --management-password wrong >"$work/out" 2>&1
  rc=$?
  [ $rc -eq 1 ] || fail "wrong password: exit $rc, expected 1"
  grep -q 'wrong management password' "$work/out" || fail "wrong password: $(cat "$work/out")"
  "$tui" --once -t "$eport" --management-password n2n >/dev/null 2>&1 ||
    fail "the right password: exit $?"
fi

if [ $failures -ne 0 ]; then
  echo "FAILED: $failures checks"
  exit 1
fi
echo "PASSED"
