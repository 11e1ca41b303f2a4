#pragma once
// Every key the decoder can try, and what it learns from the traffic: the dynamic header keys
// of user/password communities, recovered from REGISTER_SUPER_ACK tokens the way an edge
// recovers them (§10.3), using the challenge seen in the matching REGISTER_SUPER.
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/common/result.hpp"
#include "core/decode/decoder_config.hpp"
#include "core/keys/user_password.hpp"
#include "core/wire/header_encryption.hpp"

namespace n2nkit::decode {

struct CommunityKeys {
  wire::Community name{};
  bool is_federation = false;
  wire::HeaderKeys static_keys;
  std::optional<wire::HeaderKeys> dynamic_keys;  // learned (user/password communities)
  std::optional<keys::Key16> dynamic_key;

  const wire::HeaderKeys& current_dynamic() const {
    return dynamic_keys ? *dynamic_keys : static_keys;
  }
};

class KeyRing {
 public:
  // Fails with a one-line message when an option is unusable (bad -P, -I without -J, ...).
  static Result<KeyRing> create(const DecoderConfig& config, std::string& error);

  std::vector<CommunityKeys>& communities() { return communities_; }
  const std::vector<CommunityKeys>& communities() const { return communities_; }
  CommunityKeys* find(const wire::Community& name);

  // The shared secret for an edge's public key: from -I/-J (+ -P) when the key is that user's,
  // else from the federation private key (-F), which every supernode of that federation has.
  std::optional<keys::Key32> shared_secret_for(const keys::Key32& user_public_key) const;

  // REGISTER_SUPER seen: remember its challenge under its cookie.
  void remember_challenge(std::uint32_t cookie, const keys::Key32& shared, const keys::Key16& ch);
  struct PendingChallenge {
    keys::Key32 shared;
    keys::Key16 challenge;
  };
  std::optional<PendingChallenge> challenge_for(std::uint32_t cookie) const;

  void learn_dynamic_key(CommunityKeys& c, const keys::Key16& d);

 private:
  KeyRing() = default;
  std::vector<CommunityKeys> communities_;
  std::optional<keys::Key32> user_private_, user_public_, federation_public_;
  keys::Key32 federation_private_{};
  std::map<std::uint32_t, PendingChallenge> challenges_;
};

}  // namespace n2nkit::decode
