#pragma once
// Where an engine (supernode or edge) puts the datagrams it wants sent (the edge also its TAP
// frames). The loop drains it after each call and clears it (datagrams first, then the
// connections to close); the slots (2048 bytes each) stay allocated, so a steady stream of
// datagrams costs no allocation once the outbox has grown to the largest fan-out seen.
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/common/bytes.hpp"
#include "core/net/endpoint.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::net {

struct OutgoingDatagram {
  Endpoint to;
  ByteView bytes;
  // A path-MTU probe: to be sent with DF and never fragmented locally; a local EMSGSIZE means
  // "too big". Everything else goes with the socket's normal setting (see n2n-edge's loop).
  bool path_probe = false;
};

class Outbox {
 public:
  // A slot of kMaxDatagram bytes to encode into; nothing is queued until commit().
  MutableByteView prepare();
  // Queues the first `size` bytes of the slot prepare() returned, addressed to `to`.
  void commit(const Endpoint& to, std::size_t size, bool path_probe = false);
  // Queues a copy of bytes (at most kMaxDatagram; longer input is not queued).
  void push(const Endpoint& to, ByteView bytes);

  std::size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  OutgoingDatagram operator[](std::size_t i) const {
    return {slots_[i].to, ByteView{slots_[i].bytes.data(), slots_[i].size}, slots_[i].path_probe};
  }
  // Asks the loop to close a TCP connection once the queued datagrams are sent (an edge on
  // TCP that was purged or moved to another supernode, spec §11.7, §11.3 step 11).
  void close_connection(std::uint32_t connection) { closes_.push_back(connection); }
  const std::vector<std::uint32_t>& connections_to_close() const { return closes_; }

  void clear() {
    count_ = 0;
    closes_.clear();
  }

 private:
  struct Slot {
    Endpoint to{};
    std::size_t size = 0;
    bool path_probe = false;
    std::array<std::uint8_t, wire::kMaxDatagram> bytes{};
  };
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
  std::vector<std::uint32_t> closes_;
};

}  // namespace n2nkit::net
