#pragma once
// Owning handles for OpenSSL EVP cipher objects (private to core/crypto).
#include <openssl/evp.h>

#include <memory>

namespace n2nkit::crypto {

struct EvpCipherFree {
  void operator()(EVP_CIPHER* c) const { EVP_CIPHER_free(c); }
};
struct EvpCipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using EvpCipherPtr = std::unique_ptr<EVP_CIPHER, EvpCipherFree>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, EvpCipherCtxFree>;

}  // namespace n2nkit::crypto
