#pragma once
// A TAP device through /dev/net/tun (IFF_TAP | IFF_NO_PI): Ethernet frames in and out,
// non-blocking. Creating one needs CAP_NET_ADMIN; the error says so.
#include <cstddef>
#include <optional>
#include <string>

#include "core/common/bytes.hpp"
#include "core/net/unique_fd.hpp"

namespace n2nkit::net {

class TapDevice {
 public:
  // Opens (creating if needed) the TAP device `name` (< 16 bytes). On failure an invalid
  // device and one line in error; permission_denied tells the caller to exit with the
  // documented "needs privileges" code.
  static TapDevice open(const std::string& name, std::string& error, bool& permission_denied);

  bool valid() const { return fd_.valid(); }
  int fd() const { return fd_.get(); }
  const std::string& name() const { return name_; }
  int ifindex() const { return ifindex_; }

  // One frame into buffer; nullopt when none is waiting (EAGAIN) or on an error (errno set).
  std::optional<std::size_t> read(MutableByteView buffer) const;
  // One frame; false if the kernel did not take it.
  bool write(ByteView frame) const;

 private:
  UniqueFd fd_;
  std::string name_;
  int ifindex_ = 0;
};

}  // namespace n2nkit::net
