#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>

#include "core/diag/mss_check.hpp"
#include "core/diag/mss_options.hpp"

using namespace n2nkit;
using namespace n2nkit::diag;

namespace {

HostFacts gateway() {
  HostFacts h;
  h.overlay = {"n2n0", 5, 1400, {}};
  h.uplink = IfaceFacts{"eth0", 2, 1500, {}};
  h.uplink_target = "192.0.2.1";
  h.ipv4_forwarding = true;
  h.ipv6_forwarding = false;
  h.firewall.sources_read = {"nftables"};
  return h;
}

firewall::MssClamp clamp(const char* in, const char* out, bool pmtu, std::uint16_t mss = 0,
                         const char* hook = "forward") {
  firewall::MssClamp c;
  c.place.hook = hook;
  c.in_iface = in;
  c.out_iface = out;
  c.to_pmtu = pmtu;
  c.mss = mss;
  return c;
}

std::set<std::string> problems(const std::vector<Finding>& f) {
  std::set<std::string> out;
  for (const auto& x : f)
    if (x.problem) out.insert(x.code);
  return out;
}

std::set<std::string> notes(const std::vector<Finding>& f) {
  std::set<std::string> out;
  for (const auto& x : f)
    if (!x.problem) out.insert(x.code);
  return out;
}

const Finding* find(const std::vector<Finding>& f, const std::string& code) {
  const auto it =
      std::find_if(f.begin(), f.end(), [&](const Finding& x) { return x.code == code; });
  return it == f.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("diag: a forwarding gateway without clamps has both directions as problems") {
  const auto f = diagnose(gateway());
  CHECK(problems(f) == std::set<std::string>{"no_clamp_into_overlay", "no_clamp_out_of_overlay"});
  const Finding* into = find(f, "no_clamp_into_overlay");
  REQUIRE(into);
  REQUIRE(into->fixes.size() > 4);
  CHECK(into->fixes[0] == "n2n-mss clamp --iface n2n0");
  const bool has_iptables = std::any_of(into->fixes.begin(), into->fixes.end(), [](const auto& s) {
    return s.rfind("iptables -t mangle -A FORWARD -i n2n0", 0) == 0 &&
           s.find("--set-mss 1360") != std::string::npos;
  });
  CHECK(has_iptables);
  const bool has_nft = std::any_of(into->fixes.begin(), into->fixes.end(), [](const auto& s) {
    return s == "nft add table inet n2nkit_mss";
  });
  CHECK(has_nft);
}

TEST_CASE("diag: an n2nkit edge that clamps itself makes firewall clamps unnecessary") {
  HostFacts h = gateway();
  EdgeClamp e;
  e.port = 5644;
  e.answered = e.has_method = e.clamps = true;
  e.mss_ipv4 = 1360;  // overlay MTU 1400 - 40
  e.mss_ipv6 = 1340;
  h.edge = e;
  auto f = diagnose(h);
  CHECK(problems(f).empty());
  CHECK(notes(f).count("edge_clamps") == 1);

  SUBCASE("an edge clamping above the overlay's limit does not count") {
    h.edge->mss_ipv4 = 1460;
    f = diagnose(h);
    CHECK(problems(f) == std::set<std::string>{"no_clamp_into_overlay", "no_clamp_out_of_overlay"});
    CHECK(find(f, "no_clamp_into_overlay")->text.find("clamps to 1460") != std::string::npos);
  }
  SUBCASE("--no-mss-clamp is named") {
    h.edge->clamps = false;
    f = diagnose(h);
    CHECK(problems(f).size() == 2);
    CHECK(find(f, "no_clamp_out_of_overlay")->text.find("--no-mss-clamp") != std::string::npos);
  }
  SUBCASE("the reference's edge answers but has no clamping") {
    h.edge->has_method = false;
    f = diagnose(h);
    CHECK(problems(f).size() == 2);
    CHECK(find(f, "no_clamp_into_overlay")->text.find("reference's edge has no MSS clamping") !=
          std::string::npos);
  }
  SUBCASE("no edge answering is said too") {
    h.edge->answered = false;
    h.edge->has_method = false;
    f = diagnose(h);
    CHECK(problems(f).size() == 2);
    CHECK(find(f, "no_clamp_into_overlay")->text.find("no n2n edge answers") != std::string::npos);
  }
}

TEST_CASE("diag: our clamp (pmtu in, fixed out) satisfies both directions") {
  auto h = gateway();
  h.firewall.clamps = {clamp("", "n2n0", true), clamp("n2n0", "", false, 1360)};
  CHECK(problems(diagnose(h)).empty());
}

TEST_CASE("diag: iptables' usual postrouting one-liner only covers one direction") {
  auto h = gateway();
  h.firewall.clamps = {clamp("", "n2n0", true, 0, "postrouting")};
  CHECK(problems(diagnose(h)) == std::set<std::string>{"no_clamp_out_of_overlay"});
}

TEST_CASE("diag: route-MTU clamp out of the overlay is a note, too big a fixed one a problem") {
  auto h = gateway();
  h.firewall.clamps = {clamp("", "n2n0", true), clamp("n2n0", "", true)};
  const auto f = diagnose(h);
  CHECK(problems(f).empty());
  CHECK(notes(f).count("pmtu_clamp_out_of_overlay") == 1);
  h.firewall.clamps = {clamp("", "n2n0", true), clamp("n2n0", "", false, 1460)};
  CHECK(problems(diagnose(h)) == std::set<std::string>{"clamp_too_big"});
  // A fixed clamp towards the overlay larger than the overlay allows does not count.
  h.firewall.clamps = {clamp("", "n2n0", false, 1460), clamp("n2n0", "", false, 1360)};
  CHECK(problems(diagnose(h)) == std::set<std::string>{"no_clamp_into_overlay"});
  // A route-MTU clamp out of another interface (the LAN) covers only traffic out of the
  // overlay, and an input-hook clamp sees no forwarded traffic.
  h.firewall.clamps = {clamp("", "eth1", true)};
  CHECK(problems(diagnose(h)) == std::set<std::string>{"no_clamp_into_overlay"});
  h.firewall.clamps = {clamp("n2n0", "", false, 1360, "input")};
  CHECK(problems(diagnose(h)) ==
        std::set<std::string>{"no_clamp_into_overlay", "no_clamp_out_of_overlay"});
}

TEST_CASE("diag: IPv6 forwarding needs IPv6 clamps; inet rules cover both families") {
  auto h = gateway();
  h.ipv6_forwarding = true;
  auto v4_in = clamp("", "n2n0", true);
  v4_in.place.family = firewall::IpFamily::ipv4;
  auto v4_out = clamp("n2n0", "", false, 1360);
  v4_out.place.family = firewall::IpFamily::ipv4;
  h.firewall.clamps = {v4_in, v4_out};
  CHECK(problems(diagnose(h)) ==
        std::set<std::string>{"no_clamp_into_overlay_ipv6", "no_clamp_out_of_overlay_ipv6"});
  // IPv6 needs 1340: a family-less 1360 is too big for it.
  h.firewall.clamps = {clamp("", "n2n0", true), clamp("n2n0", "", false, 1360)};
  CHECK(problems(diagnose(h)) == std::set<std::string>{"clamp_too_big_ipv6"});
  h.firewall.clamps = {clamp("", "n2n0", true), clamp("n2n0", "", false, 1340)};
  CHECK(problems(diagnose(h)).empty());
}

TEST_CASE("diag: no forwarding, no clamp needed; unread firewall is a note") {
  auto h = gateway();
  h.ipv4_forwarding = false;
  auto f = diagnose(h);
  CHECK(problems(f).empty());
  CHECK(notes(f).count("not_forwarding") == 1);
  h = gateway();
  h.firewall.sources_read.clear();
  h.firewall.errors = {"nftables: Operation not permitted (needs root or CAP_NET_ADMIN)"};
  f = diagnose(h);
  CHECK(problems(f).empty());
  CHECK(notes(f).count("firewall_unread") == 1);
}

TEST_CASE("diag: overlay MTU against the uplink") {
  auto h = gateway();
  h.overlay.mtu = 1500;
  auto f = diagnose(h);
  CHECK(problems(f).count("overlay_mtu_too_big") == 1);
  const Finding* big = find(f, "overlay_mtu_too_big");
  REQUIRE(big);
  CHECK(big->fixes[0] == "ip link set dev n2n0 mtu 1396");
  h.overlay.mtu = 1400;  // fits directly without a cipher, not relayed with one
  CHECK(notes(diagnose(h)).count("overlay_mtu_tight") == 1);
  h.overlay.mtu = 1290;
  const auto quiet = diagnose(h);
  CHECK(notes(quiet).count("overlay_mtu_tight") == 0);
  CHECK(problems(quiet).count("overlay_mtu_too_big") == 0);
  h.uplink.reset();
  h.uplink_error = "no route to 192.0.2.1: Network is unreachable";
  CHECK(notes(diagnose(h)).count("no_uplink") == 1);
}

TEST_CASE("diag: GRO on a forwarding host is a note with the command") {
  auto h = gateway();
  h.uplink->offloads.gro = true;
  const auto f = diagnose(h);
  const Finding* gro = find(f, "gro_while_forwarding");
  REQUIRE(gro);
  CHECK_FALSE(gro->problem);
  CHECK(gro->fixes == std::vector<std::string>{"ethtool -K eth0 gro off"});
  h.ipv4_forwarding = false;
  CHECK_FALSE(find(diagnose(h), "gro_while_forwarding"));
}

TEST_CASE("diag: watch options") {
  WatchOptions w;
  CHECK_FALSE(check_watch_options(w));
  CHECK(w.iface == "any");
  w = {};
  w.read_file = "x.pcap";
  CHECK_FALSE(check_watch_options(w));
  CHECK(w.iface.empty());
  w.iface = "eth0";
  CHECK(check_watch_options(w));
  w = {};
  w.iface = "bad/name";
  CHECK(*check_watch_options(w) == "'bad/name' is not a valid interface name");
  w = {};
  w.ports = {0};
  CHECK(check_watch_options(w));
  w = {};
  w.timeout = -1;
  CHECK(check_watch_options(w));
}

TEST_CASE("diag: check and clamp options") {
  CheckOptions c;
  CHECK_FALSE(check_check_options(c));
  c.supernode = "10.0.0.1";
  CHECK_FALSE(check_check_options(c));
  c.supernode = "10.0.0";
  CHECK(*check_check_options(c) == "--supernode '10.0.0' is not an IPv4 address");
  c = {};
  c.iface = "";
  CHECK(check_check_options(c));

  ClampOptions k;
  CHECK_FALSE(check_clamp_options(k));
  k.mss = 1360;
  CHECK_FALSE(check_clamp_options(k));
  k.pmtu = true;
  CHECK(*check_clamp_options(k) == "give --mss N or --pmtu, not both");
  k = {};
  k.mss = 100;
  CHECK(*check_clamp_options(k) == "--mss 100 is out of range (536..65495)");
  k = {};
  k.undo = true;
  CHECK_FALSE(check_clamp_options(k));
  k.mss = 1360;
  CHECK(check_clamp_options(k));
  k = {};
  k.backend = "pf";
  CHECK(check_clamp_options(k));
  for (const char* b : {"nft", "iptables", "iptables-nft", "iptables-legacy"}) {
    k.backend = b;
    CHECK_FALSE(check_clamp_options(k));
  }
  k = {};
  k.iface = "a very long interface name";
  CHECK(check_clamp_options(k));
}
