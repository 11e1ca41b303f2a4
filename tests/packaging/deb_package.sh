#!/bin/bash
# deb_package.sh BUILD_DIR
#
# Builds the Debian package (cpack -G DEB) and tries it on this machine: its file tree against
# expected_tree.txt, control fields and conffiles, lintian (no error, no warning), dpkg -i,
# systemd-analyze verify of both units, man pages, bash/zsh/fish completions, the programs, the
# n2n account, the shipped supernode configuration run as that account, then dpkg -r and
# dpkg -P and that nothing of the package is left (also after an administrator enabled the
# supernode and the package was installed again, as on an upgrade).
#
# It installs into the machine, so it runs only with N2NKIT_PACKAGE_TEST=1 (scripts/package.sh
# sets it), as root, when neither n2nkit nor any file of it is installed yet, and it purges the
# package (and removes the n2n account it made) on every exit.
set -eu
export LC_ALL=C

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
expected_tree=$here/expected_tree.txt

skip() {
  echo "SKIPPED: $*"
  exit 77
}
[ "${N2NKIT_PACKAGE_TEST:-}" = 1 ] ||
  skip "installs a package into this machine; run scripts/package.sh (or set N2NKIT_PACKAGE_TEST=1)"
[ "$(id -u)" -eq 0 ] || skip "dpkg -i needs root"
for tool in cpack dpkg-deb dpkg-shlibdeps lintian systemd-analyze systemctl man bash zsh fish unshare \
  setpriv; do
  command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed (scripts/install-deps.sh installs it)"
done
[ -f "$build/CPackConfig.cmake" ] || skip "$build has no CPackConfig.cmake (configure with N2NKIT_TOOLS=ON)"

work=$(mktemp -d "${TMPDIR:-/tmp}/n2nkit-deb.XXXXXX")
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
step() { echo "== $*"; }

grep -v '^#' "$expected_tree" | sort >"$work/expected.txt"

# --- the machine must not have any of it already -----------------------------------------
if dpkg-query -W -f='${Status}' n2nkit 2>/dev/null | grep -q 'installed'; then
  rm -rf "$work"
  skip "n2nkit is already installed here; the test would purge it"
fi
had_user=no
getent passwd n2n >/dev/null && had_user=yes
while read -r f; do
  owner=$(dpkg-query -S "$f" 2>/dev/null | cut -d: -f1 || true)
  if [ -n "$owner" ]; then
    rm -rf "$work"
    skip "$f belongs to the package $owner"
  fi
  if [ -e "$f" ] || [ -L "$f" ]; then
    rm -rf "$work"
    skip "$f exists already (not from a package); the test would overwrite and then remove it"
  fi
done <"$work/expected.txt"

