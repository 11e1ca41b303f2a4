#include "bench/supernode/fleet.hpp"

#include <cstdio>
#include <cstdlib>

namespace n2nkit::bench {
namespace {

constexpr std::size_t kPayload = 1400;
// Fixed addresses: 10.0.0.1 upwards, below the default auto-IP pool (10.128.0.0/9), unique.
constexpr std::uint32_t kFixedBase = 0x0A000001u;
constexpr std::uint32_t kPublicBase = 0x64400000u;  // 100.64.0.0: the edges' NAT addresses

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "bench-supernode-scale: %s\n", what);
  std::exit(2);
}

}  // namespace

Fleet::Fleet(std::size_t edges, std::size_t communities, bool encrypted)
    : encrypted_(encrypted), members_(communities), payload_(kPayload) {
  for (std::size_t c = 0; c < communities; ++c) {
    char text[40];
    std::snprintf(text, sizeof text, "community-%04zu", c);
    names_.push_back(wire::make_community(text));
    if (encrypted) keys_.push_back(wire::HeaderKeys::from_community(names_.back()));
  }
  for (std::size_t i = 0; i < payload_.size(); ++i) payload_[i] = static_cast<std::uint8_t>(i);
  edges_.reserve(edges);
  for (std::size_t i = 0; i < edges; ++i) {
    const auto n = static_cast<std::uint32_t>(i);
    SimEdge e;
    e.community = static_cast<std::uint32_t>(i % communities);
    e.mac = {0x02,
             0x4e,
             static_cast<std::uint8_t>(n >> 24),
             static_cast<std::uint8_t>(n >> 16),
             static_cast<std::uint8_t>(n >> 8),
             static_cast<std::uint8_t>(n)};
    e.sock = wire::Sock::ipv4(kPublicBase + n, static_cast<std::uint16_t>(40000 + n % 20000));
    e.auto_ip = i % 2 == 0;
    if (!e.auto_ip) e.dev_addr = {kFixedBase + n, 9};
    e.desc = wire::make_description("edge-" + std::to_string(i));
    e.auth.scheme = 1;
    e.auth.size = 16;
    for (std::size_t k = 0; k < 16; ++k) {
      e.auth.token[k] = static_cast<std::uint8_t>((n >> (8 * (k % 4))) + 31 * k);
    }
    members_[e.community].push_back(n);
    edges_.push_back(e);
  }
}

std::string Fleet::community_list_text() const {
  std::string text;
  for (const auto& n : names_) text += wire::community_to_string(n) + "\n";
  return text;
}

void Fleet::finish(Prepared& p, std::uint32_t edge, const wire::CommonHeader& h,
                   const wire::Message& m, wire::WallTime t) const {
  const auto size = wire::encode(h, m, p.bytes);
  if (!size) fail("encoding a datagram failed");
  p.size = *size;
  p.from = supernode::Source{edges_[edge].sock, 0};
  p.time = t;
  p.edge = edge;
  if (encrypted_) {
    filler_ = filler_ * 1664525u + 1013904223u;
    const MutableByteView d{p.bytes.data(), p.size};
    if (!wire::he_encrypt(d, wire::he_covered_length(d, false), keys_[edges_[edge].community],
                          wire::stamp_of(t), filler_)) {
      fail("sealing a datagram failed");
    }
  }
}

void Fleet::register_super(Prepared& p, std::uint32_t edge, bool bootstrap, std::uint32_t cookie,
                           wire::WallTime t) const {
  const SimEdge& e = edges_[edge];
  wire::CommonHeader h;
  h.community = names_[e.community];
  wire::RegisterSuper m;
  m.cookie = cookie;
  m.edge_mac = bootstrap ? wire::kNullMac : e.mac;
  m.dev_addr = bootstrap ? wire::IpSubnet{} : e.dev_addr;
  m.desc = e.desc;
  m.auth = e.auth;
  finish(p, edge, h, m, t);
}

void Fleet::packet(Prepared& p, std::uint32_t edge, const std::optional<wire::Mac>& dst,
                   wire::WallTime t) const {
  const SimEdge& e = edges_[edge];
  wire::CommonHeader h;
  h.community = names_[e.community];
  wire::Packet m;
  m.src_mac = e.mac;
  m.dst_mac = dst ? *dst : wire::kBroadcastMac;
  m.payload = ByteView{payload_.data(), payload_.size()};
  finish(p, edge, h, m, t);
}

std::optional<wire::RegisterSuperAck> Fleet::read_ack(ByteView datagram,
                                                      std::uint32_t community) const {
  std::array<std::uint8_t, wire::kMaxDatagram> plain{};
  ByteView view = datagram;
  if (encrypted_) {
    const auto opened =
        wire::he_decrypt(datagram, datagram.size(), names_[community], keys_[community], plain);
    if (!opened) return std::nullopt;
    view = ByteView{plain.data(), datagram.size()};
  }
  const auto decoded = wire::decode(view);
  if (!decoded) return std::nullopt;
  const auto* ack = std::get_if<wire::RegisterSuperAck>(&decoded->message);
  if (ack == nullptr) return std::nullopt;
  return *ack;
}

}  // namespace n2nkit::bench
