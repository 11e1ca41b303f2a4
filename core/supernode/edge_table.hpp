#pragma once
// The edges registered in one community, keyed by MAC (spec §11.9). Ordered by MAC so that
// broadcast fan-out and management listings come out in the same order on every run.
#include <cstdint>
#include <map>
#include <functional>
#include <optional>

#include "core/supernode/endpoint.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::supernode {

struct EdgeRecord {
  wire::Mac mac{};
  wire::IpSubnet dev_addr{};  // as the edge announced it
  wire::Description desc{};
  wire::Sock sock{};  // public socket: the source of its last REGISTER_SUPER
  std::uint32_t tcp_connection = 0;            // registered over TCP (§11.11); 0 = UDP
  std::optional<wire::Sock> preferred_sock{};  // its `-e` socket, if it sent one
  std::uint32_t cookie = 0;
  // What later registrations must present; scheme none when spoofing protection is off.
  wire::Auth auth{};
  std::uint64_t last_seen = 0;  // UNIX seconds

  Endpoint endpoint() const { return {sock, tcp_connection}; }
};

class EdgeTable {
 public:
  using Map = std::map<wire::Mac, EdgeRecord>;

  EdgeRecord* find(const wire::Mac& mac);
  const EdgeRecord* find(const wire::Mac& mac) const;
  // The edge that announced exactly this address (host order); 0 matches nothing.
  EdgeRecord* find_by_address(std::uint32_t address);
  bool address_taken(std::uint32_t address) const;

  // Inserts or replaces the record under record.mac.
  EdgeRecord& put(const EdgeRecord& record);
  bool erase(const wire::Mac& mac);
  // Removes every edge for which pred is true; returns how many.
  std::size_t erase_if(const std::function<bool(const EdgeRecord&)>& pred);
  // Removes edges whose last_seen is more than max_age seconds before now, telling on_removed
  // about each before it goes; returns how many.
  std::size_t purge_older_than(std::uint64_t now, std::uint64_t max_age,
                               const std::function<void(const EdgeRecord&)>& on_removed = {});

  std::size_t size() const { return edges_.size(); }
  bool empty() const { return edges_.empty(); }
  Map::const_iterator begin() const { return edges_.begin(); }
  Map::const_iterator end() const { return edges_.end(); }

 private:
  Map edges_;
};

}  // namespace n2nkit::supernode
