#!/bin/bash
# decode_reference_traffic.sh N2N_DECODE N2N_KEYGEN
#
# Interop: the reference n2n supernode and two reference edges (N2N_REF_SUPERNODE,
# N2N_REF_EDGE) run in network namespaces made here; n2n-decode captures live on the bridge
# between them and must decode every message of every cipher, with and without header
# encryption and compression, relayed (-S1) and with user/password authentication (whose
# community.list is written with *our* n2n-keygen). Skips visibly without the reference
# binaries or without root. Only traffic inside the namespaces made here; every process
# started here is killed by PID and every namespace removed, also on failure.
set -u
decode=$1
keygen=$2
if [ -z "${N2N_REF_EDGE:-}" ] || [ -z "${N2N_REF_SUPERNODE:-}" ]; then
  echo "SKIPPED: set N2N_REF_EDGE and N2N_REF_SUPERNODE to reference ntop/n2n 3.x binaries"
  exit 77
fi
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
  echo "SKIPPED: needs root and /dev/net/tun (network namespaces, TAP devices)"
  exit 77
fi
for tool in ip ping python3; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not installed"; exit 77; }
done

prefix="n2nk-i$$"
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_init
failures=0
scenarios=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# One bridge ("lan") and three hosts on it, like the shared captures' set-up.
lab_bridge sn=198.19.0.1 a=198.19.0.11 b=198.19.0.12 || exit 1

start() {  # start NAME HOST CMD... : background, its PID in pid_NAME, output in NAME.log
  local name=$1 ns=$2
  shift 2
  lab_start "pid_$name" "$ns" "$work/$name.log" "$@"
}

# scenario NAME "EDGE OPTIONS" "SUPERNODE OPTIONS" "DECODER OPTIONS" COMMUNITY_FILE_BODY
scenario() {
  if [ -n "${ONLY:-}" ] && [ "$1" != "$ONLY" ]; then return; fi
  local name=$1 eopts=$2 sopts=$3 dopts=$4 clist=$5
  scenarios=$((scenarios + 1))
  printf '%s' "$clist" >"$work/community.list"
  # shellcheck disable=SC2086
  start sn sn "$N2N_REF_SUPERNODE" -p 7654 -c "$work/community.list" -f $sopts
  # shellcheck disable=SC2086
  start dec lan "$decode" -i br0 --json $dopts
  sleep 0.5
  # shellcheck disable=SC2086
  start ea a "$N2N_REF_EDGE" -l 198.19.0.1:7654 -p 50001 -a 10.20.30.1/24 \
    -m 02:20:30:00:00:01 -d n2n0 -f $eopts -I "${user_a:-edge-a}" ${pass_a:+-J "$pass_a"}
  sleep 0.3
  # shellcheck disable=SC2086
  start eb b "$N2N_REF_EDGE" -l 198.19.0.1:7654 -p 50002 -a 10.20.30.2/24 \
    -m 02:20:30:00:00:02 -d n2n0 -f $eopts -I "${user_b:-edge-b}" ${pass_b:+-J "$pass_b"}
  local ok=1
  wait_tap a 6 && wait_tap b 6 || { fail "$name: the reference edges did not come up"; ok=0; }
  sleep 2
  if [ $ok -eq 1 ] && ! in_ns a ping -c 3 -i 0.3 -W 2 -s 100 -p 6e326e21 10.20.30.2 >"$work/ping.log" 2>&1; then
    fail "$name: ping across the reference overlay failed"
  fi
  lab_stop "$pid_ea"
  lab_stop "$pid_eb"
  sleep 0.3
  lab_stop "$pid_dec" TERM
  lab_stop "$pid_sn"
  python3 - "$work/dec.log" "$name" <<'PY' || fail "$name: n2n-decode output (see above)"
import json, sys
path, name = sys.argv[1], sys.argv[2]
objs, summary = [], []
for line in open(path, errors="replace"):
    line = line.strip()
    if line.startswith("{"):
        objs.append(json.loads(line))
    elif line:
        summary.append(line)
msgs = [o for o in objs if o.get("msg")]
errors = [o for o in objs if "error" in o]
# Only frames encrypted with an edge's temporary key (user/password, before its first ACK)
# may fail; everything else must decode.
allowed = [o for o in errors if o.get("error") == "he_no_key" and name.startswith("user")]
bad = [o for o in errors if o not in allowed]
inner = [o["inner"] for o in msgs if "inner" in o]
kinds = {(i.get("proto_name"), i.get("icmp_type")) for i in inner}
problems = []
if not msgs:
    problems.append("no n2n message decoded")
if bad:
    problems.append("%d undecodable: %s" % (len(bad), sorted({o["error"] for o in bad})))
if len(allowed) > 4:
    problems.append("%d undecodable temporary-key frames" % len(allowed))
if ("ICMP", 8) not in kinds or ("ICMP", 0) not in kinds:
    problems.append("no ICMP echo request/reply inside PACKETs")
if "lzo" in name and 2 not in {o["compression"] for o in msgs if o["msg"] == "PACKET"}:
    problems.append("no LZO-compressed PACKET")
if "zstd" in name and 3 not in {o["compression"] for o in msgs if o["msg"] == "PACKET"}:
    problems.append("no zstd-compressed PACKET")
stamps = [o for o in msgs if o.get("stamp_check") not in (None, "ok")]
if stamps:
    problems.append("%d time stamp problems" % len(stamps))
types = sorted({o["msg"] for o in msgs})
he = sorted({o.get("header_encryption") for o in msgs})
comp = sorted({o["compression"] for o in msgs if o["msg"] == "PACKET"})
print("%-16s %3d messages %s HE %s compression %s undecodable(temp key) %d" %
      (name, len(msgs), ",".join(types), he, comp, len(allowed)))
if problems:
    print("  " + "; ".join(problems))
    print("\n".join(summary[-6:]))
    sys.exit(1)
PY
}

