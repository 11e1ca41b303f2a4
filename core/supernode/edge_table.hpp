#pragma once
// The edges registered in one community, keyed by MAC (spec §11.9). Ordered by MAC so that
// broadcast fan-out and management listings come out in the same order on every run.
// An index by announced address keeps auto-IP (one address_taken() per candidate) and the
// MAC-change search (find_by_address() per unknown MAC) independent of the community's size:
// with linear scans, registering n edges in one community cost O(n²).
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>

#include "core/supernode/endpoint.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::supernode {

struct EdgeRecord {
  wire::Mac mac{};
  wire::IpSubnet dev_addr{};  // as the edge announced it
  wire::Description desc{};
  wire::Sock sock{};                 // public socket: the source of its last REGISTER_SUPER
  std::uint32_t tcp_connection = 0;  // registered over TCP (§11.11); 0 = UDP
  std::optional<wire::Sock> preferred_sock{};  // its `-e` socket, if it sent one
  std::uint32_t cookie = 0;
  // What later registrations must present; scheme none when spoofing protection is off.
  wire::Auth auth{};
  std::uint64_t last_seen = 0;  // UNIX seconds

  Endpoint endpoint() const { return {sock, tcp_connection}; }
};

// The byte order of std::less<Mac> (so the same iteration order), compared as one 48-bit
// number: std::less on std::array<uint8_t, 6> calls memcmp at every tree level, which was a
// third of the relay's time at 100,000 edges (bench/supernode).
struct MacOrder {
  static std::uint64_t number(const wire::Mac& m) {
    return (std::uint64_t{m[0]} << 40) | (std::uint64_t{m[1]} << 32) | (std::uint64_t{m[2]} << 24) |
           (std::uint64_t{m[3]} << 16) | (std::uint64_t{m[4]} << 8) | std::uint64_t{m[5]};
  }
  bool operator()(const wire::Mac& a, const wire::Mac& b) const { return number(a) < number(b); }
};

class EdgeTable {
 public:
  using Map = std::map<wire::Mac, EdgeRecord, MacOrder>;

  // dev_addr must not be changed through these pointers (or put()'s reference): the address
  // index would not see it. Change an address by put()ting the updated record.
  EdgeRecord* find(const wire::Mac& mac);
  const EdgeRecord* find(const wire::Mac& mac) const;
  // An edge that announced exactly this address (host order); when several did, any one of
  // them. 0 matches nothing.
  EdgeRecord* find_by_address(std::uint32_t address);
  // Whether an edge announced exactly this address; 0 is never taken.
  bool address_taken(std::uint32_t address) const;

  // Inserts or replaces the record under record.mac (the index follows a changed dev_addr).
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
  void index(const EdgeRecord& edge);
  void unindex(const EdgeRecord& edge);

  Map edges_;
  // Announced address (never 0) -> the MACs announcing it. A multimap because nothing stops
  // two edges from announcing the same static address; each leaves only its own entry. MACs
  // rather than pointers into edges_ keep the table safely copyable.
  std::unordered_multimap<std::uint32_t, wire::Mac> by_address_;
};

}  // namespace n2nkit::supernode
