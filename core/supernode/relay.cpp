// Relay of PACKET and REGISTER between the edges of a community and across the federation
// (spec §11.6, §11.10). In header-encrypted communities every copy is sealed afresh (§8.2).
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
  if (in.member != nullptr) {
    // Another supernode already stamped the edge's socket in: forwarded as received.
    return relay_to_edges(in, *community, msg.src_mac, msg.dst_mac, in.plain, true);
  }
  wire::Packet relayed = msg;
  relayed.sock = in.from.sock;
  const auto size = wire::encode(relay_header(in.header), relayed, relay_buffer_);
  if (!size) return drop(encode_failure(size.error()));
  relay_to_edges(in, *community, msg.src_mac, msg.dst_mac, ByteView{relay_buffer_.data(), *size},
                 true);
}

void Engine::on_register(const Incoming& in, const wire::Register& msg) {
  const auto* community = communities_.find(in.header.community);
  if (community == nullptr) return drop(Reason::unknown_community);
  if (in.member != nullptr) {
    return relay_to_edges(in, *community, msg.src_mac, msg.dst_mac, in.plain, false);
  }
  wire::Register relayed = msg;
  relayed.sock = in.from.sock;
  const auto size = wire::encode(relay_header(in.header), relayed, relay_buffer_);
  if (!size) return drop(encode_failure(size.error()));
  // Multicast REGISTERs are for local discovery on the LAN, never relayed.
  relay_to_edges(in, *community, msg.src_mac, msg.dst_mac, ByteView{relay_buffer_.data(), *size},
                 false);
}

void Engine::relay_to_edges(const Incoming& in, const CommunityState& community,
                            const wire::Mac& src, const wire::Mac& dst, ByteView bytes,
                            bool multicast_allowed) {
  const bool from_edge = in.member == nullptr;
  if (wire::is_multicast_or_broadcast(dst)) {
    if (!multicast_allowed) return drop(Reason::not_for_supernode);
    // Edges' broadcasts reach the edges of the other supernodes too; a member's copy stays
    // here (it sent one to every member itself).
    if (from_edge) emit_to_members(in, bytes);
    for (const auto& [mac, edge] : community.edges) {
      if (mac == src) continue;
      emit(in, edge.endpoint(), bytes);
      ++counters_.packets.broadcast;
    }
    counters_.packets.last_forward = in.now;
    return;
  }
  counters_.packets.last_forward = in.now;
  if (const auto* edge = community.edges.find(dst)) {
    emit(in, edge->endpoint(), bytes);
    ++counters_.packets.forward;
    return;
  }
  if (!from_edge) return drop(Reason::unknown_destination);
  if (const auto it = community.associations.find(dst); it != community.associations.end()) {
    return emit(in, Endpoint{it->second.supernode, 0}, bytes);
  }
  const auto before = in.out.size();
  emit_to_members(in, bytes);
  if (in.out.size() == before) drop(Reason::unknown_destination);
}

}  // namespace n2nkit::supernode
