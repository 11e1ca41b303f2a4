// Prints what the reference's tests-auth prints (reference-tests.md §7): the 6-bit key
// encoding both ways, then a private key, its public key and a shared secret.
#include <algorithm>
#include <cstdio>
#include <string>

#include "core/keys/ascii6.hpp"
#include "core/keys/user_password.hpp"
#include "core/wire/pearson.hpp"
#include "tests/support/hexdump.hpp"

using namespace n2nkit;
using namespace n2nkit::keys;
using testing::print_hexdump;

int main() {
  ByteVector input(16);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = static_cast<std::uint8_t>(i);

  std::printf("bin_to_ascii: input size = 0x%zx\n", input.size());
  print_hexdump(input);
  const std::string text = ascii6_encode(input);
  std::printf("bin_to_ascii: output: %s\n\n", text.c_str());

  std::printf("ascii_to_bin: input = %s\n", text.c_str());
  const auto decoded = ascii6_decode(text);
  if (!decoded) return 1;
  // The reference decodes into a zeroed 32-byte key buffer and dumps all of it.
  Key32 buffer{};
  std::copy_n(decoded->begin(), std::min(decoded->size(), buffer.size()), buffer.begin());
  std::printf("ascii_to_bin: output:\n");
  print_hexdump(buffer);
  std::printf("\n");

  // No user name here: the private key is the double hash alone, which is exactly the
  // federation derivation.
  std::printf("generate_private_key: input = %s\n", text.c_str());
  const Key32 prv = federation_private_key(text);
  std::printf("generate_private_key: output:\n");
  print_hexdump(prv);
  std::printf("\n");

  std::printf("generate_public_key: input:\n");
  print_hexdump(prv);
  const Key32 pub = public_key(prv);
  std::printf("generate_public_key: output:\n");
  print_hexdump(pub);
  std::printf("\n");

  std::printf("generate_shared_secret: input: prv\n");
  print_hexdump(prv);
  std::printf("generate_shared_secret: input: pub\n");
  print_hexdump(pub);
  std::printf("generate_shared_secret: output:\n");
  print_hexdump(shared_secret(prv, pub));
  std::printf("\n");
  return 0;
}
