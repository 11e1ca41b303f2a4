// The supernode's timers (spec §11.7): every 30 s, edges silent for more than 60 s leave and
// communities created on the fly that have no edge left are removed.
#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {

void Engine::on_tick(wire::WallTime now, Outbox& out) {
  if (now.sec < next_purge_) return;
  for (auto& [name, community] : communities_) {
    community.edges.purge_older_than(now.sec, kEdgeTimeout, [&](const EdgeRecord& edge) {
      if (edge.tcp_connection != 0) out.close_connection(edge.tcp_connection);
    });
  }
  communities_.remove_empty_purgeable();
  forget_stale_replay_windows(now);
  // TODO(federation slice): the 10 s federation timer and the 180 s association purge.
  next_purge_ = now.sec + kPurgeInterval;
}

}  // namespace n2nkit::supernode
