// n2n-mtu: the path MTU towards an n2n supernode (padded PINGs with DF, answered by PONGs, so
// it works where ICMP is filtered) or any host (ICMP echo, unprivileged or raw, or UDP to a
// closed port, DF), found by mtu::PathSearch up to the MTU of the route towards the target;
// and the TAP MTU / TCP MSS a path MTU allows (calc), all from the core's one overhead
// function.
#include <poll.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>

#include "core/crypto/random.hpp"
#include "core/keys/mac_address.hpp"
#include "core/mgmt/client.hpp"
#include "core/mtu/mtu_advice.hpp"
#include "core/mtu/overlay_verdict.hpp"
#include "core/mtu/ping_probe.hpp"
#include "core/mtu/probe_registration.hpp"
#include "core/mtu/probe_target.hpp"
#include "core/net/route_lookup.hpp"
#include "core/packet/ip_endpoint.hpp"
#include "core/wire/time_stamp.hpp"
#include "options.hpp"
#include "probe_run.hpp"
#include "probe_socket.hpp"
#include "report.hpp"

namespace {

using namespace n2nkit;
using namespace n2nkit::mtutool;

constexpr std::uint16_t kClosedUdpPort = 33434;  // traceroute's: nothing listens there

int error_line(int code, const std::string& message) {
  fmt::print(stderr, "n2n-mtu: {}\n", message);
  return code;
}

mtu::PathConfig path_config(const Options& opt) {
  mtu::PathConfig c;
  if (opt.transform) c.transform = *opt.transform;
  c.header_encryption = opt.header_encryption;
  c.compression = opt.compression;
  return c;
}

// How far a search towards `to` can go: --max, else the MTU of the route the kernel uses
// (the interface's, or the route's configured mtu metric), a local limit that makes an answer
// at it exact.
struct Ceiling {
  mtu::SearchCeiling limit;
  std::string note;   // the route could not be looked up: why, and what is assumed instead
  std::string iface;  // the outgoing interface, "" when unknown
  std::size_t iface_mtu = 0;
};

Ceiling ceiling_towards(const Destination& to, const Options& opt) {
  Ceiling c;
  packet::IpEndpoint ep;
  ep.ipv6 = to.ipv6;
  if (to.ipv6) {
    std::memcpy(ep.addr.data(), &reinterpret_cast<const sockaddr_in6&>(to.addr).sin6_addr, 16);
  } else {
    std::memcpy(ep.addr.data(), &reinterpret_cast<const sockaddr_in&>(to.addr).sin_addr, 4);
  }
  const std::string address = packet::address_to_string(ep);
  std::string error;
  std::optional<net::RouteFacts> facts;
  if (auto lookup = net::RouteLookup::open(error)) facts = lookup->lookup(ep, error);
  if (facts && facts->iface_mtu == 0) {
    facts.reset();
    error = "the outgoing interface's MTU is unknown";
  }
  if (facts) {
    c.iface = facts->iface;
    c.iface_mtu = facts->iface_mtu;
  }
  if (opt.upper_given) {
    c.limit = mtu::SearchCeiling{opt.upper, false, "--max"};
    return c;
  }
  if (!facts) {
    c.limit = mtu::SearchCeiling{1500, false, {}};
    c.note = fmt::format(
        "the route towards {} could not be looked up ({}): searching up to 1500, which is then "
        "only a lower bound",
        address, error);
    return c;
  }
  std::size_t size = facts->iface_mtu;
  std::string origin = fmt::format("the MTU of {} towards {}", facts->iface, address);
  // A path MTU the kernel learnt from ICMP also shows as the route's mtu: it may be stale, and
  // the probes (IP_PMTUDISC_PROBE) are not bound by it, so only a configured metric counts.
  if (facts->route_mtu != 0 && !facts->mtu_learnt && facts->route_mtu < size) {
    size = facts->route_mtu;
    origin = fmt::format("the mtu metric of the route via {} towards {}", facts->iface, address);
  }
  constexpr std::size_t kLargestDatagram = 65535;
  if (size > kLargestDatagram) {
    size = kLargestDatagram;
    origin = fmt::format("the largest IP datagram (the MTU of {} towards {} is {})", facts->iface,
                         address, facts->iface_mtu);
  }
  c.limit = mtu::SearchCeiling{size, true, origin};
  return c;
}

// --min against the ceiling: by default never above it; given, it must fit under it.
std::optional<std::size_t> lower_under(const Options& opt, const Ceiling& c, std::string& error) {
  if (!opt.lower_given) return std::min(opt.lower, c.limit.size);
  if (opt.lower <= c.limit.size) return opt.lower;
  error = fmt::format("--min {} is above {}{}", opt.lower, c.limit.size,
                      c.limit.local_limit ? fmt::format(", {}", c.limit.origin) : "");
  return std::nullopt;
}

mtu::PathSearchConfig search_config(std::size_t lower, std::size_t upper) {
  auto cfg = mtu::one_shot_search_config(lower, upper, crypto::system_random_u32() | 1u);
  // A one-shot tool measures one path now: the first answer sets the pace (3 × RTT), but never
  // below 20 ms, so that a slow supernode's PONG is not taken for a loss.
  cfg.initial_timeout = std::chrono::milliseconds{300};
  cfg.min_timeout = std::chrono::milliseconds{20};
  cfg.max_timeout = std::chrono::seconds{2};
  return cfg;
}

int finish(const Options& opt, const ProbeReport& report) {
  const auto base = path_config(opt);
  if (opt.json) {
    fmt::print("{}\n", probe_json(report, base).dump(2));
  } else {
    fmt::print("{}", probe_text(report, base, opt.transform));
  }
  if (!report.run.unreachable.empty()) {
    fmt::print(stderr, "n2n-mtu: {} is unreachable: {}\n", report.what, report.run.unreachable);
    return kExitNoAnswer;
  }
  switch (mtu::confidence_of(report.run.result, report.ceiling)) {
    case mtu::Confidence::exact:
    case mtu::Confidence::upper_limit:
      return kExitOk;
    case mtu::Confidence::lower_bound:
      return kExitProblem;
    case mtu::Confidence::none:
      fmt::print(stderr, "n2n-mtu: no answer from {} (not even a probe of {} bytes){}\n",
                 report.what, report.lower,
                 opt.mode == Mode::supernode
                     ? ": no supernode there, a wrong community or -H, or a firewall"
                     : "");
      return kExitNoAnswer;
  }
  return kExitProblem;
}

wire::WallTime wall_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return {static_cast<std::uint64_t>(ts.tv_sec), static_cast<std::uint32_t>(ts.tv_nsec / 1000)};
}

