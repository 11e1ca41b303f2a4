#include "core/crypto/random.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <memory>

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

RandomSource buffered_system_random() {
  struct Pool {
    std::array<std::uint8_t, 4096> bytes{};
    std::size_t used = 4096;  // empty: filled on first use
  };
  auto pool = std::make_shared<Pool>();
  return [pool](MutableByteView out) {
    std::size_t done = 0;
    while (done < out.size()) {
      if (pool->used == pool->bytes.size()) {
        system_random(pool->bytes);
        pool->used = 0;
      }
      const std::size_t n = std::min(out.size() - done, pool->bytes.size() - pool->used);
      std::copy_n(pool->bytes.begin() + static_cast<std::ptrdiff_t>(pool->used), n,
                  out.begin() + static_cast<std::ptrdiff_t>(done));
      // Handed-out bytes are not kept around.
      std::fill_n(pool->bytes.begin() + static_cast<std::ptrdiff_t>(pool->used), n, 0);
      pool->used += n;
      done += n;
    }
  };
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
