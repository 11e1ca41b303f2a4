#pragma once
// n2n's 6-bit ASCII key encoding (spec §10.1): alphabet 0-9 A-Z a-z + -, big-endian bits.
#include <string>
#include <string_view>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"

namespace n2nkit::keys {

// One character per 6 bits, the last group padded with zero bits (32 bytes -> 43 chars).
std::string ascii6_encode(ByteView data);
// Emits a byte whenever 8 bits have accumulated; leftover bits dropped (43 chars -> 32 bytes).
// Rejects characters outside the alphabet (accepts the reference's '<' = 62 and '>' = 63).
Result<ByteVector> ascii6_decode(std::string_view text);

}  // namespace n2nkit::keys
