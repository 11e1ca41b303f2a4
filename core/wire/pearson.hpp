#pragma once
#include <functional>
// n2n's "Pearson block hashing" (spec §5): splitmix64-style mixing over 1, 2 or 4 lanes.
// Not cryptographic, but it derives keys, checksums and addresses, so it must be exact.
#include <array>

#include "core/common/bytes.hpp"

namespace n2nkit::wire {

using Hash128 = std::array<std::uint8_t, 16>;
using Hash256 = std::array<std::uint8_t, 32>;

std::uint64_t pearson64(ByteView data);
inline std::uint32_t pearson32(ByteView data) {
  return static_cast<std::uint32_t>(pearson64(data));
}
inline std::uint16_t pearson16(ByteView data) {
  return static_cast<std::uint16_t>(pearson64(data));
}
// Lanes written big-endian, highest lane first: the last 8 bytes equal pearson64.
Hash128 pearson128(ByteView data);
// pearson64 of every prefix data[0..n) for n in [first, data.size()], in one pass over the
// data: calls found(n) for each n whose hash has `high` as its upper 32 bits, until found
// returns true. (The hash of a prefix is the state after its whole 8-byte blocks, finished
// with at most 7 byte rounds and the length: O(1) per prefix.)
void pearson64_prefixes_with_high(ByteView data, std::size_t first, std::uint32_t high,
                                  const std::function<bool(std::size_t)>& found);
Hash256 pearson256(ByteView data);

}  // namespace n2nkit::wire
