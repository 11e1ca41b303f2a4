#!/bin/bash
# test_n2n_ctl.sh N2N_CTL N2N_SUPERNODE
#
# n2n-ctl against our supernode run without namespaces on loopback (127.0.0.1, free high
# ports): tables, JSON, writes, errors of the daemon (wrong password, unknown command), a
# listing of 10,000 edges arriving whole; then bad input: usage errors, a dead port, a silent
# port, the supernode's data port and a port answering garbage, each one line on stderr and
# its documented exit status. With N2N_REF_CTL (the reference's scripts/n2n-ctl) and python3,
# the outputs are compared byte for byte with the reference script's; with N2N_REF_SUPERNODE,
# the reference supernode's unpaced 10,000-edge listing must arrive whole or be reported as
# incomplete. Everything started here is stopped by PID.
set -u
export LC_ALL=C
ctl=$1
sn=$2
tmp=$(mktemp -d)
pids=()
failures=0

cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

if ! command -v python3 >/dev/null; then
  echo "SKIPPED: python3 is needed for the test's helpers (registering edges, fake servers)"
  exit 77
fi

# --- helpers (python3: edges that register, a port finder, a fake management port) ----------
cat >"$tmp/edges.py" <<'PY'
# edges.py PORT COUNT: registers COUNT edges in community "test" (plaintext REGISTER_SUPER,
# spec §3/§4.4), each with its own MAC, address and description ("edge<n>"; every 7th one
# "ünïcode<n>"); prints the number of REGISTER_SUPER_ACKs received.
import socket, struct, sys
port, count = int(sys.argv[1]), int(sys.argv[2])

def register_super(n):
    hdr = bytes([3, 2]) + struct.pack(">H", 5) + b"test".ljust(20, b"\0")
    mac = bytes([0x02, 0x42, (n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff])
    addr = struct.pack(">I", (10 << 24) | (77 << 16) | (1 + n)) + bytes([8])
    name = ("\u00fcn\u00efcode%d" % n) if n % 7 == 3 else ("edge%d" % (count - n))
    desc = name.encode()[:15].ljust(16, b"\0")
    token = bytes((n + i) & 0xff for i in range(16))
    auth = struct.pack(">HH", 1, 16) + token
    return hdr + struct.pack(">I", 0x10000 + n) + mac + addr + desc + auth + b"\0\0\0\0"

acks = 0
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.settimeout(0.5)
for start in range(0, count, 100):
    for n in range(start, min(count, start + 100)):
        s.sendto(register_super(n), ("127.0.0.1", port))
    while acks < min(count, start + 100):
        try:
            data, _ = s.recvfrom(4096)
        except socket.timeout:
            break
        if len(data) >= 24 and (struct.unpack(">H", data[2:4])[0] & 0x1f) == 7:
            acks += 1
print(acks)
PY
cat >"$tmp/free_port.py" <<'PY'
# free_port.py: a port number free for UDP and TCP on 0.0.0.0 and 127.0.0.1 right now.
import socket
while True:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("0.0.0.0", 0))
    port = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.bind(("0.0.0.0", port))
    except OSError:
        continue
    print(port)
    break
PY
cat >"$tmp/fake.py" <<'PY'
# fake.py PORT MODE: a fake management port on 127.0.0.1. MODE silent: reads, never answers;
# text: answers like a text console; partial: begin and 50 rows of the request's tag, then
# nothing. Prints "ready" once bound.
import socket, sys
port, mode = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", port))
print("ready", flush=True)
while True:
    data, peer = s.recvfrom(4096)
    tag = data.split()[1].split(b":")[0].decode()
    if mode == "text":
        s.sendto(b"Welcome to the console\nunknown command\n", peer)
    elif mode == "partial":
        s.sendto(('{"_tag":"%s","_type":"begin","cmd":"edges"}\n' % tag).encode(), peer)
        for n in range(50):
            s.sendto(('{"_tag":"%s","_type":"row","desc":"e%d"}\n' % (tag, n)).encode(), peer)
PY
free_port() { python3 "$tmp/free_port.py"; }

