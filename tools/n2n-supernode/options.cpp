#include "options.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "core/common/printable.hpp"
#include "core/conf/option_file.hpp"
#include "core/keys/user_password.hpp"

namespace n2nkit::supernoded {
namespace {

// One option as it was given: which one (its short name, or ']' for the password), its value
// and where it came from ("file:line", empty for the command line).
struct Occurrence {
  char key;
  std::string value;
  std::string origin;
};

struct Collected {
  std::vector<Occurrence> values;
  unsigned verbose = 0;
  bool foreground = false;
  bool no_spoofing_protection = false;
};

// Options that take a value, as getopt knows them: the value is the next argument whatever it
// looks like ("-l -x:1" gives the anchor "-x:1"), which CLI11 only does for attached values.
struct ValueOption {
  char key;
  std::string_view short_name;
  std::string_view long_name;  // empty: none
};
constexpr ValueOption kValueOptions[] = {
    {'p', "-p", "--local-port"},
    {'t', "-t", "--mgmt-port"},
    {'l', "-l", ""},
    {'a', "-a", "--autoip"},
    {'c', "-c", "--communities"},
    {'F', "-F", ""},
    {'m', "-m", ""},
    {'V', "-V", ""},
    {']', "", "--management-password"},
    {'u', "-u", ""},
    {'g', "-g", ""},
};

const ValueOption* value_option(std::string_view token) {
  for (const ValueOption& o : kValueOptions) {
    if (token == o.short_name || (!o.long_name.empty() && token == o.long_name)) return &o;
  }
  return nullptr;
}

// Attaches each value to its option token ("-p" "7777" -> "-p7777", "--autoip" "x" ->
// "--autoip=x") so that CLI11 takes it whatever its first character.
std::vector<std::string> attach_values(const std::vector<std::string>& tokens) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const ValueOption* o = value_option(tokens[i]);
    if (o != nullptr && i + 1 < tokens.size()) {
      out.push_back(tokens[i].starts_with("--") ? tokens[i] + "=" + tokens[i + 1]
                                                : tokens[i] + tokens[i + 1]);
      ++i;
    } else {
      out.push_back(tokens[i]);
    }
  }
  return out;
}

std::string where(const std::string& origin) {
  return origin.empty() ? std::string() : origin + ": ";
}

void print_error(const std::string& origin, std::string_view message) {
  fmt::print(stderr, "n2n-supernode: {}{}\n", where(origin), message);
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

class Parser {
 public:
  Parser() : app_(description(), "n2n-supernode") { define(); }

  // Parses one unit (a configuration file line or the command line). Returns false after
  // printing what to (help, version or an error); exit_code_ says how to exit.
  bool parse(const std::vector<std::string>& tokens, const std::string& origin) {
    std::vector<std::string> args = attach_values(tokens);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    origin_ = origin;
    try {
      app_.parse(args);
    } catch (const CLI::CallForHelp&) {
      fmt::print("{}", app_.help());
      exit_code_ = kExitOk;
      return false;
    } catch (const CLI::CallForVersion&) {
      fmt::print("n2n-supernode (n2nkit) {}\n", N2NKIT_VERSION);
      exit_code_ = kExitOk;
      return false;
    } catch (const CLI::ExtrasError& e) {
      print_error(origin, fmt::format("unknown option or unexpected argument: {} (see "
                                      "n2n-supernode --help)",
                                      printable(extras_of(e))));
      exit_code_ = kExitUsage;
      return false;
    } catch (const CLI::ParseError& e) {
      print_error(origin, fmt::format("{} (see n2n-supernode --help)", printable(e.what())));
      exit_code_ = kExitUsage;
      return false;
    }
    return true;
  }

  Collected& collected() { return collected_; }
  int exit_code() const { return exit_code_; }
  std::string short_usage() const {
    return "usage: n2n-supernode [CONFIG-FILE] [OPTIONS]  (at least one argument; see "
           "n2n-supernode --help)";
  }

 private:
  static std::string description() {
    return "n2n supernode (n2nkit): registers the edges of n2n v3 communities, introduces them "
           "to each other and relays their traffic.";
  }

  static std::string extras_of(const CLI::ExtrasError& e) {
    // "The following argument(s) was/were not expected: -x" -> "-x"
    const std::string text = e.what();
    const auto colon = text.find(": ");
    return colon == std::string::npos ? text : text.substr(colon + 2);
  }

  void value(const std::string& names, char key, const std::string& help, const std::string& text) {
    app_.add_option(names, help)
        ->each([this, key](const std::string& v) {
          collected_.values.push_back({key, v, origin_});
        })
        ->take_all()
        ->expected(1)
        ->allow_extra_args(false)
        ->option_text(text);
  }

  void define() {
    app_.set_help_flag("-h,--help", "Print this help and exit");
    app_.set_version_flag("--version", std::string("n2n-supernode (n2nkit) ") + N2NKIT_VERSION,
                          "Print the version and exit");
    value("-p,--local-port", 'p', "UDP and TCP port for edges and supernodes (default 7654)",
          "PORT");
    value("-t,--mgmt-port", 't', "Management port on 127.0.0.1 (default 5645)", "PORT");
    value("-l", 'l',
          "Federation anchor: another supernode, HOST:PORT; repeatable. Unresolvable names are "
          "retried every 60 s",
          "HOST:PORT");
    value("-a,--autoip", 'a',
          "Pool of automatic community subnets (default 10.128.0.0-10.255.255.0/24)", "MIN-MAX/N");
    value("-c,--communities", 'c',
          "community.list: serve only these communities (locked); reloaded on SIGHUP", "FILE");
    value("-F", 'F', "Federation name (default Federation; env N2N_FEDERATION)", "NAME");
    value("-m", 'm', "Supernode MAC address (default: random, locally administered)", "MAC");
    app_.add_flag_function(
        "-M", [this](std::int64_t) { collected_.no_spoofing_protection = true; },
        "Disable MAC and IP address spoofing protection (communities without user/password)");
    value("-V", 'V', "Version text sent in PONGs, at most 19 bytes (default 3.1.1)", "TEXT");
    value("--management-password", ']', "Password of management write requests (default n2n)",
          "PASSWORD");
    app_.add_flag_function(
        "-f,--foreground", [this](std::int64_t) { collected_.foreground = true; },
        "Stay in the foreground and log to stderr (default: run as a daemon, log to syslog)");
    app_.add_flag_function(
        "-v,--verbose", [this](std::int64_t n) { collected_.verbose += static_cast<unsigned>(n); },
        "More logging; repeat for more");
    value("-u", 'u', "User (name or number) to run as after binding the ports", "USER");
    value("-g", 'g', "Group (name or number) to run as after binding the ports", "GROUP");
    app_.footer(
        "A first argument that does not start with '-' names a configuration file with one "
        "option per line (e.g. -p=7654); options after it on the command line are applied "
        "afterwards.\n"
        "Signals: SIGTERM/SIGINT stop, SIGHUP re-reads the community file.\n"
        "Exit status: 0 clean stop, 1 runtime failure (e.g. a port in use), 2 usage or "
        "configuration error.");
  }

  CLI::App app_;
  Collected collected_;
  std::string origin_;
  int exit_code_ = kExitUsage;  // until help or version asks for a clean exit
};

std::optional<std::string> read_text(const std::string& path, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    error = "read error";
    return std::nullopt;
  }
  return text.str();
}

