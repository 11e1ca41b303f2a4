#include "tests/netns/suite.hpp"

#include <fmt/format.h>

#include <cctype>

#include "core/crypto/random.hpp"

namespace n2nkit::netnstest {

namespace {

struct Role {
  const char* name;
  int community;  // 0 open, 1 header-encrypted, 2.. locked-supernode probes
  const char* host;
  std::uint16_t port_offset;
  std::uint8_t mac_group;
  std::uint8_t mac_last;
  const char* desc;
  bool he;
};

// Roles sharing a MAC on purpose: "spoof-mac" = A, "forger-c" = C.
constexpr Role kRoles[] = {
    {"A", 0, "a", 1, 1, 1, "n2nk-edge-a", false},
    {"B", 0, "b", 2, 1, 2, "n2nk-edge-b", false},
    {"C", 0, "a", 3, 1, 3, "n2nk-edge-c", false},
    {"spoof-mac", 0, "b", 4, 1, 1, "n2nk-spoofer", false},
    {"spoof-ip", 0, "b", 5, 1, 5, "n2nk-spoofer-ip", false},
    {"forger-c", 0, "b", 6, 1, 3, "n2nk-edge-c", false},
    {"stranger", 9, "b", 7, 1, 7, "n2nk-stranger", false},
    {"junk", 0, "b", 8, 1, 8, "n2nk-junk", false},
    {"P", 0, "b", 9, 1, 9, "n2nk-edge-p", false},
    {"HA", 1, "a", 11, 2, 1, "n2nk-he-a", true},
    {"HB", 1, "b", 12, 2, 2, "n2nk-he-b", true},
    {"HC", 1, "a", 13, 2, 3, "n2nk-he-c", true},
    {"H-plain", 1, "b", 14, 2, 4, "n2nk-he-plain", false},
    {"L-unlisted", 2, "b", 21, 3, 1, "n2nk-unlisted", false},
    {"L-regex", 3, "b", 22, 3, 2, "n2nk-regex", false},
    {"L-fixed", 4, "b", 23, 3, 3, "n2nk-fixed", false},
    {"L-miss0", 10, "b", 24, 3, 4, "n2nk-miss0", false},
    {"L-miss1", 11, "b", 25, 3, 5, "n2nk-miss1", false},
    {"L-miss2", 12, "b", 26, 3, 6, "n2nk-miss2", false},
};

wire::Auth random_token() {
  wire::Auth auth;
  auth.scheme = 1;
  auth.size = 16;
  crypto::system_random(MutableByteView(auth.token.data(), 16));
  return auth;
}

}  // namespace

std::string subnet_text(const wire::IpSubnet& s) {
  return wire::subnet_to_string(s);
}

std::string mac_upper(const wire::Mac& mac) {
  std::string s = wire::mac_to_string(mac);
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool Suite::setup(std::string& error) {
  for (const auto& r : kRoles) {
    std::string community;
    switch (r.community) {
      case 0:
        community = opt_.community;
        break;
      case 1:
        community = opt_.he_community;
        break;
      case 2:
        community = opt_.unlisted;
        break;
      case 3:
        community = opt_.regex_match;
        break;
      case 4:
        community = opt_.fixed_community;
        break;
      case 9:
        community = "n2nkit-nowhere";
        break;
      default: {
        const auto i = static_cast<std::size_t>(r.community - 10);
        if (i >= opt_.regex_misses.size()) continue;
        community = opt_.regex_misses[i];
      }
    }
    const std::string& ns = std::string(r.host) == "a" ? opt_.ns_a : opt_.ns_b;
    const auto port = static_cast<std::uint16_t>(opt_.base_port + r.port_offset);
    auto sock = UdpSocket::open(ns, port, opt_.supernode, error);
    if (!sock) {
      error = fmt::format("role {} (port {}): {}", r.name, port, error);
      return false;
    }
    EdgeIdentity id;
    id.name = r.name;
    id.community = community;
    id.mac = {0x02, 0x6e, 0x32, r.mac_group, 0x00, r.mac_last};
    id.desc = r.desc;
    id.auth = random_token();
    id.header_encryption = r.he;
    edges_.emplace(r.name, std::make_unique<WireEdge>(id, std::move(*sock), opt_.supernode));
  }
  return true;
}

bool Suite::run(char step) {
  drain_all();
  switch (step) {
    case 'a':
      registration();
      return true;
    case 'b':
      spoofing();
      return true;
    case 'c':
      ping();
      return true;
    case 'd':
      query_peer();
      return true;
    case 'e':
      relay();
      return true;
    case 'f':
      header_encryption();
      return true;
    case 'g':
      locked();
      return true;
    case 'h':
      management();
      return true;
    case 'i':
      unregistration();
      return true;
    case 'j':
      garbage();
      return true;
    default:
      return false;
  }
}

std::uint32_t Suite::cookie() const {
  return crypto::system_random_u32();
}

void Suite::drain_all() const {
  for (const auto& [name, e] : edges_) e->socket().drain();
}

std::optional<std::pair<Incoming, wire::RegisterSuperAck>> Suite::ack_for(const WireEdge& e,
                                                                          ByteView datagram,
                                                                          std::uint32_t want_cookie,
                                                                          std::string& seen) const {
  if (datagram.empty() || !e.send(datagram)) {
    seen = "could not encode or send";
    return std::nullopt;
  }
  const auto deadline = std::chrono::steady_clock::now() + opt_.answer_wait;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    auto got = e.expect<wire::RegisterSuperAck>(left, seen);
    if (!got) break;
    if (got->second.cookie == want_cookie) return got;
    seen += (seen.empty() ? "" : ", ") + fmt::format("ACK with cookie {:#x}", got->second.cookie);
  }
  if (seen.empty()) seen = "no answer";
  return std::nullopt;
}

bool Suite::ensure_registered(const std::string& role, const char* step) {
  WireEdge& e = edge(role);
  std::string seen;
  if (!addr_.contains(role)) {
    const auto c = cookie();
    const auto boot = ack_for(e, e.register_super(c, {}, true), c, seen);
    if (!boot) {
      report_.check(false, step, fmt::format("bootstrap of edge {} answered", role), seen);
      return false;
    }
    addr_[role] = boot->second.dev_addr;
  }
  const auto c = cookie();
  const auto ack = ack_for(e, e.register_super(c, addr_[role]), c, seen);
  if (!ack) {
    report_.check(false, step, fmt::format("registration of edge {} acknowledged", role), seen);
    return false;
  }
  return true;
}

bool Suite::silent(const WireEdge& e, std::string& seen) const {
  const auto deadline = std::chrono::steady_clock::now() + opt_.silence_wait;
  bool quiet = true;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const auto in = e.receive(left);
    if (!in) break;
    quiet = false;
    seen += (seen.empty() ? "" : ", ") + describe(*in);
  }
  return quiet;
}

