// gateway enable|disable: net.ipv4.ip_forward and core/firewall's gateway plan (forwarding
// overlay <-> LAN, replies, NAT of the overlay subnet), each recorded in the journal before it
// is made, as the field report's seed did it by hand.
#include <cstdlib>

#include <fmt/format.h>

#include "commands.hpp"
#include "core/firewall/firewall_backends.hpp"
#include "core/firewall/rule_plan.hpp"
#include "core/net/route_netlink.hpp"
#include "core/net/sysctl.hpp"
#include "core/routes/gateway_setup.hpp"
#include "firewall_undo.hpp"
#include "session.hpp"

namespace n2nkit::routetool {
namespace {

using routes::Change;
using routes::ChangeKind;

constexpr const char* kForward = "net.ipv4.ip_forward";
constexpr const char* kBy = "gateway";

nlohmann::json firewall_record(const firewall::GatewayRequest& r, std::string_view backend) {
  const std::string nat = r.masquerade ? "masquerade" : "snat to " + r.snat_address;
  return {{"owner", "gateway"},
          {"backend", backend},
          {"overlay", r.overlay_iface},
          {"lan", r.lan_iface},
          {"subnet", r.overlay_subnet},
          {"nat", nat},
          {"text",
           fmt::format("of the gateway {} <-> {} ({}), NAT of {} out of {}: {}", r.overlay_iface,
                       r.lan_iface, backend, r.overlay_subnet, r.lan_iface, nat)}};
}

}  // namespace

int run_gateway_enable(const Options& o) {
  Session s(o);
  std::string error;
  const int dev = net::interface_index(o.dev, error);
  if (dev == 0) return s.fail(kExitUsage, error);
  if (o.lan.empty()) return s.fail(kExitUsage, "gateway enable needs --lan IFACE");
  if (net::interface_index(o.lan, error) == 0) return s.fail(kExitUsage, "--lan: " + error);
  std::vector<routes::KernelRoute> table;
  if (!net::read_kernel_routes(table, error)) return s.fail(kExitProblem, error);
  const auto request =
      routes::gateway_request({o.dev, dev, o.lan, o.snat, o.masquerade}, table, error);
  if (!request) return s.fail(kExitUsage, error);
  const auto plan = firewall::plan_gateway(*request, error);
  if (!plan) return s.fail(kExitUsage, error);
  std::string why;
  // The rules are read (iptables-legacy-save makes the kernel create its empty tables) only
  // when the choice depends on them.
  const auto backend_text = routes::choose_backend(
      o.firewall,
      o.firewall == "auto" ? firewall::read_firewall_state() : firewall::FirewallState{}, why);
  const auto backend = firewall::resolve_backend(backend_text, error);
  if (!backend) return s.fail(kExitUsage, "--firewall: " + error);
  const std::string name(firewall::backend_name(*backend));
  if (const int rc = s.open_journal(true); rc != kExitOk) return rc;
  // core/firewall keeps its iptables-nft notes next to our journal.
  ::setenv("N2NKIT_STATE_DIR", o.state_dir.c_str(), 1);

  s.note("firewall: " + why);
  const auto record = firewall_record(*request, name);
  s.extra()["firewall"] = record;

  // 1. Forwarding.
  std::string before;
  if (!net::read_sysctl(kForward, before, error)) return s.fail(kExitProblem, error);
  if (before != "1") {
    const std::string what = fmt::format("set {} = 1 (was {})", kForward, before);
    if (o.dry_run) {
      s.say(what);
    } else {
      if (s.journal().sysctl_change(kForward) == nullptr) {
        s.journal().record(
            {0, ChangeKind::sysctl_set, kBy, {}, {}, {}, {}, kForward, before, "1", {}});
        if (!s.save(error)) return s.fail(kExitProblem, error);
      }
      if (!net::write_sysctl(kForward, "1", error)) {
        s.problem(error);
        return s.finish(kExitProblem);
      }
      s.say(what);
    }
  } else {
    s.note(fmt::format("{} is 1 already", kForward));
  }

  // 2. The firewall. A gateway of ours with other settings goes first: applying a second plan
  // over the first would leave both sets of iptables rules.
  const Change* old = s.journal().firewall_change(kBy);
  if (old != nullptr && old->firewall == record) {
    s.note(
        "the gateway's firewall rules are recorded with these settings: applied again "
        "(idempotent)");
  } else if (old != nullptr) {
    if (o.dry_run) {
      s.say("take back the gateway's earlier rules: " + routes::change_text(*old));
    } else {
      if (!undo_firewall(*old, error)) {
        s.problem(error);
        return s.finish(kExitProblem);
      }
      s.say("took back the gateway's earlier rules " + routes::change_text(*old));
      s.journal().forget(old->id);
      if (!s.save(error)) return s.fail(kExitProblem, error);
    }
  }
  const std::string what = fmt::format("firewall rules {}", record["text"].get<std::string>());
  if (o.dry_run) {
    s.say(what);
    if (*backend == firewall::Backend::nft) {
      s.extra()["nft_script"] = plan->nft_apply_script;
    } else {
      nlohmann::json lines = nlohmann::json::array();
      for (const auto& r : plan->iptables) {
        // The IPv4 program's name: the line gets ip6tables-... for IPv6 rules itself.
        lines.push_back(firewall::iptables_command_line(
            r, firewall::IptablesOp::add,
            firewall::iptables_program(*backend, firewall::IpFamily::ipv4)));
      }
      s.extra()["iptables"] = lines;
    }
    return s.finish(kExitOk);
  }
  if (s.journal().firewall_change(kBy) == nullptr) {
    s.journal().record({0, ChangeKind::firewall_applied, kBy, {}, {}, {}, {}, {}, {}, {}, record});
    if (!s.save(error)) return s.fail(kExitProblem, error);
  }
  const auto outcome = firewall::apply(*plan, *backend);
  if (!outcome.ok) {
    if (outcome.permission)
      return s.fail(kExitPermission, "changing the firewall needs root or CAP_NET_ADMIN");
    s.problem(outcome.error);
    return s.finish(kExitProblem);
  }
  s.say(what);
  return s.finish(kExitOk);
}

int run_gateway_disable(const Options& o) {
  Session s(o);
  if (const int rc = s.open_journal(true); rc != kExitOk) return rc;
  ::setenv("N2NKIT_STATE_DIR", o.state_dir.c_str(), 1);
  bool any = false;
  for (const Change& c : s.journal().undo_order()) {
    if (c.by != kBy) continue;
    any = true;
    const std::string what = "undo: " + routes::change_text(c);
    if (o.dry_run) {
      s.say(what);
      continue;
    }
    std::string error;
    const bool ok = c.kind == ChangeKind::firewall_applied
                        ? undo_firewall(c, error)
                        : net::write_sysctl(c.key, c.before_value, error);
    if (!ok) {
      s.problem(fmt::format("{}: {}", what, error));
      continue;
    }
    s.journal().forget(c.id);
    if (!s.save(error)) s.problem(error);
    s.say(what);
  }
  if (!any) s.note("no gateway enabled by n2n-route: nothing to disable");
  return s.finish(kExitOk);
}

}  // namespace n2nkit::routetool
