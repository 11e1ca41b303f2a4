#include "core/supernode/edge_table.hpp"

#include <iterator>

namespace n2nkit::supernode {

EdgeRecord* EdgeTable::find(const wire::Mac& mac) {
  const auto it = edges_.find(mac);
  return it == edges_.end() ? nullptr : &it->second;
}

const EdgeRecord* EdgeTable::find(const wire::Mac& mac) const {
  const auto it = edges_.find(mac);
  return it == edges_.end() ? nullptr : &it->second;
}

EdgeRecord* EdgeTable::find_by_address(std::uint32_t address) {
  if (address == 0) return nullptr;
  const auto [first, last] = by_address_.equal_range(address);
  for (auto it = first; it != last; ++it) {
    // The check costs one lookup and keeps a record whose address was changed in place (which
    // the interface forbids) from being returned under its old address.
    auto* edge = find(it->second);
    if (edge != nullptr && edge->dev_addr.addr == address) return edge;
  }
  return nullptr;
}

bool EdgeTable::address_taken(std::uint32_t address) const {
  return address != 0 && by_address_.find(address) != by_address_.end();
}

EdgeRecord& EdgeTable::put(const EdgeRecord& record) {
  const auto [it, inserted] = edges_.try_emplace(record.mac);
  if (!inserted) unindex(it->second);
  it->second = record;
  index(it->second);
  return it->second;
}

bool EdgeTable::erase(const wire::Mac& mac) {
  const auto it = edges_.find(mac);
  if (it == edges_.end()) return false;
  unindex(it->second);
  edges_.erase(it);
  return true;
}

std::size_t EdgeTable::erase_if(const std::function<bool(const EdgeRecord&)>& pred) {
  std::size_t removed = 0;
  for (auto it = edges_.begin(); it != edges_.end();) {
    if (pred(it->second)) {
      unindex(it->second);
      it = edges_.erase(it);
      ++removed;
    } else {
      ++it;
    }
  }
  return removed;
}

std::size_t EdgeTable::purge_older_than(std::uint64_t now, std::uint64_t max_age,
                                        const std::function<void(const EdgeRecord&)>& on_removed) {
  // The reference keeps an entry while now - last_seen <= timeout, so a silent edge lingers
  // between 60 and 90 s with a 30 s sweep (spec §12.2, "bad-MAC/IP lockout").
  return erase_if([&](const EdgeRecord& edge) {
    const bool stale = now > edge.last_seen && now - edge.last_seen > max_age;
    if (stale && on_removed) on_removed(edge);
    return stale;
  });
}

void EdgeTable::index(const EdgeRecord& edge) {
  if (edge.dev_addr.addr != 0) by_address_.emplace(edge.dev_addr.addr, edge.mac);
}

void EdgeTable::unindex(const EdgeRecord& edge) {
  if (edge.dev_addr.addr == 0) return;
  const auto [first, last] = by_address_.equal_range(edge.dev_addr.addr);
  for (auto it = first; it != last; ++it) {
    if (it->second == edge.mac) {
      by_address_.erase(it);
      return;
    }
  }
  // Not where its address says: the record's dev_addr was changed in place. The entry it left
  // behind must go, or the old address would stay taken for as long as the edge stays.
  std::erase_if(by_address_, [&](const auto& entry) { return entry.second == edge.mac; });
}

}  // namespace n2nkit::supernode
