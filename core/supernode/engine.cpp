#include "core/supernode/engine.hpp"

#include <utility>

#include "core/wire/header_encryption.hpp"

namespace n2nkit::supernode {

Engine::Engine(SupernodeConfig config, wire::WallTime now)
    : config_(std::move(config)), started_(now.sec), next_purge_(now.sec + kPurgeInterval) {
  add_listed_communities();
}

void Engine::on_datagram(ByteView datagram, const Source& from, wire::WallTime now, Outbox& out) {
  if (datagram.size() < wire::kCommonHeaderSize) return drop(Reason::too_short);
  if (!wire::looks_like_plaintext_header(datagram)) {
    // TODO(header-encryption slice): try every community's keys (spec §8.3, §8.5).
    return drop(Reason::he_no_key);
  }
  auto decoded = wire::decode(datagram);
  if (!decoded) return drop(decoded.error());
  auto& header = decoded->header;
  if (header.ttl == 0) return drop(Reason::ttl_expired);
  // Unused bytes after the name's NUL must not make a second community of the same name.
  header.community = wire::make_community(wire::community_to_string(header.community));

  if (const auto* community = communities_.find(header.community);
      community != nullptr && community->user_password) {
    // Such communities always encrypt headers; plaintext would be a downgrade (spec §8.5).
    return drop(Reason::he_required);
  }
  if ((header.flags & wire::kFlagFromSupernode) != 0) {
    // TODO(federation slice): accept these from federation members (spec §11.10), and
    // REGISTER_SUPER from any supernode in the federation community.
    return drop(Reason::from_unknown_supernode);
  }

  const Incoming in{header, from, now.sec, out};
  std::visit(
      [&](const auto& msg) {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, wire::RegisterSuper>) {
          on_register_super(in, msg);
        } else if constexpr (std::is_same_v<T, wire::UnregisterSuper>) {
          on_unregister_super(in, msg);
        } else if constexpr (std::is_same_v<T, wire::QueryPeer>) {
          on_query_peer(in, msg);
        } else if constexpr (std::is_same_v<T, wire::Packet>) {
          on_packet(in, msg);
        } else if constexpr (std::is_same_v<T, wire::Register>) {
          on_register(in, msg);
        } else {
          // REGISTER_ACK must travel directly between edges (spec §11.6); the rest are
          // messages supernodes send, never receive from edges.
          drop(Reason::not_for_supernode);
        }
      },
      decoded->message);
}

void Engine::send(Outbox& out, const Endpoint& to, const wire::CommonHeader& header,
                  const wire::Message& message) {
  const auto size = wire::encode(header, message, out.prepare());
  if (!size) {
    ++counters_.packets.errors_tx;
    return;
  }
  out.commit(to, *size);
}

}  // namespace n2nkit::supernode
