#pragma once
// An in-memory supernode with a virtual clock and scripted edges built from the wire encoders,
// shared by the test_supernode_*.cpp files.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/supernode/engine.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"

namespace n2nkit::testing {

inline constexpr std::uint64_t kStart = 1'700'000'000;
inline constexpr wire::Mac kSupernodeMac{0x02, 0x53, 0x4e, 0x00, 0x00, 0x01};

constexpr std::uint32_t ipv4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

inline wire::Mac edge_mac(std::uint8_t n) {
  return {0x02, 0x20, 0x30, 0x00, 0x00, n};
}

inline wire::Auth simple_id(std::uint8_t seed) {
  wire::Auth auth;
  auth.scheme = 1;
  auth.size = 16;
  for (std::size_t i = 0; i < 16; ++i) auth.token[i] = static_cast<std::uint8_t>(seed + i);
  return auth;
}

// Filler bytes 0x01, 0x02, ...: header-encrypted answers come out the same on every run.
inline crypto::RandomSource counting_random() {
  return [next = std::uint8_t{0}](MutableByteView out) mutable {
    for (auto& b : out) b = ++next;
  };
}

inline supernode::SupernodeConfig open_config() {
  supernode::SupernodeConfig config;
  config.mac = kSupernodeMac;
  config.random = counting_random();
  return config;
}

// An edge's header encryption with the static community keys (spec §8.2).
inline ByteVector he_sealed(ByteVector datagram, std::string_view community, std::uint64_t stamp,
                            std::uint32_t filler = 0xc7dd61ee) {
  const auto keys = wire::HeaderKeys::from_community(wire::make_community(community));
  REQUIRE(
      wire::he_encrypt(datagram, wire::he_covered_length(datagram, false), keys, stamp, filler));
  return datagram;
}

// An edge's decryption with its community's static keys; empty when it fails.
struct Opened {
  ByteVector plain;
  std::uint64_t stamp = 0;
};
inline std::optional<Opened> he_opened(ByteView datagram, std::string_view community) {
  const auto name = wire::make_community(community);
  Opened o;
  o.plain.resize(datagram.size());
  const auto d = wire::he_decrypt(datagram, datagram.size(), name,
                                  wire::HeaderKeys::from_community(name), o.plain);
  if (!d) return std::nullopt;
  o.stamp = d->stamp;
  return o;
}

inline supernode::CommunityList community_list(std::string_view text) {
  std::vector<std::string> warnings;
  std::string error;
  auto list = supernode::parse_community_list(text, "test.list", warnings, error);
  INFO(error);
  REQUIRE(list);
  return *list;
}

inline wire::CommonHeader edge_header(std::string_view community, std::uint16_t flags = 0) {
  wire::CommonHeader h;
  h.ttl = 2;
  h.flags = flags;
  h.community = wire::make_community(community);
  return h;
}

inline ByteVector encoded(const wire::CommonHeader& h, const wire::Message& m) {
  auto bytes = wire::encode_to_vector(h, m);
  REQUIRE_FALSE(bytes.empty());
  return bytes;
}

// An edge as the supernode sees it: MAC, public socket, announced address, token.
struct ScriptedEdge {
  std::string community = "net";
  wire::Mac mac{};
  wire::Sock sock{};
  wire::IpSubnet dev_addr{};
  std::string desc;
  wire::Auth auth{};
  std::optional<wire::Sock> preferred{};

