// Events from outside the protocol: a TCP connection went away, community.list was re-read,
// an anchor's name was resolved.
#include <utility>

#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {

void Engine::on_connection_closed(std::uint32_t connection, wire::WallTime /*now*/) {
  if (connection == 0) return;
  for (auto& [name, community] : communities_) {
    community.edges.erase_if(
        [&](const EdgeRecord& edge) { return edge.tcp_connection == connection; });
  }
  communities_.remove_empty_purgeable();
}

void Engine::reload_communities(CommunityList list, wire::WallTime now, Outbox& out) {
  notify_user_password_edges_of_reload(now, out);
  // Every community goes, edges with them: the new file may rename, lock or re-key any of them.
  for (auto& [name, community] : communities_) {
    for (const auto& [mac, edge] : community.edges) {
      if (edge.tcp_connection != 0) out.close_connection(edge.tcp_connection);
    }
  }
  communities_ = CommunityTable{};
  replay_.clear();
  config_.communities = std::move(list);
  key_time_ = static_cast<std::uint32_t>(now.sec);
  add_listed_communities();
}

void Engine::set_anchor_address(std::size_t index, const wire::Sock& sock) {
  if (index >= config_.anchors.size()) return;
  for (auto& member : federation_) {
    if (member.anchor == config_.anchors[index]) member.sock = sock;
  }
}

}  // namespace n2nkit::supernode
