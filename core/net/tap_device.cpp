#include "core/net/tap_device.hpp"

#include <fcntl.h>
#include <net/if.h>
// After <net/if.h>: linux/if_tun.h needs struct ifreq but must not pull in linux/if.h first.
#include <linux/if_tun.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace n2nkit::net {

TapDevice TapDevice::open(const std::string& name, std::string& error, bool& permission_denied) {
  permission_denied = false;
  TapDevice tap;
  if (name.empty() || name.size() >= IFNAMSIZ) {
    error = fmt::format("TAP device name '{}' must have 1 to {} characters", name, IFNAMSIZ - 1);
    return tap;
  }
  UniqueFd fd(::open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC));
  if (!fd.valid()) {
    const int e = errno;
    permission_denied = e == EACCES || e == EPERM;
    error = e == ENOENT ? "cannot open /dev/net/tun: no such device (is the tun module loaded?)"
                        : fmt::format("cannot open /dev/net/tun: {}{}", std::strerror(e),
                                      permission_denied ? " (needs root or CAP_NET_ADMIN)" : "");
    return tap;
  }
  ifreq ifr{};
  ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
  std::memcpy(ifr.ifr_name, name.data(), name.size());
  if (ioctl(fd.get(), TUNSETIFF, &ifr) != 0) {
    const int e = errno;
    permission_denied = e == EPERM || e == EACCES;
    error = fmt::format("cannot create TAP device {}: {}{}", name, std::strerror(e),
                        permission_denied ? " (needs root or CAP_NET_ADMIN)"
                        : e == EBUSY      ? " (another program has it open)"
                                          : "");
    return tap;
  }
  tap.fd_ = std::move(fd);
  tap.name_ = ifr.ifr_name;
  tap.ifindex_ = static_cast<int>(if_nametoindex(tap.name_.c_str()));
  if (tap.ifindex_ == 0) {
    error = fmt::format("TAP device {} has no interface index: {}", name, std::strerror(errno));
    tap.fd_.reset();
  }
  return tap;
}

std::optional<std::size_t> TapDevice::read(MutableByteView buffer) const {
  const ssize_t n = ::read(fd_.get(), buffer.data(), buffer.size());
  if (n < 0) return std::nullopt;
  return static_cast<std::size_t>(n);
}

bool TapDevice::write(ByteView frame) const {
  const ssize_t n = ::write(fd_.get(), frame.data(), frame.size());
  return n == static_cast<ssize_t>(frame.size());
}

}  // namespace n2nkit::net
