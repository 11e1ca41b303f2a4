#include "core/edge/management.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "core/common/printable.hpp"
#include "core/mgmt/legacy_text.hpp"
#include "core/mgmt/reply.hpp"

namespace n2nkit::edge {
namespace {

using mgmt::Field;
using mgmt::Fields;
using mgmt::MethodReply;

std::string subnet_or_empty(const wire::IpSubnet& subnet) {
  return subnet.addr == 0 ? std::string() : wire::subnet_to_string(subnet);
}

Fields peer_fields(std::string_view mode, const Peer& peer, bool direct) {
  // The engine's last_seen is what decides whether the direct path is fresh, the role the
  // reference's per-peer last_p2p plays; a pending peer has no direct path yet. Peers are
  // never "purgeable" in the reference; "local": found by multicast discovery.
  return mgmt::edge_peer_fields(
      mode, subnet_or_empty(peer.dev_addr), false, peer.local, management_mac(peer.mac),
      wire::sock_to_string(peer.sock), wire::description_to_string(peer.desc),
      direct ? static_cast<std::int64_t>(peer.last_seen) : 0,
      static_cast<std::int64_t>(peer.last_query), static_cast<std::int64_t>(peer.last_seen));
}

}  // namespace

std::string supernode_version(const KnownSupernode& sn) {
  // Up to the NUL: the reference leaves garbage after it (§4.8); what is left must not break
  // the JSON line, so anything unprintable is escaped.
  const auto end = std::ranges::find(sn.version, std::uint8_t{0});
  return printable(std::string_view(reinterpret_cast<const char*>(sn.version.data()),
                                    static_cast<std::size_t>(end - sn.version.begin())));
}

std::uint64_t super_tx(const EdgeCounters& counters) {
  return counters.super_tx + counters.super_broadcast_tx;
}

std::uint64_t super_rx(const EdgeCounters& counters) {
  return counters.super_rx + counters.super_broadcast_rx;
}

std::uint64_t last_super(const Engine& engine) {
  return std::max(engine.last_registered(), engine.counters().last_super_rx);
}

Management::Management(const Engine& engine, ManagementHooks hooks, std::string_view password)
    : engine_(engine),
      hooks_(std::move(hooks)),
      parse_config_{mgmt::Daemon::edge, mgmt::password_hash(password)} {}

std::vector<std::string> Management::handle(ByteView request, std::uint64_t now,
                                            const wire::Sock& sender) {
  const mgmt::ParsedRequest parsed = mgmt::parse_request(request, parse_config_);
  if (const auto* legacy_request = std::get_if<mgmt::LegacyRequest>(&parsed)) {
    return legacy(legacy_request->command, now);
  }
  if (std::holds_alternative<mgmt::RequestError>(parsed)) {
    return mgmt::answer(mgmt::Daemon::edge, parsed, *this);
  }
  const auto& json = std::get<mgmt::JsonRequest>(parsed);
  if (json.type == mgmt::RequestType::subscribe) return subscribe(json, sender);
  return mgmt::answer(mgmt::Daemon::edge, parsed, *this);
}

std::vector<std::string> Management::legacy(mgmt::LegacyCommand command, std::uint64_t now) {
  const auto level = [this] { return hooks_.verbosity ? hooks_.verbosity() : 0U; };
  const auto set_level = [this](unsigned l) {
    if (hooks_.set_verbosity) hooks_.set_verbosity(l);
  };
  switch (command) {
    case mgmt::LegacyCommand::help:
      return {std::string(mgmt::edge_help_text())};
    case mgmt::LegacyCommand::stop:
      request_stop();
      return {};  // the reference only logs it
    case mgmt::LegacyCommand::verbosity_up:
      set_level(level() + 1);
      return {mgmt::verbosity_up_text(level())};
    case mgmt::LegacyCommand::verbosity_down: {
      const unsigned before = level();
      if (before > 0) set_level(before - 1);
      return {mgmt::verbosity_down_text(before > 0, level())};
    }
    case mgmt::LegacyCommand::status:
      return status_report(engine_, now);
    case mgmt::LegacyCommand::reload_communities:
      break;  // a supernode command; the edge's parser never produces it
  }
  return {};
}

MethodReply Management::call(mgmt::MethodId method, const mgmt::JsonRequest& request) {
  switch (method) {
    case mgmt::MethodId::stop:
      return stop(request);
    case mgmt::MethodId::verbose:
      return verbose(request);
    case mgmt::MethodId::help_events:
      return help_events();
    case mgmt::MethodId::communities:
      return communities();
    case mgmt::MethodId::edges:
      return edges();
    case mgmt::MethodId::supernodes:
      return supernodes();
    case mgmt::MethodId::timestamps:
      return timestamps();
    case mgmt::MethodId::packetstats:
      return packetstats();
    case mgmt::MethodId::post_test:
      return post_test(request);
    case mgmt::MethodId::drops:
      return drops();
    case mgmt::MethodId::mss:
      return mss();
    case mgmt::MethodId::paths:
      return paths();
    case mgmt::MethodId::help:
    case mgmt::MethodId::reload_communities:
      break;  // answered by mgmt::answer() from the table
  }
  return {{}, mgmt::ErrorCode::unimplemented};
}

void Management::request_stop() {
  if (!keep_running_) return;
  keep_running_ = false;
  if (hooks_.stop) hooks_.stop();
}

MethodReply Management::stop(const mgmt::JsonRequest& request) {
  if (request.type == mgmt::RequestType::write) request_stop();
  return {{Fields{Field("keep_running", keep_running_ ? 1U : 0U)}}, std::nullopt};
}

MethodReply Management::verbose(const mgmt::JsonRequest& request) {
  if (request.type == mgmt::RequestType::write && !request.args.empty() && hooks_.set_verbosity) {
    hooks_.set_verbosity(static_cast<unsigned>(mgmt::c_strtoul(request.args, 0)));
  }
  const unsigned level = hooks_.verbosity ? hooks_.verbosity() : 0U;
  return {{Fields{Field("traceLevel", level)}}, std::nullopt};
}

MethodReply Management::communities() const {
  // With header encryption the community name is the key: not shown.
  if (engine_.config().header_encryption) return {{}, mgmt::ErrorCode::noaccess};
  const std::string name =
      wire::community_to_string(wire::make_community(engine_.config().community));
  return {{Fields{Field("community", name)}}, std::nullopt};
}

MethodReply Management::edges() const {
  const PeerTable& peers = engine_.peers();
  MethodReply reply;
  reply.rows.reserve(peers.pending_peers().size() + peers.known_peers().size());
  for (const auto& [mac, peer] : peers.pending_peers()) {
    reply.rows.push_back(peer_fields("pSp", peer, false));
  }
  for (const auto& [mac, peer] : peers.known_peers()) {
    reply.rows.push_back(peer_fields("p2p", peer, true));
  }
  return reply;
}

MethodReply Management::supernodes() const {
  MethodReply reply;
  const auto& list = engine_.supernodes();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const KnownSupernode& sn = list[i];
    int current = 0;
    if (i == engine_.current_supernode()) {
      current = engine_.state() == EdgeState::registered ? 1 : 2;
    }
    // The reference's "purgeable" column is its unpurgeable flag: 1 for `-l` entries.
    reply.rows.push_back(Fields{
        Field("version", supernode_version(sn)), Field("purgeable", sn.from_command_line ? 1 : 0),
        Field("current", current), Field("macaddr", management_mac(sn.mac)),
        Field("sockaddr", wire::sock_to_string(sn.sock)),
        Field("selection", selection_text(engine_.config().selection, sn.criterion,
                                          i == engine_.current_supernode())),
        Field("last_seen", sn.last_seen), Field("uptime", sn.uptime)});
  }
  return reply;
}

