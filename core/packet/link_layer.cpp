#include "core/packet/link_layer.hpp"

#include <fmt/format.h>

#include "core/common/bytes.hpp"

namespace n2nkit::packet {
namespace {

Result<NetworkPayload> by_version(ByteView ip) {
  if (ip.empty()) return fail(Reason::ip_truncated);
  const int version = ip[0] >> 4;
  if (version == 4) return NetworkPayload{kEtherTypeIpv4, ip};
  if (version == 6) return NetworkPayload{kEtherTypeIpv6, ip};
  return fail(Reason::not_ip_udp);
}

}  // namespace

Result<NetworkPayload> network_payload(int linktype, ByteView f) {
  switch (linktype) {
    case dlt::ethernet: {
      if (f.size() < 14) return fail(Reason::ip_truncated);
      std::size_t off = 12;
      std::uint16_t type = load_be16(f.data() + off);
      // 802.1Q, 802.1ad and the old QinQ value: skip up to two tags.
      for (int tags = 0;
           tags < 2 && (type == kEtherTypeVlan || type == kEtherTypeQinQ || type == 0x9100);
           ++tags) {
        off += 4;
        if (f.size() < off + 2) return fail(Reason::ip_truncated);
        type = load_be16(f.data() + off);
      }
      return NetworkPayload{type, f.subspan(off + 2)};
    }
    case dlt::linux_sll:
      if (f.size() < 16) return fail(Reason::ip_truncated);
      return NetworkPayload{load_be16(f.data() + 14), f.subspan(16)};
    case dlt::linux_sll2:
      if (f.size() < 20) return fail(Reason::ip_truncated);
      return NetworkPayload{load_be16(f.data()), f.subspan(20)};
    case dlt::raw:
    case dlt::raw_alt:
      return by_version(f);
    case dlt::ipv4:
      return NetworkPayload{kEtherTypeIpv4, f};
    case dlt::ipv6:
      return NetworkPayload{kEtherTypeIpv6, f};
    case dlt::null:
    case dlt::loop:
      // 4-byte address family in host (NULL) or network (LOOP) order; the IP version decides.
      if (f.size() < 4) return fail(Reason::ip_truncated);
      return by_version(f.subspan(4));
    default:
      return fail(Reason::not_ip_udp);
  }
}

bool linktype_known(int linktype) {
  switch (linktype) {
    case dlt::null:
    case dlt::ethernet:
    case dlt::raw:
    case dlt::raw_alt:
    case dlt::loop:
    case dlt::linux_sll:
    case dlt::ipv4:
    case dlt::ipv6:
    case dlt::linux_sll2:
      return true;
    default:
      return false;
  }
}

std::string linktype_name(int linktype) {
  switch (linktype) {
    case dlt::null:
      return "NULL";
    case dlt::ethernet:
      return "EN10MB";
    case dlt::raw:
    case dlt::raw_alt:
      return "RAW";
    case dlt::loop:
      return "LOOP";
    case dlt::linux_sll:
      return "LINUX_SLL";
    case dlt::ipv4:
      return "IPV4";
    case dlt::ipv6:
      return "IPV6";
    case dlt::linux_sll2:
      return "LINUX_SLL2";
    default:
      return fmt::format("DLT {}", linktype);
  }
}

}  // namespace n2nkit::packet
