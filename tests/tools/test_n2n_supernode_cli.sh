#!/bin/bash
# test_n2n_supernode_cli.sh N2N_SUPERNODE
#
# The supernode daemon's command line and configuration file (every error path: one line on
# stderr naming option, file:line and problem; the documented exit codes), then short runs on
# loopback (127.0.0.1 only, free ports): the management API, a reload of community.list by
# SIGHUP and by management request, registrations over UDP and TCP, a listing of thousands of
# edges arriving whole, and clean exits on `stop` and SIGTERM. Everything this script starts is
# stopped by PID.
set -u
export LC_ALL=C
sn=$1
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

# --- helpers (python3: a management client, an edge that registers, a port finder) ----------
cat >"$tmp/mgmt.py" <<'PY'
# mgmt.py PORT REQUEST: prints every reply datagram (JSON: up to "end" or an error; text: until
# 0.5 s of silence), one per line, trailing newline removed.
import json, signal, socket, sys
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
port, request = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0 if request[:2] in ("r ", "w ") else 0.5)
s.sendto(request.encode() or b"\n", ("127.0.0.1", port))
first = True
while True:
    try:
        data, _ = s.recvfrom(4096)
    except socket.timeout:
        break
    text = data.decode()
    print(text[:-1] if text.endswith("\n") else text)
    if request[:2] in ("r ", "w "):
        kind = json.loads(text)["_type"]
        if kind == "end" or (kind == "error" and first):
            break
    first = False
PY
cat >"$tmp/count_rows.py" <<'PY'
# count_rows.py PORT METHOD: reads a JSON listing like scripts/n2n-ctl does (recvfrom loop,
# 1 s timeout) and prints "<rows> <distinct macaddr> <complete>".
import json, socket, sys
port, method = int(sys.argv[1]), sys.argv[2]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
s.sendto(("r 42 %s" % method).encode(), ("127.0.0.1", port))
rows, macs, complete = 0, set(), 0
while True:
    try:
        data, _ = s.recvfrom(1024)
    except socket.timeout:
        break
    obj = json.loads(data)
    if obj["_tag"] != "42":
        continue
    if obj["_type"] == "row":
        rows += 1
        macs.add(obj.get("macaddr"))
    elif obj["_type"] == "end":
        complete = 1
        break
print(rows, len(macs), complete)
PY
cat >"$tmp/edges.py" <<'PY'
# edges.py PORT COUNT [tcp]: registers COUNT edges in community "test" (plaintext
# REGISTER_SUPER, simple-id token, spec §3/§4.4), each with its own MAC, address and
# description; prints the number of REGISTER_SUPER_ACKs received. With "tcp": one edge over a
# TCP connection (BE16 length framing), which then stays open until stdin closes.
import socket, struct, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
tcp = len(sys.argv) > 3 and sys.argv[3] == "tcp"

def header(msg_type):
    return bytes([3, 2]) + struct.pack(">H", msg_type) + b"test".ljust(20, b"\0")

