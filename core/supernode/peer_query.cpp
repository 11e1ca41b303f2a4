// QUERY_PEER: PING/PONG (spec §11.4) and the lookup of a peer's sockets (§11.5 step 2).
#include <algorithm>
#include <array>

#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {

void Engine::on_query_peer(const Incoming& in, const wire::QueryPeer& msg) {
  wire::CommonHeader header;
  header.ttl = wire::kDefaultTtl;
  header.flags = wire::kFlagFromSupernode;
  header.community = in.header.community;

  wire::PeerInfo info;
  if (msg.is_ping()) {
    // Answered for any community this supernode would serve, hosted yet or not.
    if (!allowed_community(in.header.community)) return drop(Reason::community_not_allowed);
    info.src_mac = config_.mac;
    info.sock = in.from.sock;
    // The reference's load reads 0 on little-endian supernodes (spec §4.8); so does ours.
    info.load = 0;
    info.uptime = static_cast<std::uint32_t>(in.now > started_ ? in.now - started_ : 0);
    const auto length = std::min(config_.version.size(), info.version.size() - 1);
    std::copy_n(config_.version.begin(), length, info.version.begin());
    return send(in, header, info);
  }

  const auto* community = communities_.find(in.header.community);
  if (community == nullptr) return drop(Reason::unknown_community);
  const auto* target = community->edges.find(msg.target_mac);
  if (target == nullptr) {
    // Another supernode may host it: ask them all, they answer us and we pass it on (§11.10).
    if (in.member != nullptr) return drop(Reason::unknown_destination);
    auto forwarded = in.header;
    forwarded.ttl = static_cast<std::uint8_t>(forwarded.ttl - 1);
    forwarded.flags = static_cast<std::uint16_t>(forwarded.flags | wire::kFlagFromSupernode);
    std::array<std::uint8_t, wire::kMaxDatagram> plain{};
    const auto size = wire::encode(forwarded, msg, plain);
    if (!size) return drop(size.error());
    const auto before = in.out.size();
    emit_to_members(in, ByteView{plain.data(), *size});
    if (in.out.size() == before) drop(Reason::unknown_destination);
    return;
  }
  info.src_mac = msg.src_mac;
  info.mac = target->mac;
  info.sock = target->sock;
  info.preferred_sock = target->preferred_sock;
  send(in, header, info);
}

}  // namespace n2nkit::supernode
