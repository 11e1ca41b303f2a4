// Writes a small capture of an n2n v3 network made with n2nkit's own encoders: a supernode on
// a cloud VM, a home-router edge and a laptop edge (the field report's network), AES payloads,
// zstd compression and header encryption. Two edges register, ping each other through the
// overlay and open a TCP connection whose SYN advertises MSS 1460 although the overlay only
// carries 1250: the mistake n2nkit exists to catch. One stray datagram shows how undecodable
// traffic is reported.
//
// usage: n2nkit-demo-capture <output.pcap>
#include <cstdio>
#include <ctime>

#include <fmt/format.h>

#include "core/capture/pcap_writer.hpp"
#include "core/crypto/compress/compression.hpp"
#include "core/crypto/random.hpp"
#include "core/crypto/transform.hpp"
#include "core/keys/user_password.hpp"
#include "core/packet/frame_builder.hpp"
#include "core/packet/tcp_header.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"
#include "core/wire/time_stamp.hpp"

using namespace n2nkit;

namespace {

constexpr const char* kCommunity = "demo-net";
constexpr const char* kKey = "demo-secret-key";

struct Host {
  const char* name;
  std::uint32_t underlay;  // host order
  std::uint16_t port;
  wire::Mac mac;
  std::uint32_t overlay;
};

constexpr std::uint32_t ip(int a, int b, int c, int d) {
  return static_cast<std::uint32_t>((a << 24) | (b << 16) | (c << 8) | d);
}

const Host kSupernode{
    "supernode (cloud VM)", ip(203, 0, 113, 10), 7654, {0x02, 0x53, 0x4e, 0, 0, 1}, 0};
const Host kRouter{"edge: home router",
                   ip(198, 51, 100, 20),
                   40001,
                   {0x02, 0xa0, 0, 0, 0, 0x01},
                   ip(10, 99, 0, 1)};
const Host kLaptop{
    "edge: laptop", ip(192, 0, 2, 30), 51002, {0x02, 0xa0, 0, 0, 0, 0x02}, ip(10, 99, 0, 2)};

class DemoWriter {
 public:
  DemoWriter(capture::PcapWriter& out, double start)
      : out_(out),
        now_(start),
        community_(wire::make_community(kCommunity)),
        keys_(wire::HeaderKeys::from_community(community_)),
        transform_(crypto::make_transform(crypto::TransformId::aes, kKey)) {}

  void advance(double seconds) { now_ += seconds; }

  void send(const Host& from, const Host& to, wire::CommonHeader h, const wire::Message& m) {
    h.community = community_;
    auto bytes = wire::encode_to_vector(h, m);
    const double sec = static_cast<double>(static_cast<std::uint64_t>(now_));
    const auto stamp = stamps_.next(
        {static_cast<std::uint64_t>(now_), static_cast<std::uint32_t>((now_ - sec) * 1e6)});
    const auto covered = wire::he_covered_length(bytes, false);
    if (!wire::he_encrypt(bytes, covered, keys_, stamp, crypto::system_random_u32())) {
      std::fprintf(stderr, "demo: header encryption failed\n");
    }
    emit(from, to, bytes);
  }

  // frame -> zstd (if shorter) -> AES -> PACKET
  void send_frame(const Host& from, const Host& to, const Host& via_sender, const ByteVector& frame,
                  bool relayed) {
    ByteVector compressed(crypto::compress_bound(crypto::CompressionId::zstd, frame.size()));
    auto c = crypto::compress(crypto::CompressionId::zstd, frame, compressed);
    const bool use = c && *c > 0 && *c < frame.size();
    const ByteView plain = use ? ByteView{compressed.data(), *c} : ByteView{frame};
    ByteVector payload(plain.size() + transform_->overhead());
    auto n = transform_->encrypt(plain, payload, crypto::system_random);
    if (!n) return;
    wire::Packet p;
    std::copy_n(via_sender.mac.begin(), 6, p.src_mac.begin());
    std::copy_n(frame.begin(), 6, p.dst_mac.begin());
    p.compression =
        static_cast<std::uint8_t>(use ? crypto::CompressionId::zstd : crypto::CompressionId::none);
    p.transform = static_cast<std::uint8_t>(crypto::TransformId::aes);
    p.payload = ByteView{payload.data(), *n};
    wire::CommonHeader h;
    if (relayed) {
      h.ttl = 1;
      h.flags = wire::kFlagFromSupernode;
      p.sock = wire::Sock::ipv4(via_sender.underlay, via_sender.port);
    }
    send(from, to, h, p);
  }

  void stray(const Host& from, const Host& to, ByteView junk) { emit(from, to, junk); }

 private:
  void emit(const Host& from, const Host& to, ByteView payload) {
    const packet::MacAddress gw_a{0x52, 0x54, 0, 0, 0, 0xaa}, gw_b{0x52, 0x54, 0, 0, 0, 0xbb};
    out_.write(now_, packet::udp_over_ethernet(gw_b, gw_a, from.underlay, from.port, to.underlay,
                                               to.port, payload));
    now_ += 0.000137;
  }

