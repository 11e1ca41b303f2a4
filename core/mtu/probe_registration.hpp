#pragma once
// A throw-away registration for probing a user/password community (spec §10): its PINGs need
// the dynamic header key, which a supernode hands out only in the REGISTER_SUPER_ACK to an
// authenticated edge. n2n-mtu registers under a random locally administered MAC, probes, and
// unregisters (UNREGISTER_SUPER), so the supernode's edge list is left as it was.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/common/result.hpp"
#include "core/keys/user_password.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"

namespace n2nkit::mtu {

struct ProbeCredentials {
  std::string user;      // -I, at most 15 bytes are used (as the edge does)
  std::string password;  // -J
  std::optional<keys::Key32> federation_public_key;  // -P; nullopt: the default federation's
};

class ProbeRegistration {
 public:
  ProbeRegistration(const wire::Community& community, const wire::Mac& mac,
                    const ProbeCredentials& credentials);

  // A sealed REGISTER_SUPER (static keys + trailer) with a fresh challenge and `cookie`.
  // `challenge` and `filler` come from the caller's randomness.
  ByteVector register_super(std::uint32_t cookie, const keys::Key16& challenge, std::uint64_t stamp,
                            std::uint32_t filler);

  struct Accepted {
    keys::Key16 dynamic_key{};
  };
  struct Refused {};  // a REGISTER_SUPER_NAK for our MAC
  using Answer = std::variant<std::monostate, Accepted, Refused>;  // monostate: not for us
  // The supernode's answer to the last register_super(), checked: trailer, cookie, challenge.
  Answer on_datagram(ByteView datagram);

  // A sealed UNREGISTER_SUPER under the dynamic keys (call after Accepted).
  ByteVector unregister_super(std::uint64_t stamp, std::uint32_t filler);

  const wire::HeaderKeys& static_keys() const { return static_keys_; }
  // After Accepted: the keys for PINGs and PONGs.
  const std::optional<wire::HeaderKeys>& dynamic_keys() const { return dynamic_keys_; }

 private:
  ByteVector seal(const wire::Message& m, const wire::HeaderKeys& keys, bool trailer,
                  std::uint64_t stamp, std::uint32_t filler) const;
  wire::Auth token();

  wire::Community community_;
  wire::Mac mac_;
  std::string user_;
  keys::Key32 public_key_{};
  keys::Key32 shared_{};
  keys::Key16 challenge_{};
  std::uint32_t cookie_ = 0;
  wire::HeaderKeys static_keys_;
  std::optional<wire::HeaderKeys> dynamic_keys_;
};

}  // namespace n2nkit::mtu
