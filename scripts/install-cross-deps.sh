#!/bin/sh
# Installs what scripts/cross.sh needs for one target architecture: the Debian cross toolchain,
# qemu-user and, where Debian has the port (s390x, aarch64), the target's -dev libraries so the
# whole core links (with --pure only the toolchain). Big-endian MIPS has no Debian 12 port:
# only the compiler and its libc and libstdc++ cross packages, so it builds the pure core.
# Idempotent; needs root.
set -eu
usage() {
  echo "usage: install-cross-deps.sh s390x|aarch64|mips [--pure]" >&2
  exit 2
}
if [ $# -lt 1 ] || [ $# -gt 2 ]; then usage; fi
pure=0
if [ $# -eq 2 ]; then
  [ "$2" = "--pure" ] || usage
  pure=1
fi
case "$1" in
s390x)
  triplet=s390x-linux-gnu
  debian_arch=s390x
  ;;
aarch64)
  triplet=aarch64-linux-gnu
  debian_arch=arm64
  ;;
mips)
  triplet=mips-linux-gnu
  debian_arch=""
  ;;
*) usage ;;
esac
packages="qemu-user g++-$triplet pkg-config cmake ninja-build doctest-dev nlohmann-json3-dev
  libcli11-dev"
# --pure (the core without external libraries) needs only the compiler and its libc/libstdc++.
if [ -n "$debian_arch" ] && [ "$pure" -eq 0 ]; then
  for lib in libssl-dev libgcrypt20-dev liblzo2-dev libzstd-dev libpcap-dev libnl-3-dev \
    libnl-route-3-dev libnftables-dev libncurses-dev libfmt-dev; do
    packages="$packages $lib:$debian_arch"
  done
fi
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
if [ -n "$debian_arch" ] && [ "$pure" -eq 0 ] && ! dpkg --print-foreign-architectures | grep -qx "$debian_arch"; then
  dpkg --add-architecture "$debian_arch"
fi
# Other installs (install-deps.sh, a second cross.sh) may hold the dpkg lock: wait for it.
apt-get -o DPkg::Lock::Timeout=600 update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
