# overlay_checks.sh: sourced after bridge_lab.sh. The checks every overlay test makes between
# two edges whose TAP devices have addresses:
#
#   overlay_check IP_A IP_B LOG BYTES WAIT_S
#
# on hosts "a" and "b": a first ping a→b within WAIT_S seconds (registration and ARP take a
# moment), 5 pings each way, then BYTES random bytes over TCP from a to b, whose count and
# SHA-256 must match. Sets overlay_ok (1 or 0), overlay_why (what failed) and overlay_mbps
# (the transfer's rate), and prints one line per stage.

overlay_transfer="$(dirname "${BASH_SOURCE[0]}")/tcp_transfer.py"

overlay_check() {
  local ip_a=$1 ip_b=$2 log=$3 bytes=$4 wait_s=$5
  overlay_ok=1 overlay_why="" overlay_mbps=""
  local up=0 t0=$SECONDS _
  for _ in $(seq "$wait_s"); do
    in_ns a ping -c 1 -W 1 "$ip_b" >/dev/null 2>&1 && { up=1; break; }
  done
  if [ $up -eq 0 ]; then
    overlay_ok=0 overlay_why="no ping reply a→b within $wait_s s"
    return
  fi
  echo "    first ping reply after $((SECONDS - t0)) s"
  if ! in_ns a ping -c 5 -i 0.2 -W 2 "$ip_b" >"$log.ping-ab" 2>&1; then
    overlay_ok=0 overlay_why="ping a→b: $(grep -o '[0-9]* received' "$log.ping-ab")/5"
    return
  fi
  if ! in_ns b ping -c 5 -i 0.2 -W 2 "$ip_a" >"$log.ping-ba" 2>&1; then
    overlay_ok=0 overlay_why="ping b→a: $(grep -o '[0-9]* received' "$log.ping-ba")/5"
    return
  fi
  echo "    ping a→b and b→a: 5/5 each"
  local rx
  lab_start rx b "$log.recv" timeout 90 python3 "$overlay_transfer" recv "$ip_b" 5001
  for _ in $(seq 30); do
    in_ns b ss -Hltn "sport = :5001" 2>/dev/null | grep -q . && break
    sleep 0.1
  done
  if ! in_ns a timeout 90 python3 "$overlay_transfer" send "$ip_b" 5001 "$bytes" >"$log.send" 2>&1
  then
    overlay_ok=0 overlay_why="TCP sender failed: $(tail -1 "$log.send")"
  fi
  wait "$rx" 2>/dev/null
  local sent got secs
  sent=$(cat "$log.send" 2>/dev/null)
  got=$(cut -d' ' -f1,2 "$log.recv" 2>/dev/null)
  if [ $overlay_ok -eq 1 ] && [ -n "$got" ] && [ "$sent" = "$got" ]; then
    secs=$(cut -d' ' -f3 "$log.recv")
    overlay_mbps=$(python3 -c "print('%.0f' % ($bytes * 8 / max(float('$secs'), 1e-6) / 1e6))")
    echo "    TCP $((bytes / 1048576)) MiB a→b: byte count and SHA-256 match, ${secs} s, ${overlay_mbps} Mbit/s"
  elif [ $overlay_ok -eq 1 ]; then
    overlay_ok=0
    overlay_why="TCP transfer: sent '$sent', received '$(cat "$log.recv" 2>/dev/null)'"
  fi
}
