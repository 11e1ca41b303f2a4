#include "core/routes/overlay_report.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/routes/route_keeper.hpp"

namespace n2nkit::routes {
namespace {

std::string origin_of(const KernelRoute& k, const UndoJournal& journal) {
  if (const Change* c = journal.route_change(k.route)) return "n2n-route " + c->by;
  switch (k.protocol) {
    case 2:
      return "kernel";
    case 4:
      return "an edge's -n or another tool (proto static)";
    case 3:
      return "by hand (proto boot, as `ip route add` makes it)";
    default:
      return fmt::format("proto {}", protocol_name(k.protocol));
  }
}

bool captures_default(const Ipv4Route& r) {
  return r.prefix <= 1;
}

}  // namespace

std::string protocol_name(std::uint8_t protocol) {
  switch (protocol) {
    case 0:
      return "unspec";
    case 1:
      return "redirect";
    case 2:
      return "kernel";
    case 3:
      return "boot";
    case 4:
      return "static";
    case 16:
      return "dhcp";
    case 186:
      return "bgp";
    case 188:
      return "ospf";
    default:
      return std::to_string(protocol);
  }
}

OverlayReport explain_overlay(const ReportInput& in) {
  OverlayReport report;
  const UndoJournal empty;
  const UndoJournal& journal = in.journal != nullptr ? *in.journal : empty;
  std::vector<Ipv4Route> plain;
  for (const KernelRoute& k : in.table) plain.push_back(k.route);

  bool default_via_overlay = false;
  for (const KernelRoute& k : in.table) {
    if (k.route.ifindex != in.overlay_ifindex) continue;
    ReportRow row{k, true, origin_of(k, journal), {}};
    if (k.protocol == 2 && k.route.gateway == 0) {
      row.why = fmt::format("the overlay's own subnet ({}'s address)", in.dev);
    } else if (captures_default(k.route)) {
      default_via_overlay = true;
      row.why = k.route.prefix == 0 ? "all traffic without a more specific route goes through the "
                                      "overlay (default route)"
                                    : "half of the address space (with its twin /1: everything "
                                      "without a more specific route) goes through the overlay";
    } else if (k.route.gateway != 0) {
      row.why = fmt::format("{}/{} is reached through the overlay gateway {}",
                            ipv4_text(k.route.dst), k.route.prefix, ipv4_text(k.route.gateway));
    } else {
      row.why = fmt::format("{}/{} is on the overlay link itself", ipv4_text(k.route.dst),
                            k.route.prefix);
    }
    report.rows.push_back(std::move(row));
  }
  // Host routes that keep an endpoint (or a journal's supernode route) off the overlay.
  for (const KernelRoute& k : in.table) {
    if (k.route.ifindex == in.overlay_ifindex || k.route.prefix != 32) continue;
    const auto endpoint = std::ranges::find_if(
        in.endpoints, [&](const Endpoint& e) { return e.address == k.route.dst; });
    const Change* ours = journal.route_change(k.route);
    if (endpoint == in.endpoints.end() && ours == nullptr) continue;
    ReportRow row{k, false, origin_of(k, journal), {}};
    row.why = endpoint != in.endpoints.end()
                  ? fmt::format("keeps the {} {} off the overlay (through the underlay)",
                                endpoint->role, endpoint->text)
                  : "keeps a supernode off the overlay (through the underlay)";
    report.rows.push_back(std::move(row));
  }
  // What a packet to each endpoint would do.
  for (const Endpoint& e : in.endpoints) {
    const auto via = lookup(std::span<const Ipv4Route>(plain), e.address,
                            [](const Ipv4Route&) { return false; });
    if (via && via->ifindex == in.overlay_ifindex) {
      report.problems.push_back(
          {fmt::format("the {} {} is reached through {} itself (route {}/{}): the edge's own "
                       "packets would enter its overlay and it loses the {}",
                       e.role, e.text, in.dev, ipv4_text(via->dst), via->prefix, e.role),
           e.role == "supernode"
               ? in.supernode_route_command
               : fmt::format("n2n-route supernode-route --supernode {}", e.text)});
    }
  }
  if (default_via_overlay && !in.endpoints_known) {
    report.notes.push_back(fmt::format(
        "a default route goes through {}, but the supernodes are not known (the edge's "
        "management port did not answer; give --supernode HOST:PORT): not checked whether they "
        "stay off the overlay",
        in.dev));
  }
  // Routes of ours that the kernel lost (the routes of an edge's TAP go with it on a restart).
  for (const Change& c : journal.changes()) {
    if (c.kind != ChangeKind::route_added && c.kind != ChangeKind::route_replaced) continue;
    // A TAP made again by a restarted edge has a new index: the record names it.
    Ipv4Route wanted = c.route.route;
    if (c.dev == in.dev) wanted.ifindex = in.overlay_ifindex;
    const bool present = std::ranges::any_of(
        in.table, [&](const KernelRoute& k) { return same_route(k.route, wanted); });
    if (present) continue;
    std::string fix =
        c.by == "supernode-route"
            ? in.supernode_route_command
            : fmt::format("n2n-route add {}/{}{} --dev {}", ipv4_text(c.route.route.dst),
                          c.route.route.prefix,
                          c.route.route.gateway != 0 ? " via " + ipv4_text(c.route.route.gateway)
                                                     : std::string(),
                          c.dev);
    report.problems.push_back(
        {fmt::format("route {} (n2n-route {}) is gone from the kernel (its device went down or "
                     "was recreated?)",
                     kernel_route_text(c.route, c.dev), c.by),
         fix});
  }
  return report;
}

}  // namespace n2nkit::routes
