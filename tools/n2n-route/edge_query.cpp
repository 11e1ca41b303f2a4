#include "edge_query.hpp"

#include "core/mgmt/client.hpp"
#include "core/routes/route_plan.hpp"

namespace n2nkit::routetool {

bool edge_endpoints(std::uint16_t port, const std::string& password, bool with_peers,
                    std::vector<routes::Endpoint>& out, std::string& error) {
  out.clear();
  constexpr std::chrono::milliseconds kTimeout{1500};
  const auto sns = mgmt::read_method(port, password, "supernodes", kTimeout);
  if (!sns.ok) {
    error = sns.error;
    return false;
  }
  const auto take = [&](const mgmt::ReadAnswer& a, const char* role) {
    for (const auto& row : a.rows) {
      const auto sock = row.value("sockaddr", std::string());
      if (const auto ip = routes::sockaddr_ipv4(sock)) out.push_back({*ip, role, sock});
    }
  };
  take(sns, "supernode");
  if (with_peers) {
    const auto peers = mgmt::read_method(port, password, "edges", kTimeout);
    if (!peers.ok) {
      error = peers.error;
      return false;
    }
    take(peers, "peer");
  }
  return true;
}

}  // namespace n2nkit::routetool
