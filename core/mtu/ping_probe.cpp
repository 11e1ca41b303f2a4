#include "core/mtu/ping_probe.hpp"

#include <algorithm>

#include "core/mtu/overhead.hpp"

namespace n2nkit::mtu {
namespace {
constexpr std::size_t kQueryPeerBytes = 38;
}  // namespace

std::size_t min_ping_probe_size() {
  return underlay_header_bytes(Underlay::ipv4) + kQueryPeerBytes;
}

std::size_t max_ping_probe_size() {
  return underlay_header_bytes(Underlay::ipv4) + wire::kMaxDatagram;
}

Result<std::size_t> build_ping_probe(const PingProbeSpec& spec, std::size_t datagram_size,
                                     MutableByteView out) {
  if (datagram_size < min_ping_probe_size()) return fail(Reason::bad_field);
  const std::size_t payload = datagram_size - underlay_header_bytes(Underlay::ipv4);
  if (payload > out.size()) return fail(Reason::bad_field);
  wire::CommonHeader header;
  header.ttl = wire::kDefaultTtl;
  header.community = spec.community;
  wire::QueryPeer ping;
  ping.src_mac = spec.src_mac;
  const auto encoded = wire::encode(header, ping, out);
  if (!encoded) return fail(encoded.error());
  std::fill(out.begin() + static_cast<std::ptrdiff_t>(*encoded),
            out.begin() + static_cast<std::ptrdiff_t>(payload), std::uint8_t{0});
  if (spec.keys != nullptr) {
    const auto datagram = out.first(payload);
    const auto sealed = wire::he_encrypt(datagram, wire::he_covered_length(datagram, false),
                                         *spec.keys, spec.stamp, spec.filler);
    if (!sealed) return fail(sealed.error());
  }
  return payload;
}

bool is_pong(ByteView datagram, const wire::Community& community, const wire::HeaderKeys* keys,
             MutableByteView scratch) {
  ByteView plain = datagram;
  if (!wire::looks_like_plaintext_header(datagram)) {
    if (keys == nullptr || scratch.size() < datagram.size()) return false;
    const auto opened = wire::he_decrypt_trial(datagram, community, *keys, *keys, scratch);
    if (!opened) return false;
    plain = ByteView{scratch.data(), opened->length};
  }
  const auto decoded = wire::decode(plain);
  if (!decoded || decoded->header.community != community) return false;
  const auto* info = std::get_if<wire::PeerInfo>(&decoded->message);
  return info != nullptr && info->mac == wire::kNullMac;
}

}  // namespace n2nkit::mtu
