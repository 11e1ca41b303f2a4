// User/password communities at the supernode (spec §10): users' keys, trailers, dynamic keys
// and RE_REGISTER_SUPER.
#include <algorithm>
#include <array>

#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {

void Engine::derive_user_password_keys(CommunityState& community,
                                       const std::vector<CommunityUser>& users) const {
  community.users.clear();
  for (const auto& user : users) {
    UserKeys keys;
    keys.name = user.name;
    keys.public_key = user.public_key;
    keys.shared_secret = keys::shared_secret(federation_private_key_, user.public_key);
    community.users.insert_or_assign(user.public_key, std::move(keys));
  }
  community.dynamic_key =
      keys::dynamic_key(community.name, wire::make_community(config_.federation), key_time_);
  community.dynamic_keys = wire::HeaderKeys::from_dynamic_key(community.dynamic_key);
}

void Engine::rederive_dynamic_keys() {
  const auto federation = wire::make_community(config_.federation);
  for (auto& [name, community] : communities_) {
    if (!community.user_password) continue;
    community.dynamic_key = keys::dynamic_key(name, federation, key_time_);
    community.dynamic_keys = wire::HeaderKeys::from_dynamic_key(community.dynamic_key);
  }
}

Result<const UserKeys*> Engine::authenticate_user(ByteView raw, const CommunityState& community,
                                                  const wire::RegisterSuper& msg) const {
  if (msg.auth.scheme != 2) return static_cast<const UserKeys*>(nullptr);
  const auto* user = community.find_user(msg.auth.token_view());
  if (user == nullptr) return user;
  constexpr std::size_t kTrailer = 16;
  if (raw.size() < kTrailer) return fail(Reason::trailer_mismatch);
  const auto expected = keys::trailer(raw.first(raw.size() - kTrailer), user->shared_secret);
  if (!std::ranges::equal(expected, raw.last(kTrailer))) return fail(Reason::trailer_mismatch);
  return user;
}

void Engine::send_with_trailer(const Incoming& in, const Endpoint& to,
                               const wire::CommonHeader& header, const wire::Message& message,
                               const UserKeys* user) {
  constexpr std::size_t kTrailer = 16;
  const auto slot = in.out.prepare();
  const auto size = wire::encode(header, message, slot.first(slot.size() - kTrailer));
  const auto& static_keys = *in.user_password->header_keys;
  if (!size || !seal_with(static_keys, true, slot.first(*size), in.clock)) {
    ++counters_.packets.errors_tx;
    return;
  }
  const auto trailer_bytes = slot.subspan(*size, kTrailer);
  if (user != nullptr) {
    const auto t = keys::trailer(slot.first(*size), user->shared_secret);
    std::ranges::copy(t, trailer_bytes.begin());
  } else {
    config_.random(trailer_bytes);
  }
  in.out.commit(to, *size + kTrailer);
}

void Engine::notify_user_password_edges_of_reload(wire::WallTime now, Outbox& out) {
  for (auto& [name, community] : communities_) {
    if (!community.user_password || !community.dynamic_keys || community.edges.empty()) continue;
    wire::CommonHeader header;
    header.ttl = wire::kDefaultTtl;
    header.flags = wire::kFlagFromSupernode;
    header.community = name;
    std::array<std::uint8_t, wire::kCommonHeaderSize> plain{};
    const auto size = wire::encode(header, wire::ReRegisterSuper{}, plain);
    if (!size) continue;
    for (const auto& [mac, edge] : community.edges) {
      const auto slot = out.prepare();
      std::copy_n(plain.begin(), *size, slot.begin());
      if (!seal_with(*community.dynamic_keys, true, slot.first(*size), now)) {
        ++counters_.packets.errors_tx;
        continue;
      }
      out.commit(edge.endpoint(), *size);
    }
  }
}

}  // namespace n2nkit::supernode
