// X25519 through OpenSSL's EVP interface. n2n's public keys use the point 00..00 09 (u = 9 *
// 2^248), not the standard base point, so even public keys go through a full derive with
// that point as the peer; EVP's own public-key derivation would use u = 9 and be wrong.
#include <openssl/evp.h>

#include <memory>

#include "core/keys/user_password.hpp"

namespace n2nkit::keys {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

}  // namespace

Key32 x25519(const Key32& scalar, const Key32& point) {
  // RFC 7748 defines the result for every input, including low-order points, where it is all
  // zeros. OpenSSL refuses to return that all-zero value; the reference computes it and
  // hashes it like any other, so on failure we return the zeros the function defines.
  Key32 out{};
  PkeyPtr own(EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, nullptr, scalar.data(), scalar.size()));
  PkeyPtr peer(EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nullptr, point.data(), point.size()));
  if (!own || !peer) return out;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(own.get(), nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.get(), 0) != 1) {
    return out;
  }
  std::size_t len = out.size();
  if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1 || len != out.size()) out.fill(0);
  return out;
}

}  // namespace n2nkit::keys