# expect_error STATUS PATTERN ARGS...: exit STATUS, nothing on stdout, exactly one stderr line
# starting with "n2n-ctl: " and matching the extended regex PATTERN.
expect_error() {
  local status=$1 pattern=$2
  shift 2
  "$ctl" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  [ $got -eq "$status" ] || fail "n2n-ctl $*: exit status $got, expected $status ($(cat "$tmp/err"))"
  [ ! -s "$tmp/out" ] || fail "n2n-ctl $*: printed on stdout: $(head -3 "$tmp/out")"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "n2n-ctl $*: stderr is not one line: $(cat "$tmp/err")"
  grep -qE "^n2n-ctl: $pattern" "$tmp/err" ||
    fail "n2n-ctl $*: stderr '$(cat "$tmp/err")' does not match '$pattern'"
}

# same_as_reference NAME ARGS...: our output and exit status equal the reference script's.
compared=0
same_as_reference() {
  local name=$1
  shift
  [ -n "${N2N_REF_CTL:-}" ] || return 0
  "$ctl" "$@" >"$tmp/ours" 2>&1
  local ours=$?
  python3 "$N2N_REF_CTL" "$@" >"$tmp/theirs" 2>&1
  local theirs=$?
  # Times move on between the two calls: last_seen is compared as a number only.
  sed -i -E 's/("last_seen": )[0-9]+/\1T/' "$tmp/ours" "$tmp/theirs"
  if [ $ours -ne $theirs ] || ! cmp -s "$tmp/ours" "$tmp/theirs"; then
    fail "$name: n2n-ctl $* differs from the reference script (status $ours vs $theirs): $(diff "$tmp/theirs" "$tmp/ours" | head -8)"
  fi
  compared=$((compared + 1))
}

# --- usage errors (exit 2) -------------------------------------------------------------------
"$ctl" --help >"$tmp/out" 2>&1 || fail "--help: non-zero exit status"
grep -q 'Exit status: 0 fine, 1 the daemon answered with an error' "$tmp/out" ||
  fail "--help does not document the exit status"
"$ctl" --version | grep -q '^n2n-ctl (n2nkit) ' || fail "--version"
expect_error 2 'cmd is required'
expect_error 2 ".*--bogus" --bogus edges
expect_error 2 "-t: '0' is not a port" -t 0 edges
expect_error 2 "-t: '70000' is not a port" -t 70000 edges
expect_error 2 '.*(-t|--mgmtport).*abc' -t abc edges
expect_error 2 '-k: the password must be one word' -k 'two words' edges
expect_error 2 "--timeout: '0' is not a number" --timeout 0 edges
expect_error 2 '--read, --write and --sub exclude each other' --write --sub verbose

# --- a dead, a silent, a wrong and a garbage port (exit 4) -----------------------------------
dead=$(free_port)
expect_error 4 "nothing listens on 127\\.0\\.0\\.1:$dead \\(connection refused" -t "$dead" edges

start_fake() {  # PORT MODE
  python3 "$tmp/fake.py" "$1" "$2" >"$tmp/fake.$2" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do grep -q ready "$tmp/fake.$2" 2>/dev/null && return 0; sleep 0.1; done
  fail "fake server $2 did not start: $(cat "$tmp/fake.$2")"
}
silent=$(free_port)
start_fake "$silent" silent
start=$(date +%s%N)
expect_error 4 "no answer from 127\\.0\\.0\\.1:$silent within 300 ms" -t "$silent" --timeout 0.3 edges
ms=$((($(date +%s%N) - start) / 1000000))
[ $ms -lt 2000 ] || fail "silent port: took $ms ms with --timeout 0.3"
expect_error 4 "no answer from 127\\.0\\.0\\.1:$silent within 1 s" -t "$silent" --raw timestamps
text=$(free_port)
start_fake "$text" text
expect_error 4 "not a management reply from 127\\.0\\.0\\.1:$text: 'Welcome to the console\\\\x0aunknown" -t "$text" edges
partial=$(free_port)
start_fake "$partial" partial
expect_error 4 'reply incomplete: 50 rows, then nothing for 1 s' -t "$partial" edges

