#pragma once
// PACKET compression (spec §9.7): ids on the wire 1 none, 2 LZO1X-1, 3 zstd (level 7).
#include "core/common/result.hpp"

namespace n2nkit::crypto {

enum class CompressionId : std::uint8_t { none = 1, lzo = 2, zstd = 3 };
inline constexpr std::size_t kMaxDecompressed = 2048;

std::string_view compression_name(CompressionId id);  // "none", "LZO1X", "zstd"

// Compresses into out (which must hold compress_bound(in.size()) bytes). The caller sends
// the result only when it is non-empty and strictly shorter than the input (§9.7).
Result<std::size_t> compress(CompressionId id, ByteView in, MutableByteView out);
std::size_t compress_bound(CompressionId id, std::size_t in_size);
// Safe decoders; out of kMaxDecompressed bytes is enough for anything valid.
Result<std::size_t> decompress(CompressionId id, ByteView in, MutableByteView out);

}  // namespace n2nkit::crypto
