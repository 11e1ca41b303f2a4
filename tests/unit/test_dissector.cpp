#include <doctest/doctest.h>

#include "core/crypto/random.hpp"
#include "core/decode/dissector.hpp"
#include "core/decode/text_line.hpp"
#include "core/packet/frame_builder.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/pearson.hpp"

using namespace n2nkit;
using json = nlohmann::ordered_json;

namespace {

constexpr double kNow = 1795563306.25;
constexpr std::uint64_t kStamp = (1795563306ULL << 32) | (250000ULL << 12);

packet::UdpDatagram udp(ByteView payload, std::uint16_t sport = 50001, std::uint16_t dport = 7654) {
  packet::UdpDatagram d;
  d.src.addr = {192, 0, 2, 1};
  d.src.port = sport;
  d.dst.addr = {203, 0, 113, 10};
  d.dst.port = dport;
  d.payload = payload;
  return d;
}

decode::Dissector make(decode::DecoderConfig cfg) {
  std::string error;
  auto ring = decode::KeyRing::create(cfg, error);
  REQUIRE_MESSAGE(ring, error);
  return decode::Dissector(std::move(*ring), cfg);
}

wire::RegisterSuper simple_register(const wire::Mac& mac) {
  wire::RegisterSuper r;
  r.cookie = 0x11223344;
  r.edge_mac = mac;
  r.dev_addr = {0x0a000001, 24};
  r.desc = wire::make_description("edge");
  r.auth.scheme = 1;
  r.auth.size = 16;
  return r;
}

wire::CommonHeader header(std::string_view community) {
  wire::CommonHeader h;
  h.community = wire::make_community(community);
  return h;
}

}  // namespace

TEST_CASE("plaintext message: every field and the header") {
  decode::DecoderConfig cfg;
  cfg.communities = {"net"};
  auto d = make(cfg);
  const auto bytes = wire::encode_to_vector(header("net"), simple_register({2, 0, 0, 0, 0, 1}));
  auto r = d.dissect(udp(bytes), kNow);
  REQUIRE(r);
  CHECK((*r)["msg"] == "REGISTER_SUPER");
  CHECK((*r)["community"] == "net");
  CHECK((*r)["cookie"] == "11223344");
  CHECK((*r)["edge_mac"] == "02:00:00:00:00:01");
  CHECK((*r)["header_encryption"] == "none");
  CHECK_FALSE(r->contains("error"));
  CHECK(decode::text_line(*r).find("REGISTER_SUPER \"net\" edge 02:00:00:00:00:01") !=
        std::string::npos);
  CHECK(d.stats().by_type.at("REGISTER_SUPER") == 1);
}

TEST_CASE("encrypted header and AES payload with zstd-free frame, found on any port") {
  decode::DecoderConfig cfg;
  cfg.communities = {"other", "net"};
  cfg.key = std::string("secret");
  auto d = make(cfg);

  const auto frame = packet::ethernet_frame(
      {2, 0, 0, 0, 0, 2}, {2, 0, 0, 0, 0, 1}, 0x0800,
      packet::ipv4_packet(1, 0x0a000001, 0x0a000002, packet::icmp_echo(true, 1, 9, {})));
  auto aes = crypto::make_transform(crypto::TransformId::aes, "secret");
  ByteVector payload(frame.size() + 16);
  REQUIRE(aes->encrypt(frame, payload, crypto::system_random));
  wire::Packet p;
  p.src_mac = {2, 0, 0, 0, 0, 1};
  p.dst_mac = {2, 0, 0, 0, 0, 2};
  p.transform = 3;
  p.payload = payload;
  auto bytes = wire::encode_to_vector(header("net"), p);
  const auto keys = wire::HeaderKeys::from_community(wire::make_community("net"));
  REQUIRE(wire::he_encrypt(bytes, wire::he_covered_length(bytes, false), keys, kStamp, 1));

  auto r = d.dissect(udp(bytes, 40000, 40001), kNow);  // peer to peer, no n2n port
  REQUIRE(r);
  CHECK_FALSE(r->contains("error"));
  CHECK((*r)["header_encryption"] == "community-key");
  CHECK((*r)["he_header_len"] == 38);
  CHECK((*r)["stamp_check"] == "ok");
  CHECK((*r)["inner"]["icmp_seq"] == 9);
  CHECK((*r)["inner"]["hex"] == to_hex(frame));

  // PACKETs may arrive 160 ms out of order: a replay within that is accepted (§8.6)...
  auto again = d.dissect(udp(bytes, 40000, 40001), kNow);
  CHECK((*again)["stamp_check"] == "ok");
  // ...but not a message without jitter allowance: still decoded, flagged as replayed.
  wire::UnregisterSuper u;
  u.src_mac = {2, 0, 0, 0, 0, 1};
  auto unreg = wire::encode_to_vector(header("net"), u);
  REQUIRE(wire::he_encrypt(unreg, unreg.size(), keys, kStamp + 0x1000, 2));
  CHECK((*d.dissect(udp(unreg, 40000, 7654), kNow))["stamp_check"] == "ok");
  auto replay = d.dissect(udp(unreg, 40000, 7654), kNow);
  CHECK((*replay)["msg"] == "UNREGISTER_SUPER");
  CHECK((*replay)["stamp_check"] == "stamp_replayed");
  CHECK(d.stats().stamp_problems == 1);
}

