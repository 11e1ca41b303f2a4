#include "core/keys/mac_address.hpp"

namespace n2nkit::keys {

wire::Mac random_local_mac(const crypto::RandomSource& random) {
  wire::Mac mac{};
  random(MutableByteView{mac.data(), mac.size()});
  mac[0] = static_cast<std::uint8_t>((mac[0] & ~0x01U) | 0x02U);
  return mac;
}

}  // namespace n2nkit::keys
