#pragma once
// n2n-mtu's arguments before any I/O: "host:port" of a supernode (host a name, an IPv4
// address or a bracketed IPv6 address), the transform of -A[N], and the search bounds.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/host_port.hpp"
#include "core/crypto/transform.hpp"

namespace n2nkit::mtu {

// -A's value as the edge reads it: empty (bare -A) = AES, 1..5 the transform ids. nullopt: bad.
std::optional<crypto::TransformId> transform_option(std::string_view value);

// -z's value: empty (bare -z) and 1 = LZO, 2 = zstd, 0 = none. false: bad.
bool compression_option(std::string_view value, bool& compressed);

// The range a search may explore: lower ≥ 68 + 28 (a PING must fit), upper ≤ 65535, lower ≤
// upper. Empty string = fine, else the problem.
std::string check_search_bounds(std::size_t lower, std::size_t upper, std::size_t smallest);

}  // namespace n2nkit::mtu
