#include "core/supernode/communities.hpp"

#include <algorithm>
#include <utility>

namespace n2nkit::supernode {

const UserKeys* CommunityState::find_user(ByteView token) const {
  if (token.size() != keys::kAuthTokenSize) return nullptr;
  keys::Key32 key{};
  std::copy_n(token.begin(), key.size(), key.begin());
  const auto it = users.find(key);
  return it == users.end() ? nullptr : &it->second;
}

const wire::HeaderKeys* CommunityState::answer_keys() const {
  if (header_encryption != HeaderEncryption::enabled) return nullptr;
  if (dynamic_keys) return &*dynamic_keys;
  return header_keys ? &*header_keys : nullptr;
}

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
