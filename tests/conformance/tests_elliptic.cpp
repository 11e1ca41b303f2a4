// Prints what the reference's tests-elliptic prints (reference-tests.md §6): X25519 of a
// fixed scalar and n2n's generator 00..00 09.
#include <cstdio>

#include "core/keys/user_password.hpp"
#include "tests/support/hexdump.hpp"

using namespace n2nkit;
using namespace n2nkit::keys;
using testing::print_hexdump;

int main() {
  Key32 scalar;
  scalar.fill(0x55);

  std::printf("environment: input\n");
  print_hexdump(kN2nBasePoint);
  std::printf("environment: key\n");
  print_hexdump(scalar);
  std::printf("\n");

  std::printf("curve25519: output\n");
  print_hexdump(x25519(scalar, kN2nBasePoint));
  std::printf("\n");
  return 0;
}
