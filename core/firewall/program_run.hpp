#pragma once
// Running iptables and its -save commands: the one place n2nkit starts a program, because for
// iptables-legacy a command is the only interface there is.
#include <string>
#include <vector>

namespace n2nkit::firewall {

struct ProgramResult {
  bool started = false;  // false: not found / could not run (error says why)
  int exit_code = -1;
  std::string out;
  std::string err;
  std::string error;
};

// argv[0] is looked up in PATH. stdout and stderr are captured; stdin is /dev/null.
ProgramResult run_program(const std::vector<std::string>& argv);

// The last non-empty line of a program's stderr, for a one-line message.
std::string last_line(const std::string& text);

}  // namespace n2nkit::firewall
