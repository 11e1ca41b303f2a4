#pragma once
// The hexdump format of the reference's unit-test programs (reference-tests.md §1.1).
#include <cstdio>
#include <string>

#include "core/common/bytes.hpp"

namespace n2nkit::testing {

std::string reference_hexdump(ByteView data);
inline void print_hexdump(ByteView data) {
  std::fputs(reference_hexdump(data).c_str(), stdout);
}

}  // namespace n2nkit::testing
