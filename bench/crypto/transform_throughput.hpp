#pragma once
// Throughput of our PACKET transforms on frames of one size.
#include <string>

#include "core/crypto/transform.hpp"

namespace n2nkit::bench {

enum class TimeBase { cpu, wall };

struct Throughput {
  double encrypt_mbps = 0;  // frame bytes (not wire bytes) per second, 10^6 bytes
  double decrypt_mbps = 0;
};

// Best of `repeat` runs of about `seconds` each, per direction. IVs come from `random`.
Throughput measure_transform(const crypto::Transform& t, std::size_t frame_size, double seconds,
                             int repeat, TimeBase base, const crypto::RandomSource& random);

// Nanoseconds per 16-byte draw of a random source (best of `repeat`).
double measure_random_ns(const crypto::RandomSource& random, double seconds, int repeat,
                         TimeBase base);

}  // namespace n2nkit::bench
