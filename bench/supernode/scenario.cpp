#include "bench/supernode/scenario.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench/crypto/cpu_clock.hpp"
#include "core/supernode/community_list.hpp"

namespace n2nkit::bench {
namespace {

constexpr std::uint64_t kStart = 1'800'000'000;  // simulated UNIX seconds at start
constexpr std::uint64_t kNsPerSec = 1'000'000'000;

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "bench-supernode-scale: %s\n", what.c_str());
  std::exit(2);
}

}  // namespace

Scenario::Scenario(const ScenarioOptions& options)
    : options_(options),
      fleet_(options.edges, options.communities, options.encrypted),
      sim_ns_(kStart * kNsPerSec),
      batch_(options.batch),
      answers_(options.batch) {
  supernode::SupernodeConfig config;
  config.mac = {0x02, 0x53, 0x4e, 0x00, 0x00, 0x01};
  // The filler of every header-encryption IV the engine seals: getrandom per datagram as in
  // production, or xorshift128+ to show what that syscall costs.
  config.random = [this](MutableByteView out) {
    if (system_random_) return crypto::system_random(out);
    for (std::size_t i = 0; i < out.size(); i += 8) {
      const std::uint64_t v = filler_rng_.next();
      for (std::size_t k = 0; k < 8 && i + k < out.size(); ++k) {
        out[i + k] = static_cast<std::uint8_t>(v >> (8 * k));
      }
    }
  };
  if (options.encrypted) {
    // Only names the supernode knows can be header-encrypted (spec §8.5): a locked supernode.
    std::vector<std::string> warnings;
    std::string error;
    auto list = supernode::parse_community_list(fleet_.community_list_text(), "bench.list",
                                                warnings, error);
    if (!list) fail(error);
    config.communities = std::move(*list);
  }
  engine_ = std::make_unique<supernode::Engine>(std::move(config), wire::WallTime{kStart, 0});
  driver_ = std::make_unique<Driver>(*engine_);
}

RegistrationResult Scenario::register_all() {
  RegistrationResult r;
  auto& edges = fleet_.edges();
  std::vector<std::uint32_t> chunk;
  std::vector<bool> bootstrapping(fleet_.community_count());
  std::vector<Prepared> second(options_.batch);
  const std::uint64_t step = kNsPerSec / options_.pps;
  const auto next_time = [&] {
    sim_ns_ += step;
    return wire::WallTime{sim_ns_ / kNsPerSec,
                          static_cast<std::uint32_t>((sim_ns_ % kNsPerSec) / 1000)};
  };
  const auto count_acks = [&](std::size_t n, bool only_fixed) {
    for (std::size_t i = 0; i < n; ++i) {
      const auto& e = edges[chunk[i]];
      if (only_fixed && e.auto_ip) continue;
      if (!fleet_.read_ack(answers_[i].view(), e.community)) ++r.not_acked;
    }
  };

  r.before = sample_memory();
  std::size_t next = 0;
  while (next < edges.size()) {
    // A batch holds at most one bootstrap per community: two edges asking at the same time
    // would be offered the same address, and the second to register would then be refused as
    // a MAC change of the first (a race real edges can hit too, but not what is measured here).
    chunk.clear();
    std::fill(bootstrapping.begin(), bootstrapping.end(), false);
    while (next < edges.size() && chunk.size() < options_.batch) {
      const auto& e = edges[next];
      if (e.auto_ip) {
        if (bootstrapping[e.community]) break;
        bootstrapping[e.community] = true;
      }
      fleet_.register_super(batch_[chunk.size()], static_cast<std::uint32_t>(next), e.auto_ip,
                            cookie_++, next_time());
      chunk.push_back(static_cast<std::uint32_t>(next));
      ++next;
    }
    driver_->run(std::span(batch_).first(chunk.size()), r.totals, &answers_);
    count_acks(chunk.size(), true);

    std::size_t n2 = 0;
    std::vector<std::uint32_t> auto_edges;
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      auto& e = edges[chunk[i]];
      if (!e.auto_ip) continue;
      const auto ack = fleet_.read_ack(answers_[i].view(), e.community);
      if (!ack) {
        ++r.not_acked;
        continue;
      }
      e.dev_addr = ack->dev_addr;  // 0/0 when the community's subnet is full: asks again
      fleet_.register_super(second[n2++], chunk[i], false, cookie_++, next_time());
      auto_edges.push_back(chunk[i]);
    }
    driver_->run(std::span(second).first(n2), r.totals, &answers_);
    for (std::size_t i = 0; i < n2; ++i) {
      if (!fleet_.read_ack(answers_[i].view(), edges[auto_edges[i]].community)) ++r.not_acked;
    }
  }
  r.after = sample_memory();
  for (const auto& [name, community] : engine_->communities()) r.edges += community.edges.size();
  return r;
}

