#!/bin/bash
# bench/mtu/run.sh [N2N_MTU] [N2N_SUPERNODE] [N2N_EDGE]
#
# n2n-mtu probe vs tracepath on the same namespace paths (tests/lib/mtu_lab.sh: client -
# router - server, the router-server link of MTU 1500/1492/1400), in one run:
#   - ICMP "fragmentation needed" passed: n2n-mtu probe --host (ICMP echo) and tracepath -n;
#   - passed, with 10 % random loss towards the server;
#   - dropped: tracepath (which needs that ICMP) and n2n-mtu probe to our supernode;
#   - the server's default ICMP rate limit (1/s after a burst of 6) on the UDP form;
#   - a jumbo client link (9000) before a 1500 bottleneck, and 9000 end to end;
#   - --overlay through two n2n edges with TAP MTU 1390, as root where ping_group_range
#     refuses echo sockets (the raw socket; --udp for the UDP fallback it replaces; with env
#     N2N_MTU_BEFORE=<an older n2n-mtu> also that binary), and with echo sockets allowed.
# Per run: the result, the wall time, and the datagrams the client sent (its eth0 TX counter:
# the namespace carries nothing else). Prints a Markdown table for bench/RESULTS.md. Needs root.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
mtu=${1:-$root/build/tools/n2n-mtu/n2n-mtu}
supernode=${2:-$root/build/tools/n2n-supernode/n2n-supernode}
edge=${3:-$root/build/tools/n2n-edge/n2n-edge}
prefix="nkmtu2b$$"
. "$root/tests/lib/bridge_lab.sh"
lab_require "ip iptables jq tracepath" "$mtu" "$supernode"
. "$root/tests/lib/mtu_lab.sh"
lab_init
mtu_lab || exit 1
lab_start pid_sn s "$work/sn.log" "$supernode" -f -p 7654
lab_wait_udp s 7654 "$pid_sn" || { echo "supernode did not start"; exit 1; }

