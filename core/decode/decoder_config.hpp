#pragma once
// What n2n-decode knows about the traffic: the keys, with n2n-edge's option names.
#include <optional>
#include <string>
#include <vector>

#include "core/crypto/transform.hpp"

namespace n2nkit::decode {

struct DecoderConfig {
  std::vector<std::string> communities;  // -c, repeatable
  std::optional<std::string> key;        // -k (payload key string)
  // -A1..-A5. Unset: AES with a key, null without (as the edge decides).
  std::optional<crypto::TransformId> transform;
  bool header_encryption = false;                    // -H: expect encrypted headers (informational)
  std::optional<std::string> user;                   // -I
  std::optional<std::string> password;               // -J
  std::optional<std::string> federation_public_key;  // -P, 43 characters
  std::string federation_name = "Federation";        // -F, without the leading '*'
  std::vector<std::uint16_t>
      ports;  // --port: only these UDP ports; every datagram on them is reported

  crypto::TransformId effective_transform() const {
    if (transform) return *transform;
    return key ? crypto::TransformId::aes : crypto::TransformId::null;
  }
};

}  // namespace n2nkit::decode
