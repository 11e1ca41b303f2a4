#!/bin/bash
# supernode_reference_edges.sh [--control] [--reference-only] SUPERNODE
#
# Interop: two reference n2n edges (N2N_REF_EDGE) on two hosts of a bridge, registered at
# SUPERNODE (our n2n-supernode) on a third host, all in network namespaces made here. For each
# case (every cipher, header encryption, LZO and zstd, auto-IP, forced relay -S1, TCP -S2,
# user/password, and federation: edge B registered at a second supernode on a fourth host,
# federated with the first, ours with ours and ours with the reference's, everything relayed
# through both with -S1): ping both ways across the overlay, then a 10 MiB TCP transfer through it
# (byte count and SHA-256 checked; Mbit/s reported). --control runs every case a second time
# with the reference supernode (N2N_REF_SUPERNODE) in place of ours, so that a failing case
# can be told apart from an environment problem; --reference-only runs only that column.
# Prints a table case × supernode. Skips (77) without N2N_REF_EDGE or root. Only traffic inside
# the namespaces made here; everything started here is killed by PID (and whatever still runs in
# our namespaces), the namespaces are removed, also on failure.
set -u
control=0
ours=1
while [ $# -gt 0 ]; do
  case $1 in
    --control) control=1; shift ;;
    --reference-only) control=1; ours=0; shift ;;
    --) shift; break ;;
    -*) echo "usage: $0 [--control] [--reference-only] SUPERNODE" >&2; exit 2 ;;
    *) break ;;
  esac
done
supernode=${1:-}
if [ -z "${N2N_REF_EDGE:-}" ]; then
  echo "SKIPPED: set N2N_REF_EDGE (and N2N_REF_KEYGEN, N2N_REF_SUPERNODE) to reference ntop/n2n 3.x binaries"
  exit 77
fi
if [ "$(id -u)" -ne 0 ] || [ ! -c /dev/net/tun ]; then
  echo "SKIPPED: needs root and /dev/net/tun (network namespaces, TAP devices)"
  exit 77
fi
for tool in ip ss ping python3 timeout; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool not installed"; exit 77; }
done
if [ $ours -eq 1 ] && [ ! -x "$supernode" ]; then
  echo "SKIPPED: our supernode binary '$supernode' is not built"
  exit 77
fi
if [ $control -eq 1 ] && [ -z "${N2N_REF_SUPERNODE:-}" ]; then
  if [ $ours -eq 0 ]; then
    echo "SKIPPED: --reference-only needs N2N_REF_SUPERNODE"
    exit 77
  fi
  echo "note: N2N_REF_SUPERNODE not set, no control column"
  control=0
fi
if [ -z "${N2N_REF_KEYGEN:-}" ]; then
  echo "note: N2N_REF_KEYGEN not set, the user/password case cannot run"
fi

prefix="n2nk-r$$"
. "$(dirname "$0")/../lib/bridge_lab.sh"
lab_init
sn_ip=198.19.0.1
sn_port=7654
sn2_ip=198.19.0.2
sn2_port=7655
mb=10
bytes=$((mb * 1024 * 1024))

# A bridge and four hosts on it.
lab_bridge sn=$sn_ip sn2=$sn2_ip a=198.19.0.11 b=198.19.0.12 || exit 1

. "$(dirname "$0")/../lib/overlay_checks.sh"

declare -A result rate detail
cases=()
key=n2nkit-interop-key
fed=n2nkitFed

