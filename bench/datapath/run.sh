#!/bin/bash
# run.sh N2N_EDGE N2N_SUPERNODE [SECONDS] [ROUNDS]
#
# Edge-to-edge TCP throughput (iperf3) and ping latency through the overlay, in network
# namespaces made here (two edge hosts and a supernode host on one bridge), in one run and
# alternating, for: the plain veth path (the baseline), our edges with our supernode, and —
# when N2N_REF_EDGE and N2N_REF_SUPERNODE name reference binaries — the reference's edges
# with its supernode; per transform (null, AES, ChaCha20, Speck) and zstd. Prints a table with
# ratios. Needs root and iperf3 (installs it from Debian when missing). Only traffic inside
# the namespaces made here; everything is stopped by PID, the namespaces removed.
set -u
edge=$1
supernode=$2
seconds=${3:-3}
rounds=${4:-1}
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
  echo "bench/datapath: needs root and /dev/net/tun" >&2
  exit 77
fi
command -v iperf3 >/dev/null || apt-get install -y -qq iperf3 >/dev/null
prefix="n2nk-b$$"
. "$(dirname "$0")/../../tests/lib/bridge_lab.sh"
lab_init
lab_bridge sn=198.19.0.1 a=198.19.0.11 b=198.19.0.12 || exit 1

declare -A mbps rtt
measure() {  # measure NAME TARGET_IP : iperf3 a -> b and ping a -> b
  local name=$1 ip=$2 srv
  lab_start srv b "$work/iperf-$name.srv" iperf3 -s -1 -B "$ip"
  for _ in $(seq 30); do in_ns b ss -Hltn "sport = :5201" | grep -q . && break; sleep 0.1; done
  local m r
  m=$(in_ns a iperf3 -c "$ip" -t "$seconds" -J 2>/dev/null |
    python3 -c 'import json,sys; print("%.0f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"] / 1e6))' 2>/dev/null)
  lab_stop "$srv"
  r=$(in_ns a ping -c 20 -i 0.05 -q "$ip" 2>/dev/null | sed -n 's|.*= [0-9.]*/\([0-9.]*\)/.*|\1|p')
  # Every round's figure; the table shows the median.
  mbps[$name]="${mbps[$name]:-} ${m:-0}"
  rtt[$name]="${rtt[$name]:-} ${r:-0}"
  echo "  $name: ${m:-FAIL} Mbit/s, ping ${r:-?} ms"
}

overlay() {  # overlay NAME EDGE SUPERNODE "EDGE OPTIONS"
  local name=$1 e=$2 s=$3 opts=$4 sn ea eb
  lab_start sn sn "$work/$name.sn" "$s" -f -p 7654 -t 5645
  lab_wait_udp sn 7654 "$sn"
  # shellcheck disable=SC2086
  lab_start ea a "$work/$name.a" "$e" -f -d n2n0 -c bench -l 198.19.0.1:7654 -a 10.99.0.1/24 \
    -m 02:20:30:00:00:01 $opts
  # shellcheck disable=SC2086
  lab_start eb b "$work/$name.b" "$e" -f -d n2n0 -c bench -l 198.19.0.1:7654 -a 10.99.0.2/24 \
    -m 02:20:30:00:00:02 $opts
  wait_tap a 10 && wait_tap b 10
  for _ in $(seq 20); do in_ns a ping -c 1 -W 1 10.99.0.2 >/dev/null 2>&1 && break; done
  sleep 1  # the direct path
  measure "$name" 10.99.0.2
  lab_stop "$ea"
  lab_stop "$eb"
  lab_stop "$sn"
}

key=bench-key-0123456789
cases=("null:-A1" "aes:-A3 -k $key" "chacha20:-A4 -k $key" "speck:-A5 -k $key"
  "zstd-aes:-A3 -k $key -z2")
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), nproc $(nproc)"
for round in $(seq "$rounds"); do
  echo "round $round of $rounds"
  measure veth 198.19.0.12
  for c in "${cases[@]}"; do
    name=${c%%:*}
    opts=${c#*:}
    overlay "ours-$name" "$edge" "$supernode" "$opts"
    if [ -n "${N2N_REF_EDGE:-}" ] && [ -n "${N2N_REF_SUPERNODE:-}" ]; then
      overlay "ref-$name" "$N2N_REF_EDGE" "$N2N_REF_SUPERNODE" "$opts"
    fi
  done
done
median() { python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[1:]]; print(("%.0f" if max(v) > 20 else "%.3f") % statistics.median(v)) if v else print("")' $1; }
for k in "${!mbps[@]}"; do mbps[$k]=$(median "${mbps[$k]}"); done
for k in "${!rtt[@]}"; do rtt[$k]=$(median "${rtt[$k]}"); done
echo "medians of $rounds round(s):"
echo
printf '%-10s %12s %10s %12s %10s %10s\n' case "ours Mbit/s" "ping ms" "ref Mbit/s" "ping ms" "ours/ref"
for c in "${cases[@]}"; do
  name=${c%%:*}
  o=${mbps[ours-$name]:-0} r=${mbps[ref-$name]:-}
  ratio=-
  [ -n "$r" ] && [ "$r" != 0 ] && ratio=$(python3 -c "print('%.2f' % ($o / $r))")
  printf '%-10s %12s %10s %12s %10s %10s\n' "$name" "$o" "${rtt[ours-$name]:-?}" "${r:--}" \
    "${rtt[ref-$name]:--}" "$ratio"
done
echo "veth baseline: ${mbps[veth]:-?} Mbit/s, ping ${rtt[veth]:-?} ms"
