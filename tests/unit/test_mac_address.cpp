// keys::random_local_mac (core/keys/mac_address).
#include <doctest/doctest.h>

#include "core/keys/mac_address.hpp"

TEST_CASE("random MACs are unicast and locally administered") {
  for (int i = 0; i < 64; ++i) {
    const auto mac = n2nkit::keys::random_local_mac();
    CHECK((mac[0] & 0x01) == 0);
    CHECK((mac[0] & 0x02) == 0x02);
  }
  const auto fixed = n2nkit::keys::random_local_mac([](n2nkit::MutableByteView out) {
    for (auto& b : out) b = 0xff;
  });
  CHECK(fixed == n2nkit::wire::Mac{0xfe, 0xff, 0xff, 0xff, 0xff, 0xff});
}
