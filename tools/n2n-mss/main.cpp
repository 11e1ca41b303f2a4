// n2n-mss: TCP MSS across an n2n overlay. watch shows the MSS of SYNs against the path they
// take, check diagnoses a host, clamp installs (and --undo removes) MSS clamping.
#include <iostream>

#include <CLI/CLI.hpp>

#include "tools/n2n-mss/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "n2n-mss: TCP MSS across an n2n overlay: watch SYNs, check a host, clamp forwarded TCP.\n"
      "Exit status: 0 fine, 1 a problem was found, 2 usage or bad input, 3 missing permission"};
  app.set_version_flag("--version", std::string("n2n-mss (n2nkit) ") + N2NKIT_VERSION);
  app.require_subcommand(1, 1);

  n2nkit::diag::WatchOptions w;
  auto* watch = app.add_subcommand(
      "watch", "capture TCP SYN and SYN-ACK; flag an MSS too big for the route (CAP_NET_RAW)");
  auto* w_iface =
      watch->add_option("-i,--interface", w.iface, "capture on this interface (default any)");
  watch->add_option("-r,--read", w.read_file, "read a pcap or pcapng capture file instead")
      ->excludes(w_iface);
  watch->add_option("--port", w.ports, "only SYNs to or from this TCP port (repeatable)")
      ->check(CLI::Range(1, 65535));
  watch->add_option("--count", w.count, "stop after this many SYNs and SYN-ACKs")
      ->check(CLI::NonNegativeNumber);
  watch->add_option("--timeout", w.timeout, "stop after this many seconds")
      ->check(CLI::Range(0.0, 1e9));
  watch->add_flag("--json", w.json, "one JSON object per SYN, then the summary");

  n2nkit::diag::CheckOptions c;
  auto* check = app.add_subcommand(
      "check", "diagnose this host: MTUs, routes, forwarding, offloads, clamp rules");
  check->add_option("--iface", c.iface, "the overlay interface (default n2n0)");
  check->add_option("--supernode", c.supernode,
                    "IPv4 address of the supernode, to find the uplink (default: the local edge's, "
                    "else the default route)");
  check->add_option("-t,--mgmt-port", c.management_port,
                    "the local edge's management port, asked whether the edge clamps itself "
                    "(default 5644; 0: do not ask)");
  check->add_flag("--json", c.json, "the facts and findings as one JSON object");

  n2nkit::diag::ClampOptions k;
  auto* clamp = app.add_subcommand(
      "clamp", "install MSS clamping for TCP forwarded through the overlay (root)");
  clamp->add_option("--iface", k.iface, "the overlay interface (default n2n0)");
  auto* k_mss = clamp->add_option("--mss", k.mss, "fixed MSS for IPv4 (IPv6: 20 less)");
  clamp
      ->add_flag("--pmtu", k.pmtu,
                 "towards the overlay follow the route MTU (default); out of it the overlay's")
      ->excludes(k_mss);
  clamp->add_option("--backend", k.backend,
                    "nft (default), iptables, iptables-nft, iptables-legacy");
  clamp->add_flag("--local", k.local_output, "also clamp SYNs this host sends into the overlay");
  clamp->add_flag("--dry-run", k.dry_run, "print the rules, change nothing");
  clamp->add_flag("--undo", k.undo, "remove exactly the clamping n2n-mss added");
  clamp->add_flag("--json", k.json, "what was (or would be) done as one JSON object");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    // One page with every command's options: what the man page and completions list.
    std::cout << app.help("", CLI::AppFormatMode::All);
    return n2nmss::kExitOk;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "n2n-mss: " << e.what() << " (see n2n-mss --help)\n";
    return n2nmss::kExitUsage;
  }
  if (watch->parsed()) return n2nmss::run_watch(w);
  if (check->parsed()) return n2nmss::run_check(c);
  return n2nmss::run_clamp(k);
}
