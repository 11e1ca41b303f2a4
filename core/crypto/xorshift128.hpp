#pragma once
// The reference's xorshift128+ generator (spec §7). Not for keys or IVs in production (use
// crypto::random_bytes); it exists to reproduce the reference's deterministic unit tests.
#include <cstdint>

namespace n2nkit::crypto {

class Xorshift128Plus {
 public:
  Xorshift128Plus() = default;
  Xorshift128Plus(std::uint64_t a, std::uint64_t b) : a_(a), b_(b) {}

  std::uint64_t next() {
    std::uint64_t t = a_;
    const std::uint64_t s = b_;
    a_ = s;
    t ^= t << 23;
    t ^= t >> 17;
    t ^= s ^ (s >> 26);
    b_ = t;
    return t + s;
  }

 private:
  std::uint64_t a_ = 0x9E3779B97F4A7C15ULL;
  std::uint64_t b_ = 0xBF58476D1CE4E5B9ULL;
};

}  // namespace n2nkit::crypto
