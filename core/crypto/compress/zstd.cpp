#include "core/crypto/compress/zstd.hpp"

#include <zstd.h>
#include <zstd_errors.h>

#include <memory>

#include "core/crypto/compress/compression.hpp"

namespace n2nkit::crypto {
namespace {

struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// One context per thread, reused: ZSTD_compress would allocate a fresh one per packet.
ZSTD_CCtx* compress_context() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx(ZSTD_createCCtx());
  return ctx.get();
}
ZSTD_DCtx* decompress_context() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}

// Sum of the declared content sizes of all frames; nullopt-like failure when a frame does
// not declare it or is malformed. Stops counting once above `limit`.
Result<std::size_t> declared_size(ByteView in, std::size_t limit) {
  std::size_t total = 0;
  ByteView rest = in;
  while (!rest.empty()) {
    const unsigned long long size = ZSTD_getFrameContentSize(rest.data(), rest.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN) {
      return fail(Reason::decompress_failed);
    }
    if (size > limit - total) return fail(Reason::decompressed_too_large);
    total += static_cast<std::size_t>(size);
    const std::size_t frame = ZSTD_findFrameCompressedSize(rest.data(), rest.size());
    if (ZSTD_isError(frame) || frame == 0 || frame > rest.size()) {
      return fail(Reason::decompress_failed);
    }
    rest = rest.subspan(frame);
  }
  return total;
}

}  // namespace

std::size_t zstd_compress_bound(std::size_t in_size) {
  return ZSTD_compressBound(in_size);
}

Result<std::size_t> zstd_compress(ByteView in, MutableByteView out) {
  if (out.size() < zstd_compress_bound(in.size())) return fail(Reason::buffer_too_small);
  ZSTD_CCtx* ctx = compress_context();
  if (ctx == nullptr) return fail(Reason::cipher_failure);
  const std::size_t n =
      ZSTD_compressCCtx(ctx, out.data(), out.size(), in.data(), in.size(), kZstdLevel);
  if (ZSTD_isError(n)) return fail(Reason::buffer_too_small);
  return n;
}

Result<std::size_t> zstd_decompress(ByteView in, MutableByteView out) {
  if (in.empty()) return fail(Reason::decompress_failed);
  const Result<std::size_t> expected = declared_size(in, out.size());
  if (!expected) return expected;
  ZSTD_DCtx* ctx = decompress_context();
  if (ctx == nullptr) return fail(Reason::decompress_failed);
  const std::size_t n = ZSTD_decompressDCtx(ctx, out.data(), out.size(), in.data(), in.size());
  if (ZSTD_isError(n)) {
    return fail(ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall ? Reason::decompressed_too_large
                                                                    : Reason::decompress_failed);
  }
  return n;
}

}  // namespace n2nkit::crypto
