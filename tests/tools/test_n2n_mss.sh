#!/bin/bash
# test_n2n_mss.sh N2N_MSS
# n2n-mss without changing anything on this host: watch -r on captures of every supported link
# type (loopback addresses, so the verdict does not depend on this host's routes), check and
# clamp --dry-run on lo, and bad input of every kind: one clear line and the documented exit
# status (2 usage/bad input, 3 missing permission), never a crash. The permission cases run as
# nobody (only when started as root), so nothing can be changed.
set -u
export LC_ALL=C
mss=$1
failures=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect STATUS ARGS... : exit status; for errors (2, 3) exactly one line on stderr.
expect() {
  local want=$1
  shift
  "$mss" "$@" >"$work/out" 2>"$work/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "n2n-mss $*: exit $got, expected $want ($(head -1 "$work/err"))"
  if [ "$want" -ge 2 ]; then
    [ "$(wc -l <"$work/err")" -eq 1 ] || fail "n2n-mss $*: expected one line on stderr, got: $(cat "$work/err")"
  fi
}
expect_err() {  # TEXT : the last command's stderr mentions TEXT
  grep -qF -- "$1" "$work/err" || fail "stderr does not mention '$1': $(cat "$work/err")"
}

# --- captures --------------------------------------------------------------------------------
python3 - "$work" <<'PY' || fail "writing the test captures"
import struct, sys
work = sys.argv[1]

def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF

def tcp(src, dst, sport, dport, flags, mss):
    opts = struct.pack("!BBH", 2, 4, mss) if mss is not None else b""
    off = (20 + len(opts)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, 1, 0, off << 4, flags, 64240, 0, 0) + opts
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(hdr))
    c = csum(pseudo + hdr)
    return hdr[:16] + struct.pack("!H", c) + hdr[18:]

def ipv4(src, dst, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000, 64, 6, 0, src, dst)
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload

lo = bytes([127, 0, 0, 1])
lo2 = bytes([127, 0, 0, 2])
packets = [
    ipv4(lo, lo2, tcp(lo, lo2, 40000, 8080, 0x02, 1460)),    # SYN
    ipv4(lo2, lo, tcp(lo2, lo, 8080, 40000, 0x12, 65500)),   # SYN-ACK, MSS above lo's 65536-40
    ipv4(lo, lo2, tcp(lo, lo2, 40000, 8080, 0x10, None)),    # ACK: no SYN
    ipv4(lo, lo2, tcp(lo, lo2, 40001, 8080, 0x02, None)),    # SYN without MSS
]

