#!/bin/bash
# test_n2n_route.sh N2N_ROUTE: n2n-route's command line without changing anything: bad input of
# every kind gives one line on stderr naming the problem and the documented exit status (2 bad
# input, 3 no CAP_NET_ADMIN, 4 the edge's management port silent); --dry-run reads the table
# and changes nothing, not even the journal; a damaged journal is one line. Runs in the
# namespace it is started in, so nothing here may change routes: every command that could is a
# dry run, or runs without CAP_NET_ADMIN (setpriv), or fails on its input first.
set -u
export LC_ALL=C
tool=$1
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out="$work/out"
err="$work/err"
state="$work/state"

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect STATUS PATTERN ARGS...: exit status STATUS, exactly one line on stderr starting with
# "n2n-route: " and matching PATTERN (grep -E).
expect() {
  local want=$1 pattern=$2
  shift 2
  timeout 20 "$tool" "$@" >"$out" 2>"$err"
  local status=$?
  [ "$status" -eq "$want" ] || fail "n2n-route $*: exit status $status, expected $want ($(cat "$err"))"
  [ "$(wc -l <"$err")" -eq 1 ] || fail "n2n-route $*: stderr is not one line: $(cat "$err")"
  grep -q '^n2n-route: ' "$err" || fail "n2n-route $*: stderr does not name the tool: $(cat "$err")"
  grep -qE -- "$pattern" "$err" || fail "n2n-route $*: stderr '$(cat "$err")' does not match '$pattern'"
}

"$tool" --help >"$out" 2>&1 || fail "--help exits with status $?"
for text in "add NET" "gateway enable" "supernode-route" "undo" "VPN-GATEWAY" "Exit status: 0" \
  "3 needs root or CAP_NET_ADMIN" "4 the edge's management port"; do
  grep -qF -- "$text" "$out" || fail "--help does not mention '$text'"
done
"$tool" --version | grep -q '^n2n-route (n2nkit) ' || fail "--version"

# Usage.
expect 2 "expected a command" --state-dir "$state"
expect 2 "--bogus" --bogus
expect 2 "needs NET" add
expect 2 "not an IPv4 network" add 10.10.10/24 via 10.20.30.254 --dev lo
expect 2 "host bits" add 10.10.10.1/24 via 10.20.30.254 --dev lo
expect 2 "prefix length" add 10.10.10.0/33 via 10.20.30.254 --dev lo
expect 2 "not an IPv4 gateway" add 10.10.10.0/24 via 10.20.30.999 --dev lo
expect 2 "expected 'via'" add 10.10.10.0/24 through 10.20.30.254 --dev lo
expect 2 "expected NET \[via GATEWAY\]" add 10.10.10.0/24 via
expect 2 "no network interface 'nkrt-none0'" add 10.10.10.0/24 via 10.20.30.254 --dev nkrt-none0
expect 2 "no network interface 'nkrt-none0'" list --dev nkrt-none0
expect 2 "--metric" add 10.10.10.0/24 via 10.20.30.254 --dev lo --metric lots
expect 2 "--lan is only for gateway enable" list --lan eth0
expect 2 "-g, -n, -v and -V" add 10.10.10.0/24 -g 192.0.2.1
expect 2 "-t and -p" add 10.10.10.0/24 -t 5644
expect 2 "gateway needs enable or disable" gateway
expect 2 "needs --lan" gateway enable --dev lo
expect 2 "--lan: no network interface 'nkrt-none0'" gateway enable --dev lo --lan nkrt-none0 --masquerade
expect 2 "not an IPv4 address" gateway enable --dev lo --lan lo --snat 1.2.3.400
expect 2 "exactly one of --snat IP and --masquerade" gateway enable --dev lo --lan lo
expect 2 "--snat is only for gateway enable" supernode-route --dev lo --snat 1.2.3.4
expect 2 "not HOST:PORT" supernode-route --dev lo --supernode 203.0.113.5
expect 2 "not a port" supernode-route --dev lo --supernode 203.0.113.5:99999
expect 2 "is not an IPv4 VPN gateway" 10.20.30
expect 2 "-n .*not a prefix length" -n 10.0.0.0/40 10.20.30.254 --dry-run
expect 2 "expected NET \[via GATEWAY\]" add 10.10.10.0/24 via 10.20.30.254 --dev lo 10.1.1.1
expect 2 "neither a command" 10.1.1.1 undo