void Scenario::fill(Mix mix, std::size_t count, std::optional<std::uint32_t> only_community,
                    std::uint64_t step_ns, MixResult& result) {
  const auto& edges = fleet_.edges();
  const double reregistrations_per_datagram = static_cast<double>(edges.size()) /
                                              options_.reregister_interval /
                                              static_cast<double>(options_.pps);
  for (std::size_t i = 0; i < count; ++i) {
    sim_ns_ += step_ns;
    const wire::WallTime t{sim_ns_ / kNsPerSec,
                           static_cast<std::uint32_t>((sim_ns_ % kNsPerSec) / 1000)};
    Prepared& p = batch_[i];
    bool reregister = mix == Mix::reregister;
    if (mix == Mix::steady) {
      reregistration_credit_ += reregistrations_per_datagram;
      if (reregistration_credit_ >= 1) {
        reregistration_credit_ -= 1;
        reregister = true;
      }
    }
    if (reregister) {
      const auto e = next_reregistration_;
      next_reregistration_ = static_cast<std::uint32_t>((e + 1) % edges.size());
      fleet_.register_super(p, e, false, cookie_++, t);
      ++result.reregister;
      continue;
    }
    bool broadcast = mix == Mix::broadcast;
    if (mix == Mix::steady) {
      broadcast = std::uniform_real_distribution<double>(0, 1)(rng_) < options_.broadcast_share;
    }
    std::uint32_t src = 0;
    if (only_community) {
      const auto& m = fleet_.members(*only_community);
      src = m[random_below(m.size())];
    } else {
      src = random_below(edges.size());
    }
    if (broadcast) {
      fleet_.packet(p, src, std::nullopt, t);
      ++result.broadcast;
      continue;
    }
    const auto& m = fleet_.members(edges[src].community);
    std::uint32_t dst = m[random_below(m.size())];
    if (dst == src && m.size() > 1) dst = m[(random_below(m.size() - 1) + 1 + dst) % m.size()];
    fleet_.packet(p, src, edges[dst].mac, t);
    ++result.unicast;
  }
}

MixResult Scenario::relay(Mix mix, double seconds, std::optional<std::uint32_t> only_community) {
  MixResult r;
  // The steady mix runs at the simulated load; the single-kind runs advance the clock by 1 µs
  // per datagram so that they do not outlast the edges' registrations (nothing re-registers).
  const std::uint64_t step = mix == Mix::steady ? kNsPerSec / options_.pps : 1000;
  while (r.totals.cpu_s < seconds) {
    fill(mix, batch_.size(), only_community, step, r);
    driver_->run(batch_, r.totals);
  }
  return r;
}

Totals Scenario::bare_copy(double seconds) {
  // One batch, copied over and over: building datagrams would take longer than copying them.
  Totals t;
  MixResult ignored;
  fill(Mix::unicast, batch_.size(), std::nullopt, 0, ignored);
  while (t.cpu_s < seconds) driver_->copy_only(batch_, t);
  return t;
}

Scenario::PurgeResult Scenario::purge_sweep() {
  // 30 s on is past the purge deadline whatever the other timers are; edges silent since
  // then go (the steady mix refreshes them every reregister_interval of simulated time).
  PurgeResult r;
  const auto count = [&] {
    std::size_t n = 0;
    for (const auto& [name, community] : engine_->communities()) n += community.edges.size();
    return n;
  };
  r.edges_before = count();
  sim_ns_ += 30 * kNsPerSec;
  const wire::WallTime t{sim_ns_ / kNsPerSec, 0};
  supernode::Outbox out;
  const auto start = ThreadCpuClock::now();
  engine_->on_tick(t, out);
  r.cpu_ms = std::chrono::duration<double, std::milli>(ThreadCpuClock::now() - start).count();
  r.edges_after = count();
  return r;
}

}  // namespace n2nkit::bench
