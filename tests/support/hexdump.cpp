#include "tests/support/hexdump.hpp"

#include <fmt/format.h>

namespace n2nkit::testing {

std::string reference_hexdump(ByteView data) {
  std::string out;
  for (std::size_t line = 0; line < data.size(); line += 16) {
    out += fmt::format("{:03x}: ", line);
    for (std::size_t i = 0; i < 16; ++i) {
      if (line + i < data.size()) {
        out += fmt::format("{:02x}", data[line + i]);
      } else {
        out += "  ";
      }
      out += i == 7 ? "  " : " ";
    }
    out += "  |";
    for (std::size_t i = 0; i < 16 && line + i < data.size(); ++i) {
      const std::uint8_t c = data[line + i];
      out.push_back(c >= 0x20 && c <= 0x7e ? static_cast<char>(c) : ' ');
    }
    out += "|\n";
  }
  return out;
}

}  // namespace n2nkit::testing
