#!/bin/bash
# test_n2n_mac.sh N2N_MAC [N2N_EDGE]: gen, check and from-name for people and as JSON, the
# derivation of from-name recomputed independently (sha256sum), and bad input: exit status 2
# with one line. With N2N_EDGE: n2n-edge -m takes what gen and from-name print, and takes or
# refuses an address and a spelling exactly as check's edge_accepts and edge_spelling say.
set -u
export LC_ALL=C
mac_tool=$1
edge=${2:-}
failures=0
checks=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run EXPECTED_STATUS ARGS...: runs n2n-mac, checks the status; stdout in $out, stderr in $err.
run() {
  local expected=$1
  shift
  checks=$((checks + 1))
  "$mac_tool" "$@" >"$out" 2>"$err"
  local status=$?
  [ $status -eq "$expected" ] || fail "n2n-mac $*: exit status $status, expected $expected (stderr: $(cat "$err"))"
}

# bad_input EXPECTED_LINE ARGS...: status 2, nothing on stdout, exactly EXPECTED_LINE on stderr
# (or, with EXPECTED_LINE empty, one line naming the tool).
bad_input() {
  local expected=$1
  shift
  run 2 "$@"
  [ ! -s "$out" ] || fail "n2n-mac $*: printed on stdout: $(cat "$out")"
  [ "$(wc -l <"$err")" -eq 1 ] || fail "n2n-mac $*: stderr is not one line: $(cat "$err")"
  grep -q '^n2n-mac: ' "$err" || fail "n2n-mac $*: stderr does not name the tool: $(cat "$err")"
  if [ -n "$expected" ]; then
    [ "$(cat "$err")" = "$expected" ] || fail "n2n-mac $*: said '$(cat "$err")', expected '$expected'"
  fi
}

mac_re='^[0-9a-f]{2}(:[0-9a-f]{2}){5}$'
local_unicast_re='^[0-9a-f][26ae](:[0-9a-f]{2}){5}$'

# --- gen ----------------------------------------------------------------------------------
run 0 gen
[ "$(wc -l <"$out")" -eq 1 ] || fail "gen: printed $(wc -l <"$out") lines, expected 1"
grep -qE "$local_unicast_re" "$out" || fail "gen: '$(cat "$out")' is not a local unicast MAC"
[ ! -s "$err" ] || fail "gen: unexpected stderr: $(cat "$err")"

run 0 gen --count 200
[ "$(wc -l <"$out")" -eq 200 ] || fail "gen --count 200: printed $(wc -l <"$out") lines"
[ "$(grep -cE "$local_unicast_re" "$out")" -eq 200 ] || fail "gen --count 200: not all local unicast"
[ "$(sort -u "$out" | wc -l)" -eq 200 ] || fail "gen --count 200: duplicates"
# All four families turn up among 200 random addresses (p of missing one < 1e-24).
for d in 2 6 a e; do
  grep -qE "^[0-9a-f]$d:" "$out" || fail "gen --count 200: no address of family x$d"
done
# Random: the first octet's high nibble takes many values.
[ "$(cut -c1 "$out" | sort -u | wc -l)" -ge 10 ] || fail "gen --count 200: first digits hardly vary"
# Everything gen prints, check calls safe.
while read -r m; do
  "$mac_tool" check "$m" >/dev/null 2>&1 || fail "check $m (from gen): exit status $?"
done < <(head -20 "$out")

for d in 2 6 a e A E x2 xa; do
  run 0 gen --family "$d" --count 50
  want=$(tr 'A-EX' 'a-ex' <<<"${d#[xX]}")
  [ "$(grep -cE "^[0-9a-f]$want(:[0-9a-f]{2}){5}\$" "$out")" -eq 50 ] ||
    fail "gen --family $d: not all of family x$want: $(head -3 "$out" | tr '\n' ' ')"
done

run 0 gen --count 3 --family e --json
python3 - "$out" <<'PY' || fail "gen --json: $(cat "$out")"
import json, re, sys
text = open(sys.argv[1]).read()
assert text.count("\n") == 1, "not one line"
j = json.loads(text)
assert list(j) == ["family", "macs"], j
assert j["family"] == "xe", j
assert len(j["macs"]) == 3 and len(set(j["macs"])) == 3, j
assert all(re.fullmatch(r"[0-9a-f]e(:[0-9a-f]{2}){5}", m) for m in j["macs"]), j
PY
run 0 --json gen
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["family"] is None and len(j["macs"]) == 1' "$out" ||
  fail "--json gen: $(cat "$out")"

