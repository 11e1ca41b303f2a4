// The community's dynamic header key (spec §10.5).
#include "core/crypto/speck.hpp"
#include "core/keys/user_password.hpp"
#include "core/wire/pearson.hpp"

namespace n2nkit::keys {
namespace {

wire::Hash128 triple_hash(ByteView data) {
  return wire::pearson128(wire::pearson128(wire::pearson128(data)));
}

}  // namespace

Key16 dynamic_key(const wire::Community& community, const wire::Community& federation,
                  std::uint32_t key_time) {
  crypto::Speck128_128::Key key = triple_hash(community);
  const auto fed_hash = triple_hash(federation);
  for (std::size_t i = 0; i < key.size(); ++i) key[i] ^= fed_hash[i];
  // The reference hashes the integer's in-memory bytes on little-endian hosts; fix that order
  // so big-endian builds derive the same key.
  std::array<std::uint8_t, 4> time_bytes;
  store_le32(time_bytes.data(), key_time);
  return crypto::Speck128_128(key).encrypt(triple_hash(time_bytes));
}

}  // namespace n2nkit::keys
