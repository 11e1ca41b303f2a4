// keys::random_local_mac, mac families and keys::mac_from_name (core/keys/mac_address).
#include <doctest/doctest.h>

#include <set>

#include "core/keys/mac_address.hpp"

using n2nkit::keys::MacFamily;
using n2nkit::wire::Mac;

namespace {

void fill_with(n2nkit::MutableByteView out, std::uint8_t value) {
  for (auto& b : out) b = value;
}

}  // namespace

TEST_CASE("random MACs are unicast and locally administered") {
  for (int i = 0; i < 64; ++i) {
    const auto mac = n2nkit::keys::random_local_mac();
    CHECK((mac[0] & 0x01) == 0);
    CHECK((mac[0] & 0x02) == 0x02);
  }
  const auto fixed =
      n2nkit::keys::random_local_mac([](n2nkit::MutableByteView out) { fill_with(out, 0xff); });
  CHECK(fixed == Mac{0xfe, 0xff, 0xff, 0xff, 0xff, 0xff});
  const auto zero =
      n2nkit::keys::random_local_mac([](n2nkit::MutableByteView out) { fill_with(out, 0x00); });
  CHECK(zero == Mac{0x02, 0, 0, 0, 0, 0});
}

TEST_CASE("random MACs of one family keep the random high nibble") {
  const auto ff = [](n2nkit::MutableByteView out) { fill_with(out, 0xff); };
  CHECK(n2nkit::keys::random_local_mac(MacFamily::x2, ff)[0] == 0xf2);
  CHECK(n2nkit::keys::random_local_mac(MacFamily::x6, ff)[0] == 0xf6);
  CHECK(n2nkit::keys::random_local_mac(MacFamily::xa, ff)[0] == 0xfa);
  CHECK(n2nkit::keys::random_local_mac(MacFamily::xe, ff)[0] == 0xfe);
  const auto zero = [](n2nkit::MutableByteView out) { fill_with(out, 0x00); };
  CHECK(n2nkit::keys::random_local_mac(MacFamily::xe, zero) == Mac{0x0e, 0, 0, 0, 0, 0});
  std::set<std::uint8_t> high_nibbles;
  for (int i = 0; i < 256; ++i) {
    const auto mac = n2nkit::keys::random_local_mac(MacFamily::xa);
    CHECK((mac[0] & 0x0f) == 0x0a);
    high_nibbles.insert(static_cast<std::uint8_t>(mac[0] >> 4));
  }
  CHECK(high_nibbles.size() > 8);  // 256 draws miss more than half of 16 values: p < 1e-40
}

TEST_CASE("mac families: parsing and digits") {
  using n2nkit::keys::parse_mac_family;
  CHECK(parse_mac_family("2") == MacFamily::x2);
  CHECK(parse_mac_family("6") == MacFamily::x6);
  CHECK(parse_mac_family("a") == MacFamily::xa);
  CHECK(parse_mac_family("A") == MacFamily::xa);
  CHECK(parse_mac_family("e") == MacFamily::xe);
  CHECK(parse_mac_family("xE") == MacFamily::xe);
  CHECK(parse_mac_family("X2") == MacFamily::x2);
  for (const char* bad :
       {"", "0", "1", "3", "4", "8", "c", "f", "x", "xx", "22", "02", "x3", " 2"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_mac_family(bad));
  }
  CHECK(n2nkit::keys::mac_family_digit(MacFamily::x2) == '2');
  CHECK(n2nkit::keys::mac_family_digit(MacFamily::xa) == 'a');
  CHECK(n2nkit::keys::mac_family_digit(MacFamily::xe) == 'e');
}

// The derivation is a documented format (n2n-mac(1)): these vectors come from
// printf '%s' "n2nkit-mac-v1:NAME" | sha256sum, not from this code.
TEST_CASE("mac_from_name: fixed vectors of the documented derivation") {
  using n2nkit::keys::mac_from_name;
  CHECK(n2nkit::keys::kMacFromNamePrefix == "n2nkit-mac-v1:");
  // sha256 349d25845654...: 0x34 -> 0x36
  CHECK(mac_from_name("host1") == Mac{0x36, 0x9d, 0x25, 0x84, 0x56, 0x54});
  // 61371e615fed...: 0x61 -> 0x62
  CHECK(mac_from_name("edge-berlin") == Mac{0x62, 0x37, 0x1e, 0x61, 0x5f, 0xed});
  // 1eaa73c4bb82...: already local unicast
  CHECK(mac_from_name("a") == Mac{0x1e, 0xaa, 0x73, 0xc4, 0xbb, 0x82});
  // f85d54bc601a... (the UTF-8 bytes of the name)
  CHECK(mac_from_name("Z\xc3\xbcrich") == Mac{0xfa, 0x5d, 0x54, 0xbc, 0x60, 0x1a});
  // 38ff4d4eb7e0...
  CHECK(mac_from_name("") == Mac{0x3a, 0xff, 0x4d, 0x4e, 0xb7, 0xe0});
  // Families replace the low nibble of the first octet only.
  CHECK(mac_from_name("edge-berlin", MacFamily::x2) == Mac{0x62, 0x37, 0x1e, 0x61, 0x5f, 0xed});
  CHECK(mac_from_name("edge-berlin", MacFamily::xe) == Mac{0x6e, 0x37, 0x1e, 0x61, 0x5f, 0xed});
  CHECK(mac_from_name("host1", MacFamily::xa) == Mac{0x3a, 0x9d, 0x25, 0x84, 0x56, 0x54});
}

TEST_CASE("mac_from_name: case and bytes matter, results are local unicast") {
  using n2nkit::keys::mac_from_name;
  CHECK(mac_from_name("host1") != mac_from_name("Host1"));
  CHECK(mac_from_name("host1") != mac_from_name("host1 "));
  CHECK(mac_from_name(std::string_view("a\0b", 3)) != mac_from_name("a"));
  std::set<Mac> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto mac = mac_from_name("edge" + std::to_string(i));
    CHECK((mac[0] & 0x03) == 0x02);
    seen.insert(mac);
  }
  CHECK(seen.size() == 1000);
}
