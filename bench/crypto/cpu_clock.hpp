#pragma once
// A std::chrono clock over the calling thread's CPU time. On a shared machine wall-clock
// throughput drops whenever another process gets the core; CPU time does not, and it is what
// `openssl speed` divides by by default (user CPU time), so the two stay comparable.
#include <time.h>

#include <chrono>

namespace n2nkit::bench {

struct ThreadCpuClock {
  using duration = std::chrono::nanoseconds;
  using rep = duration::rep;
  using period = duration::period;
  using time_point = std::chrono::time_point<ThreadCpuClock>;
  static constexpr bool is_steady = true;

  static time_point now() noexcept {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return time_point(std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec));
  }
};

}  // namespace n2nkit::bench
