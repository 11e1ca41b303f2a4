#include "core/supernode/engine.hpp"

#include <optional>
#include <utility>

#include "core/wire/header_encryption.hpp"

namespace n2nkit::supernode {
namespace {

wire::Auth random_simple_id(const crypto::RandomSource& random) {
  wire::Auth auth;
  auth.scheme = 1;
  auth.size = 16;
  random(MutableByteView{auth.token.data(), auth.size});
  return auth;
}

}  // namespace

Engine::Engine(SupernodeConfig config, wire::WallTime now)
    : config_(std::move(config)),
      started_(now.sec),
      next_purge_(now.sec + kPurgeInterval),
      federation_name_(wire::make_community(config_.federation)),
      federation_keys_(wire::HeaderKeys::from_community(federation_name_)),
      own_token_(random_simple_id(config_.random)),
      next_federation_(now.sec) {
  if (config_.communities) key_time_ = static_cast<std::uint32_t>(now.sec);
  // -F names the federation with its '*'; its private key hashes the name without it (§10.1).
  std::string_view federation = config_.federation;
  if (federation.starts_with('*')) federation.remove_prefix(1);
  federation_private_key_ = keys::federation_private_key(federation);
  for (const auto& anchor : config_.anchors) {
    FederationMember member;
    member.anchor = anchor;
    federation_.add(std::move(member));
  }
  add_listed_communities();
}

void Engine::on_datagram(ByteView datagram, const Source& from, wire::WallTime now, Outbox& out) {
  if (datagram.size() < wire::kCommonHeaderSize) return drop(Reason::too_short);
  ByteView plaintext = datagram;
  std::optional<Decrypted> decrypted;
  if (!wire::looks_like_plaintext_header(datagram)) {
    if (datagram.size() > he_buffer_.size()) return drop(Reason::too_large);
    decrypted = decrypt_with_any_community(datagram, from, now.sec);
    if (!decrypted) return drop(Reason::he_no_key);
    plaintext = ByteView{he_buffer_.data(), decrypted->length};
  }
  auto decoded = wire::decode(plaintext);
  if (!decoded) return drop(decoded.error());
  auto& header = decoded->header;
  if (header.ttl == 0) return drop(Reason::ttl_expired);
  // Unused bytes after the name's NUL must not make a second community of the same name.
  header.community = wire::make_community(wire::community_to_string(header.community));

  // Only REGISTER_SUPER may come from a supernode we do not know yet (§11.10).
  FederationMember* member = nullptr;
  if ((header.flags & wire::kFlagFromSupernode) != 0) {
    member = federation_.find_by_sock(from.sock);
    if (member == nullptr && !std::holds_alternative<wire::RegisterSuper>(decoded->message)) {
      return drop(Reason::from_unknown_supernode);
    }
  }

  if (is_federation(header.community)) {
    // Supernodes always seal federation traffic with the federation's key.
    if (!decrypted || !decrypted->federation) return drop(Reason::he_required);
    if (auto s = check_stamp(decoded->message, decrypted->stamp, now); !s) {
      return drop(s.error());
    }
    const Incoming in{header,   from,    now.sec, now,    &federation_keys_, out,
                      datagram, nullptr, nullptr, member, plaintext};
    return on_federation_message(in, decoded->message);
  }

  if (!decrypted) {
    if (auto* community = communities_.find(header.community)) {
      // No downgrade once a community has been seen encrypted (spec §8.5).
      if (community->header_encryption == HeaderEncryption::enabled) {
        return drop(Reason::he_required);
      }
      community->header_encryption = HeaderEncryption::none;
    }
  }
  const wire::HeaderKeys* keys = nullptr;
  const CommunityState* user_password = nullptr;
  const UserKeys* user = nullptr;
  if (decrypted) {
    // The federation's key only opens federation traffic.
    if (decrypted->federation) return drop(Reason::he_no_key);
    auto& community = *decrypted->community;
    const auto* register_super = std::get_if<wire::RegisterSuper>(&decoded->message);
    const bool with_trailer = decrypted->kind == wire::HeKeyKind::static_with_trailer;
    if (community.user_password) {
      // REGISTER_SUPER travels with the static keys and a trailer, everything else with the
      // dynamic keys only members know (spec §10.4, §10.5).
      if (register_super == nullptr && with_trailer) return drop(Reason::wrong_key_kind);
      if (register_super != nullptr && !with_trailer) return drop(Reason::trailer_missing);
      if (register_super != nullptr) {
        auto found = authenticate_user(datagram, community, *register_super);
        if (!found) return drop(found.error());
        user = *found;
      }
      user_password = &community;
    } else if (with_trailer) {
      return drop(Reason::wrong_key_kind);
    }
    if (auto s = check_stamp(decoded->message, decrypted->stamp, now, member); !s) {
      return drop(s.error());
    }
    // Locked only by a datagram whose stamp passed: the stamp is what authenticates the low
    // half of the checksum (§8.3 step 7).
    community.header_encryption = HeaderEncryption::enabled;
    keys = community.answer_keys();
  }

  const Incoming in{header,   from,          now.sec, now,    keys,     out,
                    datagram, user_password, user,    member, plaintext};
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
        } else if constexpr (std::is_same_v<T, wire::RegisterSuperNak>) {
          if (member == nullptr) return drop(Reason::not_for_supernode);
          on_member_nak(in, msg);
        } else if constexpr (std::is_same_v<T, wire::PeerInfo>) {
          if (member == nullptr) return drop(Reason::not_for_supernode);
          on_member_peer_info(in, msg);
        } else {
          // REGISTER_ACK must travel directly between edges (spec §11.6); the rest are
          // messages supernodes send, never receive from edges.
          drop(Reason::not_for_supernode);
        }
      },
      decoded->message);
}

void Engine::send(const Incoming& in, const wire::CommonHeader& header,
                  const wire::Message& message) {
  send_to(in, in.from, header, message);
}

void Engine::send_to(const Incoming& in, const Endpoint& to, const wire::CommonHeader& header,
                     const wire::Message& message) {
  const auto slot = in.out.prepare();
  const auto size = wire::encode(header, message, slot);
  if (!size || !seal(in, slot.first(*size))) {
    ++counters_.packets.errors_tx;
    return;
  }
  in.out.commit(to, *size);
}

}  // namespace n2nkit::supernode
