#include "core/wire/header_encryption.hpp"

#include <algorithm>
#include <cstring>

#include "core/wire/pearson.hpp"

namespace n2nkit::wire {
namespace {

constexpr std::uint32_t kMagic = 0x6E320000;  // "n2" then BE16 covered length
constexpr std::size_t kTrailerSize = 16;
constexpr std::size_t kPacketFixedHeader = 38;

crypto::Speck128_128::Key key_of(const Hash128& h) {
  crypto::Speck128_128::Key k;
  std::copy(h.begin(), h.end(), k.begin());
  return k;
}

// CTR over bytes [16, end) of buf with the IV in buf[0..16).
void xor_keystream(const HeaderKeys& keys, std::uint8_t* buf, std::size_t end) {
  if (end <= 16) return;
  std::uint8_t iv[16];
  std::memcpy(iv, buf, 16);
  keys.header_cipher().ctr_xor(iv, buf + 16, buf + 16, end - 16);
}

}  // namespace

HeaderKeys::HeaderKeys(const crypto::Speck128_128::Key& kh)
    : kh_(kh), ki_(key_of(pearson128(kh))), header_(kh_), iv_(ki_) {}

HeaderKeys HeaderKeys::from_community(const Community& community) {
  return HeaderKeys(key_of(pearson128(community)));
}

HeaderKeys HeaderKeys::from_dynamic_key(const std::array<std::uint8_t, 16>& dynamic_key) {
  return HeaderKeys(key_of(pearson128(dynamic_key)));
}

std::size_t he_covered_length(ByteView p, bool user_password) {
  if (p.size() < kCommonHeaderSize) return p.size();
  const std::uint16_t word = load_be16(p.data() + 2);
  if ((word & kTypeMask) != static_cast<std::uint16_t>(MsgType::packet)) return p.size();
  std::size_t header = kPacketFixedHeader;
  if (word & kFlagSocket) {
    const bool v6 = p.size() > 36 && (p[36] & 0x80);
    header += v6 ? 20 : 8;
  }
  if (header > p.size()) return p.size();
  if (user_password) header += std::min<std::size_t>(16, p.size() - header);
  return header;
}

Status he_encrypt(MutableByteView p, std::size_t covered, const HeaderKeys& keys,
                  std::uint64_t stamp, std::uint32_t filler) {
  if (p.size() < kCommonHeaderSize) return fail(Reason::too_short);
  if (covered < kCommonHeaderSize || covered > p.size() || covered > 0xffff) {
    return fail(Reason::bad_field);
  }
  const std::uint64_t chk = pearson64(p);
  std::memmove(p.data() + 20, p.data(), 4);
  std::array<std::uint8_t, 16> pre_iv;
  store_be32(pre_iv.data(), static_cast<std::uint32_t>(chk >> 32));
  store_be32(pre_iv.data() + 4,
             static_cast<std::uint32_t>(chk) ^ static_cast<std::uint32_t>(stamp >> 32));
  store_be32(pre_iv.data() + 8, static_cast<std::uint32_t>(stamp));
  store_be32(pre_iv.data() + 12, filler);
  keys.iv_cipher().encrypt_block(pre_iv.data(), p.data());
  store_be32(p.data() + 16, kMagic + static_cast<std::uint32_t>(covered));
  xor_keystream(keys, p.data(), covered);
  return {};
}

Result<HeDecryption> he_decrypt(ByteView q, std::size_t length, const Community& community,
                                const HeaderKeys& keys, MutableByteView out) {
  if (length < kCommonHeaderSize || length > q.size()) return fail(Reason::too_short);
  if (out.size() < length) return fail(Reason::buffer_too_small);
  std::memcpy(out.data(), q.data(), length);
  // Peek at the magic alone first: it rejects a wrong key without decrypting the rest.
  std::uint8_t magic[4];
  keys.header_cipher().ctr_xor(q.data(), q.data() + 16, magic, 4);
  const std::uint32_t m = load_be32(magic);
  if ((m & 0xffff0000U) != kMagic) return fail(Reason::he_no_key);
  const std::size_t covered = m & 0xffffU;
  if (covered < kCommonHeaderSize || covered > length) return fail(Reason::he_no_key);
  xor_keystream(keys, out.data(), covered);

  std::array<std::uint8_t, 16> pre_iv;
  keys.iv_cipher().decrypt_block(q.data(), pre_iv.data());
  std::memmove(out.data(), out.data() + 20, 4);
  std::memcpy(out.data() + 4, community.data(), community.size());

  const std::uint64_t chk = pearson64(ByteView{out.data(), length});
  if (static_cast<std::uint32_t>(chk >> 32) != load_be32(pre_iv.data())) {
    return fail(Reason::he_checksum);
  }
  const std::uint64_t x = load_be64(pre_iv.data() + 4);
  return HeDecryption{x ^ (chk << 32), covered};
}

std::optional<std::size_t> he_train_segment_length(ByteView q, const Community& community,
                                                   const HeaderKeys& keys) {
  if (q.size() < 2 * kCommonHeaderSize || q.size() > 65535) return std::nullopt;
  std::uint8_t magic[4];
  keys.header_cipher().ctr_xor(q.data(), q.data() + 16, magic, 4);
  const std::uint32_t m = load_be32(magic);
  if ((m & 0xffff0000U) != kMagic) return std::nullopt;
  const std::size_t covered = m & 0xffffU;
  if (covered < kCommonHeaderSize || covered >= q.size()) return std::nullopt;
  // The header decrypts the same whatever the datagram's length: only the checksum depends
  // on it. Rebuild the plaintext once, then look for the prefix whose checksum holds.
  ByteVector plain(q.begin(), q.end());
  xor_keystream(keys, plain.data(), covered);
  std::memmove(plain.data(), plain.data() + 20, 4);
  std::memcpy(plain.data() + 4, community.data(), community.size());
  std::array<std::uint8_t, 16> pre_iv;
  keys.iv_cipher().decrypt_block(q.data(), pre_iv.data());
  const std::uint32_t high = load_be32(pre_iv.data());
  std::optional<std::size_t> length;
  // A train's segments are all of the first one's size but the last: the length must let the
  // rest be cut into at most 63 more pieces, and the next piece must open with these keys too.
  const std::size_t min_segment = std::max(covered, (q.size() + 63) / 64);
  pearson64_prefixes_with_high(ByteView{plain.data(), q.size() - 1}, min_segment, high,
                               [&](std::size_t n) {
                                 const ByteView next = q.subspan(n);
                                 if (next.size() < kCommonHeaderSize) return false;
                                 std::uint8_t m2[4];
                                 keys.header_cipher().ctr_xor(next.data(), next.data() + 16, m2, 4);
                                 if ((load_be32(m2) & 0xffff0000U) != kMagic) return false;
                                 length = n;
                                 return true;
                               });
  return length;
}

Result<HeTrial> he_decrypt_trial(ByteView q, const Community& community,
                                 const HeaderKeys& dynamic_keys, const HeaderKeys& static_keys,
                                 MutableByteView out) {
  if (q.size() < kCommonHeaderSize) return fail(Reason::too_short);
  auto first = he_decrypt(q, q.size(), community, dynamic_keys, out);
  if (first) {
    HeTrial t;
    static_cast<HeDecryption&>(t) = *first;
    t.kind = HeKeyKind::dynamic;
    t.length = q.size();
    return t;
  }
  if (q.size() < kCommonHeaderSize + kTrailerSize) return fail(first.error());
  auto second = he_decrypt(q, q.size() - kTrailerSize, community, static_keys, out);
  if (!second) return fail(first.error() == Reason::he_checksum ? first.error() : second.error());
  HeTrial t;
  static_cast<HeDecryption&>(t) = *second;
  t.kind = HeKeyKind::static_with_trailer;
  t.length = q.size() - kTrailerSize;
  return t;
}

bool looks_like_plaintext_header(ByteView p) {
  if (p.size() < kCommonHeaderSize) return false;
  const std::uint16_t word = load_be16(p.data() + 2);
  return p[23] == 0 && p[0] == kProtocolVersion && (word & kTypeMask) <= 11 && word < 0x0080;
}

}  // namespace n2nkit::wire
