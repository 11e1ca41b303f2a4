// Header decryption (§8.3) with the trial order, on arbitrary datagrams.
#include <cstring>

#include "core/wire/header_encryption.hpp"

using namespace n2nkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto community = wire::make_community("n2nkit-testvector");
  static const auto keys = wire::HeaderKeys::from_community(community);
  static const auto dynamic = wire::HeaderKeys::from_dynamic_key({1, 2, 3});
  ByteVector out(size);
  const ByteView in{data, size};
  auto r = wire::he_decrypt_trial(in, community, dynamic, keys, out);
  if (r && (r->length > size || r->covered > r->length)) __builtin_trap();
  (void)wire::he_covered_length(in, true);
  (void)wire::looks_like_plaintext_header(in);
  return 0;
}
