#pragma once
// zstd at level 7 through libzstd (§9.7); compression.cpp dispatches here.
#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace n2nkit::crypto {

std::size_t zstd_compress_bound(std::size_t in_size);
// One-shot, same bytes as ZSTD_compress(level 7). out must hold zstd_compress_bound bytes.
Result<std::size_t> zstd_compress(ByteView in, MutableByteView out);
// Every frame must declare its content size and the total must fit out.size().
Result<std::size_t> zstd_decompress(ByteView in, MutableByteView out);

}  // namespace n2nkit::crypto
