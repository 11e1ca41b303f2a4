#pragma once
// Link settings through rtnetlink (libnl-route): MAC address, MTU, up, IPv4 address. One line
// in error on failure; permission problems say what is needed.
#include <cstdint>
#include <string>

#include "core/wire/types.hpp"

namespace n2nkit::net {

// Sets the MAC and the MTU, then brings the link up.
bool configure_link(int ifindex, const wire::Mac& mac, unsigned mtu, std::string& error);
// Adds address/prefix (host order) to the link; an address already there is not an error.
bool add_ipv4_address(int ifindex, const wire::IpSubnet& address, std::string& error);

}  // namespace n2nkit::net
