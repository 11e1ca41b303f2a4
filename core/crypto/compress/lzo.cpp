#include "core/crypto/compress/lzo.hpp"

#include <lzo/lzo1x.h>

#include <memory>

namespace n2nkit::crypto {
namespace {

bool lzo_ready() {
  static const bool ok = lzo_init() == LZO_E_OK;
  return ok;
}

// 128 KiB of dictionary per thread, allocated on first use (not static TLS: most threads
// never compress).
unsigned char* work_memory() {
  thread_local std::unique_ptr<unsigned char[]> mem;
  if (!mem) mem = std::make_unique<unsigned char[]>(LZO1X_1_MEM_COMPRESS);
  return mem.get();
}

}  // namespace

std::size_t lzo_compress_bound(std::size_t in_size) {
  // liblzo2's documented worst case for LZO1X.
  return in_size + in_size / 16 + 64 + 3;
}

Result<std::size_t> lzo_compress(ByteView in, MutableByteView out) {
  if (out.size() < lzo_compress_bound(in.size())) return fail(Reason::buffer_too_small);
  if (!lzo_ready()) return fail(Reason::cipher_failure);
  lzo_uint out_len = out.size();
  // liblzo2 never writes to its source; the API just lacks the const.
  const int rc = lzo1x_1_compress(const_cast<std::uint8_t*>(in.data()), in.size(), out.data(),
                                  &out_len, work_memory());
  if (rc != LZO_E_OK) return fail(Reason::buffer_too_small);
  return std::size_t{out_len};
}

Result<std::size_t> lzo_decompress(ByteView in, MutableByteView out) {
  if (!lzo_ready()) return fail(Reason::decompress_failed);
  lzo_uint out_len = out.size();
  const int rc = lzo1x_decompress_safe(in.data(), in.size(), out.data(), &out_len, nullptr);
  switch (rc) {
    case LZO_E_OK:
      return std::size_t{out_len};
    case LZO_E_OUTPUT_OVERRUN:
      return fail(Reason::decompressed_too_large);
    default:  // input overrun, look-behind overrun, trailing input, corrupt stream
      return fail(Reason::decompress_failed);
  }
}

}  // namespace n2nkit::crypto
