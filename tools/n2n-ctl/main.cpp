// n2n-ctl: the reference's scripts/n2n-ctl in C++ (no python on a router): one management
// request to a local edge or supernode, its reply as the reference's table or JSON.
#include <fmt/format.h>

#include <cstdio>

#include "core/mgmt/client.hpp"
#include "core/mgmt/table_format.hpp"
#include "options.hpp"

namespace {

using namespace n2nkit;
using namespace n2nkit::ctltool;

int fail(const mgmt::Outcome& outcome) {
  fmt::print(stderr, "n2n-ctl: {}\n", outcome.message);
  return outcome.status == mgmt::Outcome::Status::refused ? kExitRefused : kExitNoAnswer;
}

std::string command_line(const Options& o) {
  std::string line = o.cmd;
  for (const auto& a : o.args) line += ' ' + a;
  return line;
}

}  // namespace

int main(int argc, char** argv) {
  int exit_code = kExitOk;
  const auto options = parse_options(argc, argv, exit_code);
  if (!options) return exit_code;
  const Options& o = *options;

  mgmt::ExchangeOptions request;
  request.port = o.port;
  request.password = o.key;
  request.idle_timeout = o.timeout;
  // Several rows per datagram from our daemons (the reference's ignore the flag); not with -d,
  // whose point is the datagrams as a reference daemon would send them.
  request.packed_rows = !o.debug;
  if (o.debug) {
    request.on_datagram = [](std::string_view d) {
      fmt::print(stderr, "n2n-ctl: received {}\n", mgmt::printable(d, 4096));
    };
  }

  // As the reference: the pretty-printed commands are always reads and take no arguments.
  const auto columns = mgmt::table_columns(o.cmd);
  const bool pretty = !o.raw && (columns || o.cmd == "help");
  if (pretty) {
    request.type = mgmt::RequestType::read;
    request.command_line = o.cmd;
    const auto outcome = mgmt::query(request);
    if (outcome.status != mgmt::Outcome::Status::ok) return fail(outcome);
    const std::string text = columns ? mgmt::format_table(outcome.rows, *columns, o.orderby)
                                     : mgmt::format_help(outcome.rows);
    fmt::print("{}\n", text);
    return kExitOk;
  }

  request.type = o.type;
  request.command_line = command_line(o);
  const auto outcome = mgmt::query(request, [](const nlohmann::json& event) {
    fmt::print("{}\n", mgmt::format_json(event));
    std::fflush(stdout);
    return true;
  });
  if (outcome.status != mgmt::Outcome::Status::ok) return fail(outcome);
  fmt::print("{}\n", mgmt::format_json(nlohmann::json(outcome.rows)));
  return kExitOk;
}
