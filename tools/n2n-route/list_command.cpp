// list: core/routes/overlay_report on the live table, the journal and the edge's endpoints.
#include <fmt/format.h>

#include "commands.hpp"
#include "core/common/host_port.hpp"
#include "core/net/route_netlink.hpp"
#include "core/routes/overlay_report.hpp"
#include "core/routes/route_plan.hpp"
#include "edge_query.hpp"
#include "session.hpp"

namespace n2nkit::routetool {

int run_list(const Options& o) {
  Session s(o);
  std::string error;
  const int dev = net::interface_index(o.dev, error);
  if (dev == 0) return s.fail(kExitUsage, error);
  if (const int rc = s.open_journal(false); rc != kExitOk) return rc;
  std::vector<routes::KernelRoute> table;
  if (!net::read_kernel_routes(table, error)) return s.fail(kExitProblem, error);

  std::vector<routes::Endpoint> endpoints;
  bool known = false;
  std::string fix = "n2n-route supernode-route";
  if (!o.supernodes.empty()) {
    for (const auto& text : o.supernodes) {
      const auto hp = parse_host_port(text, error);
      if (!hp) return s.fail(kExitUsage, error);
      const auto ip = routes::parse_ipv4_address(hp->host);
      if (!ip) return s.fail(kExitUsage, fmt::format("'{}': list takes IPv4 addresses", text));
      endpoints.push_back({*ip, "supernode", text});
      fix += " --supernode " + text;
    }
    known = true;
  } else {
    known = edge_endpoints(o.mgmt_port, o.mgmt_password, true, endpoints, error);
    if (o.mgmt_port_given) fix += fmt::format(" -t {}", o.mgmt_port);
    if (!known && o.mgmt_port_given) return s.fail(kExitNoAnswer, error);
  }
  if (o.dev_given) fix += " --dev " + o.dev;

  routes::ReportInput in;
  in.table = table;
  in.overlay_ifindex = dev;
  in.dev = o.dev;
  in.journal = &s.journal();
  in.endpoints = endpoints;
  in.endpoints_known = known;
  in.supernode_route_command = fix;
  const auto report = routes::explain_overlay(in);

  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : report.rows) {
    const std::string text =
        routes::kernel_route_text(row.route, net::interface_name(row.route.route.ifindex));
    if (!o.json) {
      fmt::print("{}\n    {}; from {} (proto {})\n", text, row.why, row.origin,
                 routes::protocol_name(row.route.protocol));
    }
    rows.push_back({{"route", text},
                    {"through_overlay", row.through_overlay},
                    {"origin", row.origin},
                    {"why", row.why},
                    {"protocol", routes::protocol_name(row.route.protocol)}});
  }
  if (report.rows.empty() && !o.json) fmt::print("no route goes through {}\n", o.dev);
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : report.problems) {
    if (!o.json) fmt::print("PROBLEM: {}\n    fix: {}\n", p.problem, p.fix);
    problems.push_back({{"problem", p.problem}, {"fix", p.fix}});
  }
  nlohmann::json eps = nlohmann::json::array();
  for (const auto& e : endpoints) eps.push_back({{"role", e.role}, {"sockaddr", e.text}});
  for (const auto& n : report.notes) {
    if (!o.json) fmt::print("note: {}\n", n);
  }
  const int code = report.problems.empty() ? kExitOk : kExitProblem;
  if (o.json) {
    fmt::print("{}\n", nlohmann::json{{"dev", o.dev},
                                      {"routes", rows},
                                      {"endpoints", eps},
                                      {"endpoints_known", known},
                                      {"problems", problems},
                                      {"notes", report.notes},
                                      {"exit", code}}
                           .dump(2));
  }
  return code;
}

}  // namespace n2nkit::routetool
