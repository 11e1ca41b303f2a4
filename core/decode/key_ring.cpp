#include "core/decode/key_ring.hpp"

#include <fmt/format.h>

namespace n2nkit::decode {
namespace {
constexpr std::size_t kMaxRememberedChallenges = 4096;
}  // namespace

Result<KeyRing> KeyRing::create(const DecoderConfig& config, std::string& error) {
  KeyRing ring;
  for (const auto& name : config.communities) {
    if (name.empty() || name.size() > 19) {
      error = fmt::format("community '{}': must be 1 to 19 characters", name);
      return fail(Reason::bad_field);
    }
    const auto c = wire::make_community(name);
    if (ring.find(c)) continue;
    ring.communities_.push_back(
        CommunityKeys{c, false, wire::HeaderKeys::from_community(c), std::nullopt, std::nullopt});
  }
  if (config.federation_name.empty() || config.federation_name.size() > 17) {
    error = fmt::format("federation name '{}': must be 1 to 17 characters", config.federation_name);
    return fail(Reason::bad_field);
  }
  const auto fed = wire::make_community("*" + config.federation_name);
  ring.communities_.push_back(
      CommunityKeys{fed, true, wire::HeaderKeys::from_community(fed), std::nullopt, std::nullopt});
  ring.federation_private_ = keys::federation_private_key(config.federation_name);

  if (config.user.has_value() != config.password.has_value()) {
    error = "user/password: -I <user> and -J <password> go together";
    return fail(Reason::bad_field);
  }
  if (config.federation_public_key) {
    auto pub = keys::key_from_text(*config.federation_public_key);
    if (!pub) {
      error = fmt::format("-P '{}': not a 43-character n2n public key ({})",
                          *config.federation_public_key, reason_text(pub.error()));
      return fail(pub.error());
    }
    ring.federation_public_ = *pub;
  } else {
    ring.federation_public_ = keys::public_key(ring.federation_private_);
  }
  if (config.user) {
    ring.user_private_ = keys::user_private_key(*config.user, *config.password);
    ring.user_public_ = keys::public_key(*ring.user_private_);
  }
  return ring;
}

CommunityKeys* KeyRing::find(const wire::Community& name) {
  for (auto& c : communities_) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

std::optional<keys::Key32> KeyRing::shared_secret_for(const keys::Key32& user_public_key) const {
  if (user_private_ && user_public_ && *user_public_ == user_public_key && federation_public_) {
    return keys::shared_secret(*user_private_, *federation_public_);
  }
  return keys::shared_secret(federation_private_, user_public_key);
}

void KeyRing::remember_challenge(std::uint32_t cookie, const keys::Key32& shared,
                                 const keys::Key16& ch) {
  if (challenges_.size() >= kMaxRememberedChallenges) challenges_.erase(challenges_.begin());
  challenges_[cookie] = PendingChallenge{shared, ch};
}

std::optional<KeyRing::PendingChallenge> KeyRing::challenge_for(std::uint32_t cookie) const {
  auto it = challenges_.find(cookie);
  if (it == challenges_.end()) return std::nullopt;
  return it->second;
}

void KeyRing::learn_dynamic_key(CommunityKeys& c, const keys::Key16& d) {
  c.dynamic_key = d;
  c.dynamic_keys = wire::HeaderKeys::from_dynamic_key(d);
}

}  // namespace n2nkit::decode
