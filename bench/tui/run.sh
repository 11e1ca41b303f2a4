#!/bin/bash
# run.sh BENCH_TUI N2N_TUI : the figures of bench/RESULTS.md's n2n-tui section. bench-tui
# measures one refresh (poll + parse + table + draw) of a supernode holding 10,000 edges; then
# bench-tui --serve holds the same supernode while n2n-tui --once and --json run against it
# under /usr/bin/time for the TUI process's own peak memory, and the interactive screen runs in
# tmux (80x24, private socket) for 10 s of 1 s refreshes: its peak RSS from /proc (VmHWM) and
# the refresh time it shows on its status line. Loopback only.
set -eu
bench=$1
tui=$2
"$bench" --edges 10000 --rounds 7
port_file=$(mktemp)
"$bench" --serve --edges 10000 >"$port_file" &
server=$!
sock=$(mktemp -u)
trap 'tmux -S "$sock" kill-server 2>/dev/null; kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$port_file"' EXIT
for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
port=$(cat "$port_file")
for mode in --once --json; do
  /usr/bin/time -f "n2n-tui $mode: %e s wall, max RSS %M KB" "$tui" $mode -t "$port" --timeout 2000 \
    >/dev/null
done
if command -v tmux >/dev/null; then
  tmux -S "$sock" new-session -d -x 80 -y 24 "exec $tui -t $port --timeout 2000"
  sleep 10
  pid=$(tmux -S "$sock" list-panes -F '#{pane_pid}')
  echo "n2n-tui interactive after 10 s: $(grep -E 'VmHWM|VmRSS' /proc/"$pid"/status | tr -s ' \t' ' ' | tr '\n' ' ')"
  echo "its status line: $(tmux -S "$sock" capture-pane -p | tail -2 | head -1)"
  tmux -S "$sock" capture-pane -p | head -8
  # Key latency while polls of 10,000 rows run back to back: ? until the help is on screen.
  worst=0
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    tmux -S "$sock" send-keys '?'
    until tmux -S "$sock" capture-pane -p | grep -q 'the overlay at a glance'; do sleep 0.005; done
    ms=$((($(date +%s%N) - start) / 1000000))
    [ $ms -gt $worst ] && worst=$ms
    tmux -S "$sock" send-keys x
    sleep 0.37
  done
  echo "key latency (? to help on screen, 5 tries, polls running): at most $worst ms"
fi
