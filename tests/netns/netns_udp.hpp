#pragma once
// UDP sockets that live in a chosen network namespace. The scripted edges of one test run sit
// on different hosts (namespaces) of the test network; opening each socket inside its host's
// namespace (setns for the calling thread, then back) lets one single-threaded process play
// them all in lock step, with no second process to synchronise with.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/common/bytes.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::netnstest {

struct Datagram {
  ByteVector bytes;
  wire::Sock from;
};

class UdpSocket {
 public:
  // Binds 0.0.0.0:port inside `netns` (a name under /run/netns, an absolute path, or empty for
  // the current namespace). public_sock() is the address the kernel picks towards `towards`
  // with the bound port: what a supernode on the same segment sees as our source.
  static std::optional<UdpSocket> open(const std::string& netns, std::uint16_t port,
                                       const wire::Sock& towards, std::string& error);

  UdpSocket(UdpSocket&& other) noexcept;
  UdpSocket& operator=(UdpSocket&& other) noexcept;
  UdpSocket(const UdpSocket&) = delete;
  UdpSocket& operator=(const UdpSocket&) = delete;
  ~UdpSocket();

  const wire::Sock& public_sock() const { return public_; }
  bool send(ByteView datagram, const wire::Sock& to) const;
  // The next datagram, or nothing when none arrives within `timeout`.
  std::optional<Datagram> receive(std::chrono::milliseconds timeout) const;
  // Discards whatever is queued (late answers of an earlier step).
  void drain() const;

 private:
  UdpSocket(int fd, wire::Sock public_sock) : fd_(fd), public_(public_sock) {}
  int fd_ = -1;
  wire::Sock public_{};
};

// Runs inside `netns` for the lifetime of the object (calling thread only); ok() says whether
// the switch worked. Empty name = stay.
class NetnsScope {
 public:
  explicit NetnsScope(const std::string& netns, std::string& error);
  NetnsScope(const NetnsScope&) = delete;
  NetnsScope& operator=(const NetnsScope&) = delete;
  ~NetnsScope();
  bool ok() const { return ok_; }

 private:
  int home_ = -1;
  bool ok_ = true;
};

}  // namespace n2nkit::netnstest
