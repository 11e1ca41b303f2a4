#include "options.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <string_view>

#include "core/routes/route_args.hpp"

namespace n2nkit::routetool {
namespace {

void usage_error(std::string_view message) {
  fmt::print(stderr, "n2n-route: {} (see n2n-route --help)\n", message);
}

constexpr const char* kFooter =
    "Commands:\n"
    "  add NET [via GATEWAY]   route NET through the overlay (--dev, --metric)\n"
    "  del NET [via GATEWAY]   remove such a route (ours are undone, others recorded for undo)\n"
    "  list                    what goes through the overlay and why; exit 1 on a problem\n"
    "  gateway enable          forwarding and NAT for the overlay: --lan IFACE and --snat IP or\n"
    "                          --masquerade\n"
    "  gateway disable         takes back what gateway enable did\n"
    "  supernode-route         host routes to the supernodes via the underlay's gateway\n"
    "                          (from the edge's management port -t, or --supernode)\n"
    "  undo                    reverts everything n2n-route did, newest first\n"
    "  VPN-GATEWAY             the reference's form: all traffic (or the -n networks) via the\n"
    "                          overlay gateway while the edge's supernodes and peers keep host\n"
    "                          routes via the original gateway; runs until SIGINT/SIGTERM and\n"
    "                          removes its routes\n"
    "\n"
    "Exit status: 0 fine, 1 a problem was found (list) or a change failed, 2 usage or bad\n"
    "input, 3 needs root or CAP_NET_ADMIN, 4 the edge's management port does not answer.";

routes::RouteCommand route_command(Command c) {
  using R = routes::RouteCommand;
  switch (c) {
    case Command::add:
      return R::add;
    case Command::del:
      return R::del;
    case Command::list:
      return R::list;
    case Command::gateway_enable:
      return R::gateway_enable;
    case Command::gateway_disable:
      return R::gateway_disable;
    case Command::supernode_route:
      return R::supernode_route;
    case Command::undo:
      return R::undo;
    case Command::follow:
    case Command::none:
      break;
  }
  return R::follow;
}

}  // namespace

std::optional<Options> parse_options(int argc, char** argv, int& exit_code) {
  Options o;
  CLI::App app{"n2n-route: routes through an n2n overlay, its gateways and their undo",
               "n2n-route"};
  app.set_version_flag("--version", std::string("n2n-route (n2nkit) ") + N2NKIT_VERSION);
  app.footer(kFooter);
  app.fallthrough();

  app.add_flag("--dry-run", o.dry_run, "print what would change and change nothing");
  app.add_flag("--json", o.json, "machine-readable output (one JSON object)");
  app.add_option("--state-dir", o.state_dir,
                 "where the undo journal lives (default /run/n2nkit, mode 0700)")
      ->option_text("DIR");
  app.add_option("--dev", o.dev, "the overlay's device (default n2n0)")->option_text("IFACE");
  app.add_option("--metric", o.metric, "add/del: the route's metric (default 0)")->option_text("N");
  app.add_option("--lan", o.lan, "gateway enable: the LAN interface behind this gateway edge")
      ->option_text("IFACE");
  app.add_option("--snat", o.snat, "gateway enable: translate the overlay subnet to this address")
      ->option_text("IP");
  app.add_flag("--masquerade", o.masquerade,
               "gateway enable: translate the overlay subnet to the LAN's address");
  app.add_option("--firewall", o.firewall, "gateway: nft, iptables or auto (default auto)")
      ->option_text("BACKEND");
  app.add_option("--supernode", o.supernodes,
                 "supernode-route, list: a supernode HOST:PORT (repeatable) instead of asking "
                 "the edge")
      ->option_text("HOST:PORT")
      ->allow_extra_args(false);
  auto* port = app.add_option("-t,--mgmt-port", o.mgmt_port,
                              "the local edge's management port (default 5644)")
                   ->option_text("PORT");
  app.add_option("-p,--mgmt-password", o.mgmt_password, "the edge's management password")
      ->option_text("PASSWORD");
  app.add_option("-g", o.underlay_gateway,
                 "reference form: the original default gateway (default: detected)")
      ->option_text("GATEWAY");
  app.add_option("-n", o.nets,
                 "reference form: route only NET/BITS[:GATEWAY] via the overlay (repeatable)")
      ->option_text("NET/BITS[:GW]")
      ->allow_extra_args(false);
  auto* more = app.add_flag("-v")->description("reference form: more verbose (repeatable)");
  auto* less = app.add_flag("-V")->description("reference form: less verbose (repeatable)");
  app.add_option("vpn-gateway", o.vpn_gateway, "reference form: the overlay gateway")
      ->option_text("VPN-GATEWAY");

  auto* add = app.add_subcommand("add", "route NET [via GATEWAY] through the overlay");
  add->add_option("route", o.args, "NET [via GATEWAY]");
  auto* del = app.add_subcommand("del", "remove a route NET [via GATEWAY]");
  del->add_option("route", o.args, "NET [via GATEWAY]");
  auto* list = app.add_subcommand("list", "what goes through the overlay and why");
  auto* gateway = app.add_subcommand("gateway", "forwarding and NAT for the overlay");
  auto* enable = gateway->add_subcommand("enable", "forward and translate overlay <-> LAN");
  auto* disable = gateway->add_subcommand("disable", "take back gateway enable");
  gateway->require_subcommand(0, 1);
  auto* snroute = app.add_subcommand("supernode-route", "host routes to the supernodes");
  auto* undo = app.add_subcommand("undo", "revert everything n2n-route did");
  app.require_subcommand(0, 1);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  } catch (const CLI::CallForVersion& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    usage_error(e.what());
    exit_code = kExitUsage;
    return std::nullopt;
  }
  o.dev_given = app.count("--dev") > 0;
  o.mgmt_port_given = port->count() > 0;
  o.verbosity = static_cast<int>(more->count()) - static_cast<int>(less->count());
  if (*add) o.command = Command::add;
  if (*del) o.command = Command::del;
  if (*list) o.command = Command::list;
  if (*enable) o.command = Command::gateway_enable;
  if (*disable) o.command = Command::gateway_disable;
  if (*snroute) o.command = Command::supernode_route;
  if (*undo) o.command = Command::undo;
  if (*gateway && o.command == Command::none) {
    usage_error("gateway needs enable or disable");
    exit_code = kExitUsage;
    return std::nullopt;
  }

