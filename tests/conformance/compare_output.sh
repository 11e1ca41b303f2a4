#!/bin/sh
# compare_output.sh PROGRAM EXPECTED [EMULATOR ARGS...]: run PROGRAM (through EMULATOR, e.g.
# qemu-user for a cross build), compare its stdout byte for byte with EXPECTED. Exit 77
# (ctest: skipped) with a loud message when the shared material is absent.
set -u
program=$1
expected=$2
shift 2
if [ ! -f "$expected" ]; then
  echo "SKIPPED: $expected not found - set -DN2NKIT_SHARED_DIR=/path/to/shared" >&2
  exit 77
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$@" "$program" >"$out" 2>/dev/null
status=$?
if [ "$status" -ne 0 ]; then
  echo "FAIL: $program exited with status $status" >&2
  exit 1
fi
if ! cmp -s "$out" "$expected"; then
  echo "FAIL: output of $(basename "$program") differs from $expected" >&2
  diff -u "$expected" "$out" | head -60 >&2
  exit 1
fi
echo "OK: $(basename "$program") output is byte-identical to $(basename "$expected")"