  capture::PcapWriter& out_;
  double now_;
  wire::Community community_;
  wire::HeaderKeys keys_;
  std::unique_ptr<crypto::Transform> transform_;
  wire::StampGenerator stamps_;
};

wire::RegisterSuper register_super(const Host& e, std::uint32_t cookie, const char* desc) {
  wire::RegisterSuper r;
  r.cookie = cookie;
  r.edge_mac = e.mac;
  r.dev_addr = {e.overlay, 24};
  r.desc = wire::make_description(desc);
  r.auth.scheme = 1;
  r.auth.size = 16;
  crypto::system_random(MutableByteView{r.auth.token.data(), 16});
  return r;
}

wire::RegisterSuperAck ack_for(const wire::RegisterSuper& rs, const Host& e) {
  wire::RegisterSuperAck a;
  a.cookie = rs.cookie;
  a.src_mac = kSupernode.mac;
  a.sock = wire::Sock::ipv4(e.underlay, e.port);
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: n2nkit-demo-capture <output.pcap>\n");
    return 64;
  }
  std::string error;
  auto out = capture::PcapWriter::create(argv[1], error);
  if (!out) {
    std::fprintf(stderr, "n2nkit-demo-capture: %s\n", error.c_str());
    return 73;
  }
  DemoWriter w(*out, static_cast<double>(std::time(nullptr)));
  const wire::CommonHeader plain;
  wire::CommonHeader from_sn;
  from_sn.flags = wire::kFlagFromSupernode | wire::kFlagSocket;

  // Registration of both edges.
  const auto rs_router = register_super(kRouter, crypto::system_random_u32(), "home-router");
  w.send(kRouter, kSupernode, plain, rs_router);
  w.send(kSupernode, kRouter, from_sn, ack_for(rs_router, kRouter));
  w.advance(0.7);
  const auto rs_laptop = register_super(kLaptop, crypto::system_random_u32(), "laptop");
  w.send(kLaptop, kSupernode, plain, rs_laptop);
  w.send(kSupernode, kLaptop, from_sn, ack_for(rs_laptop, kLaptop));

  // Supernode ping: QUERY_PEER with a null target, PONG carrying version and uptime.
  w.send(kLaptop, kSupernode, plain, wire::QueryPeer{kLaptop.mac, wire::kNullMac, 0});
  wire::PeerInfo pong;
  pong.src_mac = kSupernode.mac;
  pong.sock = wire::Sock::ipv4(kLaptop.underlay, kLaptop.port);
  pong.uptime = 42;
  const std::string version = "n2nkit-0.1";
  std::copy(version.begin(), version.end(), pong.version.begin());
  wire::CommonHeader pi;
  pi.flags = wire::kFlagFromSupernode;
  w.send(kSupernode, kLaptop, pi, pong);

  // ARP through the supernode (broadcast), then the reply peer to peer.
  w.advance(1.0);
  const auto arp_req = packet::ethernet_frame(
      wire::kBroadcastMac, kLaptop.mac, 0x0806,
      packet::arp_body(1, kLaptop.mac, kLaptop.overlay, {}, kRouter.overlay));
  w.send_frame(kLaptop, kSupernode, kLaptop, arp_req, false);
  w.send_frame(kSupernode, kRouter, kLaptop, arp_req, true);
  const auto arp_rep = packet::ethernet_frame(
      kLaptop.mac, kRouter.mac, 0x0806,
      packet::arp_body(2, kRouter.mac, kRouter.overlay, kLaptop.mac, kLaptop.overlay));
  w.send_frame(kRouter, kLaptop, kRouter, arp_rep, false);

  // Ping across the overlay, peer to peer.
  ByteVector data(56);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>("n2n!"[i % 4]);
  for (std::uint16_t seq = 1; seq <= 2; ++seq) {
    w.advance(0.5);
    w.send_frame(
        kLaptop, kRouter, kLaptop,
        packet::ethernet_frame(kRouter.mac, kLaptop.mac, 0x0800,
                               packet::ipv4_packet(1, kLaptop.overlay, kRouter.overlay,
                                                   packet::icmp_echo(true, 77, seq, data))),
        false);
    w.send_frame(
        kRouter, kLaptop, kRouter,
        packet::ethernet_frame(kLaptop.mac, kRouter.mac, 0x0800,
                               packet::ipv4_packet(1, kRouter.overlay, kLaptop.overlay,
                                                   packet::icmp_echo(false, 77, seq, data))),
        false);
  }

  // TCP through the overlay: the SYN still advertises MSS 1460, though TAP MTU 1290 allows 1250.
  w.advance(0.3);
  w.send_frame(kLaptop, kRouter, kLaptop,
               packet::ethernet_frame(
                   kRouter.mac, kLaptop.mac, 0x0800,
                   packet::ipv4_packet(6, kLaptop.overlay, kRouter.overlay,
                                       packet::tcp_segment(kLaptop.overlay, kRouter.overlay, 50514,
                                                           22, 1000, 0, packet::kTcpSyn, 1460))),
               false);
  w.send_frame(
      kRouter, kLaptop, kRouter,
      packet::ethernet_frame(
          kLaptop.mac, kRouter.mac, 0x0800,
          packet::ipv4_packet(6, kRouter.overlay, kLaptop.overlay,
                              packet::tcp_segment(kRouter.overlay, kLaptop.overlay, 22, 50514, 9000,
                                                  1001, packet::kTcpSyn | packet::kTcpAck, 1250))),
      false);

  // A datagram to the supernode port that is not n2n at all.
  w.advance(0.2);
  const std::string junk = "GET / HTTP/1.0\r\n\r\n not n2n at all";
  w.stray(kLaptop, kSupernode, as_bytes(junk));

  // The laptop leaves.
  wire::UnregisterSuper u;
  u.auth = rs_laptop.auth;
  u.src_mac = kLaptop.mac;
  w.send(kLaptop, kSupernode, plain, u);

  std::printf("wrote %s: community %s, key %s, AES (-A3), zstd (-z2), header encryption (-H)\n",
              argv[1], kCommunity, kKey);
  return 0;
}