  ByteVector register_super(std::uint32_t cookie = 0x01020304) const {
    wire::RegisterSuper m;
    m.cookie = cookie;
    m.edge_mac = mac;
    m.sock = preferred;
    m.dev_addr = dev_addr;
    m.desc = wire::make_description(desc);
    m.auth = auth;
    return encoded(edge_header(community), m);
  }
  ByteVector unregister_super() const {
    wire::UnregisterSuper m;
    m.auth = auth;
    m.src_mac = mac;
    return encoded(edge_header(community), m);
  }
  ByteVector query_peer(const wire::Mac& target) const {
    wire::QueryPeer m;
    m.src_mac = mac;
    m.target_mac = target;
    return encoded(edge_header(community), m);
  }
  ByteVector packet(const wire::Mac& dst, ByteView payload, std::uint8_t ttl = 2) const {
    wire::Packet m;
    m.src_mac = mac;
    m.dst_mac = dst;
    m.payload = payload;
    auto h = edge_header(community);
    h.ttl = ttl;
    return encoded(h, m);
  }
  ByteVector register_(const wire::Mac& dst, std::uint32_t cookie = 0x1000) const {
    wire::Register m;
    m.cookie = cookie;
    m.src_mac = mac;
    m.dst_mac = dst;
    m.dev_addr = dev_addr;
    m.desc = wire::make_description(desc);
    return encoded(edge_header(community), m);
  }
};

inline ScriptedEdge scripted_edge(std::uint8_t n, std::string community = "net") {
  ScriptedEdge e;
  e.community = std::move(community);
  e.mac = edge_mac(n);
  e.sock = wire::Sock::ipv4(ipv4(198, 51, 100, n), static_cast<std::uint16_t>(50000 + n));
  e.dev_addr = {ipv4(10, 20, 30, n), 24};
  e.desc = "edge-" + std::to_string(n);
  e.auth = simple_id(static_cast<std::uint8_t>(n * 16));
  return e;
}

struct SentDatagram {
  supernode::Endpoint to;
  ByteVector bytes;         // as sent
  ByteVector plain;         // bytes with the header decrypted (= bytes when plaintext)
  bool encrypted = false;   // the header was encrypted (with a hosted community's keys)
  std::uint64_t stamp = 0;  // its stamp, when encrypted
  wire::Decoded decoded;    // PACKET payload views point into plain
  // Static keys plus a 16-byte trailer (user/password REGISTER_SUPER answers, §10.4): plain
  // then holds the message without the trailer.
  bool with_trailer = false;
};

class SupernodeHarness {
 public:
  explicit SupernodeHarness(supernode::SupernodeConfig config = open_config(),
                            std::uint64_t start = kStart)
      : engine(std::move(config), {start, 0}), now(start) {}

  // Delivers one datagram at the current virtual time; returns what the engine sent.
  std::vector<SentDatagram> deliver(ByteView datagram, const wire::Sock& from) {
    out.clear();
    engine.on_datagram(datagram, supernode::Source{from, 0}, {now, 500000}, out);
    return drain();
  }
  std::vector<SentDatagram> from_edge(const ScriptedEdge& e, ByteView datagram) {
    return deliver(datagram, e.sock);
  }
  // Registers and checks the answer is an ACK.
  wire::RegisterSuperAck register_edge(const ScriptedEdge& e, std::uint32_t cookie = 0x01020304) {
    const auto sent = from_edge(e, e.register_super(cookie));
    REQUIRE(sent.size() == 1);
    const auto* ack = std::get_if<wire::RegisterSuperAck>(&sent[0].decoded.message);
    REQUIRE(ack != nullptr);
    return *ack;
  }

  // Advances the virtual clock, calling on_tick at every deadline passed on the way.
  void advance(std::uint64_t seconds) {
    const std::uint64_t until = now + seconds;
    while (engine.next_deadline().sec <= until) {
      now = engine.next_deadline().sec;
      out.clear();
      engine.on_tick({now, 0}, out);
      CHECK(out.empty());
    }
    now = until;
  }

  const supernode::EdgeRecord* edge(std::string_view community, const wire::Mac& mac) const {
    const auto* c = engine.communities().find(wire::make_community(community));
    return c == nullptr ? nullptr : c->edges.find(mac);
  }
  std::uint64_t drops(Reason r) const { return engine.counters().drops_of(r); }
  std::uint64_t total_drops() const {
    std::uint64_t sum = 0;
    for (const auto d : engine.counters().drops) sum += d;
    return sum;
  }

  supernode::Engine engine;
  supernode::Outbox out;
  std::uint64_t now;

 private:
  std::vector<SentDatagram> drain() {
    std::vector<SentDatagram> sent;
    sent.reserve(out.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      sent.push_back({out[i].to,
                      ByteVector(out[i].bytes.begin(), out[i].bytes.end()),
                      {},
                      false,
                      0,
                      {},
                      false});
    }
    for (auto& s : sent) {
      s.plain = s.bytes;
      if (!wire::looks_like_plaintext_header(s.bytes)) {
        // The engine only encrypts with the keys of communities it hosts.
        for (const auto& [name, community] : engine.communities()) {
          if (!community.header_keys) continue;
          const auto& static_keys = *community.header_keys;
          const auto& dynamic_keys = community.dynamic_keys ? *community.dynamic_keys : static_keys;
          ByteVector plain(s.bytes.size());
          auto t = wire::he_decrypt_trial(s.bytes, name, dynamic_keys, static_keys, plain);
          if (!t) continue;
          plain.resize(t->length);
          s.plain = std::move(plain);
          s.encrypted = true;
          s.stamp = t->stamp;
          s.with_trailer = t->kind == wire::HeKeyKind::static_with_trailer;
          break;
        }
        REQUIRE(s.encrypted);
      }
      auto decoded = wire::decode(s.plain);
      REQUIRE(decoded);
      s.decoded = std::move(*decoded);
    }
    return sent;
  }
};

}  // namespace n2nkit::testing
