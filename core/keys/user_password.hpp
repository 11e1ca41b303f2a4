#pragma once
// User/password authentication (spec §10): keys, shared secret, tokens, trailer, dynamic keys.
#include <array>
#include <string>
#include <string_view>

#include "core/common/result.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::keys {

using Key32 = std::array<std::uint8_t, 32>;
using Key16 = std::array<std::uint8_t, 16>;
using AuthToken = std::array<std::uint8_t, 48>;

inline constexpr std::size_t kAuthTokenSize = 48;
// A 32-byte key in the 6-bit encoding (what n2n-keygen prints, -P and community.list take).
inline constexpr std::size_t kPublicKeyTextSize = 43;
// An edge binds its key to -I, which it keeps to 15 bytes (the 16-byte description field).
inline constexpr std::size_t kMaxUserNameBytes = 15;
// A supernode stores -F as "*name" in a 19-character community buffer: 17 bytes of the name.
inline constexpr std::size_t kMaxFederationNameBytes = 17;

// X25519 (RFC 7748) of scalar and u; n2n's "base point" is 31 zero bytes then 0x09.
// For a low-order u the result is all zeros, as the RFC defines (the reference agrees).
Key32 x25519(const Key32& scalar, const Key32& point);
inline constexpr Key32 kN2nBasePoint = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};

// pearson256(pearson256(password)) XOR pearson256(user)
Key32 user_private_key(std::string_view user, std::string_view password);
// pearson256(pearson256(name)); name is the -F argument exactly as given, i.e. the federation
// community without its leading '*' ("Federation" for the default "*Federation").
Key32 federation_private_key(std::string_view federation_name);
Key32 public_key(const Key32& private_key);
// pearson256(X25519(own private, other public))
Key32 shared_secret(const Key32& own_private, const Key32& other_public);

// The 43-character 6-bit form of a key and back. Parsing demands exactly 43 characters of
// the alphabet (bad_key_length, bad_key_encoding), as -P and community.list lines do.
std::string key_to_text(const Key32& key);
Result<Key32> key_from_text(std::string_view text);

// "* <user> <43 chars>" and "-P <43 chars>", as n2n-keygen prints them (no newline). Names are
// used as given, like the reference tool does (see kMaxUserNameBytes for why long ones fail).
std::string keygen_user_line(std::string_view user, std::string_view password);
std::string keygen_federation_line(std::string_view federation_name);

// The 48-byte token an edge sends: public key || SpeckECB(Kss, challenge).
AuthToken make_edge_token(const Key32& public_key, const Key32& shared, const Key16& challenge);
// The challenge an edge token carries, given the shared secret (bad_key_length unless the
// token is 48 bytes).
Result<Key16> challenge_from_edge_token(ByteView token48, const Key32& shared);
// The supernode's answer token for a REGISTER_SUPER_ACK (§10.3); bad_key_length unless the
// edge token is 48 bytes.
Result<AuthToken> make_ack_token(ByteView edge_token48, const Key32& shared,
                                 const Key16& dynamic_key);
// Edge side: checks the answer against its challenge and recovers the dynamic key
// (auth_challenge_mismatch when the answer was made with another shared secret or challenge,
// bad_key_length unless 48 bytes).
Result<Key16> dynamic_key_from_ack_token(ByteView ack_token48, const Key32& shared,
                                         const Key16& challenge);

// SpeckECB(Kss, pearson128(encrypted datagram without trailer)) (§10.4).
Key16 trailer(ByteView encrypted_without_trailer, const Key32& shared);

// D = SpeckECB(pearson128^3(comm) ^ pearson128^3(fed), pearson128^3(LE32(key_time))) (§10.5)
// comm and fed are the 20-byte fields; fed includes the leading '*'.
Key16 dynamic_key(const wire::Community& community, const wire::Community& federation,
                  std::uint32_t key_time);

}  // namespace n2nkit::keys