# run_case NAME FLAVOUR "EDGE OPTIONS" "SUPERNODE OPTIONS" COMMUNITY AUTO_IP(0|1) LIST_BODY
#          [SECOND]
# SECOND (federation cases): "same" or "other": edge B registers at a second supernode, of the
# same flavour as the first or of the other one, started with -l pointing at the first.
run_case() {
  local name=$1 flavour=$2 eopts=$3 sopts=$4 comm=$5 auto=$6 list=$7 second=${8:-}
  local bin=$supernode
  [ "$flavour" = reference ] && bin=$N2N_REF_SUPERNODE
  local log="$work/$name-$flavour"
  local sn_pid="" sn2_pid="" ea="" eb="" rx="" why="" ok=1
  local b_sn="$sn_ip:$sn_port" wait_s=15
  echo "--- $name ($flavour supernode)"
  local clist=()
  if [ -n "$list" ]; then
    printf '%s' "$list" >"$log.list"
    clist=(-c "$log.list")
  fi
  # shellcheck disable=SC2086
  lab_start sn_pid sn "$log.sn.log" "$bin" -f -p "$sn_port" -t 5645 "${clist[@]}" $sopts
  lab_wait_udp sn "$sn_port" "$sn_pid"
  if [ -n "$second" ]; then
    local bin2=$bin
    if [ "$second" = other ]; then
      if [ "$flavour" = reference ]; then bin2=$supernode; else bin2=$N2N_REF_SUPERNODE; fi
    fi
    echo "    federation: $bin at $sn_ip:$sn_port, $bin2 at $sn2_ip:$sn2_port -l $sn_ip:$sn_port"
    # shellcheck disable=SC2086
    lab_start sn2_pid sn2 "$log.sn2.log" "$bin2" -f -p "$sn2_port" -t 5646 "${clist[@]}" \
      -l "$sn_ip:$sn_port" $sopts
    b_sn="$sn2_ip:$sn2_port"
    # The reference's first federation round runs before its socket exists; the next is 10 s
    # later, and registrations forwarded before the federation formed are only re-sent 20 s on.
    wait_s=40
  fi
  local a_opts=(-a 10.99.0.1/24) b_opts=(-a 10.99.0.2/24)
  if [ "$auto" = 1 ]; then a_opts=(); b_opts=(); fi
  local ida=(-I edge-a) idb=(-I edge-b)
  if [ "$name" = user-password ]; then ida=(-I alice -J alice-pw-1); idb=(-I bob -J bob-pw-2); fi
  # shellcheck disable=SC2086
  lab_start ea a "$log.a.log" "$N2N_REF_EDGE" -f -d n2n0 -c "$comm" -l "$sn_ip:$sn_port" \
    -m 02:20:30:00:00:01 "${a_opts[@]}" "${ida[@]}" $eopts
  # shellcheck disable=SC2086
  lab_start eb b "$log.b.log" "$N2N_REF_EDGE" -f -d n2n0 -c "$comm" -l "$b_sn" \
    -m 02:20:30:00:00:02 "${b_opts[@]}" "${idb[@]}" $eopts
  local ip_a="" ip_b=""
  if wait_tap a 15 && wait_tap b 15; then
    ip_a=$(tap_addr a)
    ip_b=$(tap_addr b)
    echo "    overlay: edge-a $ip_a, edge-b $ip_b"
    if [ "$auto" = 1 ] && { [ "$ip_a" = 0.0.0.0 ] || [ "$ip_a" = "$ip_b" ]; }; then
      ok=0 why="auto-IP gave $ip_a and $ip_b"
    fi
  else
    ok=0 why="the edges' TAP devices got no address (registration failed?)"
  fi
  if [ $ok -eq 1 ]; then
    overlay_check "$ip_a" "$ip_b" "$log" "$bytes" "$wait_s"
    ok=$overlay_ok why=$overlay_why
    rate[$name,$flavour]=$overlay_mbps
  fi
  if ! kill -0 "$sn_pid" 2>/dev/null; then
    ok=0 why="${why:+$why; }the supernode process died"
  fi
  if [ -n "$second" ] && ! kill -0 "$sn2_pid" 2>/dev/null; then
    ok=0 why="${why:+$why; }the second supernode process died"
  fi
  lab_stop "$ea"
  lab_stop "$eb"
  lab_stop "$sn_pid"
  lab_stop "$sn2_pid"
  if [ $ok -eq 1 ]; then
    result[$name,$flavour]=PASS
    echo "PASS $name ($flavour supernode)"
  else
    result[$name,$flavour]=FAIL
    detail[$name,$flavour]=$why
    echo "FAIL $name ($flavour supernode): $why"
    for f in sn sn2 a b; do
      [ -f "$log.$f.log" ] || continue
      echo "    --- $f log (last lines)"
      tail -8 "$log.$f.log" | sed 's/^/    /'
    done
  fi
}

