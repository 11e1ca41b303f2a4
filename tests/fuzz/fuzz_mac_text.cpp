// n2n-mac check on arbitrary text: either a MAC or a phrase saying what is wrong, never both or
// neither.
#include <string_view>

#include "core/keys/mac_text.hpp"

using namespace n2nkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto read =
      keys::read_mac_text(std::string_view(reinterpret_cast<const char*>(data), size));
  if (read.mac.has_value() == !read.problem.empty()) __builtin_trap();
  if (!read.mac && (read.edge_spelling || read.reference_spelling)) __builtin_trap();
  return 0;
}
