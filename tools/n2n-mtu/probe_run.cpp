#include "probe_run.hpp"

#include <poll.h>

#include <cstring>

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace n2nkit::mtutool {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

RunOutcome run_search(ProbeSocket& socket, const ProbeFormat& format,
                      const mtu::PathSearchConfig& config, std::chrono::milliseconds timeout) {
  RunOutcome out;
  auto search = mtu::PathSearch::create(config);
  if (!search) {
    out.unreachable = "bad search configuration";
    return out;
  }
  const auto start = Clock::now();
  const auto now = [&] { return std::chrono::duration_cast<mtu::Micros>(Clock::now() - start); };
  const mtu::Micros deadline = std::chrono::duration_cast<mtu::Micros>(timeout);
  std::map<std::uint32_t, std::size_t> sizes;  // probe id → size, for quoted ICMP errors
  const auto quoted_probe = [&](const Arrival& a) -> std::optional<std::uint32_t> {
    if (a.data.size() < 4) return std::nullopt;
    std::uint32_t id = 0;
    std::memcpy(&id, a.data.data(), 4);
    if (!sizes.contains(id)) return std::nullopt;
    return id;
  };
  mtu::Micros last_sent{-1'000'000'000};
  for (;;) {
    mtu::Micros t = now();
    if (format.pace_after_loss.count() > 0 && search->result().lost > out.icmp_too_big &&
        t < last_sent + format.pace_after_loss) {
      // Not yet: take in what arrives meanwhile, then ask the search again.
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          last_sent + format.pace_after_loss - t);
      pollfd p{socket.fd(), POLLIN | POLLERR, 0};
      if (poll(&p, 1, static_cast<int>(left.count()) + 1) > 0) {
        for (const auto& a : socket.receive()) {
          if (a.kind == Arrival::Kind::port_unreachable) {
            if (const auto id = quoted_probe(a)) search->on_answer(*id, now());
          } else if (a.kind == Arrival::Kind::too_big) {
            ++out.icmp_too_big;
            std::optional<std::size_t> size;
            if (const auto id = quoted_probe(a)) size = sizes[*id];
            search->on_too_big(a.mtu, size, now());
          }
        }
      }
      if (now() < deadline) continue;
    }
    // next_action settles what has timed out, so it comes before the verdict is read.
    const auto action = search->next_action(t);
    const auto state = search->result().state;
    if (state == mtu::SearchState::done || state == mtu::SearchState::failed) break;
    if (t >= deadline) {
      out.timed_out = true;
      break;
    }
    if (action.kind == mtu::ProbeAction::Kind::send) {
      sizes[action.id] = action.size;
      last_sent = now();
      const auto bytes = format.build(action.id, action.size);
      const auto sent = socket.send(ByteView{bytes.data(), bytes.size()});
      if (sent.too_big) {
        ++out.icmp_too_big;
        // Without the route's figure the probe is left to time out like a loss.
        if (sent.local_mtu != 0 && sent.local_mtu < action.size) {
          search->on_too_big(sent.local_mtu, action.size, now());
        }
      } else if (!sent.sent && sent.error != 0 && sent.error != EAGAIN && sent.error != ENOBUFS) {
        out.unreachable = std::strerror(sent.error);
        break;
      }
      continue;
    }
    std::int64_t wait_us = (deadline - t).count();
    if (action.kind == mtu::ProbeAction::Kind::wait) {
      wait_us = std::min<std::int64_t>(wait_us, std::max<std::int64_t>(0, (action.at - t).count()));
    }
    const int wait_ms = static_cast<int>(std::min<std::int64_t>((wait_us + 999) / 1000, 1000));
    pollfd p{socket.fd(), POLLIN | POLLERR, 0};
    if (poll(&p, 1, wait_ms) <= 0) continue;
    for (const auto& a : socket.receive()) {
      t = now();
      switch (a.kind) {
        case Arrival::Kind::datagram:
          if (const auto id = format.answer(a)) {
            if (a.fragment_size != 0 && sizes.contains(*id) &&
                (out.reply_fragment == 0 || a.fragment_size < out.reply_fragment)) {
              out.reply_fragment = a.fragment_size;
              out.fragmented_reply_to = sizes[*id];
            }
            if (*id == 0) {
              search->on_answer_unlabelled(t);
            } else {
              search->on_answer(*id, t);
            }
          }
          break;
        case Arrival::Kind::port_unreachable:
          if (format.port_unreachable_answers) {
            if (const auto id = quoted_probe(a)) search->on_answer(*id, t);
          } else {
            out.unreachable = "nothing listens there (ICMP port unreachable)";
          }
          break;
        case Arrival::Kind::too_big: {
          ++out.icmp_too_big;
          std::optional<std::size_t> size;
          if (const auto id = quoted_probe(a)) size = sizes[*id];
          search->on_too_big(a.mtu, size, t);
          break;
        }
        case Arrival::Kind::unreachable:
          out.unreachable = a.what;
          break;
      }
    }
    if (!out.unreachable.empty()) break;
  }
  out.elapsed = now();
  out.result = search->result();
  return out;
}

}  // namespace n2nkit::mtutool
