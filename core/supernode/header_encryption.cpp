// Header encryption at the supernode (spec §8.3–§8.6): finding the community of an encrypted
// datagram, checking its stamp, and sealing what the supernode sends back into the community.
#include <algorithm>
#include <array>

#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {
namespace {

struct StampSender {
  wire::Mac mac{};
  bool jitter = false;
};

// Whose replay window a message's stamp belongs to and whether it may arrive slightly out of
// order (§8.6 "at a supernode"). Messages without an edge MAC only get the frame check.
std::optional<StampSender> stamp_sender(const wire::Message& message) {
  return std::visit(
      [](const auto& msg) -> std::optional<StampSender> {
        using T = std::decay_t<decltype(msg)>;
        if constexpr (std::is_same_v<T, wire::RegisterSuper>) {
          return StampSender{msg.edge_mac, false};
        } else if constexpr (std::is_same_v<T, wire::UnregisterSuper>) {
          return StampSender{msg.src_mac, false};
        } else if constexpr (std::is_same_v<T, wire::Register>) {
          return StampSender{msg.src_mac, false};
        } else if constexpr (std::is_same_v<T, wire::Packet>) {
          return StampSender{msg.src_mac, true};
        } else if constexpr (std::is_same_v<T, wire::QueryPeer>) {
          return StampSender{msg.src_mac, true};
        } else {
          return std::nullopt;
        }
      },
      message);
}

}  // namespace

std::size_t Engine::EndpointHash::operator()(const Endpoint& e) const noexcept {
  // FNV-1a over the fields that make an endpoint.
  std::uint64_t h = 1469598103934665603ull;
  const auto mix = [&h](std::uint64_t byte) {
    h ^= byte;
    h *= 1099511628211ull;
  };
  for (const auto b : e.sock.addr) mix(b);
  mix(e.sock.port & 0xffu);
  mix(e.sock.port >> 8);
  mix(e.sock.ipv6 ? 1 : 0);
  for (int shift = 0; shift < 32; shift += 8) mix((e.tcp_connection >> shift) & 0xffu);
  return static_cast<std::size_t>(h);
}

std::optional<Engine::Decrypted> Engine::decrypt_with(CommunityState& community,
                                                      ByteView datagram) {
  if (community.header_encryption == HeaderEncryption::none || !community.header_keys) {
    return std::nullopt;
  }
  const auto& static_keys = *community.header_keys;
  const auto& dynamic_keys = community.dynamic_keys ? *community.dynamic_keys : static_keys;
  auto trial =
      wire::he_decrypt_trial(datagram, community.name, dynamic_keys, static_keys, he_buffer_);
  if (!trial) return std::nullopt;
  return Decrypted{&community, trial->stamp, trial->length, trial->kind, false};
}

std::optional<Engine::Decrypted> Engine::decrypt_with_any_community(ByteView datagram,
                                                                    const Source& from,
                                                                    std::uint64_t now) {
  // Federation traffic first: a supernode's re-registration must not depend on how many
  // communities it hosts.
  if (auto fed = wire::he_decrypt(datagram, datagram.size(), federation_name_, federation_keys_,
                                  he_buffer_)) {
    return Decrypted{nullptr, fed->stamp, datagram.size(), wire::HeKeyKind::dynamic, true};
  }
  const auto hint = he_hints_.find(from);
  CommunityState* hinted = nullptr;
  if (hint != he_hints_.end()) {
    hinted = communities_.find(hint->second.community);
    if (hinted != nullptr) {
      if (auto d = decrypt_with(*hinted, datagram)) {
        hint->second.last_used = now;
        return d;
      }
    }
  }
  for (auto& [name, community] : communities_) {
    if (&community == hinted) continue;
    if (auto d = decrypt_with(community, datagram)) {
      he_hints_.insert_or_assign(from, CommunityHint{name, now});
      return d;
    }
  }
  return std::nullopt;
}

Status Engine::check_stamp(const wire::Message& message, std::uint64_t stamp, wire::WallTime now,
                           const FederationMember* member) {
  const auto now_stamp = wire::stamp_of(now);
  if (auto framed = wire::check_stamp_frame(stamp, now_stamp); !framed) return framed;
  auto sender = stamp_sender(message);
  if (member != nullptr) sender = StampSender{member->mac, sender && sender->jitter};
  // A null MAC (an edge asking for its address first, §11.1) names no one: edges doing so at
  // the same time must not share a window.
  if (!sender || sender->mac == wire::kNullMac) return {};
  auto& window = replay_.try_emplace(sender->mac, now_stamp).first->second;
  return window.accept(stamp, now_stamp, sender->jitter);
}

Status Engine::seal(const Incoming& in, MutableByteView datagram) {
  if (in.keys == nullptr) return {};
  return seal_with(*in.keys, in.user_password != nullptr, datagram, in.clock);
}

Status Engine::seal_with(const wire::HeaderKeys& keys, bool user_password, MutableByteView datagram,
                         wire::WallTime now) {
  std::array<std::uint8_t, 4> filler{};
  config_.random(filler);
  return wire::he_encrypt(datagram, wire::he_covered_length(datagram, user_password), keys,
                          stamps_.next(now), load_be32(filler.data()));
}

void Engine::emit(const Incoming& in, const Endpoint& to, ByteView plaintext) {
  const auto slot = in.out.prepare();
  if (plaintext.size() > slot.size()) return drop(Reason::too_large);
  std::copy(plaintext.begin(), plaintext.end(), slot.begin());
  if (!seal(in, slot.first(plaintext.size()))) {
    ++counters_.packets.errors_tx;
    return;
  }
  in.out.commit(to, plaintext.size());
}

void Engine::forget_stale_replay_windows(wire::WallTime now) {
  const auto now_stamp = wire::stamp_of(now);
  if (now_stamp < wire::kStampFrame) return;
  const auto oldest = now_stamp - wire::kStampFrame;
  std::erase_if(replay_, [&](const auto& entry) { return entry.second.last() <= oldest; });
  // Hints of endpoints silent as long as an edge may be: at worst one full trial later.
  std::erase_if(he_hints_, [&](const auto& entry) {
    return now.sec > entry.second.last_used && now.sec - entry.second.last_used > kEdgeTimeout;
  });
}

}  // namespace n2nkit::supernode
