// The supernode's timers (spec §11.7): every 30 s, edges silent for more than 60 s leave and
// communities created on the fly that have no edge left are removed.
#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {

void Engine::on_tick(wire::WallTime now, Outbox& out) {
  federation_tick(now, out);
  if (now.sec < next_purge_) return;
  for (auto& [name, community] : communities_) {
    community.edges.purge_older_than(now.sec, kEdgeTimeout, [&](const EdgeRecord& edge) {
      if (edge.tcp_connection != 0) out.close_connection(edge.tcp_connection);
    });
  }
  communities_.remove_empty_purgeable();
  forget_stale_replay_windows(now);
  for (auto& [name, community] : communities_) {
    std::erase_if(community.associations, [&](const auto& entry) {
      return now.sec > entry.second.last_seen &&
             now.sec - entry.second.last_seen > kAssociationTimeout;
    });
  }
  next_purge_ = now.sec + kPurgeInterval;
}

}  // namespace n2nkit::supernode
