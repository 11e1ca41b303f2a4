#pragma once
// The supernode's name for a transport-level peer (core/net/endpoint.hpp).
#include "core/net/endpoint.hpp"

namespace n2nkit::supernode {
using net::Endpoint;
using net::Source;
}  // namespace n2nkit::supernode
