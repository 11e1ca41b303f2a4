#!/bin/bash
# test_n2n_mtu.sh N2N_MTU: calc's figures, a loopback probe, and bad input: one clear line on
# stderr and the documented exit code (2 usage/input, 4 no answer). Needs no root; the only
# traffic is on the loopback interface.
set -u
export LC_ALL=C
mtu=$1
failures=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect STATUS ARGS... : that exit status and, unless 0, exactly one line on stderr.
expect() {
  local want=$1
  shift
  timeout 20 "$mtu" "$@" >"$out" 2>"$err"
  local status=$?
  [ $status -eq "$want" ] || fail "n2n-mtu $*: exit status $status, expected $want ($(cat "$err"))"
  if [ "$want" -ne 0 ]; then
    [ "$(wc -l <"$err")" -eq 1 ] || fail "n2n-mtu $*: want one line on stderr, got: $(cat "$err")"
  fi
  echo "n2n-mtu $* -> $status $(head -1 "$err")"
}

# --- calc ---------------------------------------------------------------------------------
expect 0 calc 1500 -A3 --json
[ "$(jq -r '.transforms[] | select(.cli == "-A3") | .relayed_tap_mtu' "$out")" = 1396 ] ||
  fail "calc 1500: AES relayed -M is not 1396: $(cat "$out")"
[ "$(jq -r '.transforms[] | select(.cli == "-A1") | .direct_tap_mtu' "$out")" = 1420 ] ||
  fail "calc 1500: null direct -M is not 1420"
[ "$(jq -r '.transforms[] | select(.cli == "-A3") | .relayed_tcp_mss' "$out")" = 1356 ] ||
  fail "calc 1500: AES relayed MSS is not 1356"
expect 0 calc 1492 -A -H -z
grep -q '^  \*AES -A3 .* 1388 ' "$out" || fail "calc 1492 -A: AES row not marked or not 1388: $(cat "$out")"
grep -q 'add no bytes' "$out" || fail "calc: no statement that -H/-z cost nothing"

# --- usage errors (2) ----------------------------------------------------------------------
expect 2
expect 2 frobnicate
expect 2 calc
expect 2 calc 15x0
expect 2 calc 40
expect 2 calc 1500 -A9
expect 2 calc 1500 -z7
expect 2 probe
expect 2 probe 198.51.100.1 -c x
expect 2 probe 198.51.100.1:99999 -c x
expect 2 probe :7654 -c x
expect 2 probe 2001:db8::1:7654 -c x
expect 2 probe 127.0.0.1:7654
expect 2 probe 127.0.0.1:7654 -c community-name-longer-than-19
expect 2 probe 127.0.0.1:7654 -c x --min 1500 --max 1400
expect 2 probe 127.0.0.1:7654 -c x --min 10
expect 2 probe 127.0.0.1:7654 -c x --udp
expect 2 probe 127.0.0.1:7654 -c x --max 2077
grep -q 'at most 2076 bytes' "$err" || fail "--max 2077 to a supernode: $(cat "$err")"
expect 2 probe 127.0.0.1:7654 -c x --timeout 0
expect 2 probe --host 127.0.0.1 127.0.0.1:7654
expect 2 probe --host 256.1.1.1
grep -q 'not a valid IPv4 or IPv6 address' "$err" || fail "malformed address: $(cat "$err")"
expect 2 probe --host 2001:db8::zz
expect 2 probe 10.0.0.300:7654 -c x
expect 2 probe --host 127.0.0.1 --bogus
expect 2 probe 127.0.0.1:7654 -c x -J secret
expect 2 probe --host 127.0.0.1 -I u -J secret
expect 2 probe 127.0.0.1:7654 -c x -I u -J secret -P not-a-key
expect 2 probe 127.0.0.1:7654 -c x -P ROMg4FBgfOcHeWb5QKC-XQi6tvTCIx4q6-DeJ7Wrd2O

# --- no answer (4) --------------------------------------------------------------------------
# Nothing listens on the loopback's port 9: ICMP port unreachable at once.
expect 4 probe 127.0.0.1:9 -c x
grep -q 'nothing listens' "$err" || fail "no supernode: the line does not say why: $(cat "$err")"
expect 4 probe 127.0.0.1:9 -c x -I u -J secret
grep -q 'nothing listens' "$err" || fail "-J, no supernode: $(cat "$err")"
expect 4 probe 127.0.0.1:9 -c x --json
[ "$(jq -r .unreachable "$out")" != null ] || fail "--json without the reason: $(cat "$out")"

# --- a real probe on the loopback (MTU 65536: the search reaches --max) ----------------------
expect 0 probe --host 127.0.0.1 --udp --max 1400 --json
[ "$(jq -r .path_mtu "$out")" = 1400 ] || fail "loopback --udp: $(cat "$out")"
[ "$(jq -r .confidence "$out")" = "at least" ] || fail "loopback confidence"
# Without --max the ceiling is the route's: lo's 65536, capped at the largest datagram; reaching
# it is exact, not "at least". The ICMP form uses whichever socket this user may open (echo,
# raw with CAP_NET_RAW, else UDP): the method says which.
expect 0 probe --host 127.0.0.1 --udp --json
[ "$(jq -r .path_mtu "$out")" = 65535 ] || fail "loopback --udp without --max: $(cat "$out")"
[ "$(jq -r .confidence "$out")" = exact ] || fail "loopback ceiling not exact: $(cat "$out")"
jq -r .statement "$out" | grep -q 'the MTU of lo towards 127.0.0.1' ||
  fail "loopback statement does not name lo: $(jq -r .statement "$out")"
[ "$(jq -r .max_is_local_limit "$out")" = true ] || fail "max_is_local_limit: $(cat "$out")"
echo "  $(jq -r '"\(.probes_sent) probes: \(.statement)"' "$out")"
expect 0 probe --host 127.0.0.1 --json
[ "$(jq -r .path_mtu "$out")" = 65535 ] || fail "loopback ICMP without --max: $(cat "$out")"
[ "$(jq -r .confidence "$out")" = exact ] || fail "loopback ICMP not exact: $(cat "$out")"
echo "  method: $(jq -r .method "$out")"
# --min above the ceiling is bad input, named; without --max, --min may exceed 1500.
expect 0 probe --host 127.0.0.1 --udp --min 2000 --json
[ "$(jq -r .path_mtu "$out")" = 65535 ] || fail "--min 2000 on lo: $(cat "$out")"

[ $failures -eq 0 ] && echo "test_n2n_mtu: all passed"
exit $((failures > 0))
