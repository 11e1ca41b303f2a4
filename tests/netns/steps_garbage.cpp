// j: datagrams no edge would send (random bytes, every truncation of every message, unknown
// types, oversize, hostile length fields, junk to the management port) must not stop the
// supernode: afterwards it still answers a PING, a registration and a management request.
#include <fmt/format.h>

#include <chrono>
#include <thread>

#include "core/crypto/random.hpp"
#include "tests/netns/mgmt_client.hpp"
#include "tests/netns/suite.hpp"

namespace n2nkit::netnstest {

namespace {

ByteVector random_bytes(std::size_t n) {
  ByteVector v(n);
  crypto::system_random(v);
  return v;
}

std::size_t random_below(std::size_t n) {
  return n == 0 ? 0 : crypto::system_random_u32() % n;
}

}  // namespace

void Suite::garbage() {
  const char* step = "j";
  WireEdge& junk = edge("junk");
  std::size_t sent = 0;
  const auto send = [&](ByteView d) {
    junk.send(d);
    // A little pacing so the kernel does not drop what we mean to deliver.
    if (++sent % 64 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };

  for (int i = 0; i < 300; ++i) send(random_bytes(1 + random_below(120)));
  for (int i = 0; i < 50; ++i) send(random_bytes(120 + random_below(1930)));
  // Random bytes behind a plausible plaintext header (every type code 0..31).
  for (unsigned type = 0; type < 32; ++type) {
    for (int i = 0; i < 4; ++i) {
      auto d = random_bytes(24 + random_below(100));
      d[0] = 3;
      d[1] = 2;
      d[2] = 0;
      d[3] = static_cast<std::uint8_t>(type);
      const auto name = wire::make_community("n2nkit-junk");
      std::copy(name.begin(), name.end(), d.begin() + 4);
      send(d);
    }
  }
  // Every truncation of every message an edge or supernode sends.
  const wire::Mac mac{0x02, 0x6e, 0x32, 0x01, 0x00, 0x08};
  const wire::Sock sock = wire::Sock::ipv4(0xc6130001, 7654);
  std::vector<wire::Message> messages;
  wire::RegisterSuper rs;
  rs.edge_mac = mac;
  rs.sock = sock;
  rs.auth = junk.id().auth;
  messages.emplace_back(rs);
  wire::UnregisterSuper us;
  us.auth = junk.id().auth;
  us.src_mac = mac;
  messages.emplace_back(us);
  messages.emplace_back(wire::QueryPeer{mac, wire::kNullMac, 0});
  const auto payload = random_bytes(64);
  wire::Packet p;
  p.src_mac = mac;
  p.dst_mac = wire::kBroadcastMac;
  p.sock = sock;
  p.payload = payload;
  messages.emplace_back(p);
  wire::Register r;
  r.src_mac = mac;
  r.dst_mac = wire::kBroadcastMac;
  messages.emplace_back(r);
  messages.emplace_back(wire::RegisterAck{1, mac, mac, sock});
  wire::RegisterSuperAck ack;
  ack.src_mac = mac;
  ack.sock = sock;
  ack.supernodes.push_back({sock, mac, 2});
  messages.emplace_back(ack);
  messages.emplace_back(wire::RegisterSuperNak{1, mac, {}});
  wire::PeerInfo info;
  info.src_mac = mac;
  info.mac = mac;
  info.sock = sock;
  messages.emplace_back(info);
  messages.emplace_back(wire::ReRegisterSuper{});
  std::size_t truncations = 0;
  for (const auto& m : messages) {
    auto h = junk.header();
    h.community = wire::make_community("n2nkit-junk");
    const auto full = wire::encode_to_vector(h, m);
    for (std::size_t len = 1; len < full.size(); ++len) {
      send(ByteView(full).first(len));
      ++truncations;
    }
  }
  // Oversize: larger than any n2n buffer (2048), up to a fragmented 60 kB datagram.
  for (const std::size_t n :
       {std::size_t{2049}, std::size_t{3000}, std::size_t{9000}, std::size_t{60000}}) {
    auto d = wire::encode_to_vector(junk.header(), p);
    d.resize(n, 0xa5);
    send(d);
  }
  report_.note(step, fmt::format("sent {} garbage datagrams ({} truncations)", sent, truncations));

  send(ByteView{});  // an empty UDP datagram
  if (!opt_.reference || opt_.hostile_to_reference) {
    // Length fields past the buffers the reference copies into (§2.8, §4.6).
    auto h = junk.header();
    auto d = wire::encode_to_vector(h, rs);
    store_be16(d.data() + 24 + 4 + 6 + 8 + 5 + 16 + 2, 0xffff);  // token_size
    send(d);
    store_be16(d.data() + 24 + 4 + 6 + 8 + 5 + 16 + 2, 49);
    send(d);
    auto u = wire::encode_to_vector(h, us);
    store_be16(u.data() + 26, 0xffff);
    send(u);
    auto a = wire::encode_to_vector(h, ack);
    a[24 + 4 + 6 + 5 + 2 + 8 + 4] = 255;  // num_sn
    send(a);
    report_.note(step, "sent hostile length fields (token_size 49 and 65535, num_sn 255)");
  } else {
    report_.skip(step,
                 "hostile length fields not sent to the reference: it copies token_size and "
                 "num_sn bytes without checking them (spec §2.8, §4.6) and dies of a "
                 "segmentation fault (checked with --hostile-to-reference)");
  }
  if (!opt_.reference) {
    mgmt_send_raw(opt_.ns_sn, opt_.mgmt_port, "");
  } else {
    report_.skip(step,
                 "no empty datagram to the reference's management port: it exits when recvfrom "
                 "returns 0 there");
  }
  mgmt_send_raw(opt_.ns_sn, opt_.mgmt_port, "r");
  mgmt_send_raw(opt_.ns_sn, opt_.mgmt_port, "r 1");
  mgmt_send_raw(opt_.ns_sn, opt_.mgmt_port, std::string(2000, 'r'));
  {
    const auto bin = random_bytes(200);
    mgmt_send_raw(opt_.ns_sn, opt_.mgmt_port, std::string(bin.begin(), bin.end()));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  drain_all();

  WireEdge& a = edge("A");
  std::string seen;
  a.send(a.query_peer(wire::kNullMac));
  const auto pong = a.expect<wire::PeerInfo>(opt_.answer_wait, seen);
  report_.check(pong && pong->second.is_pong(), step, "after the garbage: PING still answered",
                seen.empty() ? "no answer" : seen);
  seen.clear();
  report_.check(ensure_registered("A", step), step,
                "after the garbage: REGISTER_SUPER still acknowledged");
  const auto c = mgmt_query(opt_.ns_sn, opt_.mgmt_port, "r 6 communities");
  report_.check(c.complete, step, "after the garbage: management API still answers", c.error);
}

}  // namespace n2nkit::netnstest
