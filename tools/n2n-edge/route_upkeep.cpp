#include "route_upkeep.hpp"

#include <fmt/format.h>

#include "core/net/link_setup.hpp"
#include "core/service/log.hpp"

namespace n2nkit::edged {
namespace {

using service::Level;
using service::log;

// After a notification, wait for the burst to end (a link going down removes many routes one
// message at a time); without any, look every 30 s (lost notifications, a changed gateway).
constexpr std::uint64_t kSettleMs = 200;
constexpr std::uint64_t kPeriodMs = 30'000;

}  // namespace

RouteUpkeep::RouteUpkeep(const std::vector<routes::OverlayRoute>& wanted, int tap_ifindex)
    : keeper_(wanted, tap_ifindex), tap_ifindex_(tap_ifindex) {}

bool RouteUpkeep::open(std::string& error) {
  if (!active()) return true;
  monitor_ = net::NetlinkMonitor::open(error);
  return monitor_.valid();
}

void RouteUpkeep::on_readable(std::uint64_t now_ms) {
  if (monitor_.drain()) due_ms_ = std::min(due_ms_, now_ms + kSettleMs);
}

void RouteUpkeep::report(const std::string& key, const std::string& problem) {
  auto [it, inserted] = reported_.try_emplace(key, problem);
  if (!inserted && it->second == problem) return;
  it->second = problem;
  log(Level::error, "{}", problem);
}

void RouteUpkeep::resolved(const std::string& key) {
  reported_.erase(key);
}

void RouteUpkeep::reconcile(std::uint64_t now_ms, const std::optional<wire::IpSubnet>& address,
                            std::span<const std::uint32_t> endpoints) {
  if (!active() || now_ms < due_ms_) return;
  due_ms_ = now_ms + kPeriodMs;
  if (!address) return;
  std::string error;
  bool up = true;
  if (!net::link_is_up(tap_ifindex_, up, error)) return report("link", error);
  if (!up) {
    if (!net::set_link_up(tap_ifindex_, error)) return report("link", error);
    log(Level::warning, "the TAP device was down: brought it up again for the -n routes");
  }
  // Setting the link down does not remove the address, but an administrator may have.
  if (!net::add_ipv4_address(tap_ifindex_, *address, error)) return report("address", error);
  resolved("link");
  resolved("address");
  if (!net::read_ipv4_routes(table_, error)) return report("table", error);
  resolved("table");
  const auto actions = keeper_.reconcile(table_, endpoints);
  for (const auto& p : actions.problems) report(p, p);
  for (const auto& r : actions.remove) {
    if (net::delete_ipv4_route(r, error)) {
      keeper_.removed(r);
      log(Level::normal, "route {} removed (the underlay's gateway changed)",
          routes::route_text(r));
    } else {
      report(routes::route_text(r), error);
    }
  }
  for (const auto& r : actions.add) {
    const auto key = routes::route_text(r);
    if (!net::add_ipv4_route(r, error)) {
      report(key, error);
      continue;
    }
    resolved(key);
    keeper_.added(r);
    ++added_;
    log(Level::normal, "route {}/{}{} {}", routes::ipv4_text(r.dst), r.prefix,
        r.gateway != 0 ? " via " + routes::ipv4_text(r.gateway) : std::string(),
        r.ifindex == tap_ifindex_ ? "through the overlay"
                                  : "through the underlay (to a supernode or peer)");
  }
}

void RouteUpkeep::teardown() {
  std::string error;
  for (const auto& r : keeper_.teardown()) {
    if (net::delete_ipv4_route(r, error)) {
      keeper_.removed(r);
    } else {
      log(Level::warning, "{}", error);
    }
  }
}

}  // namespace n2nkit::edged
