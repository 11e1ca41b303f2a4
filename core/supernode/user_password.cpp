// User/password communities at the supernode (spec §10): tokens, trailers, dynamic keys and
// RE_REGISTER_SUPER.
#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {

void Engine::notify_user_password_edges_of_reload(wire::WallTime /*now*/, Outbox& /*out*/) {
  // Filled in by the user/password slice; until then no community has dynamic keys to leave.
}

}  // namespace n2nkit::supernode
