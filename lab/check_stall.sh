#!/bin/bash
# check_stall.sh LAB_RUN BUILD_DIR [--ref]
#
# The lab with what users of the reference live with, checked from its JSON report: the download
# by the LAN server through both gateway edges must stall, and every other check must still pass
# (so the stall is the MSS, not a broken lab).
#   without --ref: our binaries with --no-mss-clamp;
#   with --ref: the reference's edge and supernode (N2N_REF_EDGE, N2N_REF_SUPERNODE in one
#   directory, as a reference build leaves them); skipped (77) without them. The reference
#   also fails the full-tunnel check: it adds a host route for its supernode only, so its
#   datagrams to a peer enter its own TAP.
set -u
run=$1
build=$2
args=(--build "$build" --json)
if [ "${3:-}" = --ref ]; then
  if [ -z "${N2N_REF_EDGE:-}" ] || [ -z "${N2N_REF_SUPERNODE:-}" ]; then
    echo "SKIPPED: set N2N_REF_EDGE and N2N_REF_SUPERNODE to reference ntop/n2n 3.x binaries"
    exit 77
  fi
  dir=$(dirname "$N2N_REF_EDGE")
  if [ ! -x "$dir/supernode" ] || [ "$(realpath "$dir/supernode")" != "$(realpath "$N2N_REF_SUPERNODE")" ]; then
    echo "SKIPPED: lab/run --ref wants edge and supernode in one directory ($dir)"
    exit 77
  fi
  args+=(--ref "$dir")
  export EXPECT_FAIL="through both gateway edges|with n2n0 as its default gateway"
else
  args+=(--no-mss-clamp)
  export EXPECT_FAIL="through both gateway edges"
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$run" "${args[@]}" >"$out"
status=$?
[ $status -eq 77 ] && { echo "SKIPPED: lab/run skipped"; exit 77; }
python3 - "$out" <<'PY'
import json, os, sys
report = json.load(open(sys.argv[1]))
expected = os.environ["EXPECT_FAIL"].split("|")
stall = expected[0]
bad = 0
for c in report["results"]:
    want_pass = not any(e in c["check"] for e in expected)
    mark = "ok " if c["passed"] == want_pass else "BAD"
    bad += c["passed"] != want_pass
    print(f"{mark} {'PASS' if c['passed'] else 'FAIL'} {c['check']}: {c['detail']}")
if not any(stall in c["check"] for c in report["results"]):
    print("BAD: the report has no download through both gateway edges")
    bad += 1
print(f"{report['binaries']}, MSS clamp {'on' if report['mss_clamp'] else 'off'}: "
      + ("the expected failures show, everything else passes" if bad == 0
         else f"{bad} unexpected results"))
sys.exit(1 if bad else 0)
PY
