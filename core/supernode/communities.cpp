#include "core/supernode/communities.hpp"

#include <utility>

namespace n2nkit::supernode {

CommunityState* CommunityTable::find(const wire::Community& name) {
  const auto it = communities_.find(name);
  return it == communities_.end() ? nullptr : &it->second;
}

const CommunityState* CommunityTable::find(const wire::Community& name) const {
  const auto it = communities_.find(name);
  return it == communities_.end() ? nullptr : &it->second;
}

CommunityState& CommunityTable::add(CommunityState state) {
  const auto name = state.name;
  auto& slot = communities_[name];
  slot = std::move(state);
  return slot;
}

std::size_t CommunityTable::remove_empty_purgeable() {
  return std::erase_if(communities_, [](const auto& entry) {
    return entry.second.purgeable && entry.second.edges.empty();
  });
}

}  // namespace n2nkit::supernode
