#include "core/wire/pearson.hpp"

namespace n2nkit::wire {
namespace {

constexpr std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

template <std::size_t Lanes>
std::array<std::uint64_t, Lanes> hash_lanes(ByteView data) {
  std::array<std::uint64_t, Lanes> h{};
  auto round = [&h](std::uint64_t v) {
    for (std::size_t j = 0; j < Lanes; ++j) h[j] = mix((h[j] ^ v) - (j + 1));
  };
  const std::size_t blocks = data.size() / 8;
  for (std::size_t i = 0; i < blocks; ++i) round(load_le64(data.data() + 8 * i));
  for (auto& lane : h) lane = ~lane;
  for (std::size_t i = blocks * 8; i < data.size(); ++i) round(data[i]);
  for (auto& lane : h) lane = ~lane;
  round(static_cast<std::uint64_t>(data.size()));
  return h;
}

template <std::size_t Lanes>
std::array<std::uint8_t, 8 * Lanes> to_bytes(const std::array<std::uint64_t, Lanes>& h) {
  std::array<std::uint8_t, 8 * Lanes> out{};
  for (std::size_t j = 0; j < Lanes; ++j) store_be64(out.data() + 8 * (Lanes - 1 - j), h[j]);
  return out;
}

}  // namespace

std::uint64_t pearson64(ByteView data) {
  return hash_lanes<1>(data)[0];
}

void pearson64_prefixes_with_high(ByteView data, std::size_t first, std::uint32_t high,
                                  const std::function<bool(std::size_t)>& found) {
  const auto round = [](std::uint64_t h, std::uint64_t v) { return mix((h ^ v) - 1); };
  std::uint64_t blocks_state = 0;  // after the whole blocks of the current prefix
  std::size_t blocks = 0;
  for (std::size_t n = first; n <= data.size(); ++n) {
    while ((blocks + 1) * 8 <= n) {
      blocks_state = round(blocks_state, load_le64(data.data() + 8 * blocks));
      ++blocks;
    }
    std::uint64_t h = ~blocks_state;
    for (std::size_t i = blocks * 8; i < n; ++i) h = round(h, data[i]);
    h = round(~h, static_cast<std::uint64_t>(n));
    if (static_cast<std::uint32_t>(h >> 32) == high && found(n)) return;
  }
}
Hash128 pearson128(ByteView data) {
  return to_bytes<2>(hash_lanes<2>(data));
}
Hash256 pearson256(ByteView data) {
  return to_bytes<4>(hash_lanes<4>(data));
}

}  // namespace n2nkit::wire
