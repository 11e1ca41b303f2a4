#pragma once
// The other supernodes of the federation (spec §11.10): `-l` anchors, supernodes that sent us a
// REGISTER_SUPER in the federation community, and those listed in their ACKs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/supernode/endpoint.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::supernode {

struct FederationMember {
  wire::Mac mac{};            // null until the member told us (ACK or REGISTER_SUPER)
  wire::Sock sock{};          // where it is reached; unset (port 0) while an anchor is unresolved
  std::string anchor;         // the `-l host:port` text; empty for learnt members
  std::uint64_t last_seen = 0;  // UNIX seconds of its last datagram
  std::uint64_t last_sent = 0;  // UNIX seconds of our last REGISTER_SUPER to it
  std::uint32_t cookie = 0;     // of that REGISTER_SUPER; its ACK must echo it

  bool is_anchor() const { return !anchor.empty(); }
  bool resolved() const { return sock.port != 0; }
  Endpoint endpoint() const { return {sock, 0}; }
};

class FederationTable {
 public:
  // By MAC when the MAC is known (non-null), else by exact socket (spec §11.3 step 6).
  FederationMember* find(const wire::Mac& mac, const wire::Sock& sock);
  const FederationMember* find(const wire::Mac& mac, const wire::Sock& sock) const;
  FederationMember* find_by_sock(const wire::Sock& sock);
  FederationMember& add(FederationMember member);
  // Removes learnt members not seen for more than max_age seconds; anchors stay.
  std::size_t purge_older_than(std::uint64_t now, std::uint64_t max_age);

  std::size_t size() const { return members_.size(); }
  bool empty() const { return members_.empty(); }
  std::vector<FederationMember>::const_iterator begin() const { return members_.begin(); }
  std::vector<FederationMember>::const_iterator end() const { return members_.end(); }
  std::vector<FederationMember>::iterator begin() { return members_.begin(); }
  std::vector<FederationMember>::iterator end() { return members_.end(); }
  FederationMember& operator[](std::size_t i) { return members_[i]; }
  const FederationMember& operator[](std::size_t i) const { return members_[i]; }

 private:
  // A handful of supernodes: a vector keeps them in the order they became known.
  std::vector<FederationMember> members_;
};

}  // namespace n2nkit::supernode
