#pragma once
// The one epoll instance of a daemon. Every registered descriptor carries a 64-bit token that
// the daemon defines (what kind of source it is and, say, a connection's number).
#include <sys/epoll.h>

#include <cstdint>
#include <span>
#include <string>

#include "core/net/unique_fd.hpp"

namespace n2nkit::net {

class Poller {
 public:
  // Throws nothing; check valid().
  Poller();
  bool valid() const { return fd_.valid(); }
  bool add(int fd, std::uint32_t events, std::uint64_t token);
  bool modify(int fd, std::uint32_t events, std::uint64_t token);
  void remove(int fd);
  // Waits up to timeout_ms (-1 = forever); returns the number of events (0 on EINTR).
  int wait(std::span<epoll_event> events, int timeout_ms);

 private:
  UniqueFd fd_;
};

}  // namespace n2nkit::net
