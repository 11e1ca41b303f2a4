#pragma once
// libgcrypt's one-time set-up and owning cipher handles (private to core/crypto). libgcrypt
// provides Twofish, which OpenSSL lacks: its CBC decryption runs many blocks in parallel
// (AVX2 on x86-64), about 2.5× nettle's speed (bench/RESULTS.md).
#include <gcrypt.h>

#include <memory>

#include "core/common/bytes.hpp"

namespace n2nkit::crypto {

struct GcryCipherClose {
  void operator()(gcry_cipher_hd_t h) const { gcry_cipher_close(h); }
};
using GcryCipherPtr = std::unique_ptr<gcry_cipher_handle, GcryCipherClose>;

// Initialises libgcrypt on the first call (thread-safe), unless the application has already
// done so; false when the installed library is older than the headers we were built with.
// Every other gcry_* call must come after it.
bool gcrypt_ready();

// An open handle keyed with `key`; null when libgcrypt is unusable, lacks the algorithm or
// mode (a libgcrypt in FIPS mode refuses Twofish), or rejects the key.
GcryCipherPtr open_gcry_cipher(int algo, int mode, unsigned flags, ByteView key);

}  // namespace n2nkit::crypto
