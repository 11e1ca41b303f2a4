#include "core/packet/frame_summary.hpp"

#include <fmt/format.h>

#include "core/packet/ip_endpoint.hpp"
#include "core/packet/tcp_header.hpp"

namespace n2nkit::packet {
namespace {

using json = nlohmann::ordered_json;

std::string mac_at(const std::uint8_t* p) {
  return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", p[0], p[1], p[2], p[3], p[4],
                     p[5]);
}

std::string_view proto_name(std::uint8_t p) {
  switch (p) {
    case 1:
      return "ICMP";
    case 6:
      return "TCP";
    case 17:
      return "UDP";
    case 58:
      return "ICMPv6";
    default:
      return "";
  }
}

void summarize_l4(json& j, std::uint8_t proto, ByteView l4) {
  j["proto"] = proto;
  if (auto name = proto_name(proto); !name.empty()) j["proto_name"] = name;
  if (proto == 1 || proto == 58) {
    if (l4.size() < 4) return void(j["truncated"] = true);
    j["icmp_type"] = l4[0];
    j["icmp_code"] = l4[1];
    const bool echo = proto == 1 ? (l4[0] == 0 || l4[0] == 8) : (l4[0] == 128 || l4[0] == 129);
    if (echo && l4.size() >= 8) {
      j["icmp_id"] = load_be16(l4.data() + 4);
      j["icmp_seq"] = load_be16(l4.data() + 6);
      j["icmp_data_len"] = l4.size() - 8;
    }
  } else if (proto == 6) {
    if (l4.size() < 20) return void(j["truncated"] = true);
    j["sport"] = load_be16(l4.data());
    j["dport"] = load_be16(l4.data() + 2);
    j["tcp_flags"] = tcp_flags_to_string(l4[13]);
    if (auto mss = tcp_mss_option(l4)) j["mss"] = *mss;
  } else if (proto == 17) {
    if (l4.size() < 8) return void(j["truncated"] = true);
    j["sport"] = load_be16(l4.data());
    j["dport"] = load_be16(l4.data() + 2);
  }
}

void summarize_ipv4(json& j, ByteView ip) {
  if (ip.size() < 20) return void(j["truncated"] = true);
  const std::size_t ihl = (ip[0] & 0x0fu) * 4u;
  std::size_t total = load_be16(ip.data() + 2);
  if (ihl < 20 || total < ihl || ihl > ip.size()) return void(j["truncated"] = true);
  if (total > ip.size()) {
    j["truncated"] = true;
    total = ip.size();
  }
  j["ip_src"] = ipv4_to_string(ip.data() + 12);
  j["ip_dst"] = ipv4_to_string(ip.data() + 16);
  j["ip_len"] = load_be16(ip.data() + 2);
  j["ttl"] = ip[8];
  if (load_be16(ip.data() + 6) & 0x4000) j["df"] = true;
  if ((load_be16(ip.data() + 6) & 0x1fff) != 0) {
    j["proto"] = ip[9];
    j["fragment"] = true;
    return;
  }
  summarize_l4(j, ip[9], ip.subspan(ihl, total - ihl));
}

void summarize_ipv6(json& j, ByteView ip) {
  if (ip.size() < 40) return void(j["truncated"] = true);
  j["ip_src"] = ipv6_to_string(ip.data() + 8);
  j["ip_dst"] = ipv6_to_string(ip.data() + 24);
  std::size_t total = 40u + load_be16(ip.data() + 4);
  if (total > ip.size()) {
    j["truncated"] = true;
    total = ip.size();
  }
  std::uint8_t next = ip[6];
  std::size_t off = 40;
  for (int hops = 0; hops < 8 && (next == 0 || next == 43 || next == 60); ++hops) {
    if (total - off < 8) return void(j["truncated"] = true);
    const std::size_t len = (ip[off + 1] + 1u) * 8u;
    if (len > total - off) return void(j["truncated"] = true);
    next = ip[off];
    off += len;
  }
  summarize_l4(j, next, ip.subspan(off, total - off));
}

void summarize_arp(json& j, ByteView a) {
  if (a.size() < 28 || load_be16(a.data() + 2) != 0x0800 || a[4] != 6 || a[5] != 4) {
    return void(j["truncated"] = a.size() < 28);
  }
  const std::uint16_t op = load_be16(a.data() + 6);
  json arp;
  arp["op"] = op == 1 ? "request" : op == 2 ? "reply" : fmt::format("{}", op);
  arp["sender_mac"] = mac_at(a.data() + 8);
  arp["sender_ip"] = ipv4_to_string(a.data() + 14);
  arp["target_mac"] = mac_at(a.data() + 18);
  arp["target_ip"] = ipv4_to_string(a.data() + 24);
  j["arp"] = std::move(arp);
}

}  // namespace