# case NAME "EDGE OPTIONS" "SUPERNODE OPTIONS" COMMUNITY AUTO_IP LIST_BODY [SECOND]
case_() {
  if [ -n "${ONLY:-}" ] && [ "$1" != "$ONLY" ]; then return; fi
  cases+=("$1")
  [ $ours -eq 1 ] && run_case "$1" ours "$2" "$3" "$4" "$5" "$6" "${7:-}"
  [ $control -eq 1 ] && run_case "$1" reference "$2" "$3" "$4" "$5" "$6" "${7:-}"
}

c=n2nkit-interop
case_ null "-A1" "" $c 0 ""
case_ twofish "-A2 -k $key" "" $c 0 ""
case_ aes "-A3 -k $key" "" $c 0 ""
case_ chacha20 "-A4 -k $key" "" $c 0 ""
case_ speck "-A5 -k $key" "" $c 0 ""
# Header encryption needs the community in the supernode's community.list (spec §8.5).
case_ header-enc "-A3 -k $key -H" "" n2nkit-he 0 "n2nkit-he
"
case_ lzo "-A3 -k $key -z1" "" $c 0 ""
case_ zstd "-A4 -k $key -z2" "" $c 0 ""
case_ auto-ip "-A3 -k $key" "" $c 1 ""
case_ relay-s1 "-A3 -k $key -S1" "" $c 0 ""
case_ tcp-s2 "-A3 -k $key -S2" "" $c 0 ""
if [ -n "${N2N_REF_KEYGEN:-}" ]; then
  fedpub=$("$N2N_REF_KEYGEN" -F "$fed" | cut -d' ' -f2)
  ulist="n2nkit-users
$("$N2N_REF_KEYGEN" alice alice-pw-1)
$("$N2N_REF_KEYGEN" bob bob-pw-2)
"
  case_ user-password "-A4 -k $key -P $fedpub" "-F $fed" n2nkit-users 0 "$ulist"
fi
# Federation (spec §11.10): A at the first supernode, B at the second; -S1 keeps the edges
# from going peer-to-peer, so every frame crosses both supernodes.
case_ federation "-A3 -k $key -S1" "" $c 0 "" same
if [ -n "${N2N_REF_SUPERNODE:-}" ]; then
  # The first supernode of the column and the other implementation as the second.
  case_ fed-mixed "-A3 -k $key -S1" "" $c 0 "" other
else
  echo "note: N2N_REF_SUPERNODE not set, no mixed federation case"
fi

echo
printf '%-15s | %-22s | %-22s\n' case ours reference
printf '%-15s-+-%-22s-+-%-22s\n' --------------- ---------------------- ----------------------
failures=0
for name in "${cases[@]}"; do
  cells=()
  for flavour in ours reference; do
    r=${result[$name,$flavour]:-}
    if [ -z "$r" ]; then
      cells+=("-")
    elif [ "$r" = PASS ]; then
      cells+=("PASS ${rate[$name,$flavour]} Mbit/s")
    else
      cells+=("FAIL")
      failures=$((failures + 1))
    fi
  done
  printf '%-15s | %-22s | %-22s\n' "$name" "${cells[0]}" "${cells[1]}"
done
for name in "${cases[@]}"; do
  for flavour in ours reference; do
    [ -n "${detail[$name,$flavour]:-}" ] && echo "  $name/$flavour: ${detail[$name,$flavour]}"
  done
done
echo "$failures failing"
[ "$failures" -eq 0 ]
