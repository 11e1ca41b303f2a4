#pragma once
// User/password authentication (spec §10): keys, shared secret, tokens, trailer, dynamic keys.
#include <array>
#include <string_view>

#include "core/common/result.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::keys {

using Key32 = std::array<std::uint8_t, 32>;
using Key16 = std::array<std::uint8_t, 16>;

// X25519 (RFC 7748) of scalar and u; n2n's "base point" is 31 zero bytes then 0x09.
Key32 x25519(const Key32& scalar, const Key32& point);
inline constexpr Key32 kN2nBasePoint = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};

// pearson256(pearson256(password)) XOR pearson256(user)
Key32 user_private_key(std::string_view user, std::string_view password);
// pearson256(pearson256(name without the leading '*'))
Key32 federation_private_key(std::string_view federation_name);
Key32 public_key(const Key32& private_key);
// pearson256(X25519(own private, other public))
Key32 shared_secret(const Key32& own_private, const Key32& other_public);

// "* <user> <43 chars>" and "-P <43 chars>", as n2n-keygen prints them (no newline).
std::string keygen_user_line(std::string_view user, std::string_view password);
std::string keygen_federation_line(std::string_view federation_name);

// The 48-byte token an edge sends: public key || SpeckECB(Kss, challenge).
std::array<std::uint8_t, 48> make_edge_token(const Key32& public_key, const Key32& shared,
                                             const Key16& challenge);
// The challenge an edge token carries, given the shared secret.
Key16 challenge_from_edge_token(ByteView token48, const Key32& shared);
// The supernode's answer token for a REGISTER_SUPER_ACK (§10.3).
std::array<std::uint8_t, 48> make_ack_token(ByteView edge_token48, const Key32& shared,
                                            const Key16& dynamic_key);
// Edge side: checks the answer against its challenge and recovers the dynamic key.
Result<Key16> dynamic_key_from_ack_token(ByteView ack_token48, const Key32& shared,
                                         const Key16& challenge);

// SpeckECB(Kss, pearson128(encrypted datagram without trailer)) (§10.4).
Key16 trailer(ByteView encrypted_without_trailer, const Key32& shared);

// D = SpeckECB(pearson128^3(comm) ^ pearson128^3(fed), pearson128^3(LE32(key_time))) (§10.5)
// comm and fed are the 20-byte fields; fed includes the leading '*'.
Key16 dynamic_key(const wire::Community& community, const wire::Community& federation,
                  std::uint32_t key_time);

}  // namespace n2nkit::keys
