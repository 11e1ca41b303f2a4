#pragma once
// A TCP SYN or SYN-ACK seen in an Ethernet frame, for people watching MSS negotiation
// (n2n-mss watch): the same parser as clamp_mss(), without changing anything.
#include <optional>

#include "core/mss/syn_frame.hpp"
#include "core/packet/ip_endpoint.hpp"
#include "core/packet/tcp_header.hpp"

namespace n2nkit::mss {

struct SynInfo {
  std::uint8_t ip_version = 4;
  packet::IpEndpoint src;  // address and port
  packet::IpEndpoint dst;
  std::uint8_t tcp_flags = 0;  // SYN always; ACK for a SYN-ACK
  bool syn_ack() const { return (tcp_flags & packet::kTcpAck) != 0; }
  // The largest MSS option; none when the SYN has none or its option list is malformed.
  std::optional<std::uint16_t> mss;
  std::uint8_t mss_options = 0;
  bool options_malformed = false;  // the clamp leaves such SYNs alone
  packet::VlanTags vlan;
};

// nullopt for anything that is not a TCP SYN whose TCP header is complete.
std::optional<SynInfo> inspect_syn(ByteView frame);

}  // namespace n2nkit::mss
