#include "core/crypto/random.hpp"

#include <sys/random.h>

#include <cerrno>
#include <cstdlib>

namespace n2nkit::crypto {

void system_random(MutableByteView out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::abort();  // no entropy source at all: nothing safe to continue with
    }
    done += static_cast<std::size_t>(n);
  }
}

std::uint32_t system_random_u32() {
  std::uint8_t b[4];
  system_random(b);
  return load_be32(b);
}

RandomSource xorshift_source(Xorshift128Plus& rng) {
  return [&rng](MutableByteView out) {
    std::size_t off = 0;
    while (off < out.size()) {
      std::uint8_t block[8];
      store_be64(block, rng.next());
      for (std::size_t i = 0; i < 8 && off < out.size(); ++i) out[off++] = block[i];
    }
  };
}

}  // namespace n2nkit::crypto
