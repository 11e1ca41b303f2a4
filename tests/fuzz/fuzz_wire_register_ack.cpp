// libFuzzer target: the REGISTER_ACK decoder (wire_fuzz_body.hpp).
#include "tests/fuzz/wire_fuzz_body.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return n2nkit::testing::fuzz_wire_message(data, size, n2nkit::wire::MsgType::register_ack);
}