cleanup() {
  status=$?
  if dpkg-query -W -f='${Status}' n2nkit 2>/dev/null | grep -qv 'not-installed'; then
    dpkg -P n2nkit >/dev/null 2>&1 || echo "cleanup: dpkg -P n2nkit failed" >&2
  fi
  if [ "$had_user" = no ] && getent passwd n2n >/dev/null; then
    # -f: a program started meanwhile (the edge drops to "n2n" when it exists) may use the uid.
    userdel -f n2n || echo "cleanup: userdel n2n failed" >&2
    if getent group n2n >/dev/null; then groupdel n2n >/dev/null 2>&1 || true; fi
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

# --- build --------------------------------------------------------------------------------
step "cpack -G DEB"
start=$(date +%s)
if ! (cd "$build" && cpack -G DEB -B "$work/cpack") >"$work/cpack.log" 2>&1; then
  cat "$work/cpack.log" >&2
  echo "FAIL: cpack -G DEB" >&2
  exit 1
fi
deb=$(ls "$work"/cpack/n2nkit_*.deb)
echo "built $(basename "$deb") ($(stat -c %s "$deb") bytes) in $(($(date +%s) - start)) s"

# --- contents -----------------------------------------------------------------------------
step "dpkg-deb -c: file tree, modes, owners"
dpkg-deb -c "$deb" >"$work/contents.txt"
awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' "$work/contents.txt" | sort >"$work/tree.txt"
if ! diff -u "$work/expected.txt" "$work/tree.txt"; then
  fail "package tree (+) differs from $expected_tree (-)"
fi
awk '$2 != "root/root" { print "owner " $2 ": " $6 }
     $1 ~ /^d/ && $1 != "drwxr-xr-x" { print "mode " $1 ": " $6 }
     $1 ~ /^-/ && $6 ~ /^\.\/usr\/s?bin\// && $1 != "-rwxr-xr-x" { print "mode " $1 ": " $6 }
     $1 ~ /^-/ && $6 !~ /^\.\/usr\/s?bin\// && $1 != "-rw-r--r--" { print "mode " $1 ": " $6 }' \
  "$work/contents.txt" >"$work/bad-modes.txt"
[ ! -s "$work/bad-modes.txt" ] || fail "unexpected owners or modes: $(cat "$work/bad-modes.txt")"
echo "$(wc -l <"$work/tree.txt") files"

step "dpkg-deb -I: control fields, conffiles, maintainer scripts"
dpkg-deb -I "$deb" | sed -n '/^ Package:/,$p'
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ "$(dpkg-deb -f "$deb" Package)" = n2nkit ] || fail "Package is not n2nkit"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is not the project's $version"
[ "$(dpkg-deb -f "$deb" Section)" = net ] || fail "Section is not net"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 libssl3 adduser; do
  tr ',' '\n' <<<"$depends" | sed -E 's/^ +//; s/ .*//' | grep -qxF "$lib" ||
    fail "Depends lacks $lib: $depends"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$work/conffiles"
echo "conffiles: $(tr '\n' ' ' <"$work/conffiles")"
[ "$(cat "$work/conffiles")" = /etc/n2n/supernode.conf ] ||
  fail "conffiles is not exactly /etc/n2n/supernode.conf"
for script in postinst prerm postrm; do
  dpkg-deb --ctrl-tarfile "$deb" | tar -tvf - "./$script" | grep -q '^-rwxr-xr-x' ||
    fail "maintainer script $script missing or not 0755"
done

step "lintian"
lintian_status=0
lintian -I --pedantic "$deb" >"$work/lintian.txt" 2>&1 || lintian_status=$?
grep -v 'running with root privileges is not recommended' "$work/lintian.txt" || true
if grep -qE '^[EW]: ' "$work/lintian.txt"; then
  fail "lintian reports errors or warnings"
elif [ $lintian_status -ne 0 ]; then
  fail "lintian exited with $lintian_status"
fi
echo "lintian: $(grep -c '^E: ' "$work/lintian.txt") errors, $(grep -c '^W: ' "$work/lintian.txt") warnings, $(grep -c '^I: ' "$work/lintian.txt") infos"

# --- installed ----------------------------------------------------------------------------
step "dpkg -i"
# A minimal image may exclude /usr/share/man and /usr/share/doc from dpkg (path-exclude);
# the test wants to see the whole package, so it includes them again for this installation.
if ! dpkg --path-include='/usr/share/man/*' --path-include='/usr/share/doc/n2nkit/*' \
  -i "$deb" >"$work/dpkg-i.log" 2>&1; then
  cat "$work/dpkg-i.log" >&2
  echo "FAIL: dpkg -i" >&2
  exit 1
fi
cat "$work/dpkg-i.log"
dpkg-query -W -f='${Package} ${Version} ${Status}\n' n2nkit

step "the n2n account"
if entry=$(getent passwd n2n); then
  echo "$entry"
  [ "$(cut -d: -f6 <<<"$entry")" = /nonexistent ] || fail "n2n's home is not /nonexistent"
  getent group n2n >/dev/null || fail "no group n2n"
else
  fail "postinst did not create the user n2n"
fi

