#pragma once
// What an Ethernet frame carried through the overlay is: for people (one phrase) and for
// scripts (JSON), as n2n-decode prints it for every decrypted PACKET.
#include <nlohmann/json.hpp>

#include "core/common/bytes.hpp"

namespace n2nkit::packet {

// Fields: len, dst_mac, src_mac, ethertype ("0x0800"), vlan (if tagged); arp{op, sender_mac,
// sender_ip, target_mac, target_ip}; for IPv4/IPv6: ip_src, ip_dst, proto, proto_name; ICMP
// icmp_type, icmp_code, icmp_id, icmp_seq, icmp_data_len; TCP sport, dport, tcp_flags, mss;
// UDP sport, dport; truncated: true when the frame ends early.
nlohmann::ordered_json summarize_ethernet_frame(ByteView frame);

// "ICMP echo request 10.20.30.1 > 10.20.30.2 id 7 seq 1", "ARP reply 10.20.30.1 is-at ..."
std::string describe_ethernet_frame(const nlohmann::ordered_json& summary);

}  // namespace n2nkit::packet
