#include "bench/crypto/transform_throughput.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "bench/crypto/cpu_clock.hpp"

namespace n2nkit::bench {
namespace {

// Runs op in batches until `seconds` of the clock have passed; returns operations per second.
template <class Clock, class Op>
double ops_per_second(double seconds, Op&& op) {
  constexpr int kBatch = 64;
  const auto start = Clock::now();
  const auto budget = std::chrono::duration<double>(seconds);
  std::uint64_t ops = 0;
  std::chrono::duration<double> elapsed{};
  do {
    for (int i = 0; i < kBatch; ++i) op();
    ops += kBatch;
    elapsed = Clock::now() - start;
  } while (elapsed < budget);
  return static_cast<double>(ops) / elapsed.count();
}

template <class Op>
double best_ops_per_second(double seconds, int repeat, TimeBase base, Op&& op) {
  double best = 0;
  for (int i = 0; i < repeat; ++i) {
    const double r = base == TimeBase::cpu ? ops_per_second<ThreadCpuClock>(seconds, op)
                                           : ops_per_second<std::chrono::steady_clock>(seconds, op);
    best = std::max(best, r);
  }
  return best;
}

void must(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "bench-crypto: %s failed\n", what);
    std::exit(2);
  }
}

}  // namespace

Throughput measure_transform(const crypto::Transform& t, std::size_t frame_size, double seconds,
                             int repeat, TimeBase base, const crypto::RandomSource& random) {
  ByteVector frame(frame_size);
  for (std::size_t i = 0; i < frame.size(); ++i) frame[i] = static_cast<std::uint8_t>(i * 7);
  ByteVector wire(frame_size + t.overhead());
  ByteVector back(frame_size);
  const auto first = t.encrypt(frame, wire, random);
  must(first.has_value() && *first == wire.size(), "encrypt");

  Throughput result;
  const double enc = best_ops_per_second(
      seconds, repeat, base, [&] { must(t.encrypt(frame, wire, random).has_value(), "encrypt"); });
  // Every decrypt sees the same ciphertext; the cost does not depend on the bytes.
  must(t.decrypt(wire, back).has_value() && back == frame, "round trip");
  const double dec = best_ops_per_second(
      seconds, repeat, base, [&] { must(t.decrypt(wire, back).has_value(), "decrypt"); });
  result.encrypt_mbps = enc * static_cast<double>(frame_size) / 1e6;
  result.decrypt_mbps = dec * static_cast<double>(frame_size) / 1e6;
  return result;
}

double measure_random_ns(const crypto::RandomSource& random, double seconds, int repeat,
                         TimeBase base) {
  std::array<std::uint8_t, 16> iv{};
  const double ops =
      best_ops_per_second(seconds, repeat, base, [&] { random(MutableByteView(iv)); });
  return 1e9 / ops;
}

}  // namespace n2nkit::bench