  const bool reference_options =
      !o.underlay_gateway.empty() || !o.nets.empty() || more->count() > 0 || less->count() > 0;
  if (!o.vpn_gateway.empty()) {
    if (o.command != Command::none) {
      usage_error(fmt::format("'{}' is neither a command nor an option of it", o.vpn_gateway));
      exit_code = kExitUsage;
      return std::nullopt;
    }
    o.command = Command::follow;
  }
  if (o.command == Command::none) {
    usage_error(
        "expected a command (add, del, list, gateway, supernode-route, undo) or a VPN "
        "gateway address");
    exit_code = kExitUsage;
    return std::nullopt;
  }
  // An option that the command does not use is a mistake worth a word, not silence.
  const auto misplaced = routes::misplaced_option(
      route_command(o.command), {o.metric.has_value(), !o.lan.empty(), !o.snat.empty(),
                                 o.masquerade, app.count("--firewall") > 0, !o.supernodes.empty(),
                                 o.mgmt_port_given || !o.mgmt_password.empty(), reference_options});
  if (misplaced) {
    usage_error(*misplaced);
    exit_code = kExitUsage;
    return std::nullopt;
  }
  if (o.mgmt_port == 0) {
    usage_error("-t: 0 is not a port");
    exit_code = kExitUsage;
    return std::nullopt;
  }
  if ((o.command == Command::add || o.command == Command::del) && o.args.empty()) {
    usage_error(
        fmt::format("{} needs NET [via GATEWAY]", o.command == Command::add ? "add" : "del"));
    exit_code = kExitUsage;
    return std::nullopt;
  }
  return o;
}

}  // namespace n2nkit::routetool
