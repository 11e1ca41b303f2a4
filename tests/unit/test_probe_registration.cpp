#include <doctest/doctest.h>

#include <algorithm>

#include "core/mtu/probe_registration.hpp"
#include "core/wire/time_stamp.hpp"

using namespace n2nkit;
using namespace n2nkit::mtu;

namespace {

const wire::Community kCommunity = wire::make_community("mtu-up");
const wire::Mac kMac{0x02, 1, 2, 3, 4, 5};
const std::uint64_t kStamp = wire::stamp_of(wire::WallTime{1'700'000'000, 1});

// The supernode's view: the user's public key from the community file and the federation's
// private key give the same shared secret (§10.2).
keys::Key32 supernode_shared(std::string_view user, std::string_view password) {
  const auto user_public = keys::public_key(keys::user_private_key(user, password));
  return keys::shared_secret(keys::federation_private_key("Federation"), user_public);
}

// Opens a sealed REGISTER_SUPER as the supernode does and checks its trailer.
wire::RegisterSuper open_register_super(const ByteVector& d, const keys::Key32& shared) {
  REQUIRE(d.size() > 16);
  const auto keys = wire::HeaderKeys::from_community(kCommunity);
  ByteVector plain(d.size());
  const ByteView all{d.data(), d.size()};
  REQUIRE(wire::he_decrypt(all, d.size() - 16, kCommunity, keys,
                           MutableByteView{plain.data(), plain.size()}));
  const auto t = keys::trailer(all.first(d.size() - 16), shared);
  CHECK(std::ranges::equal(t, all.last(16)));
  const auto decoded = wire::decode(ByteView{plain.data(), d.size() - 16});
  REQUIRE(decoded);
  return std::get<wire::RegisterSuper>(decoded->message);
}

// The supernode's sealed answer (static keys + trailer).
ByteVector sealed_answer(const wire::Message& m, const keys::Key32& shared) {
  wire::CommonHeader h;
  h.community = kCommunity;
  h.flags = wire::kFlagFromSupernode;
  ByteVector out(2048);
  const auto n = wire::encode(h, m, MutableByteView{out.data(), out.size()});
  REQUIRE(n);
  out.resize(*n);
  const MutableByteView d{out.data(), out.size()};
  REQUIRE(wire::he_encrypt(d, wire::he_covered_length(d, true),
                           wire::HeaderKeys::from_community(kCommunity), kStamp + 4096, 9));
  const auto t = keys::trailer(ByteView{out.data(), out.size()}, shared);
  out.insert(out.end(), t.begin(), t.end());
  return out;
}

}  // namespace

TEST_CASE("probe registration: REGISTER_SUPER, ACK with the dynamic key, UNREGISTER_SUPER") {
  ProbeRegistration reg(kCommunity, kMac, ProbeCredentials{"alice", "secret", std::nullopt});
  const keys::Key16 challenge{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  const auto shared = supernode_shared("alice", "secret");
  const auto hello = reg.register_super(0x1234, challenge, kStamp, 7);
  const auto rs = open_register_super(hello, shared);
  CHECK(rs.cookie == 0x1234);
  CHECK(rs.edge_mac == kMac);
  CHECK(wire::description_to_string(rs.desc) == "alice");
  CHECK(rs.auth.scheme == 2);
  CHECK(keys::challenge_from_edge_token(rs.auth.token_view(), shared).value() == challenge);

  const keys::Key16 dynamic{0xd0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xd1};
  wire::RegisterSuperAck ack;
  ack.cookie = 0x1234;
  ack.auth.scheme = 2;
  const auto token = keys::make_ack_token(rs.auth.token_view(), shared, dynamic);
  REQUIRE(token);
  ack.auth.size = 48;
  std::ranges::copy(*token, ack.auth.token.begin());
  // Another cookie is not our answer.
  auto other = ack;
  other.cookie = 0x9999;
  const auto wrong = sealed_answer(other, shared);
  CHECK(std::holds_alternative<std::monostate>(
      reg.on_datagram(ByteView{wrong.data(), wrong.size()})));
  CHECK_FALSE(reg.dynamic_keys());
  const auto answer = sealed_answer(ack, shared);
  const auto got = reg.on_datagram(ByteView{answer.data(), answer.size()});
  REQUIRE(std::holds_alternative<ProbeRegistration::Accepted>(got));
  CHECK(std::get<ProbeRegistration::Accepted>(got).dynamic_key == dynamic);
  REQUIRE(reg.dynamic_keys());

  const auto bye = reg.unregister_super(kStamp + 8192, 3);
  ByteVector plain(bye.size());
  const auto dkeys = wire::HeaderKeys::from_dynamic_key(dynamic);
  REQUIRE(wire::he_decrypt(ByteView{bye.data(), bye.size()}, bye.size(), kCommunity, dkeys,
                           MutableByteView{plain.data(), plain.size()}));
  const auto decoded = wire::decode(ByteView{plain.data(), plain.size()});
  REQUIRE(decoded);
  const auto& un = std::get<wire::UnregisterSuper>(decoded->message);
  CHECK(un.src_mac == kMac);
  CHECK(std::ranges::equal(un.auth.token_view().first(32), rs.auth.token_view().first(32)));
}

TEST_CASE(
    "probe registration: a NAK for our MAC and cookie is a refusal, a forged trailer no ACK") {
  ProbeRegistration reg(kCommunity, kMac, ProbeCredentials{"bob", "pw", std::nullopt});
  const auto hello = reg.register_super(77, keys::Key16{}, kStamp, 1);
  REQUIRE_FALSE(hello.empty());
  wire::RegisterSuperNak nak;
  nak.cookie = 77;
  nak.src_mac = kMac;
  const auto other_shared = supernode_shared("bob", "other");  // e.g. a random trailer
  const auto refused = sealed_answer(nak, other_shared);
  CHECK(std::holds_alternative<ProbeRegistration::Refused>(
      reg.on_datagram(ByteView{refused.data(), refused.size()})));
  // An ACK whose trailer was made with another secret is ignored.
  wire::RegisterSuperAck ack;
  ack.cookie = 77;
  ack.auth.scheme = 2;
  ack.auth.size = 48;
  const auto forged = sealed_answer(ack, other_shared);
  CHECK(std::holds_alternative<std::monostate>(
      reg.on_datagram(ByteView{forged.data(), forged.size()})));
  CHECK(std::holds_alternative<std::monostate>(reg.on_datagram(ByteView{forged.data(), 10})));
  CHECK(reg.unregister_super(kStamp, 1).empty());  // nothing to leave before an ACK
}
