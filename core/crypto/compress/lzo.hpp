#pragma once
// LZO1X-1 through liblzo2 (§9.7); compression.cpp dispatches here.
#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace n2nkit::crypto {

std::size_t lzo_compress_bound(std::size_t in_size);
// out must hold lzo_compress_bound(in.size()) bytes (else buffer_too_small).
Result<std::size_t> lzo_compress(ByteView in, MutableByteView out);
// Safe decoder; writes at most out.size() bytes (longer output: decompressed_too_large).
Result<std::size_t> lzo_decompress(ByteView in, MutableByteView out);

}  // namespace n2nkit::crypto