step "units: systemd-analyze verify, not enabled"
for unit in /lib/systemd/system/n2n-supernode.service n2n-edge@test.service; do
  out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify $unit exited with $?"
  echo "systemd-analyze verify $unit: ${out:-(no output)}"
  [ -z "$out" ] || fail "systemd-analyze verify $unit printed: $out"
done
[ ! -e /etc/systemd/system/multi-user.target.wants/n2n-supernode.service ] ||
  fail "n2n-supernode.service is enabled by the installation"
# deb-systemd-helper answers only inside a maintainer script, which this variable stands for.
DPKG_MAINTSCRIPT_PACKAGE=n2nkit deb-systemd-helper debian-installed n2n-supernode.service ||
  fail "deb-systemd-helper has no state for n2n-supernode.service (update-state not run)"

step "man pages"
for page in n2n-edge n2n-supernode n2n-mss n2n-route n2n-mtu n2n-mac n2n-keygen n2n-ctl n2n-tui \
  n2n-decode n2n-edge.conf n2n-supernode.conf n2n-community.list; do
  path=$(man -w "$page" 2>&1) || fail "man -w $page: $path"
  echo "man -w $page: $path"
done
MANWIDTH=80 man n2n-edge 2>"$work/man.err" | head -n 5 >"$work/man.txt" || true
cat "$work/man.txt"
tr -s ' ' <"$work/man.txt" | grep -q 'n2n-edge - n2n v3 edge' || fail "man n2n-edge does not show its NAME"
[ ! -s "$work/man.err" ] || fail "man n2n-edge: $(cat "$work/man.err")"
MANWIDTH=200 man 5 n2n-community.list 2>/dev/null | tr -s ' ' |
  grep -q 'the communities an n2n supernode serves' ||
  fail "man 5 n2n-community.list does not show its NAME"