// REGISTER_SUPER under the throw-away MAC until the ACK brings the dynamic key (three tries,
// a second each).
int register_for_probing(ProbeSocket& socket, mtu::ProbeRegistration& registration,
                         wire::StampGenerator& stamps, const Options& opt,
                         const std::string& where) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    keys::Key16 challenge{};
    crypto::system_random(MutableByteView{challenge.data(), challenge.size()});
    const auto hello =
        registration.register_super(crypto::system_random_u32() | 1u, challenge,
                                    stamps.next(wall_now()), crypto::system_random_u32());
    socket.send(ByteView{hello.data(), hello.size()});
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{1};
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{socket.fd(), POLLIN | POLLERR, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      for (const auto& a : socket.receive()) {
        if (a.kind == Arrival::Kind::port_unreachable) {
          return error_line(kExitNoAnswer, fmt::format("supernode {} is unreachable: nothing "
                                                       "listens there (ICMP port unreachable)",
                                                       where));
        }
        if (a.kind == Arrival::Kind::unreachable) {
          return error_line(kExitNoAnswer,
                            fmt::format("supernode {} is unreachable: {}", where, a.what));
        }
        if (a.kind != Arrival::Kind::datagram) continue;
        const auto answer = registration.on_datagram(ByteView{a.data.data(), a.data.size()});
        if (std::holds_alternative<mtu::ProbeRegistration::Accepted>(answer)) return kExitOk;
        if (std::holds_alternative<mtu::ProbeRegistration::Refused>(answer)) {
          return error_line(kExitUsage,
                            fmt::format("supernode {} refused user '{}' in community {} (wrong "
                                        "password, user not in its community file, or -P not "
                                        "its federation's key)",
                                        where, opt.user, opt.community));
        }
      }
    }
  }
  return error_line(kExitNoAnswer,
                    fmt::format("no answer from supernode {} to the registration of user '{}' "
                                "(no supernode there, a wrong community, a firewall)",
                                where, opt.user));
}

