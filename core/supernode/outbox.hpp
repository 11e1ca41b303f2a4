#pragma once
// Where the engine puts the datagrams it wants sent. The loop drains it after each call and
// clears it; the slots (2048 bytes each) stay allocated, so a steady stream of datagrams costs
// no allocation once the outbox has grown to the largest fan-out seen.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::supernode {

// A peer of the supernode at the transport level: the UDP socket a datagram came from or goes
// to. tcp_connection is reserved for the TCP slice (spec §11.11): 0 means UDP.
struct Endpoint {
  wire::Sock sock{};
  std::uint32_t tcp_connection = 0;
  bool operator==(const Endpoint&) const = default;
};
using Source = Endpoint;

struct OutgoingDatagram {
  Endpoint to;
  ByteView bytes;
};

class Outbox {
 public:
  // A slot of kMaxDatagram bytes to encode into; nothing is queued until commit().
  MutableByteView prepare();
  // Queues the first `size` bytes of the slot prepare() returned, addressed to `to`.
  void commit(const Endpoint& to, std::size_t size);
  // Queues a copy of bytes (at most kMaxDatagram; longer input is not queued).
  void push(const Endpoint& to, ByteView bytes);

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  OutgoingDatagram operator[](std::size_t i) const {
    return {slots_[i].to, ByteView{slots_[i].bytes.data(), slots_[i].size}};
  }
  void clear() { count_ = 0; }

 private:
  struct Slot {
    Endpoint to{};
    std::size_t size = 0;
    std::array<std::uint8_t, wire::kMaxDatagram> bytes{};
  };
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
};

}  // namespace n2nkit::supernode
