#!/bin/sh
# test_shellcheck.sh DIR...: every shell script under DIR checked by ShellCheck: those for the
# router (a #! line of sh, or a "shell=sh" directive) as POSIX sh and as dash, since busybox
# ash is not one of ShellCheck 0.9's dialects and sh is the subset both ash and dash run; the
# bash test scripts as bash.
set -eu
command -v shellcheck >/dev/null || { echo "SKIPPED: shellcheck is not installed (apt-get install shellcheck)"; exit 77; }
posix=$(grep -rlE '^#!/bin/sh|^# shellcheck shell=sh' "$@" | sort)
bash=$(grep -rlE '^#!/bin/bash' "$@" | sort)
[ -n "$posix" ] || { echo "no POSIX shell scripts found under $*" >&2; exit 1; }
for f in $posix $bash; do
	case "$f" in *[[:space:]]*) echo "blank in path: $f" >&2; exit 1 ;; esac
done
status=0
# shellcheck disable=SC2086 # lists of paths without blanks (checked above)
{
	shellcheck -s sh $posix || status=1
	shellcheck -s dash $posix || status=1
	[ -z "$bash" ] || shellcheck -s bash $bash || status=1
}
[ "$status" = 0 ] && echo "ok: shellcheck on $(echo "$posix" | wc -l) sh/dash and $(echo "$bash" | grep -c .) bash scripts"
exit "$status"
