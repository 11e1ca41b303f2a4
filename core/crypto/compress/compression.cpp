#include "core/crypto/compress/compression.hpp"

#include <cstring>

#include "core/crypto/compress/lzo.hpp"
#include "core/crypto/compress/zstd.hpp"

namespace n2nkit::crypto {
namespace {

Result<std::size_t> copy_limited(ByteView in, MutableByteView out, std::size_t limit,
                                 Reason too_long) {
  if (in.size() > limit) return fail(too_long);
  if (!in.empty()) std::memcpy(out.data(), in.data(), in.size());
  return in.size();
}

}  // namespace

std::string_view compression_name(CompressionId id) {
  switch (id) {
    case CompressionId::none:
      return "none";
    case CompressionId::lzo:
      return "LZO1X";
    case CompressionId::zstd:
      return "zstd";
  }
  return "invalid";
}

std::optional<CompressionId> compression_from_wire(std::uint8_t id) {
  if (id < 1 || id > 3) return std::nullopt;
  return static_cast<CompressionId>(id);
}

std::size_t compress_bound(CompressionId id, std::size_t in_size) {
  switch (id) {
    case CompressionId::none:
      return in_size;
    case CompressionId::lzo:
      return lzo_compress_bound(in_size);
    case CompressionId::zstd:
      return zstd_compress_bound(in_size);
  }
  return 0;
}

Result<std::size_t> compress(CompressionId id, ByteView in, MutableByteView out) {
  switch (id) {
    case CompressionId::none:
      return copy_limited(in, out, out.size(), Reason::buffer_too_small);
    case CompressionId::lzo:
      return lzo_compress(in, out);
    case CompressionId::zstd:
      return zstd_compress(in, out);
  }
  return fail(Reason::unknown_compression);
}

Result<std::size_t> decompress(CompressionId id, ByteView in, MutableByteView out) {
  const std::size_t limit = std::min(out.size(), kMaxDecompressed);
  switch (id) {
    case CompressionId::none:
      return copy_limited(in, out, limit, Reason::decompressed_too_large);
    case CompressionId::lzo:
      return lzo_decompress(in, out.first(limit));
    case CompressionId::zstd:
      return zstd_decompress(in, out.first(limit));
  }
  return fail(Reason::unknown_compression);
}

}  // namespace n2nkit::crypto
