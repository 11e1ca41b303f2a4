#pragma once
// MAC addresses the daemons choose for themselves.
#include "core/crypto/random.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::keys {

// A random unicast, locally administered MAC (multicast bit clear, local bit set): what the
// reference's edge and supernode pick without -m, and what is safe on any LAN.
wire::Mac random_local_mac(const crypto::RandomSource& random = crypto::system_random);

}  // namespace n2nkit::keys