key=n2nkit-interop-key
comm=n2nkit-interop
list="$comm
"
user_a="" pass_a="" user_b="" pass_b=""
scenario null "-c $comm -A1" "" "-c $comm -A1" "$list"
scenario null-he "-c $comm -A1 -H" "" "-c $comm -A1" "$list"
scenario twofish "-c $comm -A2 -k $key" "" "-c $comm -A2 -k $key" "$list"
scenario twofish-he "-c $comm -A2 -k $key -H" "" "-c $comm -A2 -k $key" "$list"
scenario aes "-c $comm -A3 -k $key" "" "-c $comm -A3 -k $key" "$list"
scenario aes-he "-c $comm -A3 -k $key -H" "" "-c $comm -A3 -k $key" "$list"
scenario chacha20 "-c $comm -A4 -k $key" "" "-c $comm -A4 -k $key" "$list"
scenario chacha20-he "-c $comm -A4 -k $key -H" "" "-c $comm -A4 -k $key" "$list"
scenario speck "-c $comm -A5 -k $key" "" "-c $comm -A5 -k $key" "$list"
scenario speck-he "-c $comm -A5 -k $key -H" "" "-c $comm -A5 -k $key" "$list"
scenario lzo-aes "-c $comm -A3 -k $key -z1" "" "-c $comm -A3 -k $key" "$list"
scenario zstd-speck-he "-c $comm -A5 -k $key -z2 -H" "" "-c $comm -A5 -k $key" "$list"
scenario relay-s1 "-c $comm -A3 -k $key -S1" "" "-c $comm -A3 -k $key" "$list"
# A federation name of our choosing, a key of 42 characters (AES-256), a community of 19.
scenario aes256-long "-c n2nkit-interop-19c -A3 -k 0123456789abcdefghijklmnopqrstuvwxyzABCDEF -H" \
  "" "-c n2nkit-interop-19c -A3 -k 0123456789abcdefghijklmnopqrstuvwxyzABCDEF" \
  "n2nkit-interop-19c
"

# User/password: the community.list lines and -P come from our n2n-keygen.
fedpub=$("$keygen" -F interopFed | cut -d' ' -f2)
ulist="$comm
$("$keygen" alice alice-pw-1)
$("$keygen" bob bob-pw-2)
"
user_a=alice pass_a=alice-pw-1 user_b=bob pass_b=bob-pw-2
scenario user-password "-c $comm -A4 -k $key -P $fedpub" "-F interopFed" \
  "-c $comm -A4 -k $key -F interopFed" "$ulist"
scenario user-pw-speck "-c $comm -A5 -k $key -P $fedpub -z2" "-F interopFed" \
  "-c $comm -A5 -k $key -I alice -J alice-pw-1 -P $fedpub" "$ulist"

echo "$((scenarios - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
