#!/bin/bash
# test_n2n_keygen.sh N2N_KEYGEN: the tool prints the reference's lines byte for byte
# (vectors/README.md "Key material", spec §10.1) and fails cleanly on bad usage.
set -u
export LC_ALL=C
keygen=$1
failures=0
out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_line EXPECTED ARGS...: stdout is exactly EXPECTED and a newline, stderr empty, status 0.
expect_line() {
  local expected=$1
  shift
  "$keygen" "$@" >"$out" 2>"$err"
  local status=$?
  [ $status -eq 0 ] || fail "n2n-keygen $*: exit status $status, expected 0"
  printf '%s\n' "$expected" | cmp -s - "$out" ||
    fail "n2n-keygen $*: printed '$(cat "$out")', expected '$expected' and one newline"
  [ ! -s "$err" ] || fail "n2n-keygen $*: unexpected stderr: $(cat "$err")"
}

# expect_usage_error ARGS...: status 64, nothing on stdout, exactly one line on stderr.
expect_usage_error() {
  "$keygen" "$@" >"$out" 2>"$err"
  local status=$?
  [ $status -eq 64 ] || fail "n2n-keygen $*: exit status $status, expected 64"
  [ ! -s "$out" ] || fail "n2n-keygen $*: printed on stdout: $(cat "$out")"
  [ "$(wc -l <"$err")" -eq 1 ] || fail "n2n-keygen $*: stderr is not one line: $(cat "$err")"
  grep -q '^n2n-keygen: ' "$err" || fail "n2n-keygen $*: stderr does not name the tool"
}

# expect_warning EXPECTED ARGS...: the reference's line on stdout, status 0, one warning line.
expect_warning() {
  local expected=$1
  shift
  "$keygen" "$@" >"$out" 2>"$err"
  local status=$?
  [ $status -eq 0 ] || fail "n2n-keygen $*: exit status $status, expected 0"
  printf '%s\n' "$expected" | cmp -s - "$out" ||
    fail "n2n-keygen $*: printed '$(cat "$out")', expected '$expected'"
  grep -q '^n2n-keygen: warning: ' "$err" || fail "n2n-keygen $*: no warning on stderr"
  [ "$(wc -l <"$err")" -eq 1 ] || fail "n2n-keygen $*: stderr is not one line: $(cat "$err")"
}

# Outputs of the reference n2n-keygen.
expect_line '* logan nHWum+r42k1qDXdIeH-WFKeylK5UyLStRzxofRNAgpG' logan 007
expect_line '* alice 98cFkh40rowC0PCFbIv4XpSI9azGxIjZ3gXMC-f-rGq' alice alice-password-1
expect_line '* bob 7JYsjyaoY2C79hq37HPe-zZBrw0+RkK0TJ9eyOVay3e' bob bob-password-2
expect_line '-P opIyaWhWjKLJSNOHNpKnGmelhHWRqkmY5pAx7lbDHp4' -F secretFed
expect_line '-P i0IuBFO0RC22m2Ya32uUUFUA2yfQSwsxVZ3-S5F2k7O' -F Federation
expect_line '-P qGWmWyQmV7NtLk+6UhnanRIM149wScrWC+4xk1EN0s8' -F n2nkitFed

# Like the reference, two arguments are user and password even when they start with '-'.
"$keygen" bob -secret >"$out" 2>"$err" || fail "n2n-keygen bob -secret: exit status $?"
grep -qE '^\* bob [0-9A-Za-z+-]{43}$' "$out" || fail "n2n-keygen bob -secret: printed '$(cat "$out")'"
"$keygen" alice -F >"$out" 2>"$err" || fail "n2n-keygen alice -F: exit status $?"
grep -qE '^\* alice [0-9A-Za-z+-]{43}$' "$out" || fail "n2n-keygen alice -F: printed '$(cat "$out")'"

# Names the edge or supernode would shorten: warned about, line printed as the reference does.
long_user=abcdefghijklmnop  # 16 bytes
"$keygen" "$long_user" pw >"$out" 2>/dev/null
line=$(cat "$out")
expect_warning "$line" "$long_user" pw
grep -qE "^\* $long_user [0-9A-Za-z+-]{43}\$" <<<"$line" || fail "long user name: printed '$line'"
"$keygen" abcdefghijklmno pw >"$out" 2>"$err"
[ ! -s "$err" ] || fail "a 15-byte user name gave a warning: $(cat "$err")"
"$keygen" -F abcdefghijklmnopq >"$out" 2>"$err"
[ ! -s "$err" ] || fail "a 17-byte federation name gave a warning: $(cat "$err")"
"$keygen" -F abcdefghijklmnopqr >"$out" 2>/dev/null
expect_warning "$(cat "$out")" -F abcdefghijklmnopqr
"$keygen" "my name" pw >"$out" 2>/dev/null
expect_warning "$(cat "$out")" "my name" pw

expect_usage_error
expect_usage_error logan
expect_usage_error logan 007 extra
expect_usage_error -F
expect_usage_error -F fed logan
expect_usage_error -F fed logan 007
expect_usage_error --bogus

"$keygen" --help >"$out" 2>"$err"
status=$?
[ $status -eq 0 ] || fail "--help: exit status $status"
grep -q 'Usage:' "$out" || fail "--help printed no usage on stdout"
"$keygen" -h >"$out" 2>"$err" || fail "-h: exit status $?"
"$keygen" --version >"$out" 2>"$err"
status=$?
[ $status -eq 0 ] || fail "--version: exit status $status"
[ "$(wc -l <"$out")" -eq 1 ] && grep -q '^n2n-keygen' "$out" ||
  fail "--version printed '$(cat "$out")'"

if [ $failures -ne 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "OK: n2n-keygen matches the reference outputs and rejects bad usage"