bad_input "n2n-mac: --count: Value 0 not in range 1 to 4096 (see n2n-mac --help)" gen --count 0
bad_input "" gen --count 4097
bad_input "" gen --count -1
bad_input "" gen --count many
bad_input "" gen --count
bad_input "n2n-mac: --family '3': expected 2, 6, a or e (see n2n-mac --help)" gen --family 3
bad_input "" gen --family 0
bad_input "" gen --family ""
bad_input "" gen --family 22
bad_input "" gen extra
bad_input "" gen --prefix 02

# --- check: safe ----------------------------------------------------------------------------
run 0 check 02:11:22:33:44:55
head -1 "$out" | grep -qx '02:11:22:33:44:55' || fail "check: first line is not the address"
grep -q 'I/G bit (bit 0 of the first octet): 0, individual address (unicast)' "$out" || fail "check: no I/G line"
grep -q 'U/L bit (bit 1 of the first octet): 1, locally administered' "$out" || fail "check: no U/L line"
grep -q 'family x2: IEEE 802c quadrant AAI' "$out" || fail "check: no family/quadrant line"
grep -q 'safe for an edge: n2n-edge -m 02:11:22:33:44:55' "$out" || fail "check: no verdict"
[ ! -s "$err" ] || fail "check: unexpected stderr: $(cat "$err")"

for m in 06:00:00:00:00:01 0A:BC:DE:F0:12:34 fe:ff:ff:ff:ff:ff 2:0:0:0:0:1 02-11-22-33-44-55 021122334455 0E1122334455; do
  run 0 check "$m"
done
run 0 check 021122334455
grep -q "spelling: n2n-edge -m does not take '021122334455' as written; write 02:11:22:33:44:55" "$out" ||
  fail "check 021122334455: no spelling note: $(cat "$out")"
run 0 check 2:0:0:0:0:1
grep -q "spelling: ntop/n2n's edge misreads '2:0:0:0:0:1'" "$out" || fail "check 2:0:0:0:0:1: no spelling note"
run 0 check 0A:BC:DE:F0:12:34
grep -q 'spelling' "$out" && fail "check 0A:BC:DE:F0:12:34: upper case should need no spelling note"
grep -q 'family xa: IEEE 802c quadrant ELI' "$out" || fail "check 0A:...: not ELI"

# --- check: unsafe --------------------------------------------------------------------------
run 1 check 00:11:22:33:44:55
grep -q 'U/L bit (bit 1 of the first octet): 0, universally administered (vendor block (OUI) 00:11:22)' "$out" ||
  fail "check 00:11:22:33:44:55: no universal line: $(cat "$out")"
grep -q 'not safe for an edge: it is universally administered' "$out" || fail "check universal: verdict"
run 1 check 00:00:00:00:00:00
grep -q 'not safe for an edge: it is the null address' "$out" || fail "check null: verdict"
run 1 check ff:ff:ff:ff:ff:ff
grep -q 'not safe for an edge: it is the broadcast address' "$out" || fail "check broadcast: verdict"
run 1 check 01:00:5e:00:00:fb
grep -q 'range: IPv4 multicast' "$out" || fail "check 01:00:5e:00:00:fb: no IPv4 multicast range"
grep -q 'unless started with -E' "$out" || fail "check 01:00:5e:00:00:fb: no note on -E"
grep -q 'I/G bit (bit 0 of the first octet): 1, group address (multicast)' "$out" || fail "check multicast: I/G"
grep -q 'not safe for an edge: it is a multicast (group) address' "$out" || fail "check multicast: verdict"
run 1 check 33:33:00:00:00:01
grep -q 'range: IPv6 multicast' "$out" || fail "check 33:33:00:00:00:01: no IPv6 multicast range"
run 1 check 01:80:c2:00:00:0e
grep -q 'range: IEEE 802.1 link-local group' "$out" || fail "check 01:80:c2:00:00:0e: no 802.1 range"
run 1 check 03:00:00:00:00:01
run 1 check 04:00:00:00:00:01