// Splits the configuration file into per-line option tokens, each tagged "path:line".
bool expand_file(const std::string& path, Parser& parser, std::vector<std::string>& warnings) {
  std::string read_error;
  if (std::filesystem::is_directory(path)) {
    print_error(
        "", fmt::format("{}: cannot read the configuration file: is a directory", printable(path)));
    return false;
  }
  const auto text = read_text(path, read_error);
  if (!text) {
    print_error(
        "", fmt::format("{}: cannot read the configuration file: {}", printable(path), read_error));
    return false;
  }
  // The whole file first: its errors and warnings carry the right line numbers.
  std::vector<conf::Diagnostic> diagnostics;
  std::string error;
  const auto optional_args = conf::optional_args_of(conf::Flavour::supernode);
  if (!conf::expand_config_file(*text, path, conf::Flavour::supernode, optional_args, diagnostics,
                                error)) {
    print_error("", error);
    return false;
  }
  for (const auto& d : diagnostics) warnings.push_back(d.to_string());

  std::string_view rest = *text;
  std::size_t line = 0;
  while (!rest.empty()) {
    ++line;
    const std::size_t newline = rest.find('\n');
    const std::string_view one = rest.substr(0, newline);
    rest.remove_prefix(newline == std::string_view::npos ? rest.size() : newline + 1);
    std::vector<conf::Diagnostic> ignored;
    auto tokens = conf::expand_config_file(one, path, conf::Flavour::supernode, optional_args,
                                           ignored, error);
    if (!tokens || tokens->empty()) continue;
    const std::string origin = fmt::format("{}:{}", path, line);
    // A value after a flag (e.g. "-f=1") is ignored, as the reference's getopt ignores it.
    if (tokens->size() == 2 && value_option((*tokens)[0]) == nullptr) {
      warnings.push_back(fmt::format("{}: {} takes no value; '{}' ignored", origin,
                                     printable((*tokens)[0]), printable((*tokens)[1])));
      tokens->pop_back();
    }
    if (!parser.parse(*tokens, origin)) return false;
  }
  return true;
}

std::optional<std::string> resolve_user_name(std::string_view kind, const Occurrence& o) {
  if (o.value.empty()) {
    print_error(o.origin, fmt::format("-{}: empty {}", o.key, kind));
    return std::nullopt;
  }
  return o.value;
}

