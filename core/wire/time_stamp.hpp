#pragma once
// Header-encryption time stamps (spec §8.6): generation and the replay/freshness check.
// Pure: the caller passes the time in, so tests and captures can use any clock.
#include <cstdint>
#include <optional>

#include "core/common/result.hpp"

namespace n2nkit::wire {

// Wall-clock time as the stamp format sees it (UNIX seconds and microseconds).
struct WallTime {
  std::uint64_t sec = 0;
  std::uint32_t usec = 0;  // 0..999999
};

// Stamp layout: seconds in bits 63..32, microseconds in 31..12, counter 11..4, bit 0 the
// reference's "counter-only" flag (receivers must understand it; we never need to send it).
inline constexpr std::uint64_t stamp_of(WallTime t) {
  return (t.sec << 32) | (std::uint64_t{t.usec} << 12);
}
inline constexpr std::uint32_t stamp_seconds(std::uint64_t stamp) {
  return static_cast<std::uint32_t>(stamp >> 32);
}

// Produces strictly increasing stamps even when the clock stands still or steps back:
// same microsecond → counter + 1; counter exhausted → the next microsecond.
class StampGenerator {
 public:
  std::uint64_t next(WallTime now);

 private:
  std::uint64_t last_ = 0;
};

inline constexpr std::uint64_t kStampFrame = 0x0000001000000000ULL;  // ±16 s
inline constexpr std::uint64_t kStampJitter = 0x27100000ULL;         // 160 ms
inline constexpr unsigned kCounterOnlyJitterShift = 8;

// Per-sender replay state: the newest valid stamp seen. A new entry starts at now − 16 s.
class ReplayWindow {
 public:
  explicit ReplayWindow(std::uint64_t now_stamp) : last_(now_stamp - kStampFrame) {}

  // Frame check, then strict increase (allow_jitter tolerates 160 ms of reordering, ~41 s for
  // counter-only stamps). Updates the state only when the stamp is accepted.
  Status accept(std::uint64_t stamp, std::uint64_t now_stamp, bool allow_jitter);
  std::uint64_t last() const { return last_; }

 private:
  std::uint64_t last_;
};

// Step 1 alone, for senders without state (unknown peers).
Status check_stamp_frame(std::uint64_t stamp, std::uint64_t now_stamp);

}  // namespace n2nkit::wire