run 1 check --json 00:11:22:33:44:55
python3 - "$out" <<'PY' || fail "check --json universal: $(cat "$out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["mac"] == "00:11:22:33:44:55" and j["input"] == "00:11:22:33:44:55", j
assert j["multicast"] is False and j["locally_administered"] is False, j
assert j["oui"] == "00:11:22" and j["family"] is None and j["slap_quadrant"] is None, j
assert j["edge_accepts"] is True and j["safe"] is False, j
assert len(j["problems"]) == 1 and "universally administered" in j["problems"][0], j
PY
run 0 check 0E-11-22-33-44-55 --json
python3 - "$out" <<'PY' || fail "check --json local: $(cat "$out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["input"] == "0E-11-22-33-44-55" and j["mac"] == "0e:11:22:33:44:55", j
assert j["family"] == "xe" and j["slap_quadrant"] == "SAI", j
assert j["edge_spelling"] is True and j["reference_spelling"] is True, j
assert j["safe"] is True and j["problems"] == [], j
PY
run 1 --json check 33:33:00:00:00:01
python3 - "$out" <<'PY' || fail "check --json 33:33: $(cat "$out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["multicast"] is True and j["n2n_multicast"] is True and j["edge_accepts"] is False, j
assert "IPv6 multicast" in j["range"] and j["safe"] is False, j
PY

# --- check: malformed -----------------------------------------------------------------------
bad_input "n2n-mac: '02:11:22:33:44' is not a MAC address: 5 octets, expected 6" check 02:11:22:33:44
bad_input "n2n-mac: '02:11:22:33:44:55:66' is not a MAC address: 7 octets, expected 6" check 02:11:22:33:44:55:66
bad_input "n2n-mac: '02:11:22:33:44:5g' is not a MAC address: 'g' is not a hex digit, ':' or '-'" check 02:11:22:33:44:5g
bad_input "n2n-mac: '0211223344' is not a MAC address: 10 hex digits, expected 12 (or six octets separated by ':' or '-')" check 0211223344
bad_input "n2n-mac: '02::11:22:33:44' is not a MAC address: an empty octet (a separator at either end or two in a row)" check 02::11:22:33:44
bad_input "n2n-mac: '021:1:22:33:44:55' is not a MAC address: octet '021' has 3 hex digits, at most 2" check 021:1:22:33:44:55
bad_input "n2n-mac: '' is not a MAC address: empty" check ""
bad_input "n2n-mac: '0211.2233.4455' is not a MAC address: '.' is not a hex digit, ':' or '-'" check 0211.2233.4455
bad_input "n2n-mac: '02:11:22:33:44:55\x0a' is not a MAC address: '\x0a' is not a hex digit, ':' or '-'" check $'02:11:22:33:44:55\n'
bad_input "" --json check 02:11
bad_input "" check
bad_input "" check 02:11:22:33:44:55 02:11:22:33:44:56

# --- from-name ------------------------------------------------------------------------------
run 0 from-name host1
[ "$(cat "$out")" = "36:9d:25:84:56:54" ] || fail "from-name host1: '$(cat "$out")', expected 36:9d:25:84:56:54"
[ ! -s "$err" ] || fail "from-name: unexpected stderr: $(cat "$err")"