int probe_supernode(const Options& opt) {
  std::string error;
  const auto hp = parse_host_port(opt.target, error);
  if (!hp) return error_line(kExitUsage, error);
  auto to = resolve(hp->host, hp->port, error);
  if (!to) return error_line(kExitUsage, error);
  if (to->ipv6) return error_line(kExitUsage, "supernodes are reached over IPv4 only (spec §1)");
  bool permission = false;
  auto socket = ProbeSocket::open(SocketKind::udp, *to, error, permission);
  if (!socket) return error_line(permission ? kExitPermission : kExitNoAnswer, error);

  const auto community = wire::make_community(opt.community);
  std::optional<wire::HeaderKeys> keys;
  if (opt.header_encryption && !opt.password) keys = wire::HeaderKeys::from_community(community);
  mtu::PingProbeSpec spec;
  spec.community = community;
  spec.src_mac = keys::random_local_mac();
  wire::StampGenerator stamps;
  std::vector<std::uint8_t> scratch(65536);

  std::optional<mtu::ProbeRegistration> registration;
  if (opt.password) {
    mtu::ProbeCredentials cred{opt.user, *opt.password, opt.federation_public_key};
    registration.emplace(community, spec.src_mac, cred);
    const int code = register_for_probing(*socket, *registration, stamps, opt, to->text);
    if (code != kExitOk) return code;
    spec.keys = &*registration->dynamic_keys();
  } else {
    spec.keys = keys ? &*keys : nullptr;
  }
  ProbeFormat format;
  format.build = [&](std::uint32_t, std::size_t size) {
    std::vector<std::uint8_t> out(size);
    spec.stamp = stamps.next(wall_now());
    spec.filler = crypto::system_random_u32();
    const auto n = mtu::build_ping_probe(spec, size, MutableByteView{out.data(), out.size()});
    out.resize(n ? *n : 0);
    return out;
  };
  format.answer = [&](const Arrival& a) -> std::optional<std::uint32_t> {
    if (!mtu::is_pong(ByteView{a.data.data(), a.data.size()}, community, spec.keys,
                      MutableByteView{scratch.data(), scratch.size()})) {
      return std::nullopt;
    }
    return 0;  // a PONG names no PING: one probe in flight, credited to it
  };
  ProbeReport report;
  report.what = fmt::format("supernode {} (community {}{})", to->text, opt.community,
                            opt.password ? fmt::format(", user {}, dynamic key", opt.user)
                            : opt.header_encryption ? std::string(", header encryption")
                                                    : std::string());
  report.method = "padded n2n PINGs with DF";
  Ceiling ceiling = ceiling_towards(*to, opt);
  if (ceiling.limit.size > mtu::max_ping_probe_size()) {
    // A jumbo route: no supernode reads a longer PING, so a larger path cannot be seen.
    ceiling.note = fmt::format(
        "{} is {}, but a supernode answers PINGs of at most {} bytes (n2n messages are at most "
        "2048 bytes): searching up to that, which is then only a lower bound",
        ceiling.limit.origin, ceiling.limit.size, mtu::max_ping_probe_size());
    ceiling.limit = mtu::SearchCeiling{mtu::max_ping_probe_size(), false, {}};
  }
  const auto lower = lower_under(opt, ceiling, error);
  if (!lower) return error_line(kExitUsage, error);
  if (*lower < mtu::min_ping_probe_size()) {
    return error_line(kExitUsage,
                      fmt::format("{} leaves no room for a PING", ceiling.limit.origin));
  }
  report.lower = *lower;
  report.upper = ceiling.limit.size;
  report.ceiling = ceiling.limit;
  report.ceiling_note = ceiling.note;
  auto cfg = search_config(report.lower, report.upper);
  cfg.max_in_flight = 1;
  report.run = run_search(*socket, format, cfg,
                          std::chrono::milliseconds{static_cast<long>(opt.timeout_s * 1000)});
  if (registration) {
    // Twice: a lost UNREGISTER_SUPER would leave the throw-away edge listed until it expires.
    for (int i = 0; i < 2; ++i) {
      const auto bye =
          registration->unregister_super(stamps.next(wall_now()), crypto::system_random_u32());
      socket->send(ByteView{bye.data(), bye.size()});
    }
  }
  return finish(opt, report);
}

