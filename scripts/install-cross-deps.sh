#!/bin/sh
# Installs what scripts/cross.sh needs for one target architecture: Debian's cross compiler (with
# its libc and libstdc++ cross packages) and qemu-user. The pure core needs no target library,
# which is what makes big-endian MIPS (no Debian 12 port) possible. Idempotent; needs root.
set -eu
usage() {
  echo "usage: install-cross-deps.sh s390x|aarch64|mips" >&2
  exit 2
}
if [ $# -ne 1 ]; then usage; fi
case "$1" in
s390x | aarch64 | mips) triplet=$1-linux-gnu ;;
*) usage ;;
esac
packages="qemu-user g++-$triplet pkg-config cmake ninja-build doctest-dev libfmt-dev"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-cross-deps: missing packages:$missing - run as root (or install them yourself)" >&2
  exit 77
fi
export DEBIAN_FRONTEND=noninteractive
# Other installs (install-deps.sh, a second cross.sh) may hold the dpkg lock: wait for it.
apt-get -o DPkg::Lock::Timeout=600 update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
