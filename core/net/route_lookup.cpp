#include "core/net/route_lookup.hpp"

#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include <netlink/route/route.h>
#include <sys/socket.h>

#include <cstring>

#include <fmt/format.h>

#include "core/net/netlink_handle.hpp"

namespace n2nkit::net {
namespace {

struct Reply {
  rtnl_route* route = nullptr;
  int error = 0;
  bool expires = false;  // RTA_CACHEINFO with an expiry: the metrics include a learnt PMTU
};

int on_valid(nl_msg* msg, void* arg) {
  auto* reply = static_cast<Reply*>(arg);
  if (reply->route == nullptr) {
    rtnl_route_parse(nlmsg_hdr(msg), &reply->route);
    // libnl keeps the cache info to itself.
    if (nlattr* a = nlmsg_find_attr(nlmsg_hdr(msg), sizeof(rtmsg), RTA_CACHEINFO);
        a != nullptr && nla_len(a) >= static_cast<int>(sizeof(rta_cacheinfo))) {
      rta_cacheinfo info{};
      std::memcpy(&info, nla_data(a), sizeof info);
      reply->expires = info.rta_expires != 0;
    }
  }
  return NL_OK;
}

int on_error(sockaddr_nl*, nlmsgerr* err, void* arg) {
  static_cast<Reply*>(arg)->error = err->error;
  return NL_STOP;
}

struct MsgDeleter {
  void operator()(nl_msg* m) const { nlmsg_free(m); }
};
struct RouteDeleter {
  void operator()(rtnl_route* r) const { rtnl_route_put(r); }
};
struct CbDeleter {
  void operator()(nl_cb* c) const { nl_cb_put(c); }
};

}  // namespace

std::unique_ptr<RouteLookup> RouteLookup::open(std::string& error) {
  nl::Socket sock = nl::connect_route(error);
  if (!sock) return nullptr;
  // Without this libnl asks for an ACK after each answer, and the ACK left in the socket would
  // be taken for the answer to the next request (the link read).
  nl_socket_disable_auto_ack(sock.get());
  return std::unique_ptr<RouteLookup>(new RouteLookup(sock.release()));
}

RouteLookup::~RouteLookup() {
  nl_socket_free(sock_);
}

std::optional<RouteFacts> RouteLookup::lookup(const packet::IpEndpoint& to, std::string& error) {
  const auto key = std::make_pair(to.ipv6, to.addr);
  if (const auto it = cache_.find(key); it != cache_.end()) return it->second;

  std::unique_ptr<nl_msg, MsgDeleter> msg(nlmsg_alloc_simple(RTM_GETROUTE, NLM_F_REQUEST));
  rtmsg rtm{};
  rtm.rtm_family = to.ipv6 ? AF_INET6 : AF_INET;
  rtm.rtm_dst_len = to.ipv6 ? 128 : 32;
  if (!msg || nlmsg_append(msg.get(), &rtm, sizeof(rtm), NLMSG_ALIGNTO) < 0 ||
      nla_put(msg.get(), RTA_DST, to.ipv6 ? 16 : 4, to.addr.data()) < 0) {
    error = "cannot build a route lookup request";
    return std::nullopt;
  }
  if (const int rc = nl_send_auto(sock_, msg.get()); rc < 0) {
    error = fmt::format("route lookup: {}", nl::describe(rc));
    return std::nullopt;
  }
  Reply reply;
  std::unique_ptr<nl_cb, CbDeleter> cb(nl_cb_alloc(NL_CB_DEFAULT));
  nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &reply);
  nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &reply);
  const int rc = nl_recvmsgs(sock_, cb.get());
  std::unique_ptr<rtnl_route, RouteDeleter> route(reply.route);
  const std::string dst = packet::address_to_string(to);
  if (reply.error != 0) {
    error = fmt::format("no route to {}: {}", dst, std::strerror(-reply.error));
    return std::nullopt;
  }
  if (rc < 0 || !route) {
    error = fmt::format("route lookup for {}: {}", dst, rc < 0 ? nl::describe(rc) : "no answer");
    return std::nullopt;
  }
  RouteFacts f;
  f.local = rtnl_route_get_type(route.get()) == RTN_LOCAL;
  if (rtnl_route_get_nnexthops(route.get()) > 0) {
    rtnl_nexthop* nh = rtnl_route_nexthop_n(route.get(), 0);
    f.ifindex = rtnl_route_nh_get_ifindex(nh);
    if (nl_addr* gw = rtnl_route_nh_get_gateway(nh)) {
      char buf[64];
      f.gateway = nl_addr2str(gw, buf, sizeof(buf));
    }
  }
  std::uint32_t value = 0;
  if (rtnl_route_get_metric(route.get(), RTAX_MTU, &value) == 0) {
    f.route_mtu = value;
    f.mtu_learnt = reply.expires;
  }
  if (rtnl_route_get_metric(route.get(), RTAX_ADVMSS, &value) == 0) f.advmss = value;
  if (f.ifindex > 0) {
    std::string link_error;
    if (nl::Link link = nl::kernel_link(sock_, f.ifindex, link_error)) {
      f.iface_mtu = rtnl_link_get_mtu(link.get());
      if (const char* name = rtnl_link_get_name(link.get())) f.iface = name;
    }
  }
  cache_.emplace(key, f);
  return f;
}

std::optional<std::uint32_t> RouteLookup::iface_mtu(const std::string& name, int& ifindex,
                                                    std::string& error) {
  rtnl_link* raw = nullptr;
  if (const int rc = rtnl_link_get_kernel(sock_, 0, name.c_str(), &raw); rc < 0) {
    error = fmt::format("no interface named '{}'", name);
    return std::nullopt;
  }
  nl::Link link(raw);
  ifindex = rtnl_link_get_ifindex(link.get());
  return rtnl_link_get_mtu(link.get());
}

}  // namespace n2nkit::net
