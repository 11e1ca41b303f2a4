#pragma once
// The one epoll instance of the daemon. Every registered descriptor carries a token: what kind
// of source it is and, for TCP connections, the connection's number.
#include <sys/epoll.h>

#include <cstdint>
#include <span>
#include <string>

#include "fd.hpp"

namespace n2nkit::supernoded {

enum class Source : std::uint32_t { udp = 1, tcp_listener, tcp_connection, management, signals };

struct Token {
  Source source;
  std::uint32_t id = 0;
  std::uint64_t pack() const {
    return (std::uint64_t{static_cast<std::uint32_t>(source)} << 32) | id;
  }
  static Token unpack(std::uint64_t v) {
    return {static_cast<Source>(v >> 32), static_cast<std::uint32_t>(v & 0xffffffffU)};
  }
};

class Poller {
 public:
  // Throws nothing; check valid().
  Poller();
  bool valid() const { return fd_.valid(); }
  bool add(int fd, std::uint32_t events, Token token);
  bool modify(int fd, std::uint32_t events, Token token);
  void remove(int fd);
  // Waits up to timeout_ms (-1 = forever); returns the number of events (0 on EINTR).
  int wait(std::span<epoll_event> events, int timeout_ms);

 private:
  UniqueFd fd_;
};

}  // namespace n2nkit::supernoded