def register_super(n):
    mac = bytes([0x02, 0x42, (n >> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff])
    addr = struct.pack(">I", (10 << 24) | (77 << 16) | (1 + n)) + bytes([8])
    desc = ("edge%d" % n).encode().ljust(16, b"\0")
    token = bytes((n + i) & 0xff for i in range(16))
    auth = struct.pack(">HH", 1, 16) + token
    return header(5) + struct.pack(">I", 0x10000 + n) + mac + addr + desc + auth + b"\0\0\0\0"

acks = 0
if tcp:
    c = socket.create_connection(("127.0.0.1", port), timeout=2)
    m = register_super(count)
    c.sendall(struct.pack(">H", len(m)) + m)
    data = b""
    while len(data) < 2 or len(data) < 2 + struct.unpack(">H", data[:2])[0]:
        chunk = c.recv(4096)
        if not chunk:
            break
        data += chunk
    if len(data) >= 2 + 24 and (struct.unpack(">H", data[4:6])[0] & 0x1f) == 7:
        acks += 1
    print(acks, flush=True)
    sys.stdin.read()  # keep the connection until told
    c.close()
    sys.exit(0)

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
s.settimeout(0.5)
chunk = 100
for start in range(0, count, chunk):
    for n in range(start, min(count, start + chunk)):
        s.sendto(register_super(n), ("127.0.0.1", port))
    expected = min(count, start + chunk)
    while acks < expected:
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

mgmt() { python3 "$tmp/mgmt.py" "$@"; }
free_port() { python3 "$tmp/free_port.py"; }

# expect_error STATUS PATTERN ARGS...: exit STATUS, nothing on stdout, exactly one stderr line
# starting with "n2n-supernode: " and matching the extended regex PATTERN.
expect_error() {
  local status=$1 pattern=$2
  shift 2
  "$sn" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local got=$?
  [ $got -eq "$status" ] || fail "n2n-supernode $*: exit status $got, expected $status ($(cat "$tmp/err"))"
  [ ! -s "$tmp/out" ] || fail "n2n-supernode $*: printed on stdout: $(head -3 "$tmp/out")"
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "n2n-supernode $*: stderr is not one line: $(cat "$tmp/err")"
  grep -qE "^n2n-supernode: $pattern" "$tmp/err" ||
    fail "n2n-supernode $*: stderr '$(cat "$tmp/err")' does not match '$pattern'"
}

# --- help and usage errors ------------------------------------------------------------------
"$sn" --help >"$tmp/out" 2>"$tmp/err"
[ $? -eq 0 ] || fail "--help: non-zero exit status"
grep -q -- '--local-port' "$tmp/out" || fail "--help does not list --local-port"
grep -q 'Exit status' "$tmp/out" || fail "--help does not document the exit status"
"$sn" -h >/dev/null 2>&1 || fail "-h: non-zero exit status"
"$sn" --version | grep -q '^n2n-supernode (n2nkit) ' || fail "--version"

expect_error 2 'usage: n2n-supernode'
expect_error 2 'unknown option.*-x' -x
expect_error 2 'unknown option.*--no-such-option' -f --no-such-option
expect_error 2 'unknown option.*stray' -f stray
expect_error 2 '-a 10\.0\.1\.0-10\.0\.0\.0/24: .*is above' -f -a 10.0.1.0-10.0.0.0/24
expect_error 2 '-a 10\.0\.0\.0-10\.0\.1\.0/31: .*prefix length' -f --autoip 10.0.0.0-10.0.1.0/31
expect_error 2 '-a 10\.0\.0\.1-10\.0\.1\.0/24: .*host bits' -f -a 10.0.0.1-10.0.1.0/24
expect_error 2 "-m: 'zz:zz' is not a MAC" -f -m zz:zz
expect_error 2 "-p: '70000' is not a port" -f -p 70000
expect_error 2 "-p: 'abc' is not a port" -f --local-port=abc
expect_error 2 "-t: '0' is not a port" -f -t 0
expect_error 2 "-V: '12345678901234567890' is 20 bytes" -f -V 12345678901234567890
expect_error 2 '-l sn\.example: expected HOST:PORT' -f -l sn.example
expect_error 2 "-l sn:99999: '99999' is not a port" -f -l sn:99999
expect_error 2 '.*-p.*(missing|required|argument)' -f -p
expect_error 2 "$tmp/missing\\.conf: cannot read the configuration file: No such file" "$tmp/missing.conf"
expect_error 2 "$tmp/none\\.list: cannot read" -f -c "$tmp/none.list"
expect_error 1 '-u no-such-user-n2nkit: no such user' -f -p "$(free_port)" -t "$(free_port)" -u no-such-user-n2nkit

# Configuration files: errors name file:line.
printf -- '-f\nnot-an-option\n' >"$tmp/bad1.conf"
expect_error 2 "$tmp/bad1\\.conf:2: not an option" "$tmp/bad1.conf"
printf -- '# comment\n-f\n-a=10.0.1.0-10.0.0.0/24\n' >"$tmp/bad2.conf"
expect_error 2 "$tmp/bad2\\.conf:3: -a 10\\.0\\.1\\.0-10\\.0\\.0\\.0/24: .*is above" "$tmp/bad2.conf"
printf -- '-f\n\n-p 99999\n' >"$tmp/bad3.conf"
expect_error 2 "$tmp/bad3\\.conf:3: -p: '99999' is not a port" "$tmp/bad3.conf"
printf -- '-f\n--bogus=1\n' >"$tmp/bad4.conf"
expect_error 2 "$tmp/bad4\\.conf:2: unknown option" "$tmp/bad4.conf"
printf -- '-f\n' >"$tmp/ok.conf"
expect_error 2 "-V: '.*' is 20 bytes" "$tmp/ok.conf" -V 12345678901234567890

# community.list errors: one line naming file:line:problem, exit 2.
printf -- '* logan nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG\n' >"$tmp/userfirst.list"
expect_error 2 "$tmp/userfirst\\.list:1: " -f -c "$tmp/userfirst.list"
printf -- 'alpha\nteam[0-9\n' >"$tmp/badregex.list"
expect_error 2 "$tmp/badregex\\.list:2: " -f -c "$tmp/badregex.list"
printf -- '# nothing\n' >"$tmp/empty.list"
expect_error 2 "$tmp/empty\\.list: lists no community" -f -c "$tmp/empty.list"

# A port in use: exit 1 and the port named.
busy=$(free_port)
python3 -c 'import socket,sys,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("0.0.0.0",int(sys.argv[1])))
print("bound",flush=True); time.sleep(30)' "$busy" >"$tmp/busy.out" &
pids+=($!)
for _ in $(seq 50); do grep -q bound "$tmp/busy.out" 2>/dev/null && break; sleep 0.1; done
expect_error 1 "cannot bind UDP port $busy: it is already in use" -f -p "$busy" -t "$(free_port)"
kill "${pids[-1]}" 2>/dev/null

# --- running daemons --------------------------------------------------------------------------
# start_daemon LOG ARGS...: starts it in the foreground, waits until the management port
# answers; sets daemon_pid.
start_daemon() {
  local log=$1 mport=$2
  shift 2
  "$sn" "$@" >"$log" 2>&1 &
  daemon_pid=$!
  pids+=("$daemon_pid")
  for _ in $(seq 100); do
    if mgmt "$mport" "r 0 help" 2>/dev/null | grep -q '"_type":"end"'; then return 0; fi
    kill -0 "$daemon_pid" 2>/dev/null || break
    sleep 0.1
  done
  fail "daemon $* did not start: $(cat "$log")"
  return 1
}

# wait_exit PID: its exit status (or 124 after 10 s).
wait_exit() {
  local pid=$1
  for _ in $(seq 100); do
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid"
      return $?
    fi
    sleep 0.1
  done
  return 124
}

communities() { mgmt "$1" "r 5 communities" | grep '"row"' | sed -E 's/.*"community":"([^"]*)".*/\1/' | tr '\n' ' '; }

me_u=$(id -u)
me_g=$(id -g)

# Run 1: a configuration file (values with '=' and ' ', a password starting with '-'), a
# locked supernode; SIGHUP and management reloads; SIGTERM.
port=$(free_port)
mport=$(free_port)
printf -- 'alpha\nbeta 192.168.77.0/24\n' >"$tmp/community.list"
cat >"$tmp/supernode.conf" <<CONF
# n2n-supernode configuration as the reference reads it
-p=$port
--mgmt-port $mport
-c=$tmp/community.list
--management-password -secret
-f
-u=$me_u
-g=$me_g
-F=testfed
CONF
if start_daemon "$tmp/run1.log" "$mport" "$tmp/supernode.conf"; then
  pid1=$daemon_pid
  got=$(communities "$mport")
  [ "$got" = "-/- alpha beta " ] || fail "run 1: communities '$got', expected '-/- alpha beta '"
  mgmt "$mport" "r 1 communities" | grep -qF '{"_tag":"1","_type":"row","community":"beta","purgeable":0,"is_federation":0,"ip4addr":"192.168.77.0/24"}' ||
    fail "run 1: the row of community beta is not as the reference writes it"
  mgmt "$mport" "w 2:1:n2n verbose 3" | grep -qF '"error":"badauth"' ||
    fail "run 1: the default password still works with --management-password set"
  mgmt "$mport" "w 3:1:-secret verbose 4" | grep -qF '"traceLevel":4' ||
    fail "run 1: the configured password does not work"

  # SIGHUP with a changed file: picked up.
  printf -- 'alpha\ngamma\nteam[0-9]\n' >"$tmp/community.list"
  kill -HUP "$pid1"
  sleep 0.3
  got=$(communities "$mport")
  [ "$got" = "-/- alpha gamma " ] || fail "run 1: after SIGHUP, communities '$got', expected '-/- alpha gamma '"
  grep -q 'SIGHUP: reloaded' "$tmp/run1.log" || fail "run 1: no log line for the SIGHUP reload"

  # A broken file: refused with one log line, the old state stays.
  printf -- '* logan nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG\nomega\n' >"$tmp/community.list"
  kill -HUP "$pid1"
  sleep 0.3
  got=$(communities "$mport")
  [ "$got" = "-/- alpha gamma " ] || fail "run 1: a broken file changed the communities to '$got'"
  grep -qE "SIGHUP: .*community\\.list:1: .*stay as they were" "$tmp/run1.log" ||
    fail "run 1: no log line naming the broken community.list line"
  mgmt "$mport" "w 4:1:-secret reload_communities" | grep -qF '{"_tag":"4","_type":"row","ok":-2}' ||
    fail "run 1: JSON reload of a broken file is not {\"ok\":-2}"
  mgmt "$mport" "reload_communities" | grep -qx 'Error while re-loading community file (not found or no valid content)' ||
    fail "run 1: text reload of a broken file"
  rm -f "$tmp/community.list"
  mgmt "$mport" "w 5:1:-secret reload_communities" | grep -qF '{"_tag":"5","_type":"row","ok":-1}' ||
    fail "run 1: JSON reload of a missing file is not {\"ok\":-1}"
  printf -- 'delta\n' >"$tmp/community.list"
  mgmt "$mport" "reload_communities" | grep -qx 'OK\.' || fail "run 1: text reload did not answer OK."
  got=$(communities "$mport")
  [ "$got" = "-/- delta " ] || fail "run 1: after the text reload, communities '$got'"
  mgmt "$mport" "help" | grep -q 'Help for supernode management console' || fail "run 1: text help"
  mgmt "$mport" "" | grep -q "FEDERATION '-/-' (\\*testfed)" || fail "run 1: text status report"

  kill -TERM "$pid1"
  wait_exit "$pid1"
  status=$?
  [ $status -eq 0 ] || fail "run 1: exit status $status after SIGTERM, expected 0"
  grep -q 'SIGTERM: stopping' "$tmp/run1.log" || fail "run 1: no log line for SIGTERM"
fi

# Run 2: command line only, an open supernode: thousands of UDP edges listed whole, an edge on
# TCP, a too-long TCP frame, `w … stop`.
edges=${N2NKIT_SN_TEST_EDGES:-10000}
port=$(free_port)
mport=$(free_port)
if start_daemon "$tmp/run2.log" "$mport" -f -p "$port" -t "$mport" -u "$me_u" -g "$me_g" -v; then
  pid2=$daemon_pid
  mgmt "$mport" "r 1 verbose" | grep -qF '{"_tag":"1","_type":"row","traceLevel":3}' ||
    fail "run 2: -v does not give traceLevel 3"
  acks=$(python3 "$tmp/edges.py" "$port" "$edges")
  [ "$acks" = "$edges" ] || fail "run 2: $acks REGISTER_SUPER_ACKs for $edges edges"
  start=$(date +%s%N)
  read -r rows macs complete < <(python3 "$tmp/count_rows.py" "$mport" edges)
  ms=$((($(date +%s%N) - start) / 1000000))
  [ "$rows" = "$edges" ] && [ "$macs" = "$edges" ] && [ "$complete" = 1 ] ||
    fail "run 2: edges listing has $rows rows ($macs MACs, complete=$complete), expected $edges"
  echo "run 2: $edges edges listed whole in $ms ms"
  mgmt "$mport" "r 2 communities" | grep -qF '"community":"test","purgeable":1,"is_federation":0' ||
    fail "run 2: community test (created on the fly) missing"
  mgmt "$mport" "r 3 packetstats" | grep -qF "\"type\":\"reg_super\",\"rx_pkt\":$edges," ||
    fail "run 2: packetstats does not count $edges REGISTER_SUPERs"

  # TCP: a framed REGISTER_SUPER is answered on the connection; the edge shows as TCP and
  # leaves when the connection closes.
  coproc TCPEDGE { python3 "$tmp/edges.py" "$port" 99999 tcp; }
  pids+=("$TCPEDGE_PID")
  read -r -t 5 tcp_acks <&"${TCPEDGE[0]}"
  [ "${tcp_acks:-0}" = 1 ] || fail "run 2: no REGISTER_SUPER_ACK over TCP"
  mgmt "$mport" "r 4 edges" | grep -qF '"proto":"TCP","desc":"edge99999"' ||
    fail "run 2: the TCP edge is not listed with proto TCP"
  eval "exec ${TCPEDGE[1]}>&-"
  wait "$TCPEDGE_PID" 2>/dev/null
  sleep 0.3
  mgmt "$mport" "r 5 edges" | grep -qF '"desc":"edge99999"' &&
    fail "run 2: the TCP edge stays listed after its connection closed"
  python3 - "$port" <<'PY' || fail "run 2: a TCP frame longer than 2048 bytes did not close the connection"
import socket, struct, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3)
c.sendall(struct.pack(">H", 4000) + b"\0" * 100)
sys.exit(0 if c.recv(10) == b"" else 1)
PY

  mgmt "$mport" "r 6 stop" | grep -qF '{"_tag":"6","_type":"row","keep_running":1}' ||
    fail "run 2: r stop does not show keep_running 1"
  mgmt "$mport" "w 7:1:n2n stop" | grep -qF '{"_tag":"7","_type":"row","keep_running":0}' ||
    fail "run 2: w stop does not answer keep_running 0"
  wait_exit "$pid2"
  status=$?
  [ $status -eq 0 ] || fail "run 2: exit status $status after w stop, expected 0"
fi

if [ $failures -ne 0 ]; then
  echo "n2n-supernode: $failures failure(s)" >&2
  exit 1
fi
echo "OK: n2n-supernode command line, configuration file, management, reload, UDP/TCP edges"