// The peer's rows in the local edge's `edges` and `paths`, as far as the edge answers.
mtu::OverlayFacts management_facts(const Options& opt, const std::string& address) {
  mtu::OverlayFacts f;
  constexpr std::chrono::milliseconds kTimeout{1000};
  const auto edges_answer = mgmt::read_method(opt.management_port, "", "edges", kTimeout);
  if (!edges_answer.ok) return f;
  const auto paths_answer = mgmt::read_method(opt.management_port, "", "paths", kTimeout);
  if (!paths_answer.ok) return f;
  const auto* edges = &edges_answer.rows;
  const auto* paths = &paths_answer.rows;
  f.management = true;
  std::string mac;
  for (const auto& row : *edges) {
    std::string ip = row.value("ip4addr", std::string{});
    ip = ip.substr(0, ip.find('/'));
    if (ip == address) mac = row.value("macaddr", std::string{});
  }
  if (mac.empty()) return f;
  f.peer_known = true;
  for (const auto& row : *paths) {
    if (row.value("peer", std::string{}) != "p2p" || row.value("macaddr", std::string{}) != mac) {
      continue;
    }
    if (row.value("confirmed", 0u) != 0) f.peer_path_mtu = row.value("pmtu", std::size_t{0});
    if (const auto limit = row.value("frame_limit", std::size_t{0}); limit != 0) {
      f.peer_frame_limit = limit;
    }
  }
  return f;
}

