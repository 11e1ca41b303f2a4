// The reference's form: `n2n-route [-t port] [-p password] [-g gw] [-n net/bits[:gw]] <vpn gw>`.
// All traffic (two /1 routes) or the -n networks go via the overlay gateway; the edge's
// supernodes and peers, read from its management port every few seconds, keep host routes via
// the original gateway; at SIGINT/SIGTERM everything it added goes. The decisions are
// core/routes/RouteKeeper's, the edge's own; every route is in the undo journal while it is
// there, so that `n2n-route undo` cleans up after a crash (kill -9) too.
#include <poll.h>
#include <signal.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>

#include "commands.hpp"
#include "core/net/route_netlink.hpp"
#include "core/net/signal_events.hpp"
#include "core/routes/route_args.hpp"
#include "core/routes/route_keeper.hpp"
#include "core/routes/route_plan.hpp"
#include "edge_query.hpp"
#include "session.hpp"

namespace n2nkit::routetool {
namespace {

using routes::Ipv4Route;

constexpr int kPollMs = 2000;
constexpr const char* kBy = "follow";

struct Follow {
  const Options& o;
  Session& s;
  int ifindex = 0;
  std::optional<std::uint32_t> underlay_gateway;
  std::vector<std::uint32_t> endpoints;

  void log(int level, const std::string& line) const {
    if (o.verbosity >= level && !o.json) fmt::print("{}\n", line);
    std::fflush(stdout);
  }

  // The journal is locked only while it changes, so that `n2n-route list` works meanwhile.
  template <class Fn>
  bool with_journal(Fn fn) {
    std::string error;
    auto file = routes::JournalFile::open(o.state_dir, true, error);
    routes::UndoJournal journal;
    if (!file || !file->load(journal, error)) {
      s.problem(error);
      return false;
    }
    fn(journal);
    if (!file->save(journal, error)) {
      s.problem(error);
      return false;
    }
    return true;
  }

  bool add(const Ipv4Route& r) {
    const auto k = routes::static_route(r);
    std::uint64_t id = 0;
    if (!with_journal([&](routes::UndoJournal& j) {
          if (j.route_change(r) == nullptr) {
            id = j.record({0,
                           routes::ChangeKind::route_added,
                           kBy,
                           k,
                           net::interface_name(r.ifindex),
                           {},
                           {},
                           {},
                           {},
                           {},
                           {}});
          }
        })) {
      return false;
    }
    std::string error;
    if (net::add_kernel_route(k, false, error)) return true;
    s.problem(error);
    if (id != 0) with_journal([&](routes::UndoJournal& j) { j.forget(id); });
    return false;
  }

  bool remove(const Ipv4Route& r) {
    std::string error;
    if (!net::delete_kernel_route(routes::static_route(r), error)) {
      s.problem(error);
      return false;
    }
    with_journal([&](routes::UndoJournal& j) {
      if (const auto* c = j.route_change(r); c != nullptr && c->by == kBy) j.forget(c->id);
    });
    return true;
  }

  std::vector<Ipv4Route> table(bool& ok) {
    std::vector<Ipv4Route> t;
    std::string error;
    ok = net::read_ipv4_routes(t, error);
    if (!ok) {
      s.problem(error);
      return t;
    }
    if (underlay_gateway) {
      auto changed = routes::with_underlay_gateway(t, ifindex, *underlay_gateway);
      if (!changed) {
        s.problem(fmt::format("-g {}: no route of the underlay reaches it",
                              routes::ipv4_text(*underlay_gateway)));
        ok = false;
        return t;
      }
      t = std::move(*changed);
    }
    return t;
  }