TEST_CASE("user/password: the dynamic key is recovered from REGISTER_SUPER + ACK") {
  const std::string comm = "upw";
  const auto community = wire::make_community(comm);
  const auto fed = wire::make_community("*Fed");
  const auto user_priv = keys::user_private_key("alice", "pw");
  const auto user_pub = keys::public_key(user_priv);
  const auto fed_priv = keys::federation_private_key("Fed");
  const auto ss = keys::shared_secret(user_priv, keys::public_key(fed_priv));
  const auto dyn = keys::dynamic_key(community, fed, 1700000000);
  const auto stat = wire::HeaderKeys::from_community(community);

  auto seal_with_trailer = [&](ByteVector bytes, std::uint64_t stamp) {
    REQUIRE(wire::he_encrypt(bytes, bytes.size(), stat, stamp, 5));
    const auto t = keys::trailer(bytes, ss);
    bytes.insert(bytes.end(), t.begin(), t.end());
    return bytes;
  };

  keys::Key16 ch{};
  ch[0] = 0x42;
  auto rs = simple_register({2, 0, 0, 0, 0, 1});
  rs.desc = wire::make_description("alice");
  rs.auth.scheme = 2;
  rs.auth.size = 48;
  const auto token = keys::make_edge_token(user_pub, ss, ch);
  std::copy(token.begin(), token.end(), rs.auth.token.begin());
  const auto m1 = seal_with_trailer(wire::encode_to_vector(header(comm), rs), kStamp);

  wire::RegisterSuperAck ack;
  ack.cookie = rs.cookie;
  ack.auth.scheme = 2;
  ack.auth.size = 48;
  const auto answer = keys::make_ack_token(token, ss, dyn).value();
  std::copy(answer.begin(), answer.end(), ack.auth.token.begin());
  wire::CommonHeader ah = header(comm);
  ah.flags = wire::kFlagFromSupernode | wire::kFlagSocket;
  const auto m2 = seal_with_trailer(wire::encode_to_vector(ah, ack), kStamp + 0x1000);

  wire::QueryPeer q{{2, 0, 0, 0, 0, 1}, {2, 0, 0, 0, 0, 9}, 0};
  auto m3 = wire::encode_to_vector(header(comm), q);
  REQUIRE(
      wire::he_encrypt(m3, m3.size(), wire::HeaderKeys::from_dynamic_key(dyn), kStamp + 0x2000, 6));

  for (bool edge_view : {true, false}) {
    decode::DecoderConfig cfg;
    cfg.communities = {comm};
    if (edge_view) {
      cfg.user = std::string("alice");
      cfg.password = std::string("pw");
      cfg.federation_public_key = keys::key_to_text(keys::public_key(fed_priv));
    } else {
      cfg.federation_name = "Fed";
    }
    auto d = make(cfg);
    auto r1 = d.dissect(udp(m1), kNow);
    CHECK((*r1)["header_encryption"] == "static+hash");
    CHECK((*r1)["trailer"] == "ok");
    CHECK((*r1)["auth_challenge_plain"] == to_hex(ch));
    auto r2 = d.dissect(udp(m2, 7654, 50001), kNow);
    CHECK((*r2)["dynamic_key"] == to_hex(dyn));
    CHECK((*r2)["challenge_echo_ok"] == true);
    auto r3 = d.dissect(udp(m3), kNow);
    CHECK((*r3)["header_encryption"] == "dynamic");
    CHECK((*r3)["msg"] == "QUERY_PEER");
  }
}

TEST_CASE("what is and is not reported") {
  decode::DecoderConfig cfg;
  cfg.communities = {"net"};
  auto d = make(cfg);
  const std::string junk = "this is a DNS query, honestly, not n2n";
  CHECK_FALSE(d.dissect(udp(as_bytes(junk), 5353, 5353), kNow));
  auto r = d.dissect(udp(as_bytes(junk), 5353, 7654), kNow);  // to the supernode port
  REQUIRE(r);
  CHECK((*r)["msg"].is_null());
  CHECK((*r)["error"] == "he_no_key");
  CHECK(d.stats().failures == 1);
  CHECK(d.stats().not_n2n == 1);

  // With --port, everything on that port is reported, and nothing else is looked at.
  cfg.ports = {5353};
  auto only = make(cfg);
  auto short_one = only.dissect(udp(as_bytes("tiny"), 5353, 5353), kNow);
  CHECK((*short_one)["error"] == "too_short");
  CHECK_FALSE(only.dissect(udp(as_bytes(junk), 1, 7654), kNow));
}

