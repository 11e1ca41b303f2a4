#include "core/mtu/overhead.hpp"

namespace n2nkit::mtu {
namespace {
constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kVlanTag = 4;
}  // namespace

std::size_t packet_header_bytes(Leg leg) {
  return leg == Leg::direct ? 38 : 46;
}

std::size_t transform_bytes(crypto::TransformId id) {
  return id == crypto::TransformId::null ? 0 : 16;
}

std::size_t underlay_header_bytes(Underlay u) {
  return u == Underlay::ipv4 ? 28 : 48;
}

std::size_t udp_payload_overhead(const PathConfig& c, Leg leg) {
  return packet_header_bytes(leg) + transform_bytes(c.transform);
}

std::size_t datagram_overhead_per_frame(const PathConfig& c, Leg leg) {
  return udp_payload_overhead(c, leg) + underlay_header_bytes(c.underlay);
}

std::size_t datagram_overhead_per_ip_packet(const PathConfig& c, Leg leg) {
  return datagram_overhead_per_frame(c, leg) + kEthernetHeader + (c.vlan_tagged ? kVlanTag : 0);
}

std::size_t tap_mtu_for_path(std::size_t path_mtu, const PathConfig& c, bool relay_possible) {
  const std::size_t over =
      datagram_overhead_per_ip_packet(c, relay_possible ? Leg::relayed : Leg::direct);
  return path_mtu > over ? path_mtu - over : 0;
}

std::size_t path_mtu_needed(std::size_t tap_mtu, const PathConfig& c, bool relay_possible) {
  return tap_mtu + datagram_overhead_per_ip_packet(c, relay_possible ? Leg::relayed : Leg::direct);
}

std::size_t tcp_mss_for_mtu(std::size_t mtu, bool ipv6) {
  const std::size_t headers = ipv6 ? 60 : 40;
  return mtu > headers ? mtu - headers : 0;
}

}  // namespace n2nkit::mtu
