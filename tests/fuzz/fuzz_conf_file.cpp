// Configuration-file expansion (both flavours) and the supernode's -a value / auto-IP choice on
// arbitrary text. Checks the promises callers rely on, not just the absence of crashes.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/conf/option_file.hpp"
#include "core/supernode/auto_ip.hpp"

using namespace n2nkit;

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

void expand(std::string_view text, conf::Flavour flavour) {
  std::vector<conf::Diagnostic> warnings;
  std::string error;
  const auto tokens = conf::expand_config_file(text, "fuzz.conf", flavour,
                                               conf::optional_args_of(flavour), warnings, error);
  if (!tokens) {
    check(!error.empty() && error.find('\n') == std::string::npos);
    return;
  }
  check(error.empty());
  for (const auto& w : warnings) check(w.to_string().find('\n') == std::string::npos);
  // Every line yields at most one option token starting with '-' and at most one value.
  for (const auto& t : *tokens) check(!t.empty() && t.size() <= text.size());
}

void auto_ip(std::string_view text) {
  std::string error;
  const auto pool = supernode::parse_auto_ip_pool(text, error);
  if (!pool) {
    check(!error.empty() && error.find('\n') == std::string::npos);
    return;
  }
  const std::uint32_t count = supernode::pool_subnet_count(*pool);
  check(count >= 1);
  // The canonical form reads back to the same pool.
  std::string again_error;
  const auto again =
      supernode::parse_auto_ip_pool(supernode::format_auto_ip_pool(*pool), again_error);
  check(again && *again == *pool);

  const auto community = wire::make_community(text);
  const auto subnet =
      supernode::choose_community_subnet(*pool, community, std::span<const wire::IpSubnet>{});
  check(subnet.prefix == pool->prefix && subnet.addr >= pool->min_net &&
        subnet.addr <= pool->max_net);
  // With the proposal taken the search still ends inside the pool, or reports exhaustion.
  const wire::IpSubnet first[] = {subnet};
  const auto second = supernode::choose_community_subnet(*pool, community, first);
  check(second == wire::IpSubnet{} || (second.addr != subnet.addr && second.addr >= pool->min_net &&
                                       second.addr <= pool->max_net));

  const auto desc = wire::make_description(text);
  const auto address =
      supernode::choose_edge_address(subnet, desc, std::span<const std::uint32_t>{});
  check(address.has_value());
  const std::uint32_t host = ~supernode::prefix_netmask(subnet.prefix);
  check((address->addr & ~host) == subnet.addr);
  check((address->addr & host) != 0 && (address->addr & host) != host);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  expand(text, conf::Flavour::edge);
  expand(text, conf::Flavour::supernode);
  auto_ip(text);
  return 0;
}
