// -R rule parsing and judging on arbitrary input: the first line is a rule (parsed, never
// trusted), the rest a frame judged by it together with a catch-all. ASan catches reads outside
// the rule text or the frame (both exactly sized heap copies).
#include <string>
#include <vector>

#include "core/edge/traffic_rules.hpp"

using namespace n2nkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::size_t cut = 0;
  while (cut < size && data[cut] != '\n') ++cut;
  const std::string text(reinterpret_cast<const char*>(data), cut);
  std::string error, warning;
  std::vector<edge::TrafficRule> rules;
  if (auto rule = edge::parse_traffic_rule(text, error, warning)) {
    // What parsed must be what was given, and sane.
    if (rule->text != text || rule->src.prefix > 32 || rule->dst.prefix > 32 ||
        rule->src.first_port > rule->src.last_port || rule->dst.first_port > rule->dst.last_port) {
      __builtin_trap();
    }
    rules.push_back(std::move(*rule));
  } else if (error.empty()) {
    __builtin_trap();  // a refusal always says why
  }
  std::string catch_all_error, catch_all_warning;
  rules.push_back(*edge::parse_traffic_rule("0.0.0.0/0,0.0.0.0/0,TCP-,UDP+,ICMP-", catch_all_error,
                                            catch_all_warning));
  const edge::TrafficFilter filter(std::move(rules));
  const std::vector<std::uint8_t> frame(data + (cut < size ? cut + 1 : size), data + size);
  (void)filter.allows(frame);
  return 0;
}
