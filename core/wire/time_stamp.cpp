#include "core/wire/time_stamp.hpp"

namespace n2nkit::wire {

std::uint64_t StampGenerator::next(WallTime now) {
  const std::uint64_t candidate = stamp_of(now);
  if (candidate > last_) {
    last_ = candidate;
    return last_;
  }
  const std::uint64_t counter = (last_ >> 4) & 0xff;
  if (counter < 0xff) {
    last_ = (last_ & ~std::uint64_t{0xff0}) + ((counter + 1) << 4);
    return last_;
  }
  std::uint64_t sec = last_ >> 32;
  std::uint64_t usec = ((last_ >> 12) & 0xfffff) + 1;
  if (usec > 999999) {
    usec = 0;
    ++sec;
  }
  last_ = (sec << 32) | (usec << 12);
  return last_;
}

Status check_stamp_frame(std::uint64_t stamp, std::uint64_t now_stamp) {
  const auto diff = static_cast<std::int64_t>(stamp - now_stamp);
  const std::uint64_t magnitude = diff < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(diff)
                                           : static_cast<std::uint64_t>(diff);
  if (magnitude >= kStampFrame) return fail(Reason::stamp_out_of_window);
  return {};
}

Status ReplayWindow::accept(std::uint64_t stamp, std::uint64_t now_stamp, bool allow_jitter) {
  if (auto s = check_stamp_frame(stamp, now_stamp); !s) return s;
  std::uint64_t slack = 0;
  if (allow_jitter) slack = (stamp & 1) ? kStampJitter << kCounterOnlyJitterShift : kStampJitter;
  const auto d = static_cast<std::int64_t>(stamp - last_ + slack);
  if (d <= 0) return fail(Reason::stamp_replayed);
  if (static_cast<std::int64_t>(stamp - last_) > 0) last_ = stamp;
  return {};
}

}  // namespace n2nkit::wire
