#pragma once
// A non-blocking IPv4 UDP socket with batched I/O: recvmmsg fills up to kBatch datagrams per
// system call, sendmmsg sends a whole list. Used for the main port (0.0.0.0:-p) and the
// management port (127.0.0.1:-t).
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/wire/types.hpp"
#include "fd.hpp"

namespace n2nkit::supernoded {

// Opens a socket of `type` (SOCK_DGRAM/SOCK_STREAM) bound to address:port (host order). On
// failure returns an invalid fd and one line in error naming the port and the cause.
UniqueFd bind_ipv4(int type, std::uint32_t address, std::uint16_t port, std::string& error);

struct UdpDatagram {
  wire::Sock to;
  ByteView bytes;
};

struct UdpSendResult {
  std::size_t sent = 0;
  std::size_t failed = 0;   // refused by the kernel for that destination (counted, skipped)
  std::size_t dropped = 0;  // not attempted: the socket's send buffer was full (EAGAIN)
};

class UdpSocket {
 public:
  static constexpr std::size_t kBatch = 64;

  UdpSocket() = default;
  explicit UdpSocket(UniqueFd fd);

  int fd() const { return fd_.get(); }
  bool valid() const { return fd_.valid(); }

  // One recvmmsg without blocking; calls on_datagram for each datagram received (truncated is
  // true for datagrams longer than kMaxDatagram). Returns how many were received.
  using Receiver = std::function<void(ByteView datagram, const wire::Sock& from, bool truncated)>;
  std::size_t receive_batch(const Receiver& on_datagram);

  // Sends every datagram, kBatch per system call. Never blocks: once the kernel reports EAGAIN
  // the rest is dropped (UDP may lose datagrams; stalling the loop would lose more).
  UdpSendResult send(std::span<const UdpDatagram> datagrams);

  // One datagram; false if it was not sent (EAGAIN or an error).
  bool send_one(const wire::Sock& to, ByteView bytes);

 private:
  UniqueFd fd_;
  std::vector<std::array<std::uint8_t, wire::kMaxDatagram>> buffers_;
};

}  // namespace n2nkit::supernoded
