#pragma once
// CBC with ciphertext stealing, variant CS2 (NIST SP 800-38A addendum), for 16-byte block
// ciphers that only offer ECB/CBC primitives (Twofish through nettle). AES does not use this:
// OpenSSL has the mode built in (§9.3).
//
// CS2: plain CBC when the length is a multiple of 16; otherwise the last partial block is
// zero-padded, CBC-encrypted, and the last two ciphertext blocks are swapped before the
// output is truncated to the input length.
#include <cstddef>
#include <cstdint>

#include <nettle/nettle-types.h>

namespace n2nkit::crypto {

inline constexpr std::size_t kCtsBlock = 16;

struct BlockCipher {
  const void* ctx;              // the nettle cipher context
  nettle_cipher_func* encrypt;  // ECB over whole blocks
  nettle_cipher_func* decrypt;
};

// len ≥ 16. iv is 16 bytes and is not modified. out may equal in (exactly), not overlap
// partially.
void cbc_cs2_encrypt(const BlockCipher& cipher, const std::uint8_t* iv, const std::uint8_t* in,
                     std::uint8_t* out, std::size_t len);
void cbc_cs2_decrypt(const BlockCipher& cipher, const std::uint8_t* iv, const std::uint8_t* in,
                     std::uint8_t* out, std::size_t len);

}  // namespace n2nkit::crypto
