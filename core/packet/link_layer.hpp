#pragma once
// The network-layer packet inside a captured frame, for every link type n2nkit reads
// (n2n-decode, n2n-mss watch, the TUI's MSS view): Ethernet with up to two 802.1Q/802.1ad
// tags, Linux cooked v1/v2, raw IP, BSD loopback.
#include <cstdint>
#include <string>

#include "core/common/bytes.hpp"
#include "core/common/result.hpp"
#include "core/packet/ip_frame.hpp"  // kEtherTypeIpv4/6

namespace n2nkit::packet {

// pcap DLT_* values.
namespace dlt {
inline constexpr int null = 0;
inline constexpr int ethernet = 1;
inline constexpr int raw = 12;
inline constexpr int raw_alt = 101;
inline constexpr int loop = 108;
inline constexpr int linux_sll = 113;
inline constexpr int ipv4 = 228;
inline constexpr int ipv6 = 229;
inline constexpr int linux_sll2 = 276;
}  // namespace dlt

struct NetworkPayload {
  std::uint16_t ethertype = 0;  // where the link type has none: from the IP version nibble
  ByteView packet;
};

// Fails with ip_truncated (the frame is shorter than its link header, or empty where the IP
// version is needed) or not_ip_udp (an unknown link type, or no IPv4/IPv6 version nibble).
Result<NetworkPayload> network_payload(int linktype, ByteView frame);

bool linktype_known(int linktype);
std::string linktype_name(int linktype);  // "EN10MB", "LINUX_SLL2", ... or "DLT <n>"

}  // namespace n2nkit::packet
