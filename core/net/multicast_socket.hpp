#pragma once
// The socket an edge listens on for local peer discovery (spec §1): UDP on 0.0.0.0:port, shared
// with other edges on the same host (SO_REUSEADDR, SO_REUSEPORT: every socket bound so gets
// each multicast datagram), member of an IPv4 multicast group on the default interface.
#include <cstdint>
#include <string>

#include "core/net/unique_fd.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::net {

// group: a multicast address and the port to bind. An invalid fd and one line in error on
// failure.
UniqueFd join_ipv4_group(const wire::Sock& group, std::string& error);

}  // namespace n2nkit::net
