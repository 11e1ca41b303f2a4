#!/bin/bash
# run_relay.sh [BENCH_RELAY_BINARY OUR_SUPERNODE] [bench-supernode-relay options...]
# Relay rate over loopback, in one run and alternating: the baseline forwarder (a bare
# recvmmsg/sendmmsg relay), our n2n-supernode and, when N2N_REF_SUPERNODE names a reference
# supernode binary, the reference's; then each as a ratio of the baseline. ROUNDS (default 3)
# rounds; the best of each is reported. Only loopback traffic; every process started here is
# stopped by PID.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
if [ $# -ge 2 ] && [ -x "$1" ] && [ -x "$2" ]; then
  bench=$1 ours=$2
  shift 2
else
  build=${BUILD_DIR:-$root/build-bench}
  cmake -S "$root" -B "$build" -G Ninja >/dev/null
  ninja -C "$build" bench-supernode-relay n2n-supernode >/dev/null
  bench=$build/bench/supernode/bench-supernode-relay
  ours=$build/tools/n2n-supernode/n2n-supernode
fi
rounds=${ROUNDS:-3}
port=$((20000 + $$ % 20000))
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

start() {  # start CMD... : background process, waits until it listens on $port
  "$@" >/dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do
    ss -Hlun "sport = :$port" 2>/dev/null | grep -q . && return 0
    sleep 0.1
  done
  echo "run_relay.sh: $1 did not start listening on port $port" >&2
  return 1
}
stop() { kill "${pids[-1]}" 2>/dev/null || true; wait "${pids[-1]}" 2>/dev/null || true; unset 'pids[-1]'; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime, all threads

declare -A best cost
measure() {  # measure NAME RAW(0|1) CMD...
  local name=$1 raw=$2
  shift 2
  start "$@"
  local pid=${pids[-1]}
  local extra=()
  [ "$raw" = 1 ] && extra=(--raw)
  local line before after
  before=$(cpu_ticks "$pid")
  line=$("$bench" --target "127.0.0.1:$port" --label "$name" "${extra[@]}" "${BENCH_ARGS[@]}")
  after=$(cpu_ticks "$pid")
  stop
  local rate relayed us
  rate=$(echo "$line" | awk '{print $2}')
  relayed=$(echo "$line" | sed -n 's/.* \([0-9]*\) relayed.*/\1/p')
  # The relay's own CPU time per datagram relayed: robust where the machine is shared.
  us=$(python3 -c "print('%.2f' % ((${after} - ${before}) * 1e6 / $(getconf CLK_TCK) / max($relayed, 1)))")
  echo "$line  relay CPU ${us} us/datagram"
  if [ -z "${best[$name]:-}" ] || [ "${rate%.*}" -gt "${best[$name]%.*}" ]; then best[$name]=$rate; fi
  if [ -z "${cost[$name]:-}" ] || python3 -c "import sys; sys.exit(0 if $us < ${cost[$name]} else 1)"; then
    cost[$name]=$us
  fi
}

BENCH_ARGS=("$@")
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), nproc $(nproc)"
names=(baseline ours)
[ -n "${N2N_REF_SUPERNODE:-}" ] && names+=(reference)
for r in $(seq "$rounds"); do
  echo "-- round $r"
  measure baseline 1 "$bench" --forwarder "$port"
  measure ours 0 "$ours" -f -p "$port" -t $((port + 1))
  if [ -n "${N2N_REF_SUPERNODE:-}" ]; then
    measure reference 0 "$N2N_REF_SUPERNODE" -f -p "$port" -t $((port + 1))
  fi
done
echo "-- best of $rounds: datagrams/s relayed and the relay's CPU per datagram (ratios to the baseline forwarder)"
for n in "${names[@]}"; do
  python3 -c "print('%-10s %10.0f /s (%.2f of baseline)   %6.2f us CPU/datagram (%.2f x baseline)' % ('$n', ${best[$n]}, ${best[$n]} / ${best[baseline]}, ${cost[$n]}, ${cost[$n]} / ${cost[baseline]}))"
done
if [ -n "${N2N_REF_SUPERNODE:-}" ]; then
  python3 -c "print('ours vs reference: rate %.2f x, CPU per datagram %.2f x less' % (${best[ours]} / ${best[reference]}, ${cost[reference]} / ${cost[ours]}))"
fi