# --- our supernode -------------------------------------------------------------------------
port=$(free_port)
mport=$(free_port)
"$sn" -f -p "$port" -t "$mport" -u "$(id -u)" -g "$(id -g)" >"$tmp/sn.log" 2>&1 &
sn_pid=$!
pids+=("$sn_pid")
up=0
for _ in $(seq 100); do
  if "$ctl" -t "$mport" --timeout 0.2 verbose >/dev/null 2>&1; then up=1; break; fi
  sleep 0.1
done
if [ $up -ne 1 ]; then
  fail "the supernode did not start: $(cat "$tmp/sn.log")"
  exit 1
fi

# The supernode's data port reads the request as a broken packet and says nothing.
expect_error 4 "no answer from 127\\.0\\.0\\.1:$port within 1 s" -t "$port" edges
# The daemon's errors (exit 1), named.
expect_error 1 "the daemon at 127\\.0\\.0\\.1:$mport refused 'edges': badauth \\(wrong password" -t "$mport" -k wrong edges
expect_error 1 ".*refused 'verbose 4': badauth" -t "$mport" --write verbose 4
expect_error 1 ".*refused 'nosuchcommand': unknowncmd \\(no such command" -t "$mport" nosuchcommand
expect_error 1 ".*refused 'reload_communities': writeonly" -t "$mport" reload_communities
expect_error 1 ".*refused 'supernodes': unimplemented" -t "$mport" supernodes
expect_error 1 ".*refused 'communities': readonly" -t "$mport" -k n2n --write communities
expect_error 1 "the daemon at 127\\.0\\.0\\.1:$mport answered the subscription with text .*: it has no subscriptions" -t "$mport" -k n2n --sub test

# A write, and its JSON.
out=$("$ctl" -t "$mport" -k n2n --write verbose 4) || fail "--write verbose 4: exit status $?"
[ "$out" = $'[\n    {\n        "traceLevel": 4\n    }\n]' ] || fail "--write verbose 4 printed: $out"
"$ctl" -t "$mport" verbose | grep -qF '"traceLevel": 4' || fail "verbose: the level did not change"

# An empty table keeps its headings whole.
out=$("$ctl" -t "$mport" edges) || fail "edges (none): exit status $?"
[ "$out" = "mode ip4addr macaddr sockaddr desc " ] || fail "edges (none): '$out'"
out=$("$ctl" -t "$mport" --raw edges) || fail "--raw edges (none): exit status $?"
[ "$out" = "[]" ] || fail "--raw edges (none): '$out'"

acks=$(python3 "$tmp/edges.py" "$port" 30)
[ "$acks" = 30 ] || fail "$acks REGISTER_SUPER_ACKs for 30 edges"
"$ctl" -t "$mport" edges >"$tmp/table" || fail "edges: exit status $?"
# Header (the supernode has no "mode": one column wide), 30 rows, the empty line of print().
[ "$(wc -l <"$tmp/table")" = 32 ] || fail "edges: $(wc -l <"$tmp/table") lines, expected 32"
head -1 "$tmp/table" | grep -qxE 'm ip4addr      macaddr           sockaddr +desc +' ||
  fail "edges: header '$(head -1 "$tmp/table")'"
grep -qF '  10.77.0.1/8  02:42:00:00:00:00 127.0.0.1:' "$tmp/table" || fail "edges: no row of edge 0: $(sed -n 2p "$tmp/table")"
"$ctl" -t "$mport" --orderby desc edges | sed -n 2p | grep -q ' edge1 *$' ||
  fail "--orderby desc: first row is not edge1"
"$ctl" -t "$mport" --raw edges | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert len(rows) == 30 and len({r["macaddr"] for r in rows}) == 30, rows
assert all("_tag" not in r and "_type" not in r for r in rows)' || fail "--raw edges: not 30 rows as JSON"
"$ctl" -t "$mport" -d communities >/dev/null 2>"$tmp/debug" || fail "-d communities: exit status $?"
grep -q '^n2n-ctl: received {"_tag":"[0-9]*","_type":"end"}' "$tmp/debug" || fail "-d: no datagrams on stderr: $(head -3 "$tmp/debug")"

