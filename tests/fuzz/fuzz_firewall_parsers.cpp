// The firewall readers (n2n-mss check, n2n-route, the TUI) on arbitrary text: iptables-save
// output and nft JSON are another program's output, and a damaged or unexpected one must give a
// state (with errors), never a crash. The first byte picks the reader.
#include <string_view>

#include "core/firewall/ruleset_model.hpp"

using namespace n2nkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      (void)firewall::parse_iptables_save(text, firewall::IpFamily::ipv4,
                                          firewall::Source::iptables_nft);
      break;
    case 1:
      (void)firewall::owned_saved_rules(text, firewall::Owner::mss);
      (void)firewall::split_saved_rule(text);
      break;
    case 2:
      (void)firewall::parse_nft_json(text, true);
      break;
    default:
      (void)firewall::parse_nft_json(text, false);
      break;
  }
  return 0;
}
