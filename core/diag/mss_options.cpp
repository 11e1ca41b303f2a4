#include "core/diag/mss_options.hpp"

#include <arpa/inet.h>

#include <fmt/format.h>

#include "core/firewall/rule_plan.hpp"

namespace n2nkit::diag {

std::optional<std::string> check_watch_options(WatchOptions& o) {
  if (!o.read_file.empty() && !o.iface.empty())
    return std::string("give either a capture file (-r) or an interface (-i), not both");
  if (o.read_file.empty() && o.iface.empty()) o.iface = "any";
  if (!o.iface.empty() && o.iface != "any" && !firewall::valid_iface_name(o.iface))
    return fmt::format("'{}' is not a valid interface name", o.iface);
  for (const auto p : o.ports)
    if (p == 0) return std::string("--port: 0 is not a TCP port");
  if (o.timeout < 0 || o.timeout > 86400.0 * 365)
    return fmt::format("--timeout {} is not a number of seconds >= 0", o.timeout);
  return std::nullopt;
}

std::optional<std::string> check_check_options(const CheckOptions& o) {
  if (!firewall::valid_iface_name(o.iface))
    return fmt::format("'{}' is not a valid interface name", o.iface);
  if (!o.supernode.empty()) {
    in_addr a{};
    if (inet_pton(AF_INET, o.supernode.c_str(), &a) != 1)
      return fmt::format("--supernode '{}' is not an IPv4 address", o.supernode);
  }
  return std::nullopt;
}

std::optional<std::string> check_clamp_options(const ClampOptions& o) {
  if (!firewall::valid_iface_name(o.iface))
    return fmt::format("'{}' is not a valid interface name", o.iface);
  if (o.mss && o.pmtu) return std::string("give --mss N or --pmtu, not both");
  if (o.mss && (*o.mss < 536 || *o.mss > 65495))
    return fmt::format("--mss {} is out of range (536..65495)", *o.mss);
  if (o.undo && (o.mss || o.pmtu || o.local_output))
    return std::string("--undo removes what clamp added: it takes no --mss, --pmtu or --local");
  if (!o.backend.empty() && o.backend != "nft" && o.backend != "iptables" &&
      o.backend != "iptables-nft" && o.backend != "iptables-legacy")
    return fmt::format("unknown --backend '{}' (nft, iptables, iptables-nft, iptables-legacy)",
                       o.backend);
  return std::nullopt;
}

}  // namespace n2nkit::diag
