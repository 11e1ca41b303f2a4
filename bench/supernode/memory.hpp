#pragma once
// What the process holds: resident set (the kernel's view) and heap bytes in use (malloc's).
#include <cstdint>

namespace n2nkit::bench {

struct MemorySample {
  std::uint64_t rss_bytes = 0;   // VmRSS from /proc/self/status; 0 if unreadable
  std::uint64_t heap_bytes = 0;  // mallinfo2().uordblks + hblkhd: allocated, not yet freed
};

MemorySample sample_memory();

}  // namespace n2nkit::bench
