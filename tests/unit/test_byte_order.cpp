// The wire fields that a little-endian reference writes in host order (spec §4.6, §10.5, §17)
// and the loads that must not depend on our host's byte order or alignment. These run on
// big-endian s390x and MIPS under qemu-user too (scripts/cross.sh).
#include <doctest/doctest.h>

#include <bit>
#include <string>
#include <vector>

#include "core/crypto/speck.hpp"
#include "core/keys/user_password.hpp"
#include "core/wire/messages.hpp"
#include "core/wire/pearson.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

TEST_SUITE_BEGIN("byte order");

TEST_CASE("byte order: the host this runs on") {
  // Printed so that a cross run's log shows which order was exercised.
  const std::string order =
      std::string("host is ") +
      (std::endian::native == std::endian::big ? "big-endian" : "little-endian");
  MESSAGE(order);
  CHECK(true);
}

TEST_CASE("byte order: explicit load and store helpers give the same bytes on every host") {
  std::array<std::uint8_t, 8> b{};
  store_le32(b.data(), 0x01020304);
  CHECK(to_hex(ByteView{b.data(), 4}) == "04030201");
  store_be32(b.data(), 0x01020304);
  CHECK(to_hex(ByteView{b.data(), 4}) == "01020304");
  store_le64(b.data(), 0x0102030405060708ULL);
  CHECK(to_hex(b) == "0807060504030201");
  CHECK(load_le64(b.data()) == 0x0102030405060708ULL);
  CHECK(load_be64(b.data()) == 0x0807060504030201ULL);
  CHECK(load_be16(b.data()) == 0x0807);
}

TEST_CASE("byte order: supernode entry port is written little-endian whatever the host") {
  RegisterSuperAck ack;
  // 40000 = 0x9c40: the two bytes differ, so a host-order write on a big-endian host shows.
  ack.supernodes.push_back({Sock::ipv4(0xc0000201, 40000), {1, 2, 3, 4, 5, 6}, 2});
  const ByteVector wire = encode_to_vector(CommonHeader{}, ack);
  REQUIRE(wire.size() == 58 + 26);
  const ByteVector entry(wire.begin() + 54, wire.begin() + 80);
  CHECK(to_hex(entry) == "0200409cc0000201000000000000000000000000010203040506");
}

TEST_CASE("byte order: a little-endian reference's supernode entry decodes to its port") {
  // REGISTER_SUPER_ACK with one entry 203.0.113.9:1 as an x86 reference writes it: port 01 00.
  RegisterSuperAck ack;
  ack.supernodes.push_back({Sock::ipv4(0xcb007109, 1), {1, 2, 3, 4, 5, 6}, 2});
  ByteVector wire = encode_to_vector(CommonHeader{}, ack);
  REQUIRE(wire.size() == 84);
  CHECK(wire[56] == 0x01);
  CHECK(wire[57] == 0x00);
  const auto decoded = decode(wire);
  REQUIRE(decoded);
  const auto& got = std::get<RegisterSuperAck>(decoded->message);
  REQUIRE(got.supernodes.size() == 1);
  CHECK(sock_to_string(got.supernodes[0].sock) == "203.0.113.9:1");
}

TEST_CASE("byte order: key_time is hashed as 4 little-endian bytes (spec §10.5 vector)") {
  const auto comm = make_community("mycommunity");
  const auto fed = make_community("*Federation");
  // 1700000000 = 0x6553f100: the reference hashes the bytes 00 f1 53 65.
  const std::array<std::uint8_t, 4> le_time{0x00, 0xf1, 0x53, 0x65};
  const auto triple = [](ByteView v) { return pearson128(pearson128(pearson128(v))); };
  const auto kc = triple(comm);
  const auto kf = triple(fed);
  crypto::Speck128_128::Key key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(kc[i] ^ kf[i]);
  const auto by_hand = crypto::Speck128_128(key).encrypt(triple(le_time));
  const auto d = keys::dynamic_key(comm, fed, 1700000000);
  CHECK(to_hex(d) == "eba4d8a774e2442020eaec7638eeec69");
  CHECK(to_hex(d) == to_hex(by_hand));
}

TEST_CASE("byte order: Pearson and Speck give the same result on unaligned buffers") {
  // Strict-alignment targets (MIPS) trap on unaligned word loads the compiler did not expect.
  std::vector<std::uint8_t> storage(64 + 1);
  for (std::size_t i = 0; i < storage.size(); ++i) storage[i] = static_cast<std::uint8_t>(i * 7);
  const ByteView aligned{storage.data(), 64};
  std::vector<std::uint8_t> shifted_storage(64 + 3);
  std::copy(storage.begin(), storage.begin() + 64, shifted_storage.begin() + 3);
  const ByteView unaligned{shifted_storage.data() + 3, 64};
  CHECK(pearson128(aligned) == pearson128(unaligned));
  CHECK(pearson64(aligned) == pearson64(unaligned));

  const crypto::Speck128_256 c(crypto::Speck128_256::Key{});
  std::array<std::uint8_t, 16> iv{};
  std::vector<std::uint8_t> out_aligned(64);
  std::vector<std::uint8_t> out_unaligned(64 + 1);
  c.ctr_xor(iv.data(), aligned.data(), out_aligned.data(), 64);
  c.ctr_xor(iv.data(), unaligned.data(), out_unaligned.data() + 1, 64);
  CHECK(std::equal(out_aligned.begin(), out_aligned.end(), out_unaligned.begin() + 1));
}

TEST_SUITE_END();
