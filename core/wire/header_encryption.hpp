#pragma once
// Header encryption (spec §8): Speck-CTR over the header with a checksum and time stamp in
// the IV. Works on raw datagrams so it sits between the socket and the message codec.
#include <optional>

#include "core/common/result.hpp"
#include "core/crypto/speck.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::wire {

// A Speck128/128 pair: Kh for the CTR keystream, Ki for the single-block IV step.
class HeaderKeys {
 public:
  // Static keys: Kh = pearson128(20-byte community), Ki = pearson128(Kh).
  static HeaderKeys from_community(const Community& community);
  // Dynamic keys of user/password communities: Kh = pearson128(D), Ki = pearson128(Kh).
  static HeaderKeys from_dynamic_key(const std::array<std::uint8_t, 16>& dynamic_key);

  const crypto::Speck128_128& header_cipher() const { return header_; }
  const crypto::Speck128_128& iv_cipher() const { return iv_; }
  const crypto::Speck128_128::Key& header_key() const { return kh_; }
  const crypto::Speck128_128::Key& iv_key() const { return ki_; }

 private:
  explicit HeaderKeys(const crypto::Speck128_128::Key& kh);
  crypto::Speck128_128::Key kh_, ki_;
  crypto::Speck128_128 header_, iv_;
};

// How many bytes header encryption covers (§8.2): the whole message except for PACKET, where
// it is the PACKET header (plus the 16-byte cipher IV in user/password communities).
std::size_t he_covered_length(ByteView plaintext_datagram, bool user_password);

// Encrypts a plaintext datagram in place (its community field is dropped from the wire).
// `covered` = he_covered_length(...); `filler` is the 4 random pre-IV bytes.
Status he_encrypt(MutableByteView datagram, std::size_t covered, const HeaderKeys& keys,
                  std::uint64_t stamp, std::uint32_t filler);

struct HeDecryption {
  std::uint64_t stamp = 0;
  std::size_t covered = 0;  // the length from the "n2" magic
};

// Decrypts `datagram` as if it were `length` bytes long (the §10.4 trailer case passes
// size − 16) into `out` (at least `length` bytes), restoring the community field. Fails with
// he_no_key (magic mismatch) or he_checksum. The input is never modified.
Result<HeDecryption> he_decrypt(ByteView datagram, std::size_t length, const Community& community,
                                const HeaderKeys& keys, MutableByteView out);

enum class HeKeyKind : std::uint8_t { dynamic = 2, static_with_trailer = 1 };

struct HeTrial : HeDecryption {
  HeKeyKind kind = HeKeyKind::dynamic;
  std::size_t length = 0;  // bytes of `out` holding the plaintext (trailer excluded)
};

// The receivers' trial order (§8.3): dynamic keys over the whole datagram, then static keys
// over all but the last 16 bytes (user/password trailer). Pass the same keys twice for
// communities without user/password.
Result<HeTrial> he_decrypt_trial(ByteView datagram, const Community& community,
                                 const HeaderKeys& dynamic_keys, const HeaderKeys& static_keys,
                                 MutableByteView out);

// A capture taken where the sender used UDP segmentation offload (UDP_SEGMENT; n2nkit's
// daemons do for runs of equal datagrams) can hold a whole train of datagrams in one UDP
// payload: equal sizes, the last possibly shorter. Returns the length of the first datagram
// of such a train when q[0..L) (L < q.size()) decrypts with these keys and its checksum holds,
// so that the caller can cut the train; nullopt when q is no encrypted train under these keys.
std::optional<std::size_t> he_train_segment_length(ByteView q, const Community& community,
                                                   const HeaderKeys& keys);

// The supernode's test (§8.5): does this datagram look like a plaintext header?
bool looks_like_plaintext_header(ByteView datagram);

}  // namespace n2nkit::wire