// Applies the collected values in the order given; later ones override earlier ones.
bool apply(const Collected& c, Options& opt) {
  for (const Occurrence& o : c.values) {
    const auto bad = [&](std::string message) {
      print_error(o.origin, message);
      return false;
    };
    switch (o.key) {
      case 'p':
      case 't': {
        const auto port = parse_port(o.value);
        if (!port) {
          return bad(
              fmt::format("-{}: '{}' is not a port number (1-65535)", o.key, printable(o.value)));
        }
        (o.key == 'p' ? opt.port : opt.management_port) = *port;
        break;
      }
      case 'l': {
        if (o.value.size() >= 48) {
          return bad(fmt::format("-l {}: longer than 47 characters", printable(o.value)));
        }
        const auto colon = o.value.rfind(':');
        if (colon == std::string::npos || colon == 0) {
          return bad(fmt::format("-l {}: expected HOST:PORT", printable(o.value)));
        }
        if (!parse_port(std::string_view(o.value).substr(colon + 1))) {
          return bad(fmt::format("-l {}: '{}' is not a port number (1-65535)", printable(o.value),
                                 printable(o.value.substr(colon + 1))));
        }
        opt.anchors.push_back(o.value);
        break;
      }
      case 'a': {
        std::string error;
        const auto pool = supernode::parse_auto_ip_pool(o.value, error);
        if (!pool) return bad(error);
        opt.auto_ip = *pool;
        break;
      }
      case 'c': {
        if (o.value.empty()) return bad("-c: empty file name");
        std::error_code ec;
        // The daemon changes to / when it detaches; a relative name must still work on reload.
        const auto absolute = std::filesystem::absolute(o.value, ec);
        opt.community_file = ec ? o.value : absolute.lexically_normal().string();
        break;
      }
      case 'F': {
        if (o.value.empty()) return bad("-F: empty federation name");
        std::string name = o.value;
        if (name.size() > keys::kMaxFederationNameBytes) {
          opt.warnings.push_back(fmt::format(
              "{}-F {}: federation name longer than {} bytes; using '{}' as the reference does",
              where(o.origin), printable(name), keys::kMaxFederationNameBytes,
              printable(name.substr(0, keys::kMaxFederationNameBytes))));
          name.resize(keys::kMaxFederationNameBytes);
        }
        opt.federation = "*" + name;
        opt.default_federation = false;
        break;
      }
      case 'm': {
        auto mac = wire::parse_mac(o.value);
        if (!mac) {
          return bad(fmt::format("-m: '{}' is not a MAC address (e.g. 02:12:34:56:78:9a)",
                                 printable(o.value)));
        }
        const wire::Mac given = *mac;
        (*mac)[0] = static_cast<std::uint8_t>(((*mac)[0] & ~0x01U) | 0x02U);
        if (*mac != given) {
          opt.warnings.push_back(
              fmt::format("{}-m {}: using {} (a supernode MAC is unicast and locally administered)",
                          where(o.origin), printable(o.value), wire::mac_to_string(*mac)));
        }
        opt.mac = *mac;
        break;
      }
      case 'V': {
        if (o.value.size() > wire::kVersionStringSize - 1) {
          return bad(fmt::format("-V: '{}' is {} bytes; at most {} fit the PONG",
                                 printable(o.value), o.value.size(), wire::kVersionStringSize - 1));
        }
        opt.version = o.value;
        break;
      }
      case ']':
        opt.management_password = o.value;
        break;
      case 'u':
      case 'g': {
        auto name = resolve_user_name(o.key == 'u' ? "user" : "group", o);
        if (!name) return false;
        (o.key == 'u' ? opt.user : opt.group) = *name;
        break;
      }
      default:
        return bad(fmt::format("internal: unhandled option -{}", o.key));
    }
  }
  opt.verbosity = kDefaultVerbosity + c.verbose;
  opt.foreground = c.foreground;
  opt.spoofing_protection = !c.no_spoofing_protection;
  return true;
}

}  // namespace

ParseResult parse_options(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + std::max(argc, 1));
  Parser parser;
  if (args.empty()) {
    fmt::print(stderr, "n2n-supernode: {}\n", parser.short_usage());
    return {std::nullopt, kExitUsage};
  }

  Options options;
  if (const char* env = std::getenv("N2N_FEDERATION"); env != nullptr && *env != '\0') {
    // As -F, applied first so that -F overrides it.
    parser.collected().values.push_back({'F', env, "N2N_FEDERATION"});
  }
  if (!args.front().empty() && args.front().front() != '-') {
    if (!expand_file(args.front(), parser, options.warnings)) {
      return {std::nullopt, parser.exit_code()};
    }
    args.erase(args.begin());
  } else if (args.front().empty()) {
    print_error("", "empty configuration file name");
    return {std::nullopt, kExitUsage};
  }
  if (!args.empty() && !parser.parse(args, "")) return {std::nullopt, parser.exit_code()};
  if (!apply(parser.collected(), options)) return {std::nullopt, kExitUsage};
  return {std::move(options), kExitOk};
}

}  // namespace n2nkit::supernoded