MethodReply Management::timestamps() const {
  return {{Fields{Field("start_time", engine_.started()), Field("last_super", last_super(engine_)),
                  Field("last_p2p", engine_.counters().last_p2p_rx)}},
          std::nullopt};
}

MethodReply Management::packetstats() const {
  const EdgeCounters& c = engine_.counters();
  MethodReply reply;
  reply.rows.push_back(Fields{Field("type", "transop"), Field("tx_pkt", c.transop_tx),
                              Field("rx_pkt", c.transop_rx)});
  reply.rows.push_back(
      Fields{Field("type", "p2p"), Field("tx_pkt", c.p2p_tx), Field("rx_pkt", c.p2p_rx)});
  reply.rows.push_back(
      Fields{Field("type", "super"), Field("tx_pkt", super_tx(c)), Field("rx_pkt", super_rx(c))});
  reply.rows.push_back(Fields{Field("type", "super_broadcast"),
                              Field("tx_pkt", c.super_broadcast_tx),
                              Field("rx_pkt", c.super_broadcast_rx)});
  return reply;
}

MethodReply Management::post_test(const mgmt::JsonRequest& request) {
  // Without an argument the reference formats a NULL pointer, which glibc prints "(null)".
  post(mgmt::Topic::test,
       Fields{Field("test", request.args.empty() ? std::string_view("(null)") : request.args)});
  return {{Fields{Field("sending", "test")}}, std::nullopt};
}

