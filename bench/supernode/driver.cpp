#include "bench/supernode/driver.hpp"

#include <algorithm>

#include "bench/crypto/cpu_clock.hpp"

namespace n2nkit::bench {
namespace {

struct Stopwatch {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  ThreadCpuClock::time_point cpu = ThreadCpuClock::now();
  void add_to(Totals& t) const {
    t.cpu_s += std::chrono::duration<double>(ThreadCpuClock::now() - cpu).count();
    t.wall_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
};

}  // namespace

void Driver::run(std::span<const Prepared> batch, Totals& totals, std::vector<Prepared>* answers) {
  if (answers != nullptr && answers->size() < batch.size()) answers->resize(batch.size());
  std::uint64_t sent = 0;
  const Stopwatch watch;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const Prepared& d = batch[i];
    if (d.time.sec >= engine_.next_deadline().sec) {
      engine_.on_tick(d.time, out_);
      out_.clear();
    }
    engine_.on_datagram(d.view(), d.from, d.time, out_);
    sent += out_.size();
    if (answers != nullptr) {
      Prepared& a = (*answers)[i];
      a.size = 0;
      if (!out_.empty()) {
        const ByteView first = out_[0].bytes;
        std::copy(first.begin(), first.end(), a.bytes.begin());
        a.size = first.size();
      }
    }
    out_.clear();
  }
  watch.add_to(totals);
  totals.datagrams += batch.size();
  totals.sent += sent;
}

void Driver::copy_only(std::span<const Prepared> batch, Totals& totals) {
  const Stopwatch watch;
  for (const Prepared& d : batch) {
    out_.push(d.from, d.view());
    out_.clear();
  }
  watch.add_to(totals);
  totals.datagrams += batch.size();
  totals.sent += batch.size();
}

}  // namespace n2nkit::bench
