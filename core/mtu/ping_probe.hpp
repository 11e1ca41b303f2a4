#pragma once
// Padded n2n PINGs as path-MTU probes towards a supernode (spec §4.9: QUERY_PEER with a null
// target, trailing bytes ignored, answered by a 74-byte PONG = PEER_INFO with a null MAC),
// optionally sealed with a community's static header keys (§8) for -H communities. The same
// message the edge sends (core/edge/path_mtu.cpp), built without an engine for n2n-mtu.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/common/result.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"

namespace n2nkit::mtu {

struct PingProbeSpec {
  wire::Community community{};
  wire::Mac src_mac{};                     // the asking "edge": any locally administered MAC
  const wire::HeaderKeys* keys = nullptr;  // -H: the community's static keys
  std::uint64_t stamp = 0;                 // -H: a fresh time stamp (wire::StampGenerator)
  std::uint32_t filler = 0;                // -H: 4 random pre-IV bytes
};

// Smallest probe in IP-datagram bytes (IPv4: 28 + the 38-byte QUERY_PEER).
std::size_t min_ping_probe_size();
// Largest: 28 + 2048, the longest n2n message (spec §1); supernodes drop longer datagrams.
std::size_t max_ping_probe_size();

// Writes a PING whose IPv4 datagram is `datagram_size` bytes (UDP payload = size − 28) into
// `out`; returns the payload length. Fails (bad_field) when the size is below
// min_ping_probe_size() or the payload does not fit `out`.
Result<std::size_t> build_ping_probe(const PingProbeSpec& spec, std::size_t datagram_size,
                                     MutableByteView out);

// Whether `datagram` is a PONG of `community` (plaintext, or sealed with `keys` when given).
// `scratch` must hold the datagram. Any other message, community or key: false.
bool is_pong(ByteView datagram, const wire::Community& community, const wire::HeaderKeys* keys,
             MutableByteView scratch);

}  // namespace n2nkit::mtu
