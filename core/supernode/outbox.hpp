#pragma once
// The supernode engine's output queue (core/net/outbox.hpp).
#include "core/net/outbox.hpp"
#include "core/supernode/endpoint.hpp"

namespace n2nkit::supernode {
using net::Outbox;
using net::OutgoingDatagram;
}  // namespace n2nkit::supernode
