#include "core/keys/mac_analysis.hpp"

#include <fmt/format.h>

namespace n2nkit::keys {

namespace {

SlapQuadrant quadrant_of(std::uint8_t first_octet) {
  switch ((first_octet >> 2) & 0x03U) {
    case 0:
      return SlapQuadrant::aai;  // x2
    case 1:
      return SlapQuadrant::reserved;  // x6
    case 2:
      return SlapQuadrant::eli;  // xA
    default:
      return SlapQuadrant::sai;  // xE
  }
}

std::string well_known_block(const wire::Mac& mac) {
  if (mac == wire::kNullMac) return "the null address";
  if (mac == wire::kBroadcastMac) return "the broadcast address";
  if (mac == wire::Mac{0x01, 0x00, 0x5e, 0x00, 0x00, 0x44}) {
    return "IPv4 multicast for 224.0.0.68, the group n2n edges send REGISTERs to (UDP port 1968) "
           "to find peers on their own LAN";
  }
  if (mac[0] == 0x01 && mac[1] == 0x00 && mac[2] == 0x5e) {
    return (mac[3] & 0x80U) == 0 ? "IPv4 multicast (01:00:5e:00:00:00-01:00:5e:7f:ff:ff, RFC 1112)"
                                 : "the IANA multicast block 01:00:5e, upper half (not IPv4)";
  }
  if (mac[0] == 0x33 && mac[1] == 0x33) return "IPv6 multicast (33:33:..., RFC 2464)";
  if (mac[0] == 0x01 && mac[1] == 0x80 && mac[2] == 0xc2 && mac[3] == 0x00 && mac[4] == 0x00 &&
      mac[5] <= 0x0f) {
    return "IEEE 802.1 link-local group (STP, LACP, LLDP, pause; 01:80:c2:00:00:00-0f), which "
           "bridges do not forward";
  }
  return {};
}

}  // namespace

std::string_view slap_quadrant_name(SlapQuadrant q) {
  switch (q) {
    case SlapQuadrant::aai:
      return "AAI";
    case SlapQuadrant::eli:
      return "ELI";
    case SlapQuadrant::sai:
      return "SAI";
    case SlapQuadrant::reserved:
      break;
  }
  return "reserved";
}

std::string_view slap_quadrant_meaning(SlapQuadrant q) {
  switch (q) {
    case SlapQuadrant::aai:
      return "administratively assigned: the quadrant for addresses an administrator or a tool "
             "picks";
    case SlapQuadrant::eli:
      return "extended local identifier: derived from a company ID (CID)";
    case SlapQuadrant::sai:
      return "standard assigned identifier: assigned by a protocol";
    case SlapQuadrant::reserved:
      break;
  }
  return "reserved for future use by IEEE 802c";
}

std::string mac_oui(const wire::Mac& mac) {
  return fmt::format("{:02x}:{:02x}:{:02x}", mac[0], mac[1], mac[2]);
}

MacAnalysis analyse_mac(const wire::Mac& mac) {
  MacAnalysis a;
  a.group = (mac[0] & 0x01U) != 0;
  a.local = (mac[0] & 0x02U) != 0;
  a.null = mac == wire::kNullMac;
  a.broadcast = mac == wire::kBroadcastMac;
  a.n2n_multicast = wire::is_multicast_or_broadcast(mac);
  // 802c defines quadrants for group addresses too, but for 33:33:... "AAI" would mislead.
  if (a.local && !a.group) a.quadrant = quadrant_of(mac[0]);
  a.block = well_known_block(mac);
  a.edge_accepts = !a.group && !a.null;

  if (a.null) {
    a.problems.emplace_back(
        "it is the null address, which n2n uses for \"no MAC\" (a PING to a supernode, an edge "
        "asking for an address, a multicast REGISTER); n2n-edge -m refuses it");
  } else if (a.broadcast) {
    a.problems.emplace_back(
        "it is the broadcast address: a frame to it goes to every edge, and no interface may "
        "send from it; n2n-edge -m refuses it");
  } else if (a.group) {
    a.problems.emplace_back(
        "it is a multicast (group) address: the I/G bit is set, and no interface may send from "
        "such an address; n2n-edge -m refuses it (the first octet must be even)");
  } else if (!a.local) {
    a.problems.emplace_back(fmt::format(
        "it is universally administered (the U/L bit is clear): it lies in the block {} a "
        "vendor assigns to network cards and may collide with a real one on the bridged LAN; "
        "n2n-edge -m would take it, but a locally administered address (second hex digit 2, "
        "6, a or e) is the kind meant for this",
        mac_oui(mac)));
  }
  return a;
}

}  // namespace n2nkit::keys