for args in "help" "edges" "--orderby desc edges" "--orderby macaddr edges" "--orderby nosuch edges" \
  "--raw edges" "communities" "--raw help" "-k n2n --write verbose 3" "verbose" "-k n2n --write help"; do
  # shellcheck disable=SC2086
  same_as_reference "30 edges" -t "$mport" $args
done

# 10,000 edges: the whole listing, as a table and as JSON.
edges=${N2NKIT_CTL_TEST_EDGES:-10000}
acks=$(python3 "$tmp/edges.py" "$port" "$edges")
[ "$acks" = "$edges" ] || fail "$acks REGISTER_SUPER_ACKs for $edges edges"
start=$(date +%s%N)
"$ctl" -t "$mport" edges >"$tmp/table" 2>"$tmp/err" || fail "edges ($edges): exit status $?: $(cat "$tmp/err")"
ms=$((($(date +%s%N) - start) / 1000000))
[ "$(wc -l <"$tmp/table")" = $((edges + 2)) ] || fail "edges ($edges): $(wc -l <"$tmp/table") lines, expected $((edges + 2))"
[ "$(grep -oE '02:42(:[0-9A-F]{2}){4}' "$tmp/table" | sort -u | wc -l)" = "$edges" ] ||
  fail "edges ($edges): not $edges distinct MACs"
echo "$edges edges listed whole as a table in $ms ms"
"$ctl" -t "$mport" --raw edges | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert len({r["macaddr"] for r in rows}) == int(sys.argv[1]) == len(rows), len(rows)' "$edges" ||
  fail "--raw edges ($edges): not $edges rows"
[ -n "${N2N_REF_CTL:-}" ] && same_as_reference "$edges edges" -t "$mport" --orderby desc edges

# The reference supernode sends a listing's datagrams all at once: n2n-ctl must get all of them
# (its receive buffer as large as net.core.rmem_max allows) or say that rows were lost; never
# print part of a listing as if it were whole.
if [ -n "${N2N_REF_SUPERNODE:-}" ] && [ -x "$N2N_REF_SUPERNODE" ]; then
  rport=$(free_port)
  rmport=$(free_port)
  "$N2N_REF_SUPERNODE" -f -p "$rport" -t "$rmport" >"$tmp/ref-sn.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do "$ctl" -t "$rmport" --timeout 0.2 verbose >/dev/null 2>&1 && break; sleep 0.1; done
  acks=$(python3 "$tmp/edges.py" "$rport" "$edges")
  [ "$acks" = "$edges" ] || fail "reference supernode: $acks REGISTER_SUPER_ACKs for $edges edges"
  start=$(date +%s%N)
  "$ctl" -t "$rmport" edges >"$tmp/table" 2>"$tmp/err"
  status=$?
  ms=$((($(date +%s%N) - start) / 1000000))
  lines=$(wc -l <"$tmp/table")
  if [ $status -eq 0 ]; then
    [ "$lines" = $((edges + 2)) ] || fail "reference supernode: exit 0 with $lines lines for $edges edges"
    echo "reference supernode: $edges edges listed whole in $ms ms (rmem_max $(cat /proc/sys/net/core/rmem_max))"
  else
    [ $status -eq 4 ] && [ ! -s "$tmp/table" ] && grep -qE '^n2n-ctl: reply incomplete: ' "$tmp/err" ||
      fail "reference supernode: status $status, $lines lines, stderr: $(cat "$tmp/err")"
    echo "reference supernode: $(cat "$tmp/err")"
  fi
else
  echo "N2N_REF_SUPERNODE not set: the reference supernode's unpaced listing is not tried"
fi

if [ -n "${N2N_REF_CTL:-}" ]; then
  echo "$compared outputs compared equal to the reference script's"
else
  echo "N2N_REF_CTL not set: outputs not compared with the reference script"
fi
if [ $failures -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "OK"
