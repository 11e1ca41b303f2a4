// undo: the journal newest first; each change is forgotten (and the journal saved) once it is
// taken back, so an interrupted undo resumes where it stopped.
#include <cstdlib>

#include <fmt/format.h>

#include "commands.hpp"
#include "core/net/route_netlink.hpp"
#include "core/net/sysctl.hpp"
#include "firewall_undo.hpp"
#include "session.hpp"

namespace n2nkit::routetool {
namespace {

using routes::Change;
using routes::ChangeKind;

// The route's device is still the one it was recorded on (an index is reused by the kernel for
// other devices once its own is gone).
bool device_still_there(const routes::KernelRoute& r, const std::string& dev) {
  return net::interface_name(r.route.ifindex) == dev;
}

bool undo_one(const Change& c, std::string& error) {
  switch (c.kind) {
    case ChangeKind::route_added:
      return !device_still_there(c.route, c.dev) || net::delete_kernel_route(c.route, error);
    case ChangeKind::route_replaced:
      if (!c.before || !device_still_there(*c.before, c.before_dev)) {
        return !device_still_there(c.route, c.dev) || net::delete_kernel_route(c.route, error);
      }
      return net::add_kernel_route(*c.before, true, error);
    case ChangeKind::route_deleted: {
      if (!device_still_there(c.route, c.dev)) return true;
      if (net::add_kernel_route(c.route, false, error)) return true;
      // Back already (the edge added it again): that is the state undo wants.
      std::vector<routes::KernelRoute> table;
      std::string ignored;
      if (net::read_kernel_routes(table, ignored)) {
        for (const auto& k : table) {
          if (k == c.route) return true;
        }
      }
      return false;
    }
    case ChangeKind::sysctl_set:
      return net::write_sysctl(c.key, c.before_value, error);
    case ChangeKind::firewall_applied:
      return undo_firewall(c, error);
  }
  return false;
}

}  // namespace

int run_undo(const Options& o) {
  Session s(o);
  if (const int rc = s.open_journal(true); rc != kExitOk) return rc;
  // core/firewall keeps its iptables-nft notes next to our journal.
  ::setenv("N2NKIT_STATE_DIR", o.state_dir.c_str(), 1);
  if (s.journal().empty()) {
    s.note("nothing to undo (no journal of n2n-route's changes)");
    return s.finish(kExitOk);
  }
  for (const Change& c : s.journal().undo_order()) {
    const std::string what = "undo: " + routes::change_text(c);
    if (o.dry_run) {
      s.say(what);
      continue;
    }
    std::string error;
    if (!undo_one(c, error)) {
      s.problem(fmt::format("{}: {}", what, error));
      continue;
    }
    s.journal().forget(c.id);
    if (!s.save(error)) s.problem(error);
    s.say(what);
  }
  return s.finish(kExitOk);
}

}  // namespace n2nkit::routetool
