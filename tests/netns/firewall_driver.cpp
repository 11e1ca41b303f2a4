// n2nkit-firewall-driver: core/firewall's plans applied and undone from the command line, for
// tests/netns/firewall_owners.sh (n2n-mss has no gateway; n2n-route lives on another branch).
//   n2nkit-firewall-driver BACKEND clamp OVERLAY MTU
//   n2nkit-firewall-driver BACKEND gateway OVERLAY LAN SUBNET [SNAT_ADDRESS]
//   n2nkit-firewall-driver BACKEND undo mss|gateway
//   n2nkit-firewall-driver - state
#include <cstdio>
#include <string>

#include "core/firewall/firewall_backends.hpp"

using namespace n2nkit::firewall;

namespace {

int finish(const Outcome& o) {
  for (const auto& c : o.changes) std::printf("%s\n", c.c_str());
  if (!o.ok) std::fprintf(stderr, "%s\n", o.error.c_str());
  return o.ok ? 0 : (o.permission ? 3 : 1);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: n2nkit-firewall-driver BACKEND clamp|gateway|undo|state ...\n");
    return 2;
  }
  const std::string what = argv[2];
  std::string error;
  if (what == "state") {
    const FirewallState st = read_firewall_state();
    std::printf("clamps %zu nats %zu accepts %zu mss %zu gateway %zu\n", st.clamps.size(),
                st.nats.size(), st.accepts.size(), st.owned_by(Owner::mss),
                st.owned_by(Owner::gateway));
    for (const auto& e : st.errors) std::printf("error %s\n", e.c_str());
    return 0;
  }
  const auto backend = resolve_backend(argv[1], error);
  if (!backend) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  std::optional<RulePlan> plan;
  if (what == "clamp" && argc == 5) {
    ClampRequest r;
    r.overlay_iface = argv[3];
    r.overlay_mtu = static_cast<std::uint32_t>(std::stoul(argv[4]));
    plan = plan_clamp(r, error);
  } else if (what == "gateway" && (argc == 6 || argc == 7)) {
    GatewayRequest g;
    g.overlay_iface = argv[3];
    g.lan_iface = argv[4];
    g.overlay_subnet = argv[5];
    if (argc == 7) {
      g.masquerade = false;
      g.snat_address = argv[6];
    }
    plan = plan_gateway(g, error);
  } else if (what == "undo" && argc == 4) {
    const std::string owner = argv[3];
    if (owner != "mss" && owner != "gateway") return 2;
    return finish(undo(owner == "mss" ? Owner::mss : Owner::gateway, *backend));
  } else {
    std::fprintf(stderr, "bad arguments\n");
    return 2;
  }
  if (!plan) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  return finish(apply(*plan, *backend));
}
