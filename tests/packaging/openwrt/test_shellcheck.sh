#!/bin/sh
# test_shellcheck.sh DIR...: every shell script under DIR (a #! line of sh, ash, dash or bash,
# or a "shell=sh" directive) checked as POSIX sh and as dash; busybox ash is not one of
# ShellCheck 0.9's dialects, and sh is the subset both ash and dash run.
set -eu
command -v shellcheck >/dev/null || { echo "SKIPPED: shellcheck is not installed (apt-get install shellcheck)"; exit 77; }
files=$(grep -rlE '^#!(/usr)?/bin/(busybox )?(ba|da|a)?sh|^# shellcheck shell=sh' "$@" | sort)
[ -n "$files" ] || { echo "no shell scripts found under $*" >&2; exit 1; }
status=0
for dialect in sh dash; do
	# shellcheck disable=SC2086 # the list is of paths without blanks (checked below)
	shellcheck -s "$dialect" $files || status=1
done
for f in $files; do
	case "$f" in *[[:space:]]*) echo "blank in path: $f" >&2; status=1 ;; esac
done
[ "$status" = 0 ] && echo "ok: shellcheck -s sh and -s dash on $(echo "$files" | wc -l) scripts"
exit "$status"
