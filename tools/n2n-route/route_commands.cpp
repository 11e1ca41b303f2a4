// add, del and supernode-route: plan on a snapshot of the table (core/routes/route_plan), then
// carry out through the session, each change in the journal first.
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <fmt/format.h>

#include <memory>

#include "commands.hpp"
#include "core/common/host_port.hpp"
#include "core/net/route_netlink.hpp"
#include "core/routes/route_args.hpp"
#include "core/routes/route_plan.hpp"
#include "edge_query.hpp"
#include "session.hpp"

namespace n2nkit::routetool {
namespace {

using routes::KernelRoute;

bool read_table(Session& s, std::vector<KernelRoute>& table) {
  std::string error;
  if (net::read_kernel_routes(table, error)) return true;
  s.problem(error);
  return false;
}

// IPv4 addresses of HOST:PORT (a name is resolved: a supernode may be given by name, as -l takes
// it).
bool resolve_supernodes(const std::vector<std::string>& given, std::vector<std::uint32_t>& out,
                        std::string& error) {
  for (const auto& text : given) {
    const auto hp = parse_host_port(text, error);
    if (!hp) return false;
    if (const auto ip = routes::parse_ipv4_address(hp->host)) {
      out.push_back(*ip);
      continue;
    }
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* found = nullptr;
    if (const int rc = ::getaddrinfo(hp->host.c_str(), nullptr, &hints, &found); rc != 0) {
      error = fmt::format("'{}': cannot resolve {}: {}", text, hp->host, ::gai_strerror(rc));
      return false;
    }
    std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> hold(found, ::freeaddrinfo);
    out.push_back(ntohl(reinterpret_cast<const sockaddr_in*>(found->ai_addr)->sin_addr.s_addr));
  }
  return true;
}

}  // namespace

int run_add(const Options& o) {
  Session s(o);
  std::string error;
  const auto args = routes::parse_route_args(o.args, error);
  if (!args) return s.fail(kExitUsage, error);
  const int dev = net::interface_index(o.dev, error);
  if (dev == 0) return s.fail(kExitUsage, error);
  if (const int rc = s.open_journal(true); rc != kExitOk) return rc;
  std::vector<KernelRoute> table;
  if (!read_table(s, table)) return s.finish(kExitProblem);
  const routes::Ipv4Route r{args->net.net, args->net.prefix, args->gateway.value_or(0), dev,
                            o.metric.value_or(0)};
  const KernelRoute wanted = routes::static_route(r);
  routes::RoutePlan plan;
  routes::plan_put(table, s.journal(), wanted, routes::kernel_route_text(wanted, o.dev), plan);
  s.apply(plan, "add");
  return s.finish(kExitOk);
}

int run_del(const Options& o) {
  Session s(o);
  std::string error;
  const auto args = routes::parse_route_args(o.args, error);
  if (!args) return s.fail(kExitUsage, error);
  routes::DeleteSelector which{args->net, args->gateway, std::nullopt, o.metric};
  if (o.dev_given) {
    const int dev = net::interface_index(o.dev, error);
    if (dev == 0) return s.fail(kExitUsage, error);
    which.ifindex = dev;
  }
  if (const int rc = s.open_journal(true); rc != kExitOk) return rc;
  std::vector<KernelRoute> table;
  if (!read_table(s, table)) return s.finish(kExitProblem);
  const auto plan = routes::plan_delete(table, s.journal(), which);
  if (!plan.problems.empty() && plan.steps.empty()) {
    return s.fail(kExitUsage, plan.problems.front());
  }
  s.apply(plan, "del");
  return s.finish(kExitOk);
}

int run_supernode_route(const Options& o) {
  Session s(o);
  std::string error;
  const int dev = net::interface_index(o.dev, error);
  if (dev == 0) return s.fail(kExitUsage, error);
  std::vector<std::uint32_t> supernodes;
  if (!o.supernodes.empty()) {
    if (!resolve_supernodes(o.supernodes, supernodes, error)) return s.fail(kExitUsage, error);
  } else {
    std::vector<routes::Endpoint> endpoints;
    if (!edge_endpoints(o.mgmt_port, o.mgmt_password, false, endpoints, error)) {
      return s.fail(kExitNoAnswer, error + " (is the edge running? give -t PORT or --supernode)");
    }
    for (const auto& e : endpoints) supernodes.push_back(e.address);
    if (supernodes.empty()) {
      return s.fail(
          kExitNoAnswer,
          fmt::format("the edge at management port {} lists no IPv4 supernode", o.mgmt_port));
    }
  }
  if (const int rc = s.open_journal(true); rc != kExitOk) return rc;
  std::vector<KernelRoute> table;
  if (!read_table(s, table)) return s.finish(kExitProblem);
  const auto plan = routes::plan_supernode_routes(table, dev, s.journal(), supernodes);
  s.apply(plan, "supernode-route");
  return s.finish(kExitOk);
}

}  // namespace n2nkit::routetool
