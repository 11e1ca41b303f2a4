// n2n-route: routes through an n2n overlay (add, del, list), host routes that keep the
// supernodes off it (supernode-route), undo of all of it from a journal under /run, and the
// reference dev branch's `n2n-route [options] <vpn gateway>`.
#include "commands.hpp"
#include "options.hpp"

int main(int argc, char** argv) {
  using namespace n2nkit::routetool;
  int exit_code = kExitOk;
  const auto options = parse_options(argc, argv, exit_code);
  if (!options) return exit_code;
  switch (options->command) {
    case Command::add:
      return run_add(*options);
    case Command::del:
      return run_del(*options);
    case Command::list:
      return run_list(*options);
    case Command::supernode_route:
      return run_supernode_route(*options);
    case Command::undo:
      return run_undo(*options);
    case Command::follow:
      return run_follow(*options);
    case Command::gateway_enable:
      return run_gateway_enable(*options);
    case Command::gateway_disable:
      return run_gateway_disable(*options);
    case Command::none:
      break;
  }
  return kExitUsage;
}