  bool refresh_endpoints(bool first) {
    std::vector<routes::Endpoint> found;
    std::string error;
    if (!edge_endpoints(o.mgmt_port, o.mgmt_password, true, found, error)) {
      if (!first) log(1, fmt::format("warning: {} (keeping the last known endpoints)", error));
      return false;
    }
    std::vector<std::uint32_t> now;
    for (const auto& e : found) {
      if (std::ranges::find(now, e.address) == now.end()) now.push_back(e.address);
    }
    if (now != endpoints) {
      for (const auto& e : found) log(1, fmt::format("{} {}", e.role, e.text));
    }
    endpoints = std::move(now);
    return true;
  }
};

}  // namespace

int run_follow(const Options& o) {
  Session s(o);
  const auto vpn = routes::parse_ipv4_address(o.vpn_gateway);
  if (!vpn || *vpn == 0) {
    return s.fail(kExitUsage,
                  fmt::format("'{}' is not an IPv4 VPN gateway address", o.vpn_gateway));
  }
  std::vector<routes::OverlayRoute> wanted;
  std::string error;
  for (const auto& n : o.nets) {
    const auto r = routes::parse_reference_net(n, *vpn, error);
    if (!r) return s.fail(kExitUsage, error);
    wanted.push_back(*r);
  }
  if (wanted.empty()) wanted.push_back({0, 0, *vpn});
  Follow f{o, s, 0, std::nullopt, {}};
  if (!o.underlay_gateway.empty()) {
    f.underlay_gateway = routes::parse_ipv4_address(o.underlay_gateway);
    if (!f.underlay_gateway || *f.underlay_gateway == 0) {
      return s.fail(kExitUsage,
                    fmt::format("-g '{}' is not an IPv4 gateway address", o.underlay_gateway));
    }
  }
  if (o.dev_given) {
    f.ifindex = net::interface_index(o.dev, error);
    if (f.ifindex == 0) return s.fail(kExitUsage, error);
  } else {
    // The overlay is the link that has the VPN gateway on it.
    std::vector<Ipv4Route> t;
    if (!net::read_ipv4_routes(t, error)) return s.fail(kExitProblem, error);
    const auto on_link = routes::lookup(std::span<const Ipv4Route>(t), *vpn,
                                        [](const Ipv4Route& r) { return r.gateway != 0; });
    if (!on_link) {
      return s.fail(kExitUsage, fmt::format("no interface has the VPN gateway {} on its link (is "
                                            "the edge up? or give --dev)",
                                            o.vpn_gateway));
    }
    f.ifindex = on_link->ifindex;
  }
  if (!o.dry_run && !has_net_admin()) return s.fail(kExitPermission, kNeedsNetAdmin);
  net::SignalEvents signals;
  // The overlay routes wait for the endpoints: without the supernode's host route first, the
  // edge's own packets would vanish into its TAP.
  bool answered = false;
  for (int attempt = 0; attempt < 3 && !answered; ++attempt) answered = f.refresh_endpoints(true);
  if (!answered) {
    return s.fail(kExitNoAnswer, fmt::format("edge management port {} does not answer (is the edge "
                                             "running with this -t?)",
                                             o.mgmt_port));
  }
  routes::RouteKeeper keeper(wanted, f.ifindex);
  f.log(0, fmt::format("routing {} via {} on {}; supernodes and peers via the underlay",
                       o.nets.empty() ? std::string("all traffic")
                                      : fmt::format("{} network(s)", wanted.size()),
                       o.vpn_gateway, net::interface_name(f.ifindex)));

  std::set<std::string> reported;  // the keeper's problems, once each
  const auto text_of = [](const Ipv4Route& r) {
    return routes::kernel_route_text(routes::static_route(r), net::interface_name(r.ifindex));
  };
  const auto reconcile = [&]() {
    bool ok = false;
    const auto t = f.table(ok);
    if (!ok) return;
    const auto actions = keeper.reconcile(t, f.endpoints);
    for (const auto& p : actions.problems) {
      if (reported.insert(p).second) s.problem(p);
    }
    for (const auto& r : actions.remove) {
      if (o.dry_run) {
        s.say("delete route " + text_of(r));
      } else if (f.remove(r)) {
        keeper.removed(r);
        f.log(0, "route " + text_of(r) + " removed (the underlay's gateway changed)");
      }
    }
    for (const auto& r : actions.add) {
      const std::string text = text_of(r);
      if (o.dry_run) {
        s.say("add route " + text);
      } else if (f.add(r)) {
        keeper.added(r);
        f.log(0, "added route " + text);
      }
    }
  };
  if (o.dry_run) {
    reconcile();
    return s.finish(kExitOk);
  }
  auto monitor = net::NetlinkMonitor::open(error);
  reconcile();
  auto last_query = std::chrono::steady_clock::now();
  bool stop = false;
  while (!stop) {
    pollfd fds[2] = {{signals.fd(), POLLIN, 0}, {monitor.fd(), POLLIN, 0}};
    ::poll(fds, monitor.valid() ? 2 : 1, kPollMs);
    for (const int sig : signals.take()) {
      if (sig == SIGTERM || sig == SIGINT) stop = true;
    }
    if (stop) break;
    bool look = monitor.drain();
    if (std::chrono::steady_clock::now() - last_query >= std::chrono::milliseconds(kPollMs)) {
      last_query = std::chrono::steady_clock::now();
      f.refresh_endpoints(false);
      look = true;
    }
    if (look) reconcile();
  }
  for (const auto& r : keeper.teardown()) {
    if (f.remove(r)) {
      keeper.removed(r);
      f.log(0, "removed route " + text_of(r));
    }
  }
  return s.finish(kExitOk);
}

}  // namespace n2nkit::routetool