json summarize_ethernet_frame(ByteView f) {
  json j;
  j["len"] = f.size();
  if (f.size() < 14) {
    j["truncated"] = true;
    return j;
  }
  j["dst_mac"] = mac_at(f.data());
  j["src_mac"] = mac_at(f.data() + 6);
  std::size_t off = 12;
  std::uint16_t type = load_be16(f.data() + off);
  if (type == 0x8100 || type == 0x88a8) {
    if (f.size() < 18) {
      j["truncated"] = true;
      return j;
    }
    j["vlan"] = load_be16(f.data() + 14) & 0x0fff;
    off = 16;
    type = load_be16(f.data() + off);
  }
  j["ethertype"] = fmt::format("0x{:04x}", type);
  const ByteView payload = f.subspan(off + 2);
  if (type == 0x0806) summarize_arp(j, payload);
  if (type == 0x0800) summarize_ipv4(j, payload);
  if (type == 0x86dd) summarize_ipv6(j, payload);
  return j;
}

std::string describe_ethernet_frame(const json& s) {
  auto str = [&s](const char* k) {
    return s.contains(k) ? s[k].get<std::string>() : std::string();
  };
  if (s.contains("arp")) {
    const auto& a = s["arp"];
    const std::string op = a["op"].get<std::string>();
    if (op == "reply" && a["sender_ip"] == a["target_ip"]) {
      return fmt::format("gratuitous ARP {} is-at {}", a["sender_ip"].get<std::string>(),
                         a["sender_mac"].get<std::string>());
    }
    if (op == "reply") {
      return fmt::format("ARP reply {} is-at {}", a["sender_ip"].get<std::string>(),
                         a["sender_mac"].get<std::string>());
    }
    return fmt::format("ARP {} who-has {} tell {}", op, a["target_ip"].get<std::string>(),
                       a["sender_ip"].get<std::string>());
  }
  if (!s.contains("ip_src")) {
    return fmt::format("ethertype {} {} > {} ({} bytes)", str("ethertype"), str("src_mac"),
                       str("dst_mac"), s["len"].get<std::size_t>());
  }
  const std::string ends = fmt::format("{} > {}", str("ip_src"), str("ip_dst"));
  const std::string pname = str("proto_name");
  if ((pname == "ICMP" || pname == "ICMPv6") && s.contains("icmp_type")) {
    const int t = s["icmp_type"].get<int>();
    std::string what = fmt::format("{} type {}", pname, t);
    if (pname == "ICMP" && (t == 8 || t == 0))
      what = t == 8 ? "ICMP echo request" : "ICMP echo reply";
    if (pname == "ICMPv6" && (t == 128 || t == 129)) {
      what = t == 128 ? "ICMPv6 echo request" : "ICMPv6 echo reply";
    }
    if (s.contains("icmp_seq")) {
      return fmt::format("{} {} id {} seq {}", what, ends, s["icmp_id"].get<int>(),
                         s["icmp_seq"].get<int>());
    }
    return fmt::format("{} {}", what, ends);
  }
  if (s.contains("sport")) {
    std::string line = fmt::format("{} {}:{} > {}:{}", pname, str("ip_src"), s["sport"].get<int>(),
                                   str("ip_dst"), s["dport"].get<int>());
    if (s.contains("tcp_flags")) line += fmt::format(" [{}]", str("tcp_flags"));
    if (s.contains("mss")) line += fmt::format(" mss {}", s["mss"].get<int>());
    return line;
  }
  return fmt::format("IP proto {} {}", s.value("proto", 0), ends);
}

}  // namespace n2nkit::packet
