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
#include "core/net/udp_segments.hpp"
#include "core/net/unique_fd.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::net {

// Opens a socket of `type` (SOCK_DGRAM/SOCK_STREAM) bound to address:port (host order). On
// failure returns an invalid fd and one line in error naming the port and the cause.
UniqueFd bind_ipv4(int type, std::uint32_t address, std::uint16_t port, std::string& error);

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

  // Sends every datagram, up to kBatch messages per system call; runs of equal-sized datagrams
  // to one destination go as one message with UDP_SEGMENT (one trip through the stack) while
  // the kernel accepts it. Never blocks: once the kernel reports EAGAIN the rest is dropped
  // (UDP may lose datagrams; stalling the loop would lose more).
  UdpSendResult send(std::span<const UdpDatagram> datagrams);
  // Whether UDP_SEGMENT is still in use (off after the kernel refused it as unsupported).
  bool segmentation() const { return segmentation_; }
  void set_segmentation(bool on) { segmentation_ = on; }

  // One datagram; false if it was not sent (EAGAIN or an error).
  bool send_one(const wire::Sock& to, ByteView bytes);
  // One datagram with IP TTL ttl (the socket's own TTL is restored afterwards).
  bool send_one_with_ttl(const wire::Sock& to, ByteView bytes, int ttl);

  // A path-MTU probe: sent with DF and without local fragmentation, whatever the route's
  // cached path MTU says (IP_PMTUDISC_PROBE, for this datagram only; the socket's own setting
  // is restored after it). too_big: the local stack refused it as larger than local_mtu, the
  // MTU of the route towards `to` (0 if unknown).
  struct ProbeOutcome {
    bool sent = false;
    bool too_big = false;
    std::size_t local_mtu = 0;
  };
  ProbeOutcome send_probe(const wire::Sock& to, ByteView bytes);

 private:
  // Sends datagrams[first, first + count) one message each (the path without segmentation).
  void send_plain(std::span<const UdpDatagram> datagrams, UdpSendResult& result);

  UniqueFd fd_;
  std::vector<std::array<std::uint8_t, wire::kMaxDatagram>> buffers_;
  bool segmentation_ = true;
  std::vector<net::SegmentGroup> groups_;
};

}  // namespace n2nkit::net
