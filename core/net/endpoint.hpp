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
  // Outgoing UDP only: the IP TTL to send with, 0 = the socket's default. The edge's -L
  // port-prediction REGISTERs are meant to die in the NATs in between (spec §11.5).
  std::uint8_t ip_ttl = 0;
  bool is_tcp() const { return tcp_connection != 0; }
  bool operator==(const Endpoint&) const = default;
};
using Source = Endpoint;

}  // namespace n2nkit::net
