#include "options.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <string_view>

namespace n2nkit::ctltool {
namespace {

void usage_error(std::string_view message) {
  fmt::print(stderr, "n2n-ctl: {} (see n2n-ctl --help)\n", message);
}

constexpr const char* kFooter =
    "Commands with a table: edges, supernodes; help lists these and the daemon's own\n"
    "commands. Every other command (timestamps, packetstats, communities, verbose, stop,\n"
    "help.events, post.test, reload_communities, ...) and every command with --raw prints the\n"
    "reply's rows as JSON. --sub TOPIC (debug, test, peer; edge only) prints each event as JSON\n"
    "until interrupted.\n"
    "\n"
    "Exit status: 0 fine, 1 the daemon answered with an error (unknown command, wrong password,\n"
    "read-only command, ...: named on stderr), 2 usage or bad input, 4 no answer, an incomplete\n"
    "reply or something that is not a management reply.";

}  // namespace

std::optional<Options> parse_options(int argc, char** argv, int& exit_code) {
  Options o;
  CLI::App app{
      "n2n-ctl: query and control a running n2n edge or supernode through its "
      "management port (the reference's scripts/n2n-ctl, without python)",
      "n2n-ctl"};
  app.set_version_flag("--version", std::string("n2n-ctl (n2nkit) ") + N2NKIT_VERSION);
  app.footer(kFooter);

  int port = 5644;
  std::string key;
  std::string orderby;
  double timeout_s = 1.0;
  bool read = false;
  bool write = false;
  bool sub = false;
  app.add_option("-t,--mgmtport", port,
                 "management port on 127.0.0.1 (default 5644; a "
                 "supernode's is 5645)")
      ->option_text("PORT");
  auto* key_opt = app.add_option("-k,--key", key,
                                 "management password (the daemons' default is n2n); "
                                 "needed for --write and --sub")
                      ->option_text("PASSWORD");
  app.add_flag("-d,--debug", o.debug, "also print every reply datagram, on stderr");
  app.add_flag("--raw,--json", o.raw, "print the rows as JSON, also for edges/supernodes/help");
  auto* orderby_opt =
      app.add_option("--orderby", orderby, "sort the table by this field")->option_text("FIELD");
  // Exclusive, as in the reference; checked below rather than by CLI11, whose --help would
  // spell the exclusions out on every line.
  app.add_flag("--read", read, "make a read request (default)");
  app.add_flag("--write", write, "make a write request");
  app.add_flag("--sub", sub, "subscribe to a topic and print its events");
  app.add_option("--timeout", timeout_s,
                 "seconds to wait for each reply datagram (default 1, as the reference)")
      ->option_text("SECONDS");
  app.add_option("cmd", o.cmd, "command to run (try \"help\")")->required();
  app.add_option("args", o.args, "arguments of the command");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  } catch (const CLI::CallForVersion& e) {
    exit_code = app.exit(e);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    usage_error(e.what());
    exit_code = kExitUsage;
    return std::nullopt;
  }
  exit_code = kExitUsage;
  if (port < 1 || port > 65535) {
    usage_error(fmt::format("-t: '{}' is not a port (1-65535)", port));
    return std::nullopt;
  }
  o.port = static_cast<std::uint16_t>(port);
  if (key_opt->count() > 0) {
    if (key.empty() || key.find_first_of(" \t\r\n") != std::string::npos) {
      usage_error("-k: the password must be one word (the daemon splits the request at blanks)");
      return std::nullopt;
    }
    o.key = key;
  }
  if (orderby_opt->count() > 0) o.orderby = orderby;
  if (!std::isfinite(timeout_s) || timeout_s <= 0 || timeout_s > 86400) {
    usage_error(fmt::format("--timeout: '{}' is not a number of seconds above 0", timeout_s));
    return std::nullopt;
  }
  o.timeout = std::chrono::milliseconds(std::max<long long>(1, std::llround(timeout_s * 1000)));
  if (o.cmd.empty() || o.cmd.find_first_of(" \t\r\n") != std::string::npos) {
    usage_error(fmt::format("'{}' is not a command (try \"help\")", o.cmd));
    return std::nullopt;
  }
  if (int{read} + int{write} + int{sub} > 1) {
    usage_error("--read, --write and --sub exclude each other");
    return std::nullopt;
  }
  if (write) o.type = mgmt::RequestType::write;
  if (sub) o.type = mgmt::RequestType::subscribe;
  exit_code = kExitOk;
  return o;
}

}  // namespace n2nkit::ctltool
