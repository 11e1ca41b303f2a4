#include "options.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/keys/user_password.hpp"
#include "core/mtu/ping_probe.hpp"
#include "core/mtu/probe_target.hpp"

namespace n2nkit::mtutool {
namespace {

void usage_error(std::string_view message) {
  fmt::print(stderr, "n2n-mtu: {} (see n2n-mtu --help)\n", message);
}

constexpr const char* kFooter =
    "Commands:\n"
    "  probe HOST:PORT -c COMMUNITY [-H]  path MTU to an n2n supernode (padded PINGs, DF)\n"
    "  probe --host ADDRESS               path MTU to any host (ICMP echo or UDP, DF)\n"
    "  probe --overlay ADDRESS [-t PORT]  largest packet across the overlay to a peer, and\n"
    "                                     which side is misconfigured if it falls short\n"
    "  calc PATH_MTU [-A[N]] [-H] [-z[N]] TAP MTU (-M) and TCP MSS for that path\n"
    "\n"
    "Exit codes: 0 found (exact, or at least --max); 1 a problem (only a lower bound, or\n"
    "--overlay found a misconfiguration); 2 bad usage or input; 3 missing permission; 4 no\n"
    "answer or unreachable.";

}  // namespace

ParseResult parse_options(int argc, char** argv) {
  // -A and -z take their value only attached (-A3, -z2), as the edge reads them; bare they mean
  // AES and LZO. CLI11 would take the next word, so the bare forms are spelled out first.
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "-A") {
      args.emplace_back("-A3");
    } else if (a == "-z") {
      args.emplace_back("-z1");
    } else {
      args.emplace_back(a);
    }
  }
  std::reverse(args.begin(), args.end());  // CLI11's vector form takes them reversed

  Options opt;
  CLI::App app{
      "n2n-mtu: the path MTU towards an n2n supernode or any host, found with DF probes that "
      "need no ICMP, and the TAP MTU (-M) and TCP MSS it allows for every transform.",
      "n2n-mtu"};
  app.footer(kFooter);
  app.set_version_flag("--version", std::string(N2NKIT_VERSION));
  std::string command;
  std::string host;
  std::string overlay;
  std::string transform_text;
  std::string compression_text;
  std::string key;
  app.add_option("command", command, "probe or calc")->required();
  app.add_option("target", opt.target, "probe: HOST:PORT of the supernode; calc: the path MTU");
  app.add_option("--host", host, "probe: the plain path MTU to this host (address or name)");
  app.add_option("--overlay", overlay,
                 "probe: the largest packet across the overlay to this peer's overlay address");
  app.add_option("-t", opt.management_port,
                 "--overlay: the local edge's management port (default 5644)");
  app.add_option("-c,--community", opt.community, "Community name (env N2N_COMMUNITY)");
  std::string password;
  std::string federation_key;
  app.add_option("-I", opt.user, "User name in a user/password community (with -J)");
  app.add_option("-J", password,
                 "Password of user -I (env N2N_PASSWORD): registers under a throw-away MAC for "
                 "the dynamic key, probes, unregisters; implies -H");
  app.add_option("-P", federation_key,
                 "Public key of the supernode's federation (n2n-keygen -F NAME); default: the "
                 "default federation's");
  app.add_option("-k", key, "Payload key (env N2N_KEY): marks AES unless -A says otherwise");
  app.add_option("-A", transform_text,
                 "Transform of your edges, attached: -A1 null, -A2 Twofish, -A3 AES (bare -A), "
                 "-A4 ChaCha20, -A5 Speck");
  app.add_flag("-H", opt.header_encryption,
               "Header encryption: PINGs sealed with the community's static keys");
  app.add_option("-z", compression_text, "Compression, attached: -z1 LZO (bare -z), -z2 zstd");
  app.add_option("--min", opt.lower, "Smallest size searched, assumed to pass (default 1200)");
  app.add_option("--max", opt.upper,
                 "Largest size searched (default: the MTU of the route towards the target, "
                 "which makes an answer there exact)");
  app.add_option("--timeout", opt.timeout_s,
                 "Give up after this many seconds (default 10; 30 with --udp)");
  app.add_flag("--udp", opt.udp,
               "--host: UDP probes to a closed port (ICMP port unreachable proves arrival) "
               "instead of ICMP echo");
  app.add_flag("--json", opt.json, "One JSON object instead of the human report");
  try {
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    fmt::print("{}", app.help());
    return {std::nullopt, kExitOk};
  } catch (const CLI::CallForVersion&) {
    fmt::print("n2n-mtu {}\n", N2NKIT_VERSION);
    return {std::nullopt, kExitOk};
  } catch (const CLI::ParseError& e) {
    usage_error(e.what());
    return {std::nullopt, kExitUsage};
  }
  const auto bad = [](std::string_view m) {
    usage_error(m);
    return ParseResult{std::nullopt, kExitUsage};
  };
  if (command == "calc") {
    opt.command = Command::calc;
    if (!host.empty() || !overlay.empty()) return bad("calc takes a path MTU, not an address");
    std::size_t used = 0;
    unsigned long v = 0;
    try {
      v = std::stoul(opt.target, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (opt.target.empty() || used != opt.target.size() || v < 68 || v > 65535) {
      return bad(fmt::format("calc needs a path MTU in 68..65535, not '{}'", opt.target));
    }
    opt.path_mtu = v;
  } else if (command == "probe") {
    opt.command = Command::probe;
    opt.lower_given = app.count("--min") > 0;
    opt.upper_given = app.count("--max") > 0;
    const int targets =
        (host.empty() ? 0 : 1) + (overlay.empty() ? 0 : 1) + (opt.target.empty() ? 0 : 1);
    if (targets > 1) return bad("probe takes one of HOST:PORT, --host ADDRESS, --overlay ADDRESS");
    if (!overlay.empty()) {
      opt.mode = Mode::overlay;
      opt.target = overlay;
      if (!opt.lower_given) opt.lower = 576;  // an overlay may carry less than 1200
    } else if (!host.empty()) {
      opt.mode = Mode::host;
      opt.target = host;
    } else {
      if (opt.target.empty()) {
        return bad("probe needs a supernode HOST:PORT, --host ADDRESS or --overlay ADDRESS");
      }
      if (opt.udp) return bad("--udp only goes with --host or --overlay");
      std::string error;
      if (!parse_host_port(opt.target, error)) return bad(error);
      if (opt.community.empty()) {
        if (const char* env = std::getenv("N2N_COMMUNITY"); env != nullptr) opt.community = env;
      }
      if (opt.community.empty()) return bad("probe to a supernode needs -c COMMUNITY");
      if (opt.community.size() > 19) {
        return bad(fmt::format("community '{}' is longer than 19 bytes", opt.community));
      }
    }
    const auto smallest = opt.mode == Mode::supernode ? mtu::min_ping_probe_size() : 68;
    if (opt.mode == Mode::supernode && opt.upper_given && opt.upper > mtu::max_ping_probe_size()) {
      return bad(
          fmt::format("--max {}: a supernode answers PINGs of at most {} bytes (n2n "
                      "messages are at most 2048 bytes)",
                      opt.upper, mtu::max_ping_probe_size()));
    }
    // Without --max the ceiling is the route's MTU, known only when probing.
    const std::size_t upper = opt.upper_given               ? opt.upper
                              : opt.mode == Mode::supernode ? mtu::max_ping_probe_size()
                                                            : 65535;
    if (const auto why = mtu::check_search_bounds(opt.lower, upper, smallest); !why.empty()) {
      return bad(why);
    }
    if (app.count("--timeout") > 0 && !(opt.timeout_s > 0 && opt.timeout_s <= 3600)) {
      return bad("--timeout must be a number of seconds in (0, 3600]");
    }
    if (app.count("--timeout") == 0) opt.timeout_s = opt.udp ? 30 : 10;
  } else {
    return bad(fmt::format("unknown command '{}' (probe or calc)", command));
  }
  if (password.empty()) {
    if (const char* env = std::getenv("N2N_PASSWORD"); env != nullptr) password = env;
  }
  if (!password.empty() || app.count("-J") > 0) {
    if (opt.mode != Mode::supernode) return bad("-J goes with a supernode probe only");
    if (opt.user.empty()) return bad("-J needs the user name: -I USER");
    opt.password = password;
    opt.header_encryption = true;  // user/password communities always use it
  } else if (!federation_key.empty()) {
    return bad("-P without -J (or N2N_PASSWORD)");
  }
  if (!federation_key.empty()) {
    const auto k = keys::key_from_text(federation_key);
    if (!k) return bad("-P: not a 43-character public key (n2n-keygen -F NAME prints one)");
    opt.federation_public_key = *k;
  }
  if (key.empty()) {
    if (const char* env = std::getenv("N2N_KEY"); env != nullptr) key = env;
  }
  opt.key_given = !key.empty();
  if (!transform_text.empty()) {
    const auto id = mtu::transform_option(transform_text.substr(0));
    if (!id) return bad(fmt::format("-A{}: want -A1 .. -A5", transform_text));
    opt.transform = id;
  } else if (opt.key_given) {
    opt.transform = crypto::TransformId::aes;
  }
  if (!compression_text.empty() && !mtu::compression_option(compression_text, opt.compression)) {
    return bad(fmt::format("-z{}: want -z1 (LZO) or -z2 (zstd)", compression_text));
  }
  return {opt, kExitOk};
}

}  // namespace n2nkit::mtutool