int probe_host(const Options& opt) {
  const bool overlay = opt.mode == Mode::overlay;
  std::string error;
  std::string host = opt.target;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  auto to = resolve(host, opt.udp ? kClosedUdpPort : 0, error);
  if (!to) return error_line(kExitUsage, error);
  bool permission = false;
  SocketKind kind = opt.udp ? SocketKind::udp : SocketKind::icmp_echo;
  auto socket = ProbeSocket::open(kind, *to, error, permission);
  std::string note;
  if (!socket && kind == SocketKind::icmp_echo && permission) {
    // Echo sockets are refused (root too, by the default ping_group_range): a raw socket with
    // CAP_NET_RAW is as quick; without it, UDP to a closed port needs no privilege at all but
    // is paced by the far host's ICMP rate limit.
    kind = SocketKind::icmp_raw;
    socket = ProbeSocket::open(kind, *to, error, permission);
    note = " (echo sockets refused by net.ipv4.ping_group_range; CAP_NET_RAW)";
    if (!socket && permission) {
      note = " (echo sockets refused by net.ipv4.ping_group_range, raw ones need CAP_NET_RAW)";
      kind = SocketKind::udp;
      to = resolve(host, kClosedUdpPort, error);
      if (!to) return error_line(kExitUsage, error);
      socket = ProbeSocket::open(kind, *to, error, permission);
    }
  }
  if (!socket) return error_line(permission ? kExitPermission : kExitNoAnswer, error);
  const std::size_t header = socket->header_bytes();
  const Ceiling ceiling = ceiling_towards(*to, opt);
  const auto lower_bound = lower_under(opt, ceiling, error);
  if (!lower_bound) return error_line(kExitUsage, error);
  std::size_t lower = *lower_bound;
  const std::size_t upper = ceiling.limit.size;
  std::optional<ProbeSocket::Interface> tap;
  if (overlay) {
    // The TAP's MTU is the most the overlay can be asked to carry from here.
    if (!ceiling.iface.empty()) {
      tap = ProbeSocket::Interface{ceiling.iface, ceiling.iface_mtu};
    } else {
      tap = socket->outgoing_interface();
    }
    if (!tap) {
      return error_line(kExitNoAnswer,
                        fmt::format("cannot tell which interface leads to {}", to->text));
    }
  }
  if (lower < header + 4) {
    return error_line(kExitUsage, fmt::format("--min {} leaves no room for a probe ({} bytes of "
                                              "headers and 4 of probe id)",
                                              lower, header));
  }
  ProbeFormat format;
  format.build = [header](std::uint32_t id, std::size_t size) {
    std::vector<std::uint8_t> out(size - header, 0x5a);
    std::memcpy(out.data(), &id, 4);
    return out;
  };
  format.answer = [kind](const Arrival& a) -> std::optional<std::uint32_t> {
    if (kind == SocketKind::udp || a.data.size() < 4) return std::nullopt;
    std::uint32_t id = 0;
    std::memcpy(&id, a.data.data(), 4);
    return id;
  };
  format.port_unreachable_answers = kind == SocketKind::udp;
  if (kind == SocketKind::udp) format.pace_after_loss = std::chrono::milliseconds{1100};
  ProbeReport report;
  report.what = overlay
                    ? fmt::format("overlay peer {} via {} (MTU {})", to->text, tap->name, tap->mtu)
                    : fmt::format("host {}", to->text);
  report.method =
      (kind == SocketKind::udp ? fmt::format("UDP to closed port {} with DF (ICMP port unreachable "
                                             "answers)",
                                             kClosedUdpPort)
       : kind == SocketKind::icmp_raw ? std::string("raw ICMP echo with DF")
                                      : std::string("ICMP echo with DF")) +
      note;
  report.lower = lower;
  report.upper = upper;
  report.ceiling = ceiling.limit;
  report.ceiling_note = ceiling.note;
  auto cfg = search_config(lower, upper);
  if (kind == SocketKind::udp) cfg.max_timeout = std::chrono::seconds{3};
  report.run = run_search(*socket, format, cfg,
                          std::chrono::milliseconds{static_cast<long>(opt.timeout_s * 1000)});
  if (!overlay) return finish(opt, report);

  auto facts = management_facts(opt, host);
  const auto& res = report.run.result;
  facts.largest = res.confirmed;
  facts.exact = res.state == mtu::SearchState::done;
  facts.tap_mtu = tap->mtu;
  if (report.run.reply_fragment != 0) {
    facts.reply_fragment = report.run.reply_fragment;
    facts.fragmented_reply_to = report.run.fragmented_reply_to;
  }
  report.overlay = mtu::assess_overlay(facts);
  report.overlay_management = facts.management;
  const int code = finish(opt, report);
  if (code != kExitOk) return code;
  return report.overlay->verdict == mtu::OverlayVerdict::fine ? kExitOk : kExitProblem;
}

int calc(const Options& opt) {
  const auto base = path_config(opt);
  if (opt.json) {
    fmt::print("{}\n", advice_json(opt.path_mtu, base).dump(2));
  } else {
    fmt::print("{}", advice_text(opt.path_mtu, base, opt.transform));
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = parse_options(argc, argv);
  if (!parsed.options) return parsed.exit_code;
  const Options& opt = *parsed.options;
  if (opt.command == Command::calc) return calc(opt);
  return opt.mode == Mode::supernode ? probe_supernode(opt) : probe_host(opt);  // host, overlay
}
