#pragma once
// Feeds prepared datagrams to a supernode Engine and times only the engine: datagrams are
// built (and sealed) in batches outside the timed loop; inside it the loop does what the
// daemon does per datagram: on_tick when due, on_datagram, read what the Outbox holds, clear.
#include <chrono>
#include <cstdint>
#include <span>
#include <vector>

#include "bench/supernode/fleet.hpp"
#include "core/supernode/engine.hpp"

namespace n2nkit::bench {

struct Totals {
  std::uint64_t datagrams = 0;  // given to on_datagram
  std::uint64_t sent = 0;       // datagrams the engine queued in the Outbox
  double wall_s = 0;
  double cpu_s = 0;  // thread CPU time: what other processes on the machine do not inflate
  double ns_per_datagram() const {
    return datagrams ? 1e9 * cpu_s / static_cast<double>(datagrams) : 0;
  }
  double per_second() const { return cpu_s > 0 ? static_cast<double>(datagrams) / cpu_s : 0; }
};

class Driver {
 public:
  explicit Driver(supernode::Engine& engine) : engine_(engine) {}

  // Runs the batch through the engine. With answers, the first datagram queued for each input
  // is copied there (a bootstrap's ACK), which the timed loop then includes.
  void run(std::span<const Prepared> batch, Totals& totals,
           std::vector<Prepared>* answers = nullptr);

  // The bare cost the relay is compared with: Outbox::push of each datagram, then clear().
  void copy_only(std::span<const Prepared> batch, Totals& totals);

 private:
  supernode::Engine& engine_;
  supernode::Outbox out_;
};

}  // namespace n2nkit::bench