tx() { in_ns c cat /sys/class/net/eth0/statistics/tx_packets; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# measure LABEL TOOL CMD... : one row.
measure() {
  local label=$1 tool=$2 t0 t1 p0 p1 out result
  shift 2
  # A fresh route: the client's cached path MTU (learnt from earlier runs' ICMP) is forgotten,
  # so that tracepath cannot resume from it.
  in_ns c ip route del default
  in_ns c ip route add default via 198.18.1.1
  p0=$(tx)
  t0=$(now_ms)
  out=$(in_ns c timeout 40 "$@" 2>&1)
  t1=$(now_ms)
  p1=$(tx)
  if [ "$tool" = tracepath ]; then
    result=$(grep -oE 'pmtu [0-9]+' <<<"$out" | tail -1 | awk '{print $2}')
    [ -n "$result" ] || result="none ($(tail -1 <<<"$out" | cut -c1-40))"
  else
    result=$(jq -r '"\(.path_mtu) \(.confidence)"' <<<"$out" 2>/dev/null)
  fi
  printf '| %s | %s | %s | %s | %s |\n' "$label" "$tool" "$result" "$((t1 - t0))" "$((p1 - p0))"
}

echo "| path | tool | result | time ms | datagrams sent |"
echo "|---|---|---|---|---|"
for path in 1500 1492 1400; do
  mtu_path "$path" pass 0
  in_ns c ip route flush cache 2>/dev/null
  measure "$path, ICMP passed" "n2n-mtu --host" "$mtu" probe --host 198.18.2.2 --json
  measure "$path, ICMP passed" "n2n-mtu --host --udp" "$mtu" probe --host 198.18.2.2 --udp --json
  measure "$path, ICMP passed" tracepath tracepath -n 198.18.2.2
  mtu_path "$path" pass 10
  measure "$path, ICMP passed, 10 % loss" "n2n-mtu --host" "$mtu" probe --host 198.18.2.2 --json
  measure "$path, ICMP passed, 10 % loss" tracepath tracepath -n 198.18.2.2
  mtu_path "$path" drop 0
  measure "$path, ICMP dropped" tracepath tracepath -n -m 4 198.18.2.2
  measure "$path, ICMP dropped" "n2n-mtu probe (supernode)" "$mtu" probe 198.18.2.2:7654 -c bench --json
  measure "$path, ICMP dropped" "n2n-mtu --host" "$mtu" probe --host 198.18.2.2 --json
  mtu_path "$path" drop 10
  measure "$path, ICMP dropped, 10 % loss" "n2n-mtu probe (supernode)" "$mtu" probe 198.18.2.2:7654 -c bench --json
done
# The server's kernel default: port unreachable at most 1/s after a burst of 6; the 1500
# path needs 8 answers. A pause before each run refills the token bucket.
in_ns s sysctl -qw net.ipv4.icmp_ratelimit=1000
mtu_path 1500 pass 0
label="1500, ICMP passed, server icmp_ratelimit=1000"
sleep 7
measure "$label" "n2n-mtu --host --udp" "$mtu" probe --host 198.18.2.2 --udp --json
sleep 7
measure "$label" "n2n-mtu --host" "$mtu" probe --host 198.18.2.2 --json
sleep 7
measure "$label" tracepath tracepath -n 198.18.2.2
in_ns s sysctl -qw net.ipv4.icmp_ratelimit=0

# Jumbo: the client's link (and the router's side of it) 9000, the router-server link 1500
# or 9000. Without --max the ceiling is the client's 9000.
in_ns c ip link set eth0 mtu 9000
in_ns r ip link set eth0 mtu 9000
mtu_path 1500 drop 0
measure "9000 -> 1500, ICMP dropped" "n2n-mtu --host" "$mtu" probe --host 198.18.2.2 --json
measure "9000 -> 1500, ICMP dropped" "n2n-mtu probe (supernode)" "$mtu" probe 198.18.2.2:7654 -c bench --json
measure "9000 -> 1500, ICMP dropped" tracepath tracepath -n -m 4 198.18.2.2
mtu_path 1500 pass 0
measure "9000 -> 1500, ICMP passed" "n2n-mtu --host" "$mtu" probe --host 198.18.2.2 --json
measure "9000 -> 1500, ICMP passed" tracepath tracepath -n 198.18.2.2
mtu_path 9000 drop 0
measure "9000 end to end" "n2n-mtu --host" "$mtu" probe --host 198.18.2.2 --json
measure "9000 end to end" "n2n-mtu probe (supernode)" "$mtu" probe 198.18.2.2:7654 -c bench --json
in_ns c ip link set eth0 mtu 1500
in_ns r ip link set eth0 mtu 1500
mtu_path 1500 pass 0

# --overlay: edges in the client and the server, TAP MTU 1390 (the lab's), AES. The client's
# eth0 counter also carries the edges' own traffic here.
if [ -x "$edge" ]; then
  lab_start pid_ec c "$work/edge-c.log" "$edge" -f -c bench-ov -k k -l 198.18.2.2:7654 \
    -a 10.79.0.1 -d nkmtub0 -t 5650 -M 1390
  lab_start pid_es s "$work/edge-s.log" "$edge" -f -c bench-ov -k k -l 198.18.2.2:7654 \
    -a 10.79.0.2 -d nkmtub1 -t 5652 -M 1390
  for _ in $(seq 20); do in_ns c ping -c1 -W1 10.79.0.2 >/dev/null 2>&1 && break; sleep 0.5; done
  sleep 3  # until the edges talk peer to peer
  ov="probe --overlay 10.79.0.2 -t 5650 --json"
  # The far host's ICMP rate limit at the kernel's default, as on real hosts (and the lab's):
  # it is what makes the UDP form slow. A pause before each run refills the token bucket.
  in_ns s sysctl -qw net.ipv4.icmp_ratelimit=1000
  in_ns c sysctl -qw net.ipv4.ping_group_range="1 0"
  label="overlay, TAP 1390, root, echo sockets refused"
  if [ -n "${N2N_MTU_BEFORE:-}" ]; then
    sleep 7
    # shellcheck disable=SC2086
    measure "$label" "n2n-mtu --overlay, before (UDP fallback)" "$N2N_MTU_BEFORE" $ov
  fi
  sleep 7
  # shellcheck disable=SC2086
  measure "$label" "n2n-mtu --overlay (raw echo)" "$mtu" $ov
  sleep 7
  # shellcheck disable=SC2086
  measure "$label" "n2n-mtu --overlay --udp" "$mtu" $ov --udp
  in_ns c sysctl -qw net.ipv4.ping_group_range="0 2147483647"
  sleep 7
  # shellcheck disable=SC2086
  measure "overlay, TAP 1390, echo sockets allowed" "n2n-mtu --overlay (echo)" "$mtu" $ov
  lab_stop "$pid_es"
  lab_stop "$pid_ec"
fi
echo
echo "random loss by: ${mtu_loss_by:-none}; kernel $(uname -r); $(date -u '+%Y-%m-%d %H:%M UTC')"
