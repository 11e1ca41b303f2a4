#!/bin/bash
# ctl_daemons.sh N2N_CTL N2N_EDGE N2N_SUPERNODE
#
# n2n-ctl against real daemons in network namespaces: a supernode and two edges on a bridge
# (ours; and the reference's when N2N_REF_EDGE and N2N_REF_SUPERNODE are set), the edges
# pinging each other. n2n-ctl asks edge A and the supernode for their tables and JSON
# listings, writes (verbose), is refused with a wrong password and for an unknown command,
# and follows a subscription (post.test events; a second subscriber takes the topic over and
# the first exits 1). With N2N_REF_CTL (the reference's scripts/n2n-ctl), every output must be
# byte-identical to the script's. Skips (77) without root, /dev/net/tun, python3 or the
# binaries. Only traffic inside the namespaces made here ("nkctl<pid>-*"); everything started
# here is stopped by PID; the namespaces are removed.
set -u
ctl=${1:-}
edge=${2:-}
supernode=${3:-}
prefix="nkctl$$"
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_require "ip python3" "$ctl" "$edge" "$supernode"
lab_init
lab_bridge sn=198.19.0.1 a=198.19.0.11 b=198.19.0.12 || exit 1

failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect HOST STATUS PATTERN ARGS...: n2n-ctl in HOST exits STATUS, and its one stderr line
# matches the extended regex PATTERN (nothing on stdout for an error).
expect() {
  local host=$1 status=$2 pattern=$3
  shift 3
  in_ns "$host" "$ctl" "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [ $got -eq "$status" ] || fail "$set: n2n-ctl $* in $host: status $got, expected $status ($(cat "$work/err"))"
  if [ "$status" -ne 0 ]; then
    [ ! -s "$work/out" ] || fail "$set: n2n-ctl $*: printed on stdout: $(head -3 "$work/out")"
    [ "$(wc -l <"$work/err")" -eq 1 ] || fail "$set: n2n-ctl $*: stderr is not one line: $(cat "$work/err")"
  fi
  grep -qE "$pattern" "$work/err" "$work/out" || fail "$set: n2n-ctl $* in $host: '$(head -c 300 "$work/out" "$work/err")' does not match '$pattern'"
}

# same HOST ARGS...: our output and status equal the reference script's (times as T; a few
# tries, as uptimes and timestamps may move on between the two calls).
compared=0
same() {
  local host=$1 try ours theirs
  shift
  [ -n "${N2N_REF_CTL:-}" ] || return 0
  for try in 1 2 3; do
    in_ns "$host" "$ctl" "$@" >"$work/ours" 2>&1
    ours=$?
    in_ns "$host" python3 "$N2N_REF_CTL" "$@" >"$work/theirs" 2>&1
    theirs=$?
    sed -i -E 's/("(last_[a-z_]+|start_time|uptime|[tr]x_pkt)": )[0-9]+/\1T/' "$work/ours" "$work/theirs"
    [ $ours -eq $theirs ] && cmp -s "$work/ours" "$work/theirs" && break
    sleep 1.1
  done
  if [ $ours -ne $theirs ] || ! cmp -s "$work/ours" "$work/theirs"; then
    fail "$set: n2n-ctl $* in $host differs from the reference script (status $ours vs $theirs): $(diff "$work/theirs" "$work/ours" | head -8)"
  fi
  compared=$((compared + 1))
}

sets=("ours=$edge=$supernode")
if [ -n "${N2N_REF_EDGE:-}" ] && [ -n "${N2N_REF_SUPERNODE:-}" ]; then
  sets+=("reference=$N2N_REF_EDGE=$N2N_REF_SUPERNODE")
else
  echo "N2N_REF_EDGE/N2N_REF_SUPERNODE not set: the reference's daemons are not tried"
fi

