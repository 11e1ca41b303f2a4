#pragma once
// Finds the UDP datagram in a captured link-layer frame: Ethernet (with 802.1Q/802.1ad tags),
// Linux cooked v1/v2, raw IP, BSD loopback; IPv4 (options) and IPv6 (extension headers).
#include "core/common/result.hpp"
#include "core/packet/ip_endpoint.hpp"

namespace n2nkit::packet {

struct UdpDatagram {
  IpEndpoint src;
  IpEndpoint dst;
  ByteView payload;
};

// linktype is the pcap DLT_* value. Fails with not_ip_udp (other traffic), ip_truncated
// (headers cut or inconsistent lengths) or ip_fragment (non-first or first fragment).
Result<UdpDatagram> find_udp_datagram(int linktype, ByteView frame);

// From an IP packet (version nibble decides).
Result<UdpDatagram> udp_from_ip(ByteView ip);

}  // namespace n2nkit::packet
