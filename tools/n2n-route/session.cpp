#include "session.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/net/route_netlink.hpp"

namespace n2nkit::routetool {

using routes::Change;
using routes::ChangeKind;
using routes::RouteStep;

bool has_net_admin() {
  constexpr unsigned kCapNetAdmin = 12;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    std::istringstream hex(line.substr(7));
    unsigned long long caps = 0;
    hex >> std::hex >> caps;
    return ((caps >> kCapNetAdmin) & 1U) != 0;
  }
  return false;
}

int Session::fail(int code, const std::string& message) {
  if (options_.json) {
    fmt::print("{}\n", nlohmann::json{{"error", message}, {"exit", code}}.dump());
  }
  fmt::print(stderr, "n2n-route: {}\n", message);
  return code;
}

void Session::say(const std::string& line) {
  done_.push_back(line);
  if (!options_.json) fmt::print("{}{}\n", options_.dry_run ? "would: " : "", line);
}

void Session::note(const std::string& line) {
  notes_.push_back(line);
  if (!options_.json) fmt::print("{}\n", line);
}

void Session::problem(const std::string& line) {
  problems_.push_back(line);
  if (!options_.json) fmt::print(stderr, "n2n-route: {}\n", line);
}

int Session::finish(int code) {
  if (code == kExitOk && !problems_.empty()) code = kExitProblem;
  if (options_.json) {
    nlohmann::json out = extra_;
    out["dry_run"] = options_.dry_run;
    out[options_.dry_run ? "would" : "done"] = done_;
    out["notes"] = notes_;
    out["problems"] = problems_;
    out["exit"] = code;
    fmt::print("{}\n", out.dump(2));
  }
  return code;
}

int Session::open_journal(bool for_change) {
  std::string error;
  const bool create = for_change && !options_.dry_run;
  if (create && !has_net_admin()) return fail(kExitPermission, kNeedsNetAdmin);
  file_ = routes::JournalFile::open(options_.state_dir, create, error);
  if (!file_) return fail(kExitUsage, error);
  if (!file_->load(journal_, error)) return fail(kExitUsage, error);
  return kExitOk;
}

bool Session::save(std::string& error) {
  if (options_.dry_run) return true;
  return file_->save(journal_, error);
}

std::string Session::describe(const RouteStep& s) const {
  const auto text = [](const routes::KernelRoute& k) {
    return routes::kernel_route_text(k, net::interface_name(k.route.ifindex));
  };
  switch (s.op) {
    case RouteStep::Op::add:
      return fmt::format("add route {}", text(s.route));
    case RouteStep::Op::replace:
      return fmt::format("replace route {} by {}", s.before ? text(*s.before) : "?", text(s.route));
    case RouteStep::Op::restore:
      return fmt::format("put back route {} in place of {}", s.before ? text(*s.before) : "?",
                         text(s.route));
    case RouteStep::Op::remove:
      return fmt::format("delete route {}{}", text(s.route),
                         s.journal_id != 0 ? " (added by n2n-route)" : "");
  }
  return "?";
}

// Saved before the change: a crash between the two leaves a record whose undo is harmless.
bool Session::record_then(Change change, std::uint64_t& id) {
  id = journal_.record(std::move(change));
  std::string error;
  if (!save(error)) {
    journal_.forget(id);
    problem(error);
    return false;
  }
  return true;
}

bool Session::apply(const routes::RoutePlan& plan, const std::string& by) {
  for (const auto& n : plan.notes) note(n);
  for (const auto& p : plan.problems) problem(p);
  bool ok = plan.problems.empty();
  for (const RouteStep& s : plan.steps) {
    const std::string what = describe(s);
    if (options_.dry_run) {
      say(what);
      continue;
    }
    std::string error;
    std::uint64_t id = 0;
    bool done = false;
    const std::string dev = net::interface_name(s.route.route.ifindex);
    switch (s.op) {
      case RouteStep::Op::add: {
        if (!s.recorded &&
            !record_then(
                Change{0, ChangeKind::route_added, by, s.route, dev, {}, {}, {}, {}, {}, {}}, id)) {
          return false;
        }
        done = net::add_kernel_route(s.route, false, error);
        if (!done && id != 0) journal_.forget(id);
        break;
      }
      case RouteStep::Op::replace: {
        const std::string before_dev = net::interface_name(s.before->route.ifindex);
        if (!record_then(Change{0,
                                ChangeKind::route_replaced,
                                by,
                                s.route,
                                dev,
                                s.before,
                                before_dev,
                                {},
                                {},
                                {},
                                {}},
                         id)) {
          return false;
        }
        done = net::add_kernel_route(s.route, true, error);
        if (!done) journal_.forget(id);
        break;
      }
      case RouteStep::Op::restore:
        done = net::add_kernel_route(*s.before, true, error);
        if (done) journal_.forget(s.journal_id);
        break;
      case RouteStep::Op::remove:
        if (s.journal_id == 0 &&
            !record_then(
                Change{0, ChangeKind::route_deleted, by, s.route, dev, {}, {}, {}, {}, {}, {}},
                id)) {
          return false;
        }
        done = net::delete_kernel_route(s.route, error);
        if (done && s.journal_id != 0) journal_.forget(s.journal_id);
        if (!done && id != 0) journal_.forget(id);
        break;
    }
    std::string save_error;
    if (!save(save_error)) problem(save_error);
    if (done) {
      say(what);
    } else {
      problem(error);
      ok = false;
    }
  }
  return ok;
}

}  // namespace n2nkit::routetool
