#include <doctest/doctest.h>

#include <vector>

#include "core/mtu/ping_probe.hpp"
#include "core/wire/time_stamp.hpp"

using namespace n2nkit;
using namespace n2nkit::mtu;

namespace {

PingProbeSpec spec_for(const wire::Community& c, const wire::HeaderKeys* keys) {
  PingProbeSpec s;
  s.community = c;
  s.src_mac = wire::Mac{0x02, 0, 0, 0, 0, 1};
  s.keys = keys;
  s.stamp = wire::stamp_of(wire::WallTime{1'700'000'000, 5});
  s.filler = 0x01020304;
  return s;
}

std::vector<std::uint8_t> pong_for(const wire::Community& c) {
  wire::CommonHeader h;
  h.community = c;
  h.flags = wire::kFlagFromSupernode;
  wire::PeerInfo pi;
  pi.src_mac = wire::Mac{0x02, 9, 9, 9, 9, 9};
  return wire::encode_to_vector(h, pi);
}

}  // namespace

TEST_CASE("ping probe: a plain PING padded to the datagram size") {
  const auto c = wire::make_community("mtu");
  std::vector<std::uint8_t> out(2048);
  const auto n =
      build_ping_probe(spec_for(c, nullptr), 1400, MutableByteView{out.data(), out.size()});
  REQUIRE(n);
  CHECK(*n == 1400 - 28);
  const auto d = wire::decode(ByteView{out.data(), *n});
  REQUIRE(d);
  CHECK(d->header.community == c);
  const auto* q = std::get_if<wire::QueryPeer>(&d->message);
  REQUIRE(q != nullptr);
  CHECK(q->is_ping());
  CHECK(d->consumed == 38);  // the QUERY_PEER; the rest is padding
}

TEST_CASE("ping probe: sizes below the message or beyond the buffer are refused") {
  const auto c = wire::make_community("mtu");
  std::vector<std::uint8_t> out(100);
  const MutableByteView v{out.data(), out.size()};
  CHECK(min_ping_probe_size() == 66);
  CHECK_FALSE(build_ping_probe(spec_for(c, nullptr), 65, v));
  CHECK(build_ping_probe(spec_for(c, nullptr), 66, v));
  CHECK(build_ping_probe(spec_for(c, nullptr), 128, v));
  CHECK_FALSE(build_ping_probe(spec_for(c, nullptr), 129, v));
}

TEST_CASE("ping probe: -H seals the whole padded PING with the static keys") {
  const auto c = wire::make_community("mtu");
  const auto keys = wire::HeaderKeys::from_community(c);
  std::vector<std::uint8_t> out(2048);
  const auto n =
      build_ping_probe(spec_for(c, &keys), 1300, MutableByteView{out.data(), out.size()});
  REQUIRE(n);
  const ByteView sealed{out.data(), *n};
  CHECK_FALSE(wire::looks_like_plaintext_header(sealed));
  std::vector<std::uint8_t> plain(2048);
  const auto opened =
      wire::he_decrypt_trial(sealed, c, keys, keys, MutableByteView{plain.data(), plain.size()});
  REQUIRE(opened);
  const auto d = wire::decode(ByteView{plain.data(), opened->length});
  REQUIRE(d);
  CHECK(std::get<wire::QueryPeer>(d->message).is_ping());
}

TEST_CASE("ping probe: PONGs are recognised, other messages and communities are not") {
  const auto c = wire::make_community("mtu");
  std::vector<std::uint8_t> scratch(2048);
  const MutableByteView s{scratch.data(), scratch.size()};
  auto pong = pong_for(c);
  CHECK(is_pong(ByteView{pong.data(), pong.size()}, c, nullptr, s));
  CHECK_FALSE(
      is_pong(ByteView{pong.data(), pong.size()}, wire::make_community("other"), nullptr, s));
  std::vector<std::uint8_t> ping(200);
  const auto n =
      build_ping_probe(spec_for(c, nullptr), 200, MutableByteView{ping.data(), ping.size()});
  REQUIRE(n);
  CHECK_FALSE(is_pong(ByteView{ping.data(), *n}, c, nullptr, s));
  CHECK_FALSE(is_pong(ByteView{ping.data(), 10}, c, nullptr, s));

  const auto keys = wire::HeaderKeys::from_community(c);
  REQUIRE(wire::he_encrypt(MutableByteView{pong.data(), pong.size()},
                           wire::he_covered_length(ByteView{pong.data(), pong.size()}, false), keys,
                           wire::stamp_of(wire::WallTime{1'700'000'000, 0}), 7));
  CHECK(is_pong(ByteView{pong.data(), pong.size()}, c, &keys, s));
  CHECK_FALSE(is_pong(ByteView{pong.data(), pong.size()}, c, nullptr, s));
  const auto wrong = wire::HeaderKeys::from_community(wire::make_community("other"));
  CHECK_FALSE(is_pong(ByteView{pong.data(), pong.size()}, c, &wrong, s));
}
