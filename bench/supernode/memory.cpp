#include "bench/supernode/memory.hpp"

#include <malloc.h>

#include <fstream>
#include <string>

namespace n2nkit::bench {

MemorySample sample_memory() {
  MemorySample s;
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("VmRSS:")) {
      s.rss_bytes = std::stoull(line.substr(6)) * 1024;  // "VmRSS:   123456 kB"
      break;
    }
  }
  const struct mallinfo2 mi = mallinfo2();
  s.heap_bytes = mi.uordblks + mi.hblkhd;
  return s;
}

}  // namespace n2nkit::bench
