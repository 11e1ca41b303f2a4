#include "core/supernode/federation.hpp"

#include <algorithm>
#include <utility>

namespace n2nkit::supernode {

FederationMember* FederationTable::find(const wire::Mac& mac, const wire::Sock& sock) {
  if (mac != wire::kNullMac) {
    const auto it = std::ranges::find_if(members_, [&](const auto& m) { return m.mac == mac; });
    if (it != members_.end()) return &*it;
  }
  return find_by_sock(sock);
}

const FederationMember* FederationTable::find(const wire::Mac& mac,
                                              const wire::Sock& sock) const {
  return const_cast<FederationTable*>(this)->find(mac, sock);
}

FederationMember* FederationTable::find_by_sock(const wire::Sock& sock) {
  if (sock.port == 0) return nullptr;
  const auto it = std::ranges::find_if(members_, [&](const auto& m) { return m.sock == sock; });
  return it == members_.end() ? nullptr : &*it;
}

FederationMember& FederationTable::add(FederationMember member) {
  members_.push_back(std::move(member));
  return members_.back();
}

std::size_t FederationTable::purge_older_than(std::uint64_t now, std::uint64_t max_age) {
  return std::erase_if(members_, [&](const auto& m) {
    return !m.is_anchor() && now > m.last_seen && now - m.last_seen > max_age;
  });
}

}  // namespace n2nkit::supernode