def write(name, linktype, frames):
    with open(f"{work}/{name}", "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i, 0, len(fr), len(fr)) + fr)

eth = b"\x02\0\0\0\0\x02" + b"\x02\0\0\0\0\x01" + b"\x08\x00"
sll = struct.pack("!HHH8sH", 0, 772, 6, b"\0" * 8, 0x0800)
sll2 = struct.pack("!HHIHBB8s", 0x0800, 0, 1, 772, 0, 6, b"\0" * 8)
write("eth.pcap", 1, [eth + p for p in packets])
write("sll.pcap", 113, [sll + p for p in packets])
write("sll2.pcap", 276, [sll2 + p for p in packets])
write("raw.pcap", 101, packets)
write("wifi.pcap", 105, [b"\0" * 40])
with open(f"{work}/corrupt.pcap", "wb") as f:
    f.write(b"this is not a capture file at all")
with open(f"{work}/cut.pcap", "wb") as f:
    data = open(f"{work}/eth.pcap", "rb").read()
    f.write(data[: len(data) - 10])
PY

for cap in eth sll sll2 raw; do
  expect 1 watch -r "$work/$cap.pcap" --json
  cp "$work/out" "$work/$cap.json"
  python3 - "$work/$cap.json" <<'PY' || fail "watch -r $cap.pcap --json: $(cat "$work/$cap.json")"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
recs, summary = objs[:-1], objs[-1]["summary"]
assert [o["type"] for o in recs] == ["syn", "syn-ack", "syn"], recs
assert [o["mss"] for o in recs] == [1460, 65500, None], recs
assert recs[0]["src"] == "127.0.0.1:40000" and recs[0]["dst"] == "127.0.0.2:8080", recs[0]
assert recs[0]["route_to_src"]["local"] and recs[0]["route_to_src"]["iface"] == "lo", recs[0]
assert not recs[0]["oversized"] and recs[1]["oversized"], recs
assert recs[1]["mss_limit"] == recs[1]["path_mtu"] - 40, recs[1]
assert summary["syn"] == 2 and summary["syn_ack"] == 1 and summary["oversized"] == 1, summary
assert summary["without_mss"] == 1 and summary["other_frames"] == 1, summary
assert summary["mss_seen"] == {"1460": 1, "65500": 1}, summary
PY
done
expect 0 watch -r "$work/eth.pcap" --count 1
grep -q ' SYN .*127.0.0.1:40000 > 127.0.0.2:8080 mss 1460' "$work/out" || fail "watch text: $(cat "$work/out")"
grep -q '^summary: 1 SYN, 0 SYN-ACK' "$work/out" || fail "watch --count 1 summary: $(cat "$work/out")"
expect 0 watch -r "$work/eth.pcap" --count 1 --json
expect 1 watch -r "$work/eth.pcap"
grep -q 'TOO BIG' "$work/out" || fail "watch text does not flag the oversized SYN-ACK: $(cat "$work/out")"
grep -q '^summary: 2 SYN, 1 SYN-ACK, 1 with an MSS too big' "$work/out" || fail "watch summary: $(cat "$work/out")"

# --- bad input -------------------------------------------------------------------------------
expect 2 watch -r "$work/wifi.pcap"
expect_err "link type DLT 105 is not supported"
expect 2 watch -r "$work/nonexistent.pcap"
expect 2 watch -r "$work/corrupt.pcap"
expect 2 watch -r "$work/cut.pcap"
expect 2 watch -r "$work/eth.pcap" -i lo
expect 2 watch --port 0 -r "$work/eth.pcap"
expect 2 watch --port http -r "$work/eth.pcap"
expect 2 watch --count -1 -r "$work/eth.pcap"
expect 2 watch --timeout soon -r "$work/eth.pcap"
expect 2 watch -i 'bad/name'
expect 2
expect 2 frobnicate
expect 2 watch --frobnicate
expect 0 --help
grep -q -- '--clamp\|clamp' "$work/out" || fail "--help does not list clamp"
expect 0 watch --help
expect 0 --version

expect 2 check --iface nkmss-nosuch0
expect_err "no interface named 'nkmss-nosuch0'"
expect 2 check --supernode 10.0.0
expect_err "is not an IPv4 address"
expect 2 check --iface ''
"$mss" check --iface lo --json >"$work/check.json" 2>"$work/err"
status=$?
[ $status -eq 0 ] || [ $status -eq 1 ] || fail "check --iface lo: exit $status ($(cat "$work/err"))"
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["overlay"]["name"] == "lo" and "findings" in j' \
  "$work/check.json" || fail "check --json: $(cat "$work/check.json")"

expect 0 clamp --iface lo --dry-run
grep -q 'iifname "lo" meta nfproto ipv4 .* maxseg size set 65495' "$work/out" || fail "clamp --dry-run: $(cat "$work/out")"
grep -q '^table inet n2nkit_mss {' "$work/out" || fail "clamp --dry-run shows no table: $(cat "$work/out")"
expect 0 clamp --iface lo --dry-run --backend iptables-legacy --mss 1300
grep -qx 'iptables-legacy -t mangle -A FORWARD -o lo -p tcp -m tcp --tcp-flags SYN,RST SYN -m tcpmss --mss 1301:65535 -m comment --comment n2nkit:mss -j TCPMSS --set-mss 1300' "$work/out" ||
  fail "clamp --dry-run --backend iptables-legacy: $(cat "$work/out")"
grep -q '^ip6tables-legacy .*--set-mss 1280$' "$work/out" || fail "no IPv6 rule at 1280: $(cat "$work/out")"
# --backend iptables: the variant `iptables -V` names (this host's alternatives).
expect 0 clamp --iface lo --dry-run --backend iptables
grep -qE '^iptables-(nft|legacy) -t mangle -A FORWARD -o lo ' "$work/out" ||
  fail "clamp --dry-run --backend iptables: $(cat "$work/out")"
expect 0 clamp --iface lo --dry-run --json --local
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["dry_run"] and "hook output" in j["nft_script"]' \
  "$work/out" || fail "clamp --dry-run --json: $(cat "$work/out")"
expect 2 clamp --iface nkmss-nosuch0 --dry-run
expect_err "no interface named 'nkmss-nosuch0'"
expect 2 clamp --mss 100 --dry-run --iface lo
expect 2 clamp --mss 1300 --pmtu --dry-run --iface lo
expect 2 clamp --backend pf --dry-run --iface lo
expect_err "unknown --backend 'pf'"
expect 2 clamp --undo --mss 1300
expect 2 clamp --mss many --iface lo --dry-run

# --- permission ------------------------------------------------------------------------------
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$mss" "$@"; }
  expect_nobody() {  # STATUS ARGS...
    local want=$1
    shift
    as_nobody "$@" >"$work/out" 2>"$work/err"
    local got=$?
    [ "$got" -eq "$want" ] || fail "as nobody: n2n-mss $*: exit $got, expected $want ($(head -1 "$work/err"))"
    [ "$got" -lt 2 ] || [ "$(wc -l <"$work/err")" -eq 1 ] || fail "as nobody: n2n-mss $*: not one line: $(cat "$work/err")"
  }
  expect_nobody 3 watch -i lo --count 1 --timeout 1
  expect_err "CAP_NET_RAW"
  expect_nobody 3 clamp --iface lo
  expect_err "CAP_NET_ADMIN"
  expect_nobody 3 clamp --iface lo --backend iptables-legacy
  expect_nobody 3 clamp --undo
  as_nobody check --iface lo --json >"$work/check_nobody.json" 2>"$work/err"
  status=$?
  [ $status -le 1 ] || fail "check as nobody: exit $status ($(cat "$work/err"))"
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert any(f["code"] == "firewall_unread" for f in j["findings"])' \
    "$work/check_nobody.json" || fail "check as nobody does not say the firewall was unread: $(cat "$work/check_nobody.json")"
  # Reading a capture file needs no privilege.
  chmod 755 "$work"
  chmod 644 "$work/eth.pcap"
  expect_nobody 1 watch -r "$work/eth.pcap" --json
else
  echo "permission cases skipped: not root (they run as nobody)"
fi

if [ $failures -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "all n2n-mss tool checks passed"
