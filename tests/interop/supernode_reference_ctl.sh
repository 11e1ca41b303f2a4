#!/bin/bash
# supernode_reference_ctl.sh N2N_SUPERNODE SHARED_DIR
#
# Interop: the reference's own management client, scripts/n2n-ctl (N2N_REF_CTL: the path to that
# python script), driven exactly as the reference's scripts/test_integration_supernode.sh drives
# it, against our n2n-supernode; the output must equal the reference's expectation file
# (SHARED_DIR/spec/expected/test_integration_supernode.sh.expected) byte for byte. Then the
# listing methods the script does not call (help, timestamps, edges with registered edges,
# reload_communities) must parse in n2n-ctl without error. Runs in a network namespace of its
# own, so the default ports 7654/5645 are free and only its loopback is used; skips (77)
# without N2N_REF_CTL, root or python3. Everything started here is stopped by PID.
set -u
supernode=${1:-}
shared=${2:-}
if [ -z "${N2N_REF_CTL:-}" ]; then
  echo "SKIPPED: set N2N_REF_CTL to the reference's scripts/n2n-ctl (ntop/n2n 3.x)"
  exit 77
fi
expected="$shared/spec/expected/test_integration_supernode.sh.expected"
if [ ! -f "$expected" ]; then
  echo "SKIPPED: $expected not found (N2NKIT_SHARED_DIR)"
  exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "SKIPPED: needs root (a network namespace for the default ports)"
  exit 77
fi
command -v python3 >/dev/null || { echo "SKIPPED: python3 not installed"; exit 77; }
[ -x "$supernode" ] || { echo "SKIPPED: our supernode binary '$supernode' is not built"; exit 77; }

ns="n2nk-c$$"
work=$(mktemp -d)
sn_pid=""
cleanup() {
  [ -n "$sn_pid" ] && kill "$sn_pid" 2>/dev/null && wait "$sn_pid" 2>/dev/null
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$ns" || exit 1
ip netns exec "$ns" ip link set lo up

ctl() { ip netns exec "$ns" python3 "$N2N_REF_CTL" "$@"; }

# The reference script daemonises `supernode -v`; ours runs in the foreground in the background
# (the expectation file holds nothing of the supernode's own output).
ip netns exec "$ns" "$supernode" -f -v >"$work/sn.log" 2>&1 &
sn_pid=$!
for _ in $(seq 50); do
  ip netns exec "$ns" ss -Hlun "sport = :5645" | grep -q . && break
  sleep 0.1
done

docmd() {
  echo "###"
  "$@"
  echo
}
{
  echo "###"
  echo
  docmd ctl -t 5645 communities
  docmd ctl -t 5645 packetstats
  docmd ctl -t 5645 edges --raw
  docmd ctl -t 5645 verbose
  docmd ctl -t 5645 -k n2n --write verbose 1
  docmd ctl -t 5645 stop
  docmd ctl -t 5645 -k n2n --write stop
} >"$work/out" 2>&1
for _ in $(seq 50); do kill -0 "$sn_pid" 2>/dev/null || break; sleep 0.1; done
fail=0
if cmp -s "$work/out" "$expected"; then
  echo "PASS the reference's integration script with its n2n-ctl: output identical to the expectation file"
else
  echo "FAIL output differs from $expected:"
  diff -u "$expected" "$work/out" | head -60
  fail=1
fi
if kill -0 "$sn_pid" 2>/dev/null; then
  echo "FAIL our supernode still runs after 'w stop'"
  fail=1
else
  wait "$sn_pid"
  echo "PASS 'w stop' ended our supernode (exit status $?)"
fi
sn_pid=""

# The other methods, with edges registered (plaintext REGISTER_SUPER from python).
ip netns exec "$ns" "$supernode" -f >"$work/sn2.log" 2>&1 &
sn_pid=$!
for _ in $(seq 50); do
  ip netns exec "$ns" ss -Hlun "sport = :5645" | grep -q . && break
  sleep 0.1
done
ip netns exec "$ns" python3 - <<'PY'
import os, socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1)
for i in range(300):
    mac = bytes([2, 0x10, 0, 0, i >> 8, i & 0xff])
    community = b"ctl-test".ljust(20, b"\0")
    hdr = bytes([3, 2]) + struct.pack(">H", 5) + community
    body = struct.pack(">I", i + 1) + mac + struct.pack(">IB", 0x0a000000 | (i + 1), 16)
    body += (b"edge-%d" % i).ljust(16, b"\0") + struct.pack(">HH", 1, 16) + os.urandom(16)
    body += struct.pack(">I", 0)
    s.sendto(hdr + body, ("127.0.0.1", 7654))
    s.recvfrom(2048)
PY
for method in help timestamps communities packetstats edges; do
  if out=$(ctl -t 5645 "$method" --raw 2>&1); then
    rows=$(printf '%s\n' "$out" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null)
    echo "PASS n2n-ctl $method: ${rows:-?} rows"
    if [ "$method" = edges ] && [ "$rows" != 300 ]; then
      echo "FAIL n2n-ctl edges: ${rows:-no JSON} rows, 300 edges registered"
      fail=1
    fi
  else
    echo "FAIL n2n-ctl $method: $(printf '%s' "$out" | tail -1)"
    fail=1
  fi
done
if out=$(ctl -t 5645 -k n2n --write reload_communities 2>&1); then
  fail=1
  echo "FAIL reload_communities without -c should report nofile, got: $out"
else
  printf '%s\n' "$out" | grep -q nofile && echo "PASS reload_communities without -c: nofile" \
    || { echo "FAIL reload_communities: $out"; fail=1; }
fi
exit $fail
