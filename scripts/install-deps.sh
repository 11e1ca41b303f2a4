#!/bin/sh
# Installs the Debian 12 packages n2nkit needs to build, test and fuzz. Idempotent; needs root.
set -eu
packages="build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev clang-format
  libssl-dev libgcrypt20-dev liblzo2-dev libzstd-dev libpcap-dev libfmt-dev nlohmann-json3-dev
  libcli11-dev doctest-dev libnl-3-dev libnl-route-3-dev openssl iproute2 iputils-ping python3
  iptables nftables libnftables-dev iputils-tracepath ethtool
  libncurses-dev tmux
  lintian man-db groff-base systemd zsh fish bash-completion"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages:$missing - run as root (or install them yourself)" >&2
  exit 77
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
