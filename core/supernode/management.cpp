#include "core/supernode/management.hpp"

#include <fmt/format.h>

#include <utility>
#include <variant>

#include "core/mgmt/legacy_text.hpp"
#include "core/mgmt/reply.hpp"

namespace n2nkit::supernode {
namespace {

using mgmt::Field;
using mgmt::Fields;
using mgmt::MethodReply;

// The reference shows the federation as a community named "-/-".
constexpr std::string_view kFederationLabel = "-/-";

std::string subnet_or_empty(const wire::IpSubnet& subnet) {
  return subnet.addr == 0 ? std::string() : wire::subnet_to_string(subnet);
}

// An age in seconds for the text report; the clock may have stepped back.
std::uint64_t age(std::uint64_t now, std::uint64_t then) {
  return now >= then ? now - then : 0;
}

}  // namespace

Management::Management(const Engine& engine, ManagementHooks hooks, std::string_view password)
    : engine_(engine),
      hooks_(std::move(hooks)),
      parse_config_{mgmt::Daemon::supernode, mgmt::password_hash(password)} {}

std::vector<std::string> Management::handle(ByteView request, std::uint64_t now) {
  const mgmt::ParsedRequest parsed = mgmt::parse_request(request, parse_config_);
  const auto* legacy = std::get_if<mgmt::LegacyRequest>(&parsed);
  if (legacy == nullptr) return mgmt::answer(mgmt::Daemon::supernode, parsed, *this);
  switch (legacy->command) {
    case mgmt::LegacyCommand::help:
      return {std::string(mgmt::supernode_help_text())};
    case mgmt::LegacyCommand::reload_communities:
      return legacy_reload();
    case mgmt::LegacyCommand::status:
      return status_report(engine_, now);
    case mgmt::LegacyCommand::stop:
    case mgmt::LegacyCommand::verbosity_up:
    case mgmt::LegacyCommand::verbosity_down:
      break;  // edge commands; the supernode's parser never produces them
  }
  return {};
}

std::vector<std::string> Management::legacy_reload() {
  if (!hooks_.reload) {
    return {std::string(mgmt::reload_communities_text(mgmt::ReloadOutcome::no_community_file))};
  }
  const ReloadStatus status = hooks_.reload();
  return {std::string(mgmt::reload_communities_text(
      status == ReloadStatus::ok ? mgmt::ReloadOutcome::ok : mgmt::ReloadOutcome::failed))};
}

MethodReply Management::call(mgmt::MethodId method, const mgmt::JsonRequest& request) {
  switch (method) {
    case mgmt::MethodId::stop:
      return stop(request);
    case mgmt::MethodId::verbose:
      return verbose(request);
    case mgmt::MethodId::reload_communities:
      return reload_communities();
    case mgmt::MethodId::communities:
      return communities();
    case mgmt::MethodId::edges:
      return edges();
    case mgmt::MethodId::timestamps:
      return timestamps();
    case mgmt::MethodId::packetstats:
      return packetstats();
    case mgmt::MethodId::drops:
      return drops();
    case mgmt::MethodId::help:
    case mgmt::MethodId::help_events:
    case mgmt::MethodId::supernodes:
    case mgmt::MethodId::post_test:
    case mgmt::MethodId::mss:
    case mgmt::MethodId::paths:
      break;  // answered by mgmt::answer() or not in the supernode's table
  }
  return {{}, mgmt::ErrorCode::unimplemented};
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

MethodReply Management::stop(const mgmt::JsonRequest& request) {
  if (request.type == mgmt::RequestType::write && keep_running_) {
    keep_running_ = false;
    if (hooks_.stop) hooks_.stop();
  }
  return {{Fields{Field("keep_running", keep_running_ ? 1U : 0U)}}, std::nullopt};
}

MethodReply Management::verbose(const mgmt::JsonRequest& request) {
  if (request.type == mgmt::RequestType::write && !request.args.empty() && hooks_.set_verbosity) {
    hooks_.set_verbosity(static_cast<unsigned>(mgmt::c_strtoul(request.args, 0)));
  }
  const unsigned level = hooks_.verbosity ? hooks_.verbosity() : 0U;
  return {{Fields{Field("traceLevel", level)}}, std::nullopt};
}

MethodReply Management::reload_communities() {
  if (!hooks_.reload) return {{}, mgmt::ErrorCode::nofile};
  const ReloadStatus status = hooks_.reload();
  return {{Fields{Field("ok", static_cast<int>(status))}}, std::nullopt};
}

MethodReply Management::communities() const {
  MethodReply reply;
  reply.rows.reserve(engine_.communities().size() + 1);
  // The reference keeps the federation in its community table, ahead of every other.
  reply.rows.push_back(Fields{Field("community", kFederationLabel), Field("purgeable", 0),
                              Field("is_federation", 1), Field("ip4addr", "")});
  for (const auto& [name, community] : engine_.communities()) {
    reply.rows.push_back(Fields{Field("community", wire::community_to_string(name)),
                                Field("purgeable", community.purgeable ? 1 : 0),
                                Field("is_federation", 0),
                                Field("ip4addr", subnet_or_empty(community.auto_subnet))});
  }
  return reply;
}

MethodReply Management::edges() const {
  MethodReply reply;
  for (const FederationMember& member : engine_.federation()) {
    // The reference's "purgeable" column is its unpurgeable flag: 1 for `-l` anchors.
    reply.rows.push_back(Fields{Field("community", kFederationLabel), Field("ip4addr", ""),
                                Field("purgeable", member.is_anchor() ? 1 : 0),
                                Field("macaddr", management_mac(member.mac)),
                                Field("sockaddr", wire::sock_to_string(member.sock)),
                                Field("proto", "UDP"), Field("desc", ""),
                                Field("last_seen", member.last_seen)});
  }
  for (const auto& [name, community] : engine_.communities()) {
    const std::string community_name = wire::community_to_string(name);
    for (const auto& [mac, edge] : community.edges) {
      reply.rows.push_back(Fields{Field("community", community_name),
                                  Field("ip4addr", subnet_or_empty(edge.dev_addr)),
                                  Field("purgeable", 0), Field("macaddr", management_mac(edge.mac)),
                                  Field("sockaddr", wire::sock_to_string(edge.sock)),
                                  Field("proto", edge.tcp_connection != 0 ? "TCP" : "UDP"),
                                  Field("desc", wire::description_to_string(edge.desc)),
                                  Field("last_seen", edge.last_seen)});
    }
  }
  return reply;
}

MethodReply Management::timestamps() const {
  const PacketStats& stats = engine_.counters().packets;
  return {{Fields{Field("start_time", engine_.started()), Field("last_fwd", stats.last_forward),
                  Field("last_reg_super", stats.last_reg_super)}},
          std::nullopt};
}

MethodReply Management::packetstats() const {
  const PacketStats& stats = engine_.counters().packets;
  MethodReply reply;
  reply.rows.push_back(Fields{Field("type", "forward"), Field("tx_pkt", stats.forward)});
  reply.rows.push_back(Fields{Field("type", "broadcast"), Field("tx_pkt", stats.broadcast)});
  reply.rows.push_back(Fields{Field("type", "reg_super"), Field("rx_pkt", stats.reg_super_rx),
                              Field("nak", stats.reg_super_nak)});
  reply.rows.push_back(Fields{Field("type", "errors"), Field("tx_pkt", stats.errors_tx)});
  return reply;
}

std::vector<std::string> status_report(const Engine& engine, std::uint64_t now) {
  std::vector<std::string> out;
  const std::string rule(104, '=');
  out.push_back(fmt::format("{:>4} | {:<19} | {:<17} | {:<25} | {:<15} | {}\n", "###", "TAP", "MAC",
                            "EDGE", "HINT", "LAST SEEN"));
  out.push_back(rule + "\n");

  out.push_back(
      fmt::format("FEDERATION '{}' ({})\n", kFederationLabel, engine.config().federation));
  std::size_t n = 0;
  for (const FederationMember& member : engine.federation()) {
    out.push_back(
        fmt::format("{:>4} | {:<19} | {:<17} | {:<25} | {:<15} | {}\n", ++n,
                    member.is_anchor() ? "-l" : "", management_mac(member.mac),
                    member.resolved() ? wire::sock_to_string(member.sock) : member.anchor, "",
                    member.last_seen != 0 ? fmt::format("{:>9}", age(now, member.last_seen)) : ""));
  }

  std::size_t edge_count = 0;
  for (const auto& [name, community] : engine.communities()) {
    out.push_back(std::string(104, '-') + "\n");
    out.push_back(fmt::format(
        "{} '{}'{}\n", community.purgeable ? "COMMUNITY" : "FIXED NAME COMMUNITY",
        wire::community_to_string(name),
        community.auto_subnet.addr != 0 ? " " + wire::subnet_to_string(community.auto_subnet)
                                        : std::string()));
    n = 0;
    for (const auto& [mac, edge] : community.edges) {
      ++edge_count;
      out.push_back(fmt::format("{:>4} | {:<19} | {:<17} | {:<21} {:<3} | {:<15} | {:>9}\n", ++n,
                                subnet_or_empty(edge.dev_addr), management_mac(edge.mac),
                                wire::sock_to_string(edge.sock),
                                edge.tcp_connection != 0 ? "TCP" : "",
                                wire::description_to_string(edge.desc), age(now, edge.last_seen)));
    }
  }
  out.push_back(rule + "\n");

  const PacketStats& stats = engine.counters().packets;
  const auto ago = [&](std::uint64_t t) {
    return t == 0 ? std::string("never") : fmt::format("{} sec ago", age(now, t));
  };
  out.push_back(
      fmt::format("uptime {} | edges {} | reg_sup {} | reg_nak {} | errors {}\n"
                  "fwd {} | broadcast {} | cur_cmnts {}\n"
                  "last_fwd {} | last reg {}\n",
                  age(now, engine.started()), edge_count, stats.reg_super_rx, stats.reg_super_nak,
                  stats.errors_tx, stats.forward, stats.broadcast, engine.communities().size() + 1,
                  ago(stats.last_forward), ago(stats.last_reg_super)));

  std::string drops;
  for (std::size_t i = 0; i < kReasonCount; ++i) {
    const std::uint64_t count = engine.counters().drops[i];
    if (count == 0) continue;
    std::string item = fmt::format("{} {}", reason_name(static_cast<Reason>(i)), count);
    // Keep every datagram well below the 1024 bytes management clients read.
    if (!drops.empty() && drops.size() + item.size() + 3 > 900) {
      out.push_back(drops + "\n");
      drops.clear();
    }
    drops += drops.empty() ? "drops: " + item : " | " + item;
  }
  out.push_back((drops.empty() ? std::string("drops: none") : drops) + "\n\n");
  return out;
}

}  // namespace n2nkit::supernode