TEST_CASE("PACKET with another cipher or a wrong key is a reasoned failure") {
  decode::DecoderConfig cfg;
  cfg.communities = {"net"};
  cfg.key = std::string("k");
  cfg.transform = crypto::TransformId::speck;
  auto d = make(cfg);
  wire::Packet p;
  p.transform = 3;
  const ByteVector payload(40, 1);
  p.payload = payload;
  auto r = d.dissect(udp(wire::encode_to_vector(header("net"), p)), kNow);
  CHECK((*r)["error"] == "transform_mismatch");
  p.transform = 9;
  r = d.dissect(udp(wire::encode_to_vector(header("net"), p)), kNow);
  CHECK((*r)["error"] == "unknown_transform");
  p.transform = 5;
  p.compression = 3;  // zstd id, but the decrypted bytes are garbage
  r = d.dissect(udp(wire::encode_to_vector(header("net"), p)), kNow);
  CHECK((*r)["error"] == "decompress_failed");
}

TEST_CASE("random datagrams never crash the dissector") {
  decode::DecoderConfig cfg;
  cfg.communities = {"net"};
  cfg.key = std::string("k");
  cfg.ports = {7654};
  auto d = make(cfg);
  crypto::Xorshift128Plus rng;
  ByteVector buf;
  for (int i = 0; i < 3000; ++i) {
    buf.resize(rng.next() % 200);
    for (auto& b : buf) b = static_cast<std::uint8_t>(rng.next());
    if (buf.size() > 3 && i % 2) {
      buf[0] = 3;  // push half of them down the plaintext path
      buf[2] = 0;
      buf[3] = static_cast<std::uint8_t>(i % 13);
      if (buf.size() > 23) buf[23] = 0;
    }
    auto r = d.dissect(udp(buf), kNow);
    REQUIRE(r);
    (void)decode::text_line(*r);
    (void)r->dump();
  }
  CHECK(d.stats().messages + d.stats().failures == 3000);
}

TEST_CASE("bad key options give one clear line") {
  std::string error;
  decode::DecoderConfig cfg;
  cfg.communities = {"this-name-is-far-too-long"};
  CHECK_FALSE(decode::KeyRing::create(cfg, error));
  CHECK(error.find("1 to 19 characters") != std::string::npos);
  cfg.communities = {"ok"};
  cfg.user = std::string("alice");
  CHECK_FALSE(decode::KeyRing::create(cfg, error));
  CHECK(error.find("-J") != std::string::npos);
  cfg.password = std::string("pw");
  cfg.federation_public_key = std::string("short");
  CHECK_FALSE(decode::KeyRing::create(cfg, error));
  CHECK(error.find("-P") != std::string::npos);
}

TEST_CASE("a header-encrypted UDP GSO train is cut into its datagrams") {
  decode::DecoderConfig cfg;
  cfg.communities = {"net"};
  cfg.header_encryption = true;
  auto d = make(cfg);
  const auto keys = wire::HeaderKeys::from_community(wire::make_community("net"));
  // Five PACKETs of the same size and a shorter last one, sealed one by one and sent as one
  // payload, as a sender with UDP_SEGMENT hands them to the kernel.
  ByteVector train;
  wire::StampGenerator stamps;
  std::vector<ByteVector> datagrams;
  for (int i = 0; i < 6; ++i) {
    wire::Packet p;
    p.src_mac = {0x02, 0, 0, 0, 0, 1};
    p.dst_mac = {0x02, 0, 0, 0, 0, 2};
    const ByteVector payload(i == 5 ? 40 : 100, static_cast<std::uint8_t>(i));
    p.payload = payload;
    auto bytes = wire::encode_to_vector(header("net"), p);
    REQUIRE(wire::he_encrypt(bytes, wire::he_covered_length(bytes, false), keys,
                             stamps.next({static_cast<std::uint64_t>(kNow), 0}), 0x01020304u));
    train.insert(train.end(), bytes.begin(), bytes.end());
    datagrams.push_back(bytes);
  }
  REQUIRE(wire::he_train_segment_length(train, wire::make_community("net"), keys) ==
          datagrams[0].size());
  // A single datagram is no train.
  CHECK_FALSE(wire::he_train_segment_length(datagrams[0], wire::make_community("net"), keys));
  const auto records = d.dissect_captured(udp(train), kNow);
  REQUIRE(records.size() == 6);
  for (const auto& r : records) {
    CHECK(r["msg"] == "PACKET");
    CHECK_FALSE(r.contains("error"));
  }
  CHECK(records[5]["len"] == datagrams[5].size());
  CHECK(d.stats().trains == 1);
  CHECK(d.stats().failures == 0);
  CHECK(d.stats().messages == 6);
}

TEST_CASE("pearson64 of every prefix in one pass") {
  ByteVector data(100);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 37 + 1);
  for (const std::size_t n :
       {std::size_t{0}, std::size_t{7}, std::size_t{8}, std::size_t{63}, std::size_t{100}}) {
    const auto h = wire::pearson64(ByteView{data.data(), n});
    std::vector<std::size_t> hits;
    wire::pearson64_prefixes_with_high(data, 0, static_cast<std::uint32_t>(h >> 32),
                                       [&](std::size_t k) {
                                         hits.push_back(k);
                                         return false;
                                       });
    CHECK(std::ranges::count(hits, n) == 1);
  }
}
