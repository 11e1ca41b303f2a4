#pragma once
// One supernode under load: the fleet registers, then sends relay mixes; every figure is
// measured on the same Engine instance, in the same process.
#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "bench/supernode/driver.hpp"
#include "bench/supernode/fleet.hpp"
#include "bench/supernode/memory.hpp"

namespace n2nkit::bench {

struct ScenarioOptions {
  std::size_t edges = 100'000;
  std::size_t communities = 1'000;
  bool encrypted = false;
  std::uint64_t pps = 100'000;      // simulated load of the steady mix
  double broadcast_share = 0.01;    // of the PACKETs in the steady mix
  double reregister_interval = 20;  // seconds between two REGISTER_SUPERs of one edge
  std::size_t batch = 2048;         // datagrams built per timed batch
};

struct RegistrationResult {
  Totals totals;               // every REGISTER_SUPER (bootstraps included)
  std::size_t edges = 0;       // registered edges afterwards
  std::size_t not_acked = 0;   // registrations answered by anything but an ACK
  MemorySample before, after;  // around the registration phase
};

enum class Mix { steady, unicast, broadcast, reregister };

struct MixResult {
  Totals totals;
  std::uint64_t unicast = 0, broadcast = 0, reregister = 0;  // datagrams of each kind
};

class Scenario {
 public:
  explicit Scenario(const ScenarioOptions& options);

  // Every edge registers: fixed-address edges with one REGISTER_SUPER, auto-IP edges with a
  // null-MAC bootstrap, then a REGISTER_SUPER with the address its ACK assigned.
  RegistrationResult register_all();
  // Runs the mix for about `seconds` of CPU time. only_community restricts the unicast senders
  // to one community (to show where it sits in the header-decryption trial order).
  MixResult relay(Mix mix, double seconds, std::optional<std::uint32_t> only_community = {});
  // Outbox::push of 1400-byte unicast PACKETs as built for relay(): the yardstick.
  Totals bare_copy(double seconds);
  // One purge sweep over every edge: on_tick 30 s (simulated) later.
  struct PurgeResult {
    std::size_t edges_before = 0, edges_after = 0;
    double cpu_ms = 0;
  };
  PurgeResult purge_sweep();

  // Header-encryption IV filler from getrandom (the engine's default) or from xorshift128+.
  void use_system_random(bool yes) { system_random_ = yes; }

  const supernode::Engine& engine() const { return *engine_; }
  const Fleet& fleet() const { return fleet_; }

 private:
  void fill(Mix mix, std::size_t count, std::optional<std::uint32_t> only_community,
            std::uint64_t step_ns, MixResult& result);
  std::uint32_t random_below(std::size_t n) {
    return static_cast<std::uint32_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_));
  }

  ScenarioOptions options_;
  Fleet fleet_;
  std::unique_ptr<supernode::Engine> engine_;
  std::unique_ptr<Driver> driver_;
  std::uint64_t sim_ns_;
  std::mt19937_64 rng_{20261125};
  std::vector<Prepared> batch_;
  std::vector<Prepared> answers_;
  std::uint32_t next_reregistration_ = 0;
  double reregistration_credit_ = 0;
  std::uint32_t cookie_ = 1;
  bool system_random_ = true;
  crypto::Xorshift128Plus filler_rng_;
};

}  // namespace n2nkit::bench
