#!/bin/bash
# keygen_reference.sh N2N_KEYGEN: our n2n-keygen prints exactly what the reference's prints
# (N2N_REF_KEYGEN) for users, passwords and federation names of every shape. Skips visibly
# without the reference binary.
set -u
ours=$1
if [ -z "${N2N_REF_KEYGEN:-}" ]; then
  echo "SKIPPED: set N2N_REF_KEYGEN to the reference's tools/n2n-keygen"
  exit 77
fi
export LC_ALL=C
failures=0
checks=0
compare() {
  checks=$((checks + 1))
  local a b
  a=$("$ours" "$@" 2>/dev/null)
  b=$("$N2N_REF_KEYGEN" "$@" 2>/dev/null)
  [ "$a" = "$b" ] || { echo "FAIL: n2n-keygen $*: ours '$a', reference '$b'" >&2; failures=$((failures + 1)); }
}
compare logan 007
compare alice alice-password-1
compare bob bob-password-2
compare a b
compare user-with-15-ch 'p@ss w0rd with spaces'
compare '日本語' 'ünïcödé'
compare x "$(printf 'x%.0s' $(seq 200))"
for i in $(seq 50); do
  compare "u$RANDOM$i" "$(head -c 24 /dev/urandom | base64 | tr -d '\n=')"
done
for fed in Federation secretFed n2nkitFed a 'fed with space' 0123456789abcdefg; do
  compare -F "$fed"
done
echo "$((checks - failures)) passed, $failures failed"
[ "$failures" -eq 0 ]
