#pragma once
// The probes a path-MTU search has sent, by id: answers carry only the id (an n2n cookie or a
// tag in the padding), so the size must be remembered here. A fixed ring: an edge searches
// every peer for its whole life, and an answer older than the last kSlots probes is worth
// less than the memory it would take to keep (it is then ignored as unknown).
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace n2nkit::mtu {

struct ProbeRecord {
  enum class Status : std::uint8_t { unused, in_flight, timed_out, answered };
  enum class Purpose : std::uint8_t { search, confirm };

  std::uint32_t id = 0;
  std::size_t size = 0;
  std::chrono::microseconds sent{0};
  std::chrono::microseconds deadline{0};
  Status status = Status::unused;
  Purpose purpose = Purpose::search;
  bool loss_counted = false;  // its timeout was taken as a loss by the search
};

class ProbeLog {
 public:
  static constexpr std::size_t kSlots = 64;

  ProbeRecord* find(std::uint32_t id) {
    ProbeRecord& r = slots_[id % kSlots];
    return r.status != ProbeRecord::Status::unused && r.id == id ? &r : nullptr;
  }
  // The slot the next probe `id` goes to. The caller must settle whatever is still in flight
  // there first (possible only when one probe outlives kSlots later ones).
  ProbeRecord& slot_for(std::uint32_t id) { return slots_[id % kSlots]; }

  auto begin() { return slots_.begin(); }
  auto end() { return slots_.end(); }
  auto begin() const { return slots_.begin(); }
  auto end() const { return slots_.end(); }

 private:
  std::array<ProbeRecord, kSlots> slots_{};
};

}  // namespace n2nkit::mtu