bool Suite::supernode_mac_ok(const wire::Mac& mac) const {
  return !opt_.supernode_mac || *opt_.supernode_mac == mac;
}

ByteVector Suite::frame_payload(const wire::Mac& dst, const wire::Mac& src,
                                std::size_t size) const {
  // An Ethernet frame with a local experimental EtherType and random contents: the supernode
  // must pass it on byte for byte without looking inside.
  ByteVector frame(std::max<std::size_t>(size, 14));
  std::copy(dst.begin(), dst.end(), frame.begin());
  std::copy(src.begin(), src.end(), frame.begin() + 6);
  frame[12] = 0x88;
  frame[13] = 0xb5;
  crypto::system_random(MutableByteView(frame).subspan(14));
  return frame;
}

void Suite::check_relayed(const char* step, const WireEdge& from, const WireEdge& to,
                          const wire::Mac& dst, ByteView payload, const std::string& what) {
  std::string seen;
  const auto got = to.expect<wire::Packet>(opt_.answer_wait, seen);
  if (!report_.check(got.has_value(), step,
                     fmt::format("{}: PACKET arrives at {}", what, to.id().name),
                     seen.empty() ? "nothing" : seen)) {
    return;
  }
  const auto& [in, p] = *got;
  const auto& h = in.decoded->header;
  const std::uint16_t want = wire::kFlagFromSupernode | wire::kFlagSocket;
  std::vector<std::string> wrong;
  if (in.raw.from != opt_.supernode) wrong.push_back("source " + wire::sock_to_string(in.raw.from));
  if ((h.flags & want) != want) wrong.push_back(fmt::format("flags {:#06x}", h.flags));
  if (!p.sock || *p.sock != from.public_sock()) {
    wrong.push_back("sock " + (p.sock ? wire::sock_to_string(*p.sock) : std::string("absent")));
  }
  if (p.src_mac != from.id().mac || p.dst_mac != dst) {
    wrong.push_back("MACs " + wire::mac_to_string(p.src_mac) + " -> " +
                    wire::mac_to_string(p.dst_mac));
  }
  if (p.compression != 1 || p.transform != 1) {
    wrong.push_back(fmt::format("compression {} transform {}", p.compression, p.transform));
  }
  if (!std::ranges::equal(p.payload, payload)) {
    wrong.push_back(
        fmt::format("payload differs ({} bytes, sent {})", p.payload.size(), payload.size()));
  }
  if (h.ttl != wire::kDefaultTtl - 1) wrong.push_back(fmt::format("TTL {}", h.ttl));
  if (from.id().header_encryption && !in.encrypted) wrong.push_back("header not encrypted");
  if (in.encrypted) {
    const auto now = wire::stamp_of(wall_now());
    if (!wire::check_stamp_frame(in.stamp, now)) wrong.push_back("stamp outside ±16 s");
  }
  std::string detail;
  for (const auto& w : wrong) detail += (detail.empty() ? "" : "; ") + w;
  report_.check(wrong.empty(), step,
                fmt::format("{}: FROM_SUPERNODE|SOCKET, sock = {} ({}), TTL 1, {} payload bytes "
                            "untouched{}",
                            what, wire::sock_to_string(from.public_sock()), from.id().name,
                            payload.size(), in.encrypted ? ", header decrypts" : ""),
                detail);
}

}  // namespace n2nkit::netnstest