# Permission: without CAP_NET_ADMIN nothing is tried, and the line says what is needed.
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  nocap=(setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all)
else
  nocap=()
fi
if [ "$(id -u)" -ne 0 ] || [ ${#nocap[@]} -gt 0 ]; then
  chmod 755 "$work"
  for cmd in "add 10.10.10.0/24 via 127.0.0.2 --dev lo" "supernode-route --dev lo --supernode 127.0.0.3:7777" \
    "undo" "gateway disable"; do
    # shellcheck disable=SC2086
    "${nocap[@]}" "$tool" $cmd --state-dir "$state" >"$out" 2>"$err"
    status=$?
    [ $status -eq 3 ] || fail "n2n-route $cmd without CAP_NET_ADMIN: exit status $status, expected 3 ($(cat "$err"))"
    grep -qx "n2n-route: adding routes needs root or CAP_NET_ADMIN" "$err" ||
      fail "n2n-route $cmd without CAP_NET_ADMIN: stderr '$(cat "$err")'"
  done
  [ ! -e "$state" ] || fail "a refused command created the state directory"
else
  echo "SKIPPED (part): no setpriv to drop CAP_NET_ADMIN"
fi

# The edge's management port not answering (nothing listens on a port picked free here).
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
expect 4 "management port $port does not answer" supernode-route --dev lo -t "$port" --state-dir "$state"
expect 4 "management port $port does not answer" -t "$port" --dev lo 127.0.0.1 --dry-run --state-dir "$state"
expect 2 "no interface has the VPN gateway 10.254.253.252" -t "$port" 10.254.253.252 --dry-run
expect 4 "management port $port does not answer" list --dev lo -t "$port" --state-dir "$state"

# Dry runs change nothing: the routes stay, no journal appears.
before=$(ip -4 route show table main 2>/dev/null)
timeout 20 "$tool" add 10.255.77.0/24 via 127.0.0.2 --dev lo --dry-run --state-dir "$state" >"$out" 2>"$err"
status=$?
[ $status -eq 0 ] || fail "add --dry-run: exit status $status ($(cat "$err"))"
grep -q "^would: add route 10.255.77.0/24 via 127.0.0.2 dev lo" "$out" || fail "add --dry-run printed: $(cat "$out")"
timeout 20 "$tool" add 10.255.77.0/24 via 127.0.0.2 --dev lo --dry-run --json --state-dir "$state" >"$out" 2>"$err"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["dry_run"] and d["would"] and d["exit"]==0, d' "$out" ||
  fail "add --dry-run --json: $(cat "$out")"
timeout 20 "$tool" supernode-route --dev lo --supernode 203.0.113.5:7777 --dry-run --state-dir "$state" >"$out" 2>"$err" ||
  fail "supernode-route --dry-run: $(cat "$err")"
grep -qE "^would: add route 203.0.113.5/32|already has a host route|no route to it" "$out" "$err" ||
  fail "supernode-route --dry-run printed: $(cat "$out" "$err")"
timeout 20 "$tool" undo --dry-run --state-dir "$state" >"$out" 2>"$err" || fail "undo --dry-run: $(cat "$err")"
grep -q "nothing to undo" "$out" || fail "undo --dry-run without a journal: $(cat "$out")"
timeout 20 "$tool" list --dev lo --supernode 203.0.113.5:7777 --json --state-dir "$state" >"$out" 2>"$err"
status=$?
[ $status -le 1 ] || fail "list --json: exit status $status ($(cat "$err"))"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["dev"]=="lo" and d["endpoints_known"], d' "$out" ||
  fail "list --json: $(cat "$out")"
after=$(ip -4 route show table main 2>/dev/null)
[ "$before" = "$after" ] || fail "a dry run changed the routing table"
[ ! -e "$state" ] || fail "a dry run created the state directory"

# A damaged journal: one line, status 2, nothing undone.
mkdir -m 700 "$state"
echo '{"version":1,"next_id":1,"changes":[{"id":1,"kind":"route_added"' >"$state/n2n-route.json"
expect 2 "damaged" undo --dry-run --state-dir "$state"
expect 2 "damaged" list --dev lo --supernode 203.0.113.5:7777 --state-dir "$state"

if [ $failures -ne 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "OK: n2n-route command line, bad input, permissions, dry runs"
