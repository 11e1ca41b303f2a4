#!/bin/bash
# staged_install.sh BUILD_DIR EXPECTED_TREE
#
# cmake --install without CPack and without root: with prefix /usr into a DESTDIR the tree must
# be expected_tree.txt exactly (the package's tree); with any other prefix every file must land
# under that prefix (units, /etc/n2n and zsh completions included), none outside it. Also checks
# modes and that the installed example configurations are accepted by the installed programs.
set -eu
export LC_ALL=C

if [ $# -ne 2 ]; then
  echo "usage: $0 BUILD_DIR EXPECTED_TREE" >&2
  exit 2
fi
build=$1
expected=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/n2nkit-staged.XXXXXX")
trap 'rm -rf "$work"' EXIT

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# --- prefix /usr into a DESTDIR: the distribution layout ------------------------------
stage=$work/stage
if ! DESTDIR=$stage cmake --install "$build" --prefix /usr >"$work/install-usr.log" 2>&1; then
  cat "$work/install-usr.log" >&2
  echo "FAIL: DESTDIR=$stage cmake --install $build --prefix /usr" >&2
  exit 1
fi
(cd "$stage" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort) >"$work/tree.txt"
grep -v '^#' "$expected" | sort >"$work/expected.txt"
if ! diff -u "$work/expected.txt" "$work/tree.txt" >"$work/tree.diff"; then
  fail "installed tree (+) differs from $expected (-):"
  cat "$work/tree.diff" >&2
fi
echo "prefix /usr: $(wc -l <"$work/tree.txt") files installed into DESTDIR"

while read -r f; do
  [ -e "$stage$f" ] || continue
  mode=$(stat -c %a "$stage$f")
  case $f in
    /usr/bin/* | /usr/sbin/*) want=755 ;;
    *) want=644 ;;
  esac
  [ "$mode" = "$want" ] || fail "$f has mode $mode, expected $want"
done <"$work/expected.txt"

for page in "$stage"/usr/share/man/man*/*.gz; do
  gzip -t "$page" || fail "$page is not a valid gzip file"
done

# The examples must be what the installed programs accept.
if ! "$stage/usr/sbin/n2n-edge" "$stage/usr/share/doc/n2nkit/examples/edge.conf" \
  --dump-options >"$work/edge-dump.txt" 2>&1; then
  cat "$work/edge-dump.txt" >&2
  fail "n2n-edge refuses the example edge.conf"
fi
grep -qx 'community=mynetwork' "$work/edge-dump.txt" ||
  fail "n2n-edge --dump-options of the example edge.conf does not show community=mynetwork"
cmp -s "$stage/etc/n2n/supernode.conf" "$stage/usr/share/doc/n2nkit/examples/supernode.conf" ||
  fail "/etc/n2n/supernode.conf differs from the example supernode.conf"

# --- any other prefix: nothing outside it ---------------------------------------------
prefix=$work/prefix
if ! cmake --install "$build" --prefix "$prefix" >"$work/install-prefix.log" 2>&1; then
  cat "$work/install-prefix.log" >&2
  echo "FAIL: cmake --install $build --prefix $prefix" >&2
  exit 1
fi
outside=$(grep -E '^-- (Installing|Up-to-date): ' "$work/install-prefix.log" |
  sed -E 's/^-- (Installing|Up-to-date): //' | grep -v "^$prefix/" || true)
[ -z "$outside" ] || fail "files installed outside the prefix $prefix: $outside"
(cd "$prefix" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort) >"$work/prefix-tree.txt"
# Same files as with /usr, placed under the prefix: /etc -> etc, /lib -> lib, /usr/... -> ...,
# and zsh's vendor-completions (Debian's) -> site-functions (zsh's own default).
sed -E 's|^/usr/||; s|^/||; s|zsh/vendor-completions/|zsh/site-functions/|' "$work/expected.txt" |
  sort >"$work/prefix-expected.txt"
if ! diff -u "$work/prefix-expected.txt" "$work/prefix-tree.txt" >"$work/prefix.diff"; then
  fail "tree under --prefix (+) differs from the expected one (-):"
  cat "$work/prefix.diff" >&2
fi
echo "prefix $prefix: $(wc -l <"$work/prefix-tree.txt") files, all under the prefix"

if [ $failures -ne 0 ]; then
  echo "$failures problem(s)" >&2
  exit 1
fi
echo "OK: cmake --install gives the expected tree with prefix /usr (DESTDIR) and stays under any other prefix"
