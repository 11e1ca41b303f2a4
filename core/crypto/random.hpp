#pragma once
// Randomness for IVs, challenges, cookies and tokens. The transforms take a RandomSource so
// tests can make them deterministic (the reference tests draw from xorshift128+).
#include <functional>

#include "core/common/bytes.hpp"
#include "core/crypto/xorshift128.hpp"

namespace n2nkit::crypto {

// Fills the view with random bytes.
using RandomSource = std::function<void(MutableByteView)>;

// The operating system's CSPRNG (getrandom); never fails short.
void system_random(MutableByteView out);
std::uint32_t system_random_u32();

// The same CSPRNG, drawn 4 KiB at a time and handed out from the buffer: a getrandom call per
// packet (16 IV bytes, 4 filler bytes) costs ~200 ns, half of a ChaCha20 frame. For one
// thread: copies of the returned source share its buffer.
RandomSource buffered_system_random();

// The reference's convention: each 8 bytes are one xorshift128+ output written big-endian
// (a trailing partial group takes the leading bytes of one more output).
RandomSource xorshift_source(Xorshift128Plus& rng);

}  // namespace n2nkit::crypto
