#pragma once
// A peer at the transport level (spec §1, §11.11): a UDP socket or a TCP connection, for the
// supernode (its edges) and the edge (its supernode over -S2) alike.
#include <cstdint>

#include "core/wire/types.hpp"

namespace n2nkit::net {

// The UDP socket a datagram came from or goes to, or a TCP connection: tcp_connection is the
// daemon's number for an accepted connection (never 0), and sock is then the connection's peer
// address (what the management API shows and what PEER_INFO hands out).
struct Endpoint {
  wire::Sock sock{};
  std::uint32_t tcp_connection = 0;  // 0 = UDP
  bool is_tcp() const { return tcp_connection != 0; }
  bool operator==(const Endpoint&) const = default;
};
using Source = Endpoint;

}  // namespace n2nkit::net
