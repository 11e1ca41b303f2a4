#include "core/crypto/gcrypt_handles.hpp"

namespace n2nkit::crypto {

bool gcrypt_ready() {
  // A function-local static: C++ guarantees one initialisation even with concurrent callers,
  // which libgcrypt requires (its set-up is not thread-safe).
  static const bool ready = [] {
    // gcry_check_version is what initialises the library; it is safe to call again when the
    // application did so already, and then the rest is the application's choice.
    if (gcry_check_version(GCRYPT_VERSION) == nullptr) return false;
    if (gcry_control(GCRYCTL_INITIALIZATION_FINISHED_P) != 0) return true;
    // Keys live in ordinary memory like OpenSSL's; libgcrypt's locked pool would only add
    // warnings and a size limit.
    gcry_control(GCRYCTL_DISABLE_SECMEM, 0);
    gcry_control(GCRYCTL_INITIALIZATION_FINISHED, 0);
    return true;
  }();
  return ready;
}

GcryCipherPtr open_gcry_cipher(int algo, int mode, unsigned flags, ByteView key) {
  if (!gcrypt_ready()) return nullptr;
  gcry_cipher_hd_t raw = nullptr;
  if (gcry_cipher_open(&raw, algo, mode, flags) != 0) return nullptr;
  GcryCipherPtr handle(raw);
  if (gcry_cipher_setkey(handle.get(), key.data(), key.size()) != 0) return nullptr;
  return handle;
}

}  // namespace n2nkit::crypto
