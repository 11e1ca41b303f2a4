// libFuzzer target: arbitrary datagrams into the wire decoder (wire_fuzz_body.hpp).
#include "tests/fuzz/wire_fuzz_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  n2nkit::testing::fuzz_wire_datagram(n2nkit::ByteView(data, size));
  return 0;
}