step "completions: bash, zsh, fish"
tools=$(grep -E '^/usr/s?bin/' "$work/expected.txt" | xargs -n1 basename)
for tool in $tools; do
  out=$(bash -c '. /usr/share/bash-completion/bash_completion 2>/dev/null
    . "/usr/share/bash-completion/completions/$1" && complete -p "$1"' bash "$tool" 2>&1) ||
    fail "bash: completion of $tool does not load: $out"
  echo "bash: $out"
  out=$(HOME=$work zsh -fc 'autoload -Uz compinit && compinit -u -D &&
    print -r -- "$1: ${_comps[$1]:-none}"' zsh "$tool" 2>&1) ||
    fail "zsh: compinit failed: $out"
  echo "zsh: $out"
  [ "$out" = "$tool: _$tool" ] || fail "zsh: compinit does not bind _$tool to $tool ($out)"
  # Not --no-config: that also drops the completion path; an empty HOME keeps user files out.
  out=$(HOME=$work XDG_CONFIG_HOME=$work/config fish -c "complete -C '$tool -'" 2>&1) ||
    fail "fish: completing '$tool -' failed: $out"
  echo "fish: '$tool -' offers $(wc -l <<<"$out") completions"
  [ "$(wc -l <<<"$out")" -ge 2 ] || fail "fish: '$tool -' offers nothing: $out"
done

step "programs"
/usr/sbin/n2n-edge --help >"$work/edge-help.txt" 2>&1 || fail "/usr/sbin/n2n-edge --help exited with $?"
head -n 1 "$work/edge-help.txt"
out=$(/usr/sbin/n2n-supernode --version 2>&1) || fail "/usr/sbin/n2n-supernode --version exited with $?"
echo "$out"
grep -qF "$version" <<<"$out" || fail "n2n-supernode --version does not print $version"
for tool in $tools; do
  [ "$(command -v "$tool")" != "" ] || fail "$tool is not on PATH"
done

step "the shipped supernode configuration, run as n2n (no systemd here: started by hand)"
# In a network namespace of its own, so that its ports cannot meet another supernode's.
run_supernode() {  # log args...
  local log=$1
  shift
  local rc=0
  timeout 3 unshare --net sh -c 'ip link set lo up && exec "$@"' sh \
    setpriv --reuid=n2n --regid=n2n --init-groups /usr/sbin/n2n-supernode "$@" >"$log" 2>&1 ||
    rc=$?
  cat "$log"
  # timeout's 124: it was still running after 3 s.
  [ $rc -eq 124 ] || fail "n2n-supernode $* as n2n stopped with status $rc instead of running"
}
out=$(setpriv --reuid=n2n --regid=n2n --init-groups id -un 2>&1)
[ "$out" = n2n ] || fail "setpriv --reuid=n2n does not run as n2n: $out"
run_supernode "$work/sn1.log" /etc/n2n/supernode.conf -f
grep -q 'started: UDP and TCP port 7654' "$work/sn1.log" ||
  fail "the supernode with /etc/n2n/supernode.conf did not start on port 7654"
run_supernode "$work/sn2.log" /etc/n2n/supernode.conf -f \
  -c /usr/share/doc/n2nkit/examples/community.list
grep -q 'community.list: 3 communities, 1 regular expressions' "$work/sn2.log" ||
  fail "the supernode did not load the example community.list"
out=$(/usr/sbin/n2n-edge /usr/share/doc/n2nkit/examples/edge.conf --dump-options 2>&1) ||
  fail "n2n-edge refuses the example edge.conf: $out"

step "an administrator's enabling survives an upgrade (systemctl enable, dpkg -i again)"
wants=/etc/systemd/system/multi-user.target.wants/n2n-supernode.service
systemctl enable n2n-supernode.service
dpkg -i "$deb" >"$work/dpkg-i2.log" 2>&1 || fail "dpkg -i over the installed package: $(cat "$work/dpkg-i2.log")"
[ -L "$wants" ] || fail "reinstalling dropped the administrator's $wants"
grep -qxF "$wants" /var/lib/systemd/deb-systemd-helper-enabled/n2n-supernode.service.dsh-also ||
  fail "deb-systemd-helper does not record $wants, so purge would leave it"

# --- removal ------------------------------------------------------------------------------
step "dpkg -r"
dpkg -r n2nkit
[ "$(readlink /etc/systemd/system/n2n-supernode.service)" = /dev/null ] ||
  fail "dpkg -r did not mask n2n-supernode.service (what dh_installsystemd's postrm does)"
for f in /usr/sbin/n2n-edge /usr/bin/n2n-ctl /lib/systemd/system/n2n-supernode.service; do
  [ ! -e "$f" ] || fail "$f is still there after dpkg -r"
done
[ -f /etc/n2n/supernode.conf ] || fail "dpkg -r removed the conffile /etc/n2n/supernode.conf"
dpkg-query -W -f='${Status}\n' n2nkit

step "dpkg -P"
dpkg -P n2nkit
left=""
while read -r f; do
  if [ -e "$f" ] || [ -L "$f" ]; then left="$left $f"; fi
done <"$work/expected.txt"
for f in /etc/n2n /run/n2nkit /etc/systemd/system/n2n-supernode.service \
  /etc/systemd/system/multi-user.target.wants/n2n-supernode.service \
  /var/lib/systemd/deb-systemd-helper-enabled/n2n-supernode.service.dsh-also \
  /var/lib/systemd/deb-systemd-helper-masked/n2n-supernode.service \
  /usr/share/doc/n2nkit; do
  if [ -e "$f" ] || [ -L "$f" ]; then left="$left $f"; fi
done
[ -z "$left" ] || fail "left after dpkg -P:$left"
if dpkg-query -W n2nkit >/dev/null 2>&1; then fail "dpkg still knows n2nkit after dpkg -P"; fi
if getent passwd n2n >/dev/null; then
  echo "kept after purge, as Debian does: the system user n2n (the test removes it if it made it)"
else
  fail "purge removed the user n2n (Debian keeps system users)"
fi

if [ $failures -ne 0 ]; then
  echo "$failures problem(s)" >&2
  exit 1
fi
echo "OK: the Debian package builds, is lintian-clean, installs, works, and purges without leftovers"