# The documented derivation, recomputed with coreutils: SHA-256 of "n2nkit-mac-v1:" + name,
# first 6 bytes, first octet AND 0xfc OR 0x02 (or its low nibble replaced by the family).
derive() {  # name [family digit]
  local h first
  h=$(printf '%s' "n2nkit-mac-v1:$1" | sha256sum | cut -c1-12)
  first=$((16#${h:0:2}))
  if [ -n "${2:-}" ]; then
    first=$(((first & 0xf0) | 16#$2))
  else
    first=$(((first & 0xfc) | 0x02))
  fi
  printf '%02x:%s:%s:%s:%s:%s\n' "$first" "${h:2:2}" "${h:4:2}" "${h:6:2}" "${h:8:2}" "${h:10:2}"
}
for name in host1 Host1 edge-berlin a "with space" 'quote"d' 'Zürich' "$(printf 'x%.0s' $(seq 300))"; do
  run 0 from-name "$name"
  [ "$(cat "$out")" = "$(derive "$name")" ] || fail "from-name '$name': '$(cat "$out")', derivation gives '$(derive "$name")'"
  for d in 2 6 a e; do
    run 0 from-name "$name" --family "$d"
    [ "$(cat "$out")" = "$(derive "$name" "$d")" ] || fail "from-name '$name' --family $d: '$(cat "$out")'"
  done
done
# Names that are command words are names.
for name in gen check from-name; do
  run 0 from-name "$name"
  [ "$(cat "$out")" = "$(derive "$name")" ] || fail "from-name $name: '$(cat "$out")'"
done
# A name that starts with '-' after "--".
run 0 from-name -- -edge
[ "$(cat "$out")" = "$(derive -edge)" ] || fail "from-name -- -edge: '$(cat "$out")'"
# Stable: the same answer on every call.
a=$("$mac_tool" from-name stable-name)
b=$("$mac_tool" from-name stable-name)
[ "$a" = "$b" ] || fail "from-name: '$a' then '$b'"
"$mac_tool" check "$a" >/dev/null || fail "check $a (from from-name): exit status $?"

run 0 from-name host1 --json --family 2
python3 - "$out" <<'PY' || fail "from-name --json: $(cat "$out")"
import json, sys
j = json.load(open(sys.argv[1]))
assert j == {"name": "host1", "family": "x2", "mac": "32:9d:25:84:56:54"}, j
PY

bad_input "n2n-mac: from-name needs a non-empty name (see n2n-mac --help)" from-name ""
bad_input "" from-name
bad_input "" from-name a b
bad_input "" from-name host1 --family 7
bad_input "" from-name host1 --count 2

# --- usage ----------------------------------------------------------------------------------
bad_input "n2n-mac: expected a command: gen, check or from-name (see n2n-mac --help)"
bad_input "" --json
bad_input "n2n-mac: unknown command 'bogus': expected gen, check or from-name (see n2n-mac --help)" bogus
bad_input "n2n-mac: unknown option '--bogus' (see n2n-mac --help)" --bogus
bad_input "" gen --bogus
run 0 --help
grep -q 'Usage:' "$out" || fail "--help: no usage"
for word in gen check from-name --count --family --json 'Exit status'; do
  grep -q -e "$word" "$out" || fail "--help does not mention $word"
done
run 0 gen --help
grep -q 'Usage: n2n-mac gen' "$out" || fail "gen --help: not gen's help"
run 0 --version
[ "$(wc -l <"$out")" -eq 1 ] && grep -q '^n2n-mac (n2nkit) ' "$out" || fail "--version printed '$(cat "$out")'"

# --- against n2n-edge's own option parser (--dump-options: no root, no network) -----------------
if [ -n "$edge" ]; then
  edge_mac() {  # MAC-TEXT: prints what n2n-edge -m made of it; fails when the edge refuses it
    "$edge" -c net -l 127.0.0.1:7654 -m "$1" --dump-options 2>/dev/null | sed -n 's/^mac=//p'
    return "${PIPESTATUS[0]}"
  }
  while read -r m; do
    checks=$((checks + 1))
    [ "$(edge_mac "$m")" = "$m" ] || fail "n2n-edge -m $m (from gen) did not take it as written"
  done < <("$mac_tool" gen --count 20; "$mac_tool" from-name host1; "$mac_tool" from-name x --family e)
  for m in 02:11:22:33:44:55 00:11:22:33:44:55 00:00:00:00:00:00 ff:ff:ff:ff:ff:ff \
    01:00:5e:00:00:44 33:33:00:00:00:01 03:00:00:00:00:01 0E-11-22-33-44-55 2:0:0:0:0:1 \
    021122334455 FE:FF:FF:FF:FF:FE; do
    checks=$((checks + 1))
    j=$("$mac_tool" check --json "$m" 2>/dev/null)
    accepts=$(python3 -c 'import json,sys; j=json.loads(sys.argv[1]); print("yes" if j["edge_accepts"] and j["edge_spelling"] else "no")' "$j")
    if edge_mac "$m" >/dev/null; then took=yes; else took=no; fi
    [ "$accepts" = "$took" ] || fail "check says n2n-edge -m $m: $accepts, n2n-edge says: $took"
    # In the spelling check prints, the edge takes every address check calls edge_accepts.
    canonical=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["mac"])' "$j")
    want=$(python3 -c 'import json,sys; print("yes" if json.loads(sys.argv[1])["edge_accepts"] else "no")' "$j")
    if edge_mac "$canonical" >/dev/null; then took=yes; else took=no; fi
    [ "$want" = "$took" ] || fail "check says n2n-edge -m $canonical: $want, n2n-edge says: $took"
  done
else
  echo "note: no n2n-edge given, its -m parser not compared"
fi

if [ $failures -ne 0 ]; then
  echo "$failures of $checks checks failed" >&2
  exit 1
fi
echo "OK: n2n-mac: $checks runs, gen/check/from-name and bad input as documented"
