// Relay of PACKET and REGISTER between the edges of a community (spec §11.6). In
// header-encrypted communities the relayed copy is re-encrypted per destination (§8.2).
#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {
namespace {

// The relay adds the sender's socket: a datagram that fitted may no longer fit (spec §1).
Reason encode_failure(Reason r) {
  return r == Reason::buffer_too_small ? Reason::too_large : r;
}

// Re-encoded for the next hop: marked as coming from a supernode, carrying the sender's public
// socket so the receiver can try to reach it directly, one hop less to live (spec §3).
wire::CommonHeader relay_header(const wire::CommonHeader& received) {
  wire::CommonHeader h = received;
  h.flags = static_cast<std::uint16_t>(h.flags | wire::kFlagSocket | wire::kFlagFromSupernode);
  h.ttl = static_cast<std::uint8_t>(received.ttl - 1);
  return h;
}

}  // namespace

void Engine::on_packet(const Incoming& in, const wire::Packet& msg) {
  const auto* community = communities_.find(in.header.community);
  if (community == nullptr) return drop(Reason::unknown_community);
  wire::Packet relayed = msg;
  relayed.sock = in.from.sock;
  const auto size = wire::encode(relay_header(in.header), relayed, relay_buffer_);
  if (!size) return drop(encode_failure(size.error()));
  relay_to_edges(in, *community, msg.src_mac, msg.dst_mac, *size, true);
}

void Engine::on_register(const Incoming& in, const wire::Register& msg) {
  const auto* community = communities_.find(in.header.community);
  if (community == nullptr) return drop(Reason::unknown_community);
  wire::Register relayed = msg;
  relayed.sock = in.from.sock;
  const auto size = wire::encode(relay_header(in.header), relayed, relay_buffer_);
  if (!size) return drop(encode_failure(size.error()));
  // Multicast REGISTERs are for local discovery on the LAN, never relayed.
  relay_to_edges(in, *community, msg.src_mac, msg.dst_mac, *size, false);
}

void Engine::relay_to_edges(const Incoming& in, const CommunityState& community,
                            const wire::Mac& src, const wire::Mac& dst, std::size_t size,
                            bool multicast_allowed) {
  const ByteView bytes{relay_buffer_.data(), size};
  if (wire::is_multicast_or_broadcast(dst)) {
    if (!multicast_allowed) return drop(Reason::not_for_supernode);
    // TODO(federation slice): also to every federation member seen within 90 s.
    for (const auto& [mac, edge] : community.edges) {
      if (mac != src) emit(in, edge.endpoint(), bytes);
    }
    ++counters_.packets.broadcast;
    counters_.packets.last_forward = in.now;
    return;
  }
  const auto* edge = community.edges.find(dst);
  // TODO(federation slice): an association or the federation may know the MAC.
  if (edge == nullptr) return drop(Reason::unknown_destination);
  emit(in, edge->endpoint(), bytes);
  ++counters_.packets.forward;
  counters_.packets.last_forward = in.now;
}

}  // namespace n2nkit::supernode
