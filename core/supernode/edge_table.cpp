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
  for (auto& [mac, edge] : edges_) {
    if (edge.dev_addr.addr == address) return &edge;
  }
  return nullptr;
}

bool EdgeTable::address_taken(std::uint32_t address) const {
  for (const auto& [mac, edge] : edges_) {
    if (edge.dev_addr.addr == address) return true;
  }
  return false;
}

EdgeRecord& EdgeTable::put(const EdgeRecord& record) {
  auto& slot = edges_[record.mac];
  slot = record;
  return slot;
}

bool EdgeTable::erase(const wire::Mac& mac) {
  return edges_.erase(mac) != 0;
}

std::size_t EdgeTable::erase_if(const std::function<bool(const EdgeRecord&)>& pred) {
  return std::erase_if(edges_, [&](const auto& entry) { return pred(entry.second); });
}

std::size_t EdgeTable::purge_older_than(std::uint64_t now, std::uint64_t max_age,
                                        const std::function<void(const EdgeRecord&)>& on_removed) {
  // The reference keeps an entry while now - last_seen <= timeout, so a silent edge lingers
  // between 60 and 90 s with a 30 s sweep (spec §12.2, "bad-MAC/IP lockout").
  return std::erase_if(edges_, [&](const auto& entry) {
    const bool stale = now > entry.second.last_seen && now - entry.second.last_seen > max_age;
    if (stale && on_removed) on_removed(entry.second);
    return stale;
  });
}

}  // namespace n2nkit::supernode
