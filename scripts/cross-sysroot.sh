#!/bin/sh
# cross-sysroot.sh ARCH DIR: a private sysroot in DIR/root with the target's Debian libraries
# (the full set the core links: OpenSSL, libgcrypt, lzo2, zstd, libpcap, libnl, libnftables,
# ncurses, fmt, and the header-only nlohmann-json, CLI11, doctest), for s390x or aarch64.
# The .debs are downloaded by a private apt (its own lists, cache and an empty status file) and
# unpacked, never installed: Debian's -dev packages are Multi-Arch: same, so installing them
# beside the host's would need exactly the host's versions (bookworm-security has no s390x) and
# would change the host's packages. Idempotent (a stamp of the package list); no root needed.
set -eu
usage() {
  echo "usage: cross-sysroot.sh s390x|aarch64 DIR" >&2
  exit 2
}
if [ $# -ne 2 ]; then usage; fi
case "$1" in
s390x)
  debian_arch=s390x
  triplet=s390x-linux-gnu
  ;;
aarch64)
  debian_arch=arm64
  triplet=aarch64-linux-gnu
  ;;
*) usage ;;
esac
dir=$2
packages="libc6-dev libstdc++-12-dev libssl-dev libgcrypt20-dev liblzo2-dev libzstd-dev libpcap-dev
  libnl-3-dev libnl-route-3-dev libnftables-dev libncurses-dev libfmt-dev nlohmann-json3-dev
  libcli11-dev doctest-dev"
stamp="$dir/root/.n2nkit-sysroot"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$debian_arch $packages" ]; then
  exit 0
fi
mkdir -p "$dir/apt/state/lists/partial" "$dir/apt/cache/archives/partial"
dir=$(cd "$dir" && pwd)
: >"$dir/apt/status"
cat >"$dir/apt/apt.conf" <<CONF
APT::Architecture "$debian_arch";
APT::Architectures { "$debian_arch"; };
Dir::State "$dir/apt/state";
Dir::State::status "$dir/apt/status";
Dir::Cache "$dir/apt/cache";
APT::Install-Recommends "false";
CONF
export APT_CONFIG="$dir/apt/apt.conf"
apt-get update -qq
# shellcheck disable=SC2086 # word splitting of the package list is intended
apt-get install --download-only -y -qq $packages >/dev/null
rm -rf "$dir/root"
mkdir -p "$dir/root"
for deb in "$dir"/apt/cache/archives/*.deb; do
  dpkg-deb -x "$deb" "$dir/root"
done
# Absolute symlinks (libm.so -> /lib/<triplet>/libm.so.6) would point into the host.
find "$dir/root" -type l -lname '/*' | while read -r link; do
  ln -sfr "$dir/root$(readlink "$link")" "$link"
done
[ -f "$dir/root/usr/lib/$triplet/pkgconfig/libcrypto.pc" ] || {
  echo "cross-sysroot: $dir/root has no libcrypto.pc for $triplet" >&2
  exit 1
}
echo "$debian_arch $packages" >"$stamp"
