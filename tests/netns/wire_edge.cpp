#include "tests/netns/wire_edge.hpp"

#include <ctime>

#include "core/crypto/random.hpp"

namespace n2nkit::netnstest {

wire::WallTime wall_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return {static_cast<std::uint64_t>(ts.tv_sec), static_cast<std::uint32_t>(ts.tv_nsec / 1000)};
}

std::string describe(const Incoming& in) {
  std::string text;
  if (in.decoded) {
    text = wire::msg_type_name(in.decoded->header.type);
  } else {
    text = "undecodable (" + std::string(reason_name(in.error)) + ")";
  }
  text += " from " + wire::sock_to_string(in.raw.from);
  if (in.encrypted) text += " (header-encrypted)";
  return text;
}

WireEdge::WireEdge(EdgeIdentity identity, UdpSocket socket, wire::Sock supernode)
    : id_(std::move(identity)),
      socket_(std::move(socket)),
      supernode_(supernode),
      community_(wire::make_community(id_.community)),
      keys_(wire::HeaderKeys::from_community(community_)) {}

wire::CommonHeader WireEdge::header(std::uint16_t flags) const {
  wire::CommonHeader h;
  h.ttl = wire::kDefaultTtl;
  h.flags = flags;
  h.community = community_;
  return h;
}

ByteVector WireEdge::seal(ByteVector plaintext) const {
  if (!id_.header_encryption || plaintext.empty()) return plaintext;
  const std::size_t covered = wire::he_covered_length(plaintext, false);
  if (!wire::he_encrypt(plaintext, covered, keys_, stamps_.next(wall_now()),
                        crypto::system_random_u32())) {
    return {};
  }
  return plaintext;
}

ByteVector WireEdge::frame(const wire::Message& message, std::uint16_t flags) const {
  return seal(wire::encode_to_vector(header(flags), message));
}

ByteVector WireEdge::register_super(std::uint32_t cookie, const wire::IpSubnet& dev_addr,
                                    bool null_mac,
                                    const std::optional<wire::Sock>& preferred) const {
  wire::RegisterSuper m;
  m.cookie = cookie;
  m.edge_mac = null_mac ? wire::kNullMac : id_.mac;
  m.sock = preferred;
  m.dev_addr = dev_addr;
  m.desc = wire::make_description(id_.desc);
  m.auth = id_.auth;
  return frame(m);
}

ByteVector WireEdge::unregister_super() const {
  wire::UnregisterSuper m;
  m.auth = id_.auth;
  m.src_mac = id_.mac;
  return frame(m);
}

ByteVector WireEdge::query_peer(const wire::Mac& target) const {
  wire::QueryPeer m;
  m.src_mac = id_.mac;
  m.target_mac = target;
  return frame(m);
}

ByteVector WireEdge::packet(const wire::Mac& dst, ByteView payload) const {
  wire::Packet m;
  m.src_mac = id_.mac;
  m.dst_mac = dst;
  m.payload = payload;
  return frame(m);
}

std::optional<Incoming> WireEdge::receive(std::chrono::milliseconds timeout) const {
  auto raw = socket_.receive(timeout);
  if (!raw) return std::nullopt;
  Incoming in;
  in.raw = std::move(*raw);
  in.plain = in.raw.bytes;
  if (id_.header_encryption) {
    ByteVector out(in.raw.bytes.size());
    const auto opened = wire::he_decrypt(in.raw.bytes, in.raw.bytes.size(), community_, keys_, out);
    if (opened) {
      in.plain = std::move(out);
      in.encrypted = true;
      in.stamp = opened->stamp;
    }
  }
  auto decoded = wire::decode(in.plain);
  if (decoded) {
    in.decoded = std::move(*decoded);
  } else {
    in.error = decoded.error();
  }
  return in;
}

}  // namespace n2nkit::netnstest