for entry in "${sets[@]}"; do
  IFS== read -r set edge_bin sn_bin <<<"$entry"
  lab_start pid_sn sn "$work/sn-$set.log" "$sn_bin" -f -p 7654
  lab_wait_udp sn 7654 "$pid_sn" || fail "$set: the supernode does not listen"
  lab_start pid_a a "$work/a-$set.log" "$edge_bin" -f -c nkctl -k nkctl-key -A3 -l 198.19.0.1:7654 \
    -a 10.20.30.1 -m 02:20:30:00:00:01 -I edge-a -d n2n0
  lab_start pid_b b "$work/b-$set.log" "$edge_bin" -f -c nkctl -k nkctl-key -A3 -l 198.19.0.1:7654 \
    -a 10.20.30.2 -m 02:20:30:00:00:02 -I edge-b -d n2n0
  wait_tap a 10 && wait_tap b 10 || fail "$set: the edges got no address"
  p2p=0
  for _ in $(seq 30); do
    in_ns a ping -c1 -W1 10.20.30.2 >/dev/null 2>&1
    in_ns a "$ctl" edges 2>/dev/null | grep -q '^p2p .* 02:20:30:00:00:02 ' && { p2p=1; break; }
    sleep 0.5
  done
  [ $p2p -eq 1 ] || fail "$set: edge A never lists edge B as p2p: $(in_ns a "$ctl" edges 2>&1)"

  # Edge A.
  # Headings are cut to the width of their column (the reference edge leaves ip4addr and desc
  # of a P2P peer empty; before its first PONG a supernode's version is empty too).
  expect a 0 '^mod i[a-z0-9]* +macaddr +sockaddr +d[a-z]* +$' edges
  expect a 0 '^p2p +[0-9./]* +02:20:30:00:00:02 198\.19\.0\.12:[0-9]+ ' edges
  expect a 0 '^v[a-z]* c macaddr +sockaddr +u[a-z]* $' supernodes
  expect a 0 '^[0-9.]* +1 [0-9A-F:]{17} 198\.19\.0\.1:7654 +[0-9]+ $' supernodes
  expect a 0 '^Possble remote commands:' help
  expect a 0 '"community": "nkctl"' communities
  expect a 0 '"macaddr": "02:20:30:00:00:02"' --raw edges
  expect a 0 '"start_time": [1-9]' timestamps
  expect a 0 '"type": "transop"' packetstats
  expect a 0 '"traceLevel": 4' -k n2n --write verbose 4
  expect a 0 '"traceLevel": 4' verbose
  expect a 1 "refused 'edges': badauth" -k wrong edges
  expect a 1 "refused 'verbose 3': badauth" --write verbose 3
  expect a 1 "refused 'nosuchcommand': unknowncmd" nosuchcommand
  expect a 1 "refused 'nosuchtopic': unknowntopic" -k n2n --sub nosuchtopic
  expect a 4 'nothing listens on 127\.0\.0\.1:5999' -t 5999 edges
  for args in edges supernodes help communities verbose "--orderby desc edges" "--raw edges" \
    "--raw supernodes" timestamps help.events "-k n2n --write verbose 3"; do
    # shellcheck disable=SC2086
    same a $args
  done

  # A subscription: events until another subscriber takes the topic over (exit 1).
  lab_start pid_sub1 a "$work/sub1-$set.out" "$ctl" -k n2n --sub test
  sleep 0.5
  in_ns a "$ctl" post.test hello-nkctl >/dev/null 2>&1 || fail "$set: post.test failed"
  for _ in $(seq 20); do grep -q hello-nkctl "$work/sub1-$set.out" && break; sleep 0.1; done
  grep -qF '"test": "hello-nkctl"' "$work/sub1-$set.out" ||
    fail "$set: --sub test did not print the event: $(cat "$work/sub1-$set.out")"
  lab_start pid_sub2 a "$work/sub2-$set.out" "$ctl" -k n2n --sub test
  status=""
  for _ in $(seq 30); do
    if ! kill -0 "$pid_sub1" 2>/dev/null; then wait "$pid_sub1"; status=$?; break; fi
    sleep 0.1
  done
  [ "$status" = 1 ] || fail "$set: first subscriber: status '$status' after the takeover, expected 1"
  grep -q 'taken over by another client' "$work/sub1-$set.out" ||
    fail "$set: first subscriber: $(cat "$work/sub1-$set.out")"
  lab_stop "$pid_sub2"

  # The supernode.
  # Its rows have no "mode": that column is one character wide, its heading cut to "m".
  expect sn 0 '^m ip4addr +macaddr +sockaddr +desc +$' -t 5645 edges
  expect sn 0 '^  10\.20\.30\.1/24 02:20:30:00:00:01 198\.19\.0\.11:[0-9]+ +edge-a' -t 5645 --orderby desc edges
  expect sn 0 '"desc": "edge-b"' -t 5645 --raw edges
  expect sn 0 '"community": "nkctl"' -t 5645 communities
  expect sn 1 "refused 'supernodes': unimplemented" -t 5645 supernodes
  expect sn 1 'answered the subscription with text .*it has no subscriptions' -t 5645 -k n2n --sub test
  for args in edges "--orderby macaddr edges" "--raw edges" communities help packetstats \
    "-k n2n --write verbose 2"; do
    # shellcheck disable=SC2086
    same sn -t 5645 $args
  done

  lab_stop "$pid_a"
  lab_stop "$pid_b"
  lab_stop "$pid_sn"
  echo "$set daemons: checked"
done

if [ -n "${N2N_REF_CTL:-}" ]; then
  echo "$compared outputs byte-identical to the reference script's"
else
  echo "N2N_REF_CTL not set: outputs not compared with the reference script"
fi
[ $failures -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo OK