MethodReply Management::mss() const {
  const EdgeCounters& c = engine_.counters();
  const auto limits = engine_.mss_limits();
  MethodReply reply;
  reply.rows.push_back(Fields{Field("clamp", engine_.config().mss_clamp ? 1U : 0U),
                              Field("tap_mtu", engine_.tap_mtu()), Field("mss_ipv4", limits.ipv4),
                              Field("mss_ipv6", limits.ipv6), Field("clamped_tx", c.mss_clamped_tx),
                              Field("clamped_rx", c.mss_clamped_rx)});
  return reply;
}

MethodReply Management::drops() const {
  // Every reason, zeros included: a stable schema for scripts, in the core's reason order.
  MethodReply reply;
  reply.rows.reserve(kReasonCount);
  const auto& counters = engine_.counters();
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    const auto reason = static_cast<Reason>(i);
    if (reason == Reason::ok) continue;
    reply.rows.push_back(Fields{Field("reason", reason_name(reason)),
                                Field("count", counters.drops[i]),
                                Field("description", reason_text(reason))});
  }
  return reply;
}

MethodReply Management::paths() const {
  // One row per path searched: the current supernode's, then each known peer's. Sizes are
  // whole IPv4 datagrams; tap_mtu is what the edge wants for its TAP (-M, or -M auto's
  // result); frame_limit the largest TAP frame sent to that peer directly (0: unknown, no
  // limit applied).
  MethodReply reply;
  const auto row = [&](std::string_view kind, const wire::Mac& mac, const wire::Sock& sock,
                       const mtu::PathSearch& search, std::size_t frame_limit) {
    const mtu::PathSearchResult r = search.result();
    reply.rows.push_back(Fields{
        Field("peer", kind), Field("macaddr", management_mac(mac)),
        Field("sockaddr", wire::sock_to_string(sock)),
        Field("state", mtu::search_state_name(r.state)), Field("pmtu", r.pmtu),
        Field("confirmed", r.confirmed), Field("too_big", r.too_big),
        Field("probes_sent", r.probes_sent), Field("answered", r.answered), Field("lost", r.lost),
        Field("tap_mtu", engine_.tap_mtu()), Field("frame_limit", frame_limit)});
  };
  if (const auto& search = engine_.supernode_path()) {
    const auto& list = engine_.supernodes();
    const auto it = std::ranges::find(list, engine_.supernode_path_sock(), &KnownSupernode::sock);
    row("supernode", it != list.end() ? it->mac : wire::kNullMac, engine_.supernode_path_sock(),
        *search, 0);
  }
  for (const auto& [mac, path] : engine_.peer_paths()) {
    row("p2p", mac, path.sock, path.search, path.frame_limit);
  }
  return reply;
}

}  // namespace n2nkit::edge
