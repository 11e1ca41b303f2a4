// Prints what the reference's tests-wire prints (reference-tests.md §2), encoding the three
// messages with our encoders.
#include <cstdio>
#include <string>

#include "core/wire/messages.hpp"
#include "tests/support/hexdump.hpp"

using namespace n2nkit;
using namespace n2nkit::wire;

namespace {

// The reference prints MACs with %x: no zero padding.
std::string unpadded_mac(const Mac& mac) {
  std::string out;
  for (std::size_t i = 0; i < mac.size(); ++i) {
    char group[4];
    std::snprintf(group, sizeof group, "%x", mac[i]);
    if (i > 0) out += ':';
    out += group;
  }
  return out;
}

void print_auth(const char* prefix, const char* field, const Auth& auth) {
  std::printf("%s: %s.auth.scheme = %u\n", prefix, field, unsigned{auth.scheme});
  std::printf("%s: %s.auth.token_size = %u\n", prefix, field, unsigned{auth.size});
  std::printf("%s: %s.auth.token[0] = 0x%02x\n", prefix, field, unsigned{auth.token[0]});
}

void print_dev(const char* prefix, const IpSubnet& dev, const Description& desc) {
  std::printf("%s: reg.dev_addr.net_addr = 0x%08x\n", prefix, dev.addr);
  std::printf("%s: reg.dev_addr.net_bitlen = %u\n", prefix, unsigned{dev.prefix});
  std::printf("%s: reg.dev_desc = \"%s\"\n", prefix, description_to_string(desc).c_str());
}

// Returns false when the encoder failed.
bool print_output(const char* prefix, const CommonHeader& header, const Message& message) {
  const ByteVector out = encode_to_vector(header, message);
  if (out.empty()) return false;
  // The reference's encoders add up their parts' return values and the common header's part
  // returns -1 instead of 24, so its "retval" is always idx - 25.
  std::printf("\n%s: output retval = 0x%zx\n", prefix, out.size() - 25);
  std::printf("%s: output idx = 0x%zx\n", prefix, out.size());
  testing::print_hexdump(out);
  std::printf("\n");
  return true;
}

Auth test_auth() {
  Auth auth;
  auth.scheme = 1;
  auth.size = 16;
  auth.token[0] = 0xfe;
  auth.token[4] = 0xfd;
  auth.token[8] = 0xfc;
  auth.token[15] = 0xfb;
  return auth;
}

}  // namespace

int main() {
  CommonHeader header;
  header.ttl = 2;
  header.flags = 0;
  header.community = make_community("abc123def456z");
  std::printf("environment: common.ttl = %u\n", unsigned{header.ttl});
  std::printf("environment: common.flags = %u\n", unsigned{header.flags});
  std::printf("environment: common.community = \"%s\"\n\n",
              community_to_string(header.community).c_str());

  Register reg;
  reg.cookie = 0;
  reg.src_mac = {0, 1, 2, 3, 4, 5};
  reg.dst_mac = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15};
  reg.dev_addr = {0x20212223, 25};
  reg.desc = make_description("Dummy_Dev_Desc");
  std::printf("REGISTER: common.pc = %u\n",
              unsigned{static_cast<std::uint8_t>(MsgType::register_)});
  std::printf("REGISTER: reg.cookie = %u\n", reg.cookie);
  std::printf("REGISTER: reg.srcMac[] = %s\n", unpadded_mac(reg.src_mac).c_str());
  std::printf("REGISTER: reg.dstMac[] = %s\n", unpadded_mac(reg.dst_mac).c_str());
  print_dev("REGISTER", reg.dev_addr, reg.desc);
  if (!print_output("REGISTER", header, reg)) return 1;

  RegisterSuper sup;
  sup.cookie = 0;
  sup.edge_mac = {0x20, 0x21, 0x22, 0x23, 0x24, 0x25};
  sup.dev_addr = {0x20212223, 25};
  sup.desc = make_description("Dummy_Dev_Desc");
  sup.auth = test_auth();
  sup.key_time = 600;
  std::printf("REGISTER_SUPER: common.pc = %u\n",
              unsigned{static_cast<std::uint8_t>(MsgType::register_super)});
  std::printf("REGISTER_SUPER: reg.cookie = %u\n", sup.cookie);
  std::printf("REGISTER_SUPER: reg.edgeMac[] = %s\n", unpadded_mac(sup.edge_mac).c_str());
  print_dev("REGISTER_SUPER", sup.dev_addr, sup.desc);
  print_auth("REGISTER_SUPER", "reg", sup.auth);
  std::printf("REGISTER_SUPER: reg.key_time = %u\n", sup.key_time);
  if (!print_output("REGISTER_SUPER", header, sup)) return 1;

  UnregisterSuper unreg;
  unreg.auth = test_auth();
  unreg.src_mac = {0x30, 0x31, 0x32, 0x33, 0x34, 0x35};
  std::printf("UNREGISTER_SUPER: common.pc = %u\n",
              unsigned{static_cast<std::uint8_t>(MsgType::unregister_super)});
  print_auth("UNREGISTER_SUPER", "unreg", unreg.auth);
  std::printf("UNREGISTER_SUPER: unreg.srcMac[] = %s\n", unpadded_mac(unreg.src_mac).c_str());
  if (!print_output("UNREGISTER_SUPER", header, unreg)) return 1;
  return 0;
}
