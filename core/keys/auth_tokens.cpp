// The challenge/answer tokens and the static-key trailer (spec §10.3, §10.4). Every Speck
// step here is a single ECB block under Kss = Speck128/128 keyed with SS[0..16).
#include <algorithm>

#include "core/crypto/speck.hpp"
#include "core/keys/user_password.hpp"
#include "core/wire/pearson.hpp"

namespace n2nkit::keys {
namespace {

crypto::Speck128_128 kss(const Key32& shared) {
  crypto::Speck128_128::Key key;
  std::copy_n(shared.begin(), key.size(), key.begin());
  return crypto::Speck128_128(key);
}

Key16 block_at(ByteView data, std::size_t offset) {
  Key16 b;
  std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(offset), b.size(), b.begin());
  return b;
}

void xor_into(Key16& dst, const std::uint8_t* src) {
  for (std::size_t i = 0; i < dst.size(); ++i) dst[i] ^= src[i];
}

}  // namespace

AuthToken make_edge_token(const Key32& public_key, const Key32& shared, const Key16& challenge) {
  AuthToken token;
  std::copy(public_key.begin(), public_key.end(), token.begin());
  kss(shared).encrypt_block(challenge.data(), token.data() + 32);
  return token;
}

Result<Key16> challenge_from_edge_token(ByteView token48, const Key32& shared) {
  if (token48.size() != kAuthTokenSize) return fail(Reason::bad_key_length);
  return kss(shared).decrypt(block_at(token48, 32));
}

Result<AuthToken> make_ack_token(ByteView edge_token48, const Key32& shared,
                                 const Key16& dynamic_key) {
  if (edge_token48.size() != kAuthTokenSize) return fail(Reason::bad_key_length);
  const auto cipher = kss(shared);
  const Key16 encrypted_challenge = block_at(edge_token48, 32);
  AuthToken answer;
  // Encrypting the encrypted challenge once more proves knowledge of Kss without revealing it.
  cipher.encrypt_block(encrypted_challenge.data(), answer.data());
  std::copy_n(edge_token48.begin() + 16, 16, answer.begin() + 16);
  Key16 wrapped = cipher.decrypt(encrypted_challenge);
  xor_into(wrapped, dynamic_key.data());
  xor_into(wrapped, shared.data());
  cipher.encrypt_block(wrapped.data(), answer.data() + 32);
  return answer;
}

Result<Key16> dynamic_key_from_ack_token(ByteView ack_token48, const Key32& shared,
                                         const Key16& challenge) {
  if (ack_token48.size() != kAuthTokenSize) return fail(Reason::bad_key_length);
  const auto cipher = kss(shared);
  const Key16 echoed = cipher.decrypt(cipher.decrypt(block_at(ack_token48, 0)));
  if (echoed != challenge) return fail(Reason::auth_challenge_mismatch);
  Key16 key = cipher.decrypt(block_at(ack_token48, 32));
  xor_into(key, challenge.data());
  xor_into(key, shared.data());
  return key;
}

Key16 trailer(ByteView encrypted_without_trailer, const Key32& shared) {
  return kss(shared).encrypt(wire::pearson128(encrypted_without_trailer));
}

}  // namespace n2nkit::keys
