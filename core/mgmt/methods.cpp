#include "core/mgmt/methods.hpp"

#include <array>

namespace n2nkit::mgmt {
namespace {

// Help strings are the reference's own: n2n-ctl users see them verbatim. n2nkit's own methods
// come after the reference's in both tables.
constexpr std::array<Method, 14> kEdgeMethods{{
    {MethodId::reload_communities, "reload_communities", "Reserved for supernode",
     Access::read_write, true},
    {MethodId::stop, "stop", "Gracefully exit edge", Access::read_write, false},
    {MethodId::verbose, "verbose", "Manage verbosity level", Access::read_write, false},
    {MethodId::communities, "communities", "Show current community", Access::read_only, false},
    {MethodId::edges, "edges", "List current edges/peers", Access::read_only, false},
    {MethodId::supernodes, "supernodes", "List current supernodes", Access::read_only, false},
    {MethodId::timestamps, "timestamps", "Event timestamps", Access::read_only, false},
    {MethodId::packetstats, "packetstats", "traffic counters", Access::read_only, false},
    {MethodId::post_test, "post.test", "send a test event", Access::read_only, false},
    {MethodId::help, "help", "Show JSON commands", Access::read_write, false},
    {MethodId::help_events, "help.events", "Show available Subscribe topics", Access::read_only,
     false},
    {MethodId::drops, "drops", "Datagrams not acted on, by reason (n2nkit)", Access::read_only,
     false},
    {MethodId::mss, "mss", "TCP MSS clamping: limits and SYNs clamped (n2nkit)", Access::read_only,
     false},
    {MethodId::paths, "paths", "Path MTU towards the supernode (n2nkit)", Access::read_only, false},
}};

// The supernode's "stop" help really says "edge": the reference shares the string. n2nkit's
// own methods come last, so that the reference's rows keep their order for its clients.
constexpr std::array<Method, 10> kSupernodeMethods{{
    {MethodId::supernodes, "supernodes", "Reserved for edge", Access::read_only, true},
    {MethodId::stop, "stop", "Gracefully exit edge", Access::read_write, false},
    {MethodId::verbose, "verbose", "Manage verbosity level", Access::read_write, false},
    {MethodId::reload_communities, "reload_communities",
     "Reloads communities and user's public keys", Access::write_only, false},
    {MethodId::communities, "communities", "List current communities", Access::read_only, false},
    {MethodId::edges, "edges", "List current edges/peers", Access::read_only, false},
    {MethodId::timestamps, "timestamps", "Event timestamps", Access::read_only, false},
    {MethodId::packetstats, "packetstats", "Traffic statistics", Access::read_only, false},
    {MethodId::help, "help", "Show JSON commands", Access::read_write, false},
    {MethodId::drops, "drops", "Datagrams not acted on, by reason (n2nkit)", Access::read_only,
     false},
}};

constexpr std::array<TopicInfo, 3> kEdgeTopics{{
    {Topic::debug, "debug", "All events - for event debugging"},
    {Topic::test, "test", "Used only by post.test"},
    {Topic::peer, "peer", "Changes to peer list"},
}};

}  // namespace

std::span<const Method> methods(Daemon daemon) {
  if (daemon == Daemon::edge) return kEdgeMethods;
  return kSupernodeMethods;
}

const Method* find_method(Daemon daemon, std::string_view name) {
  for (const Method& m : methods(daemon)) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::span<const TopicInfo> edge_topics() {
  return kEdgeTopics;
}

const TopicInfo* find_topic(std::string_view name) {
  for (const TopicInfo& t : kEdgeTopics) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::notype:
      return "notype";
    case ErrorCode::badtype:
      return "badtype";
    case ErrorCode::nooptions:
      return "nooptions";
    case ErrorCode::nocmd:
      return "nocmd";
    case ErrorCode::badauth:
      return "badauth";
    case ErrorCode::unknowncmd:
      return "unknowncmd";
    case ErrorCode::readonly:
      return "readonly";
    case ErrorCode::unknowntopic:
      return "unknowntopic";
    case ErrorCode::noaccess:
      return "noaccess";
    case ErrorCode::unimplemented:
      return "unimplemented";
    case ErrorCode::writeonly:
      return "writeonly";
    case ErrorCode::nofile:
      return "nofile";
  }
  return "unknown";
}

}  // namespace n2nkit::mgmt
