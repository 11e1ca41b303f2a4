#pragma once
// PACKET compression (spec §9.7): ids on the wire 1 none, 2 LZO1X-1, 3 zstd (level 7).
//
// Thread-safe: the LZO work memory and the zstd contexts are per thread.
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace n2nkit::crypto {

enum class CompressionId : std::uint8_t { none = 1, lzo = 2, zstd = 3 };
inline constexpr std::size_t kMaxDecompressed = 2048;
inline constexpr int kZstdLevel = 7;

std::string_view compression_name(CompressionId id);  // "none", "LZO1X", "zstd"
// From the PACKET's compression byte (1..3); nullopt otherwise.
std::optional<CompressionId> compression_from_wire(std::uint8_t id);

// Compresses into out (which must hold compress_bound(in.size()) bytes, else
// buffer_too_small). The caller sends the result only when it is non-empty and strictly
// shorter than the input (§9.7). `none` copies. An id outside 1..3: unknown_compression.
Result<std::size_t> compress(CompressionId id, ByteView in, MutableByteView out);
std::size_t compress_bound(CompressionId id, std::size_t in_size);
// Safe decoders: never write more than min(out.size(), kMaxDecompressed) bytes; output that
// would be longer fails with decompressed_too_large, so give out kMaxDecompressed bytes.
// zstd frames must declare their content size (ZSTD_compress always does). `none` copies.
// Errors: unknown_compression, decompress_failed, decompressed_too_large.
Result<std::size_t> decompress(CompressionId id, ByteView in, MutableByteView out);

}  // namespace n2nkit::crypto
