// n2nkit-scripted-edge: plays n2n edges against a running supernode over real UDP, built only
// from the core's encoders and decoders, and prints one PASS/FAIL line per check. Each edge's
// socket is opened in its host's network namespace (--netns-a/--netns-b), the management
// client in the supernode's (--netns-sn); tests/netns/supernode_scripted_edges.sh makes the
// namespaces and starts the supernode. Exit status: 0 all passed, 1 a check failed, 2 usage or
// set-up error.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <string>

#include "tests/netns/suite.hpp"

namespace {

std::optional<n2nkit::wire::Sock> parse_sock(const std::string& text) {
  unsigned a = 0, b = 0, c = 0, d = 0, port = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%u.%u.%u.%u:%u%c", &a, &b, &c, &d, &port, &tail) != 5 || a > 255 ||
      b > 255 || c > 255 || d > 255 || port == 0 || port > 65535) {
    return std::nullopt;
  }
  return n2nkit::wire::Sock::ipv4((a << 24) | (b << 16) | (c << 8) | d,
                                  static_cast<std::uint16_t>(port));
}

}  // namespace

int main(int argc, char** argv) {
  using namespace n2nkit::netnstest;
  CLI::App app{"Scripted n2n edges against a supernode over real UDP"};
  Options opt;
  std::string supernode = "127.0.0.1:7654";
  std::string steps = "abcdehij";
  std::string sn_mac;
  app.add_option("-l,--supernode", supernode, "supernode address a.b.c.d:port");
  app.add_option("--steps", steps, "steps to run, in order (letters a..j)");
  app.add_option("--netns-a", opt.ns_a, "network namespace of edge host A (and C)");
  app.add_option("--netns-b", opt.ns_b, "network namespace of edge host B");
  app.add_option("--netns-sn", opt.ns_sn, "network namespace of the supernode (management)");
  app.add_option("-t,--mgmt-port", opt.mgmt_port, "the supernode's management port");
  app.add_option("--supernode-mac", sn_mac, "the supernode's -m MAC, checked in its answers");
  app.add_option("--community", opt.community, "community of the open-supernode steps");
  app.add_option("--he-community", opt.he_community, "listed community used with -H (f)");
  app.add_option("--fixed-community", opt.fixed_community, "listed community (g)");
  app.add_option("--regex-match", opt.regex_match, "community matching the listed regex (g)");
  app.add_option("--regex-miss", opt.regex_misses, "communities the regex must not match (g)");
  app.add_option("--unlisted", opt.unlisted, "community not in the list (g)");
  app.add_option("--base-port", opt.base_port, "first of the local UDP ports used (+1..+30)");
  app.add_flag("--reference", opt.reference,
               "the supernode is the reference: skip its known defects, send it nothing that "
               "crashes it");
  app.add_flag("--hostile-to-reference", opt.hostile_to_reference,
               "with --reference: still send out-of-range length fields (j)");
  CLI11_PARSE(app, argc, argv);

  const auto sn = parse_sock(supernode);
  if (!sn) {
    fmt::print(stderr, "n2nkit-scripted-edge: bad --supernode {}\n", supernode);
    return 2;
  }
  opt.supernode = *sn;
  if (!sn_mac.empty()) {
    opt.supernode_mac = n2nkit::wire::parse_mac(sn_mac);
    if (!opt.supernode_mac) {
      fmt::print(stderr, "n2nkit-scripted-edge: bad --supernode-mac {}\n", sn_mac);
      return 2;
    }
  }
  if (opt.regex_misses.size() > 3) opt.regex_misses.resize(3);

  Report report;
  Suite suite(opt, report);
  std::string error;
  if (!suite.setup(error)) {
    fmt::print(stderr, "n2nkit-scripted-edge: {}\n", error);
    return 2;
  }
  for (const char step : steps) {
    if (!suite.run(step)) {
      fmt::print(stderr, "n2nkit-scripted-edge: unknown step '{}'\n", step);
      return 2;
    }
  }
  return report.failures() == 0 ? 0 : 1;
}
