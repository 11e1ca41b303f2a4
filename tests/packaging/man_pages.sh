#!/bin/bash
# man_pages.sh MAN_DIR
#
# Every page in MAN_DIR must format without a groff warning (groff -ww -z) and without a
# man-db warning (man --warnings -l), and every reference to an n2n page (.BR n2n-x (N)) must
# name a page that exists there, so the section-5 and section-8 pages stay cross-referenced.
set -u
export LC_ALL=C

if [ $# -ne 1 ]; then
  echo "usage: $0 MAN_DIR" >&2
  exit 2
fi
dir=$1
for tool in groff man; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIPPED: $tool is not installed (apt-get install groff-base man-db)"
    exit 77
  fi
done

failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

pages=0
for page in "$dir"/*.[1-8]; do
  [ -f "$page" ] || continue
  pages=$((pages + 1))
  name=$(basename "$page")
  out=$(groff -ww -z -man "$page" 2>&1)
  [ -z "$out" ] || fail "$name: groff -ww: $out"
  out=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
  [ -z "$out" ] || fail "$name: man --warnings: $out"
  # .BR n2n\-edge.conf (5), -> n2n-edge.conf.5
  refs=$(grep -E '^\.BR n2n\\?-[A-Za-z0-9.\\-]+ \([1-8]\)' "$page" |
    sed -E 's/^\.BR ([^ ]+) \(([1-8])\).*/\1.\2/; s/\\-/-/g' | sort -u)
  for ref in $refs; do
    [ -f "$dir/$ref" ] || fail "$name refers to $ref, which is not in $dir"
  done
done
[ $pages -gt 0 ] || fail "no man pages in $dir"

# The file formats are documented in section 5 and the daemons' pages must lead there.
refers() {  # page ref
  grep -E '^\.BR n2n' "$dir/$1" | sed -E 's/\\-/-/g' | grep -qF ".BR $2 (5)" ||
    fail "$1 does not refer to $2(5)"
}
refers n2n-edge.8 n2n-edge.conf
refers n2n-supernode.8 n2n-supernode.conf
refers n2n-supernode.8 n2n-community.list

if [ $failures -ne 0 ]; then
  echo "$failures problem(s)" >&2
  exit 1
fi
echo "OK: $pages man pages format without warnings and their n2n cross-references resolve"
