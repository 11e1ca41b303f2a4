#include <fmt/format.h>

#include "core/firewall/rule_plan.hpp"

namespace n2nkit::firewall {
namespace {

std::string shell_quote(const std::string& word) {
  if (!word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789-_.,:/=+@%") == std::string::npos)
    return word;
  std::string out = "'";
  for (const char c : word) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

}  // namespace

std::vector<std::string> iptables_argv(const IptablesRule& r, IptablesOp op) {
  std::vector<std::string> argv = {"-t", r.table};
  switch (op) {
    case IptablesOp::add:
      argv.push_back(r.insert ? "-I" : "-A");
      break;
    case IptablesOp::check:
      argv.push_back("-C");
      break;
    case IptablesOp::del:
      argv.push_back("-D");
      break;
  }
  argv.push_back(r.chain);
  argv.insert(argv.end(), r.spec.begin(), r.spec.end());
  return argv;
}

std::string iptables_command_line(const IptablesRule& r, IptablesOp op,
                                  std::string_view program_v4) {
  std::string line = r.family == IpFamily::ipv4 ? std::string(program_v4)
                                                : "ip6" + std::string(program_v4.substr(2));
  for (const auto& word : iptables_argv(r, op)) line += " " + shell_quote(word);
  return line;
}

}  // namespace n2nkit::firewall
