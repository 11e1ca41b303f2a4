#include "options.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "core/common/printable.hpp"
#include "core/conf/option_file.hpp"
#include "core/edge/supernode_selection.hpp"
#include "core/mtu/overhead.hpp"

namespace n2nkit::edged {
namespace {

// The reference reads its options with getopt_long, whose rules CLI11 cannot express: an
// optional argument is taken only when attached ("-A5"; "-A 5" is -A followed by a stray
// "5"), a required one is the next argument whatever it looks like ("-k -secret"), long
// options may be abbreviated. So the edge scans like getopt_long, from one table that also
// writes --help.

enum class Arg : std::uint8_t { none, required, optional };

struct OptionSpec {
  char key;  // the reference's getopt key ('[', ']', '{' for its long-only options); ours '0', '1'
  std::string_view short_name;  // "-c", or empty
  std::string_view long_name;   // "community" (without "--"), or empty
  Arg arg;
  std::string_view value_text;  // in --help: "NAME", "[N]" (attached)
  std::string_view help;
  std::string_view not_implemented;  // non-empty: refused, this says what the option does
  bool reference = true;             // false: n2nkit's addition (abbreviated last)
};

constexpr char kKeyVersion = '0';
constexpr char kKeyDump = '1';
constexpr char kKeySelectRtt = '[';
constexpr char kKeySelectMac = ']';
constexpr char kKeyManagementPassword = '{';
constexpr char kKeyNoMssClamp = '2';

// In --help order; an empty short and long name starts a group heading (help text).
constexpr OptionSpec kOptions[] = {
    {'h', "-h", "help", Arg::none, "", "Print this help and exit", "", true},
    {kKeyVersion, "", "version", Arg::none, "", "Print the version and exit", "", false},
    {kKeyDump, "", "dump-options", Arg::none, "",
     "Print the parsed options (key=value lines, the key included) and exit", "", false},
    {0, "", "", Arg::none, "", "Underlying connection:", "", true},
    {'c', "-c", "community", Arg::required, "NAME",
     "Community name, at most 19 bytes; required (env N2N_COMMUNITY)", "", true},
    {'l', "-l", "supernode-list", Arg::required, "HOST:PORT",
     "Supernode, fewer than 48 characters; repeatable, at least one", "", true},
    {'p', "-p", "", Arg::required, "[IP:]PORT|IP",
     "Local UDP port and/or address (default: any address, a free port)", "", true},
    {'i', "-i", "", Arg::required, "SECONDS", "Registration interval, at least 1 (default 20)", "",
     true},
    {'k', "-k", "", Arg::required, "KEY",
     "Payload encryption key; selects AES unless -A says otherwise (env N2N_KEY)", "", true},
    {'A', "-A", "", Arg::optional, "[N]",
     "Payload cipher, attached: -A1 none, -A2 Twofish, -A3 AES, -A4 ChaCha20, -A5 Speck "
     "(-A2..-A5 need a key; bare -A: AES, deprecated)",
     "", true},
    {'H', "-H", "", Arg::none, "", "Header encryption (the supernode needs a fixed community)", "",
     true},
    {'z', "-z", "", Arg::optional, "[N]",
     "Compression, attached: -z1 LZO, -z2 zstd (default none; bare -z: LZO)", "", true},
    {'L', "-L", "", Arg::required, "TTL",
     "Answer a new peer's relayed REGISTER with 16 REGISTERs to its port..port+15 sent with IP "
     "TTL TTL (NAT port prediction); -L 1: no direct answer; default 0: one REGISTER",
     "", true},
    {'e', "-e", "", Arg::required, "IP|auto",
     "Advertise IP (or, with auto, the local address used towards the supernode) with the local "
     "port as the preferred socket for peers on the same network; disables multicast discovery",
     "", true},
    {'S', "-S", "", Arg::optional, "[N]",
     "-S1: no P2P, everything through the supernode (bare -S: the same); -S2: the same over "
     "a TCP connection to the supernode",
     "", true},
    {kKeySelectRtt, "", "select-rtt", Arg::none, "",
     "Prefer the supernode with the shortest PING round trip (default: the lowest load)", "", true},
    {kKeySelectMac, "", "select-mac", Arg::none, "",
     "Prefer the supernode with the lowest MAC address (default: the lowest load)", "", true},
    {0, "", "", Arg::none, "", "TAP device and overlay network:", "", true},
    {'a', "-a", "", Arg::required, "[static:]IP[/N]",
     "TAP address, prefix 1-30 (default /24); without -a the supernode assigns one", "", true},
    {'m', "-m", "", Arg::required, "MAC",
     "TAP MAC address, unicast (default: random, locally administered)", "", true},
    {'d', "-d", "tap-device", Arg::required, "NAME",
     "TAP device name, at most 15 bytes (default edge0)", "", true},
    {'M', "-M", "", Arg::required, "MTU|auto",
     "TAP MTU, 576-1964 (default 1290); auto: from the path MTU to the supernode", "", true},
    {'r', "-r", "", Arg::none, "", "Accept routed IP traffic (packet forwarding through n2n)", "",
     true},
    {'E', "-E", "", Arg::none, "", "Accept multicast MAC addresses (default: dropped)", "", true},
    {'n', "-n", "", Arg::required, "NET/LEN:GATEWAY",
     "Route NET/LEN via GATEWAY through the overlay (repeatable); kept while running", "", true},
    {'R', "-R", "", Arg::required, "RULE",
     "Traffic rule SRC[/LEN][:PORTS],DST[/LEN][:PORTS],TCP+|-,UDP+|-,ICMP+|- (repeatable)", "",
     true},
    {kKeyNoMssClamp, "", "no-mss-clamp", Arg::none, "",
     "Do not clamp the MSS of TCP SYN/SYN-ACK to TAP MTU - 40 (IPv6: - 60); default: clamp", "",
     false},
    {'I', "-I", "", Arg::required, "DESCRIPTION",
     "Edge description, at most 15 bytes (default: the host name); the user name with -J", "",
     true},
    {'J', "-J", "", Arg::required, "PASSWORD",
     "User/password authentication as user -I (env N2N_PASSWORD); needs -A4 or -A5 and "
     "turns on -H",
     "", true},
    {'P', "-P", "", Arg::required, "KEY",
     "Federation public key for -J, 43 characters as n2n-keygen -F prints it (default: the "
     "key of federation \"Federation\")",
     "", true},
    {0, "", "", Arg::none, "", "Local options:", "", true},
    {'f', "-f", "", Arg::none, "",
     "Stay in the foreground and log to stderr (default: run as a daemon, log to syslog)", "",
     true},
    {'D', "-D", "", Arg::none, "",
     "DF on every UDP datagram (default, as the reference: none, routers may fragment)", "", true},
    {'T', "-T", "", Arg::required, "TOS",
     "IP type of service of the UDP datagrams: 0-255, or hex as 0x48 (default 0)", "", true},
    {'t', "-t", "", Arg::required, "PORT", "Management port on 127.0.0.1 (default 5644)", "", true},
    {kKeyManagementPassword, "", "management-password", Arg::required, "PASSWORD",
     "Password of management write requests (default n2n)", "", true},
    {'v', "-v", "verbose", Arg::none, "", "More logging; repeat for more", "", true},
    {'u', "-u", "euid", Arg::required, "USER",
     "User (name or number) to run as once the TAP is set up", "", true},
    {'g', "-g", "egid", Arg::required, "GROUP",
     "Group (name or number) to run as once the TAP is set up", "", true},
};

bool is_heading(const OptionSpec& o) {
  return o.short_name.empty() && o.long_name.empty();
}

const OptionSpec* find_short(char c) {
  for (const OptionSpec& o : kOptions) {
    if (o.short_name.size() == 2 && o.short_name[1] == c) return &o;
  }
  return nullptr;
}

const OptionSpec* find_key(char key) {
  for (const OptionSpec& o : kOptions) {
    if (!is_heading(o) && o.key == key) return &o;
  }
  return nullptr;
}

// One option as given: its spec, its name as the user should see it in a message ("-c",
// "--community", "N2N_KEY"), its value, and where it came from ("file:line", empty for the
// command line).
struct Occurrence {
  const OptionSpec* spec;
  std::string name;
  std::optional<std::string> value;
  std::string origin;
};

std::string where(const std::string& origin) {
  return origin.empty() ? std::string() : origin + ": ";
}

void print_error(const std::string& origin, std::string_view message) {
  fmt::print(stderr, "n2n-edge: {}{}\n", where(origin), message);
}

std::string help_text() {
  std::string out =
      "n2n edge (n2nkit): joins this host to an n2n v3 community through a TAP device.\n"
      "Usage: n2n-edge [CONFIG-FILE] [OPTIONS]\n\nOptions:\n";
  for (const OptionSpec& o : kOptions) {
    if (is_heading(o)) {
      out += fmt::format("\n{}\n", o.help);
      continue;
    }
    std::string names(o.short_name);
    if (!o.long_name.empty()) names += fmt::format("{}--{}", names.empty() ? "" : ",", o.long_name);
    if (!o.value_text.empty()) {
      names += (o.arg == Arg::optional ? "" : " ") + std::string(o.value_text);
    }
    if (names.size() > 26) {
      out += fmt::format("  {}\n  {:26}  {}\n", names, "", o.help);
    } else {
      out += fmt::format("  {:26}  {}\n", names, o.help);
    }
  }
  out +=
      "\nA first argument that does not start with '-' names a configuration file with one "
      "option per line (e.g. -c=mynet, --community mynet, -A3); options after it on the command "
      "line are applied afterwards. Optional values must be attached: -A=5 in a file is a bare "
      "-A (AES), with a warning.\n"
      "Signals: SIGTERM/SIGINT stop (the edge unregisters from its supernode).\n"
      "Exit status: 0 clean stop, 1 runtime failure, 2 usage or configuration error, 77 no "
      "permission for the TAP device (root or CAP_NET_ADMIN).\n";
  return out;
}

// What scanning found besides options: a request that ends parsing at once.
enum class Stop : std::uint8_t { none, help, version, error };

// Scans one unit (the command line, or one configuration file line) the way getopt_long does.
// Stray values are errors on the command line; on a file line (a value after a flag, as in
// "-f=1") they are ignored with a warning, as the reference's getopt ignores them.
class Scanner {
 public:
  Scanner(std::vector<Occurrence>& out, std::vector<std::string>& warnings, bool& dump)
      : out_(out), warnings_(warnings), dump_(dump) {}

  Stop scan(const std::vector<std::string>& args, const std::string& origin, bool file_line) {
    origin_ = origin;
    bool options_ended = false;
    std::string_view attached_hint;  // the last option was a bare -A/-z/-S
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      const std::string_view hint = attached_hint;
      attached_hint = {};
      if (options_ended || a.size() < 2 || a[0] != '-') {
        if (file_line) {
          warnings_.push_back(fmt::format("{}{} takes no value; '{}' ignored", where(origin),
                                          printable(args[0]), printable(a)));
          continue;
        }
        if (!hint.empty()) {
          print_error(origin, fmt::format("unexpected argument: '{}' ({} takes its value "
                                          "attached: {}{})",
                                          printable(a), hint, hint, printable(a)));
        } else if (std::error_code ec; std::filesystem::is_regular_file(a, ec)) {
          print_error(origin, fmt::format("unexpected argument: '{}' (a configuration file must "
                                          "be the first argument)",
                                          printable(a)));
        } else {
          print_error(origin,
                      fmt::format("unexpected argument: '{}' (see n2n-edge --help)", printable(a)));
        }
        return Stop::error;
      }
      if (a == "--") {
        options_ended = true;
        continue;
      }
      const Stop stop = a[1] == '-' ? scan_long(args, i) : scan_short(args, i, attached_hint);
      if (stop != Stop::none) return stop;
    }
    return Stop::none;
  }

 private:
  Stop record(const OptionSpec& o, std::string name, std::optional<std::string> value) {
    if (o.key == 'h') return Stop::help;
    if (o.key == kKeyVersion) return Stop::version;
    if (o.key == kKeyDump) {
      dump_ = true;
      return Stop::none;
    }
    out_.push_back({&o, std::move(name), std::move(value), origin_});
    return Stop::none;
  }

  Stop missing_value(std::string_view name) {
    print_error(origin_, fmt::format("{}: missing value (see n2n-edge --help)", name));
    return Stop::error;
  }

  // getopt_long: an exact name, else an unambiguous abbreviation. n2nkit's own long options
  // are abbreviated only where no reference option matches, so that the reference's
  // abbreviations ("--ver" for --verbose) keep their meaning.
  const OptionSpec* match_long(std::string_view name, std::string& error) const {
    for (const OptionSpec& o : kOptions) {
      if (!o.long_name.empty() && o.long_name == name) return &o;
    }
    for (const bool reference : {true, false}) {
      std::vector<const OptionSpec*> found;
      for (const OptionSpec& o : kOptions) {
        if (!o.long_name.empty() && o.reference == reference && o.long_name.starts_with(name)) {
          found.push_back(&o);
        }
      }
      if (found.size() == 1) return found.front();
      if (found.size() > 1) {
        std::string names;
        for (const OptionSpec* o : found)
          names += fmt::format("{}--{}", names.empty() ? "" : ", ", o->long_name);
        error = fmt::format("ambiguous option: --{} ({})", printable(name), names);
        return nullptr;
      }
    }
    error = fmt::format("unknown option: --{} (see n2n-edge --help)", printable(name));
    return nullptr;
  }

  Stop scan_long(const std::vector<std::string>& args, std::size_t& i) {
    const std::string_view a = args[i];
    const std::size_t equals = a.find('=');
    const std::string_view name =
        a.substr(2, equals == std::string_view::npos ? a.npos : equals - 2);
    if (name.empty()) {
      print_error(origin_, fmt::format("unknown option: {} (see n2n-edge --help)", printable(a)));
      return Stop::error;
    }
    std::string error;
    const OptionSpec* o = match_long(name, error);
    if (o == nullptr) {
      print_error(origin_, error);
      return Stop::error;
    }
    const std::string shown = fmt::format("--{}", o->long_name);
    std::optional<std::string> value;
    if (equals != std::string_view::npos) {
      if (o->arg == Arg::none) {
        print_error(origin_, fmt::format("{} takes no value ('{}' given)", shown,
                                         printable(a.substr(equals + 1))));
        return Stop::error;
      }
      value = std::string(a.substr(equals + 1));
    } else if (o->arg == Arg::required) {
      if (i + 1 >= args.size()) return missing_value(shown);
      value = args[++i];
    }
    return record(*o, shown, std::move(value));
  }

  Stop scan_short(const std::vector<std::string>& args, std::size_t& i,
                  std::string_view& attached_hint) {
    const std::string& a = args[i];
    for (std::size_t j = 1; j < a.size(); ++j) {
      const OptionSpec* o = find_short(a[j]);
      if (o == nullptr) {
        print_error(origin_, fmt::format("unknown option: -{}{} (see n2n-edge --help)",
                                         printable(std::string_view(&a[j], 1)),
                                         a.size() > 2 ? fmt::format(" in {}", printable(a)) : ""));
        return Stop::error;
      }
      const std::string name(o->short_name);
      const std::string rest = a.substr(j + 1);
      switch (o->arg) {
        case Arg::none:
          if (const Stop s = record(*o, name, std::nullopt); s != Stop::none) return s;
          continue;
        case Arg::optional:
          if (rest.empty()) attached_hint = o->short_name;
          return record(*o, name, rest.empty() ? std::nullopt : std::optional(rest));
        case Arg::required:
          if (!rest.empty()) return record(*o, name, rest);
          if (i + 1 >= args.size()) return missing_value(name);
          return record(*o, name, args[++i]);
      }
    }
    return Stop::none;
  }

  std::vector<Occurrence>& out_;
  std::vector<std::string>& warnings_;
  bool& dump_;
  std::string origin_;
};

std::optional<std::string> read_text(const std::string& path, std::string& error) {
  if (std::error_code ec; std::filesystem::is_directory(path, ec)) {
    error = "is a directory";
    return std::nullopt;
  }
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

// Scans the configuration file line by line, each line tagged "path:line".
Stop scan_file(const std::string& path, Scanner& scanner, std::vector<std::string>& warnings) {
  std::string error;
  const auto text = read_text(path, error);
  if (!text) {
    print_error("",
                fmt::format("{}: cannot read the configuration file: {}", printable(path), error));
    return Stop::error;
  }
  const auto optional_args = conf::optional_args_of(conf::Flavour::edge);
  // The whole file first: its errors and warnings carry the right line numbers.
  std::vector<conf::Diagnostic> diagnostics;
  if (!conf::expand_config_file(*text, path, conf::Flavour::edge, optional_args, diagnostics,
                                error)) {
    print_error("", error);
    return Stop::error;
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
    const auto tokens =
        conf::expand_config_file(one, path, conf::Flavour::edge, optional_args, ignored, error);
    if (!tokens || tokens->empty()) continue;
    const std::string origin = fmt::format("{}:{}", path, line);
    if (tokens->size() == 2 && (*tokens)[1].starts_with('=')) {
      // "-c = mynet": the reference removes one delimiter only, so the value is "= mynet".
      warnings.push_back(
          fmt::format("{}: {}: the value '{}' starts with '=' (only one delimiter is removed)",
                      origin, printable((*tokens)[0]), printable((*tokens)[1])));
    }
    if (const Stop s = scanner.scan(*tokens, origin, true); s != Stop::none) return s;
  }
  return Stop::none;
}

std::optional<unsigned long> parse_number(std::string_view text, unsigned long max) {
  if (text.empty() || text.size() > 10) return std::nullopt;
  unsigned long value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

std::optional<std::uint16_t> parse_port(std::string_view text, bool zero_allowed) {
  const auto value = parse_number(text, 65535);
  if (!value || (*value == 0 && !zero_allowed)) return std::nullopt;
  return static_cast<std::uint16_t>(*value);
}

// Dotted quad only (inet_pton): the reference's inet_addr also takes "10.1" or "0x0a000001",
// which nobody means in a configuration file.
std::optional<std::uint32_t> parse_ipv4(const std::string& text) {
  in_addr addr{};
  if (inet_pton(AF_INET, text.c_str(), &addr) != 1) return std::nullopt;
  return ntohl(addr.s_addr);
}

struct Applied {
  Options options;
  std::string key_origin;     // where the key came from, for messages
  std::string cipher_origin;  // where the last -A was, empty if none
  std::string cipher_name;    // "-A4", "-A" (bare)
  std::optional<crypto::TransformId> cipher;
  std::string password_origin;  // where the password came from, for messages
};

class Applier {
 public:
  explicit Applier(Applied& a) : a_(a), opt_(a.options) {}

  bool apply(const Occurrence& o) {
    o_ = &o;
    const OptionSpec& spec = *o.spec;
    if (!spec.not_implemented.empty()) return not_implemented(o.name, spec.not_implemented);
    const std::string value = o.value.value_or("");
    switch (spec.key) {
      case 'c':
        if (value.empty()) return bad(fmt::format("{}: empty community name", o.name));
        if (value.size() > wire::kCommunitySize - 1) {
          return bad(fmt::format("{}: '{}' is {} bytes; a community name has at most {}", o.name,
                                 printable(value), value.size(), wire::kCommunitySize - 1));
        }
        opt_.community = value;
        return true;
      case 'l':
        return supernode(value);
      case 'p':
        return bind(value);
      case 'i': {
        const auto seconds = parse_number(value, kMaxInterval);
        if (!seconds || *seconds == 0) {
          return bad(fmt::format("{}: '{}' is not a registration interval in seconds (1-{})",
                                 o.name, printable(value), kMaxInterval));
        }
        if (*seconds >= kSupernodePurgeSeconds) {
          warn(fmt::format("{} {}: supernodes forget an edge after {} s without a registration",
                           o.name, value, kSupernodePurgeSeconds));
        }
        opt_.interval = *seconds;
        return true;
      }
      case 'k':
        if (value.empty()) return bad(fmt::format("{}: empty key", o.name));
        opt_.key = value;
        a_.key_origin = o.origin.empty() ? o.name : fmt::format("{} at {}", o.name, o.origin);
        return true;
      case 'A':
        return cipher(o.value);
      case 'H':
        opt_.header_encryption = true;
        return true;
      case 'z':
        return compression(o.value);
      case 'S':
        return solitude(o.value);
      case 'L': {
        const auto ttl = parse_number(value, 255);
        if (!ttl) {
          return bad(fmt::format("{}: '{}' is not an IP TTL (0-255)", o.name, printable(value)));
        }
        opt_.register_ttl = static_cast<unsigned>(*ttl);
        return true;
      }
      case 'e':
        return preferred(value);
      case 'a':
        return address(value);
      case 'm':
        return mac(value);
      case 'd':
        return device(value);
      case 'M': {
        if (value == "auto") {
          // n2nkit: from the discovered path MTU; the default until a search is done.
          opt_.mtu = kDefaultMtu;
          opt_.mtu_auto = true;
          return true;
        }
        opt_.mtu_auto = false;
        const auto mtu = parse_number(value, kMaxMtu);
        if (!mtu || *mtu < kMinMtu) {
          return bad(fmt::format("{}: '{}' is not a TAP MTU ({}-{})", o.name, printable(value),
                                 kMinMtu, kMaxMtu));
        }
        if (*mtu < kIpv6MinMtu) {
          warn(fmt::format("{} {}: below {} the kernel disables IPv6 on the TAP device", o.name,
                           *mtu, kIpv6MinMtu));
        }
        opt_.mtu = static_cast<unsigned>(*mtu);
        return true;
      }
      case 'r':
        opt_.routing = true;
        return true;
      case 'E':
        opt_.accept_multicast = true;
        return true;
      case 'R': {
        std::string error, warning;
        auto rule = edge::parse_traffic_rule(value, error, warning);
        if (!rule) return bad(fmt::format("{} {}", o.name, error));
        if (!warning.empty()) warn(fmt::format("{}: {}", o.name, warning));
        opt_.rules.push_back(std::move(*rule));
        return true;
      }
      case 'n': {
        std::string error;
        const auto route = routes::parse_overlay_route(value, error);
        if (!route) return bad(fmt::format("{} {}", o.name, error));
        opt_.routes.push_back(*route);
        return true;
      }
      case kKeyNoMssClamp:
        opt_.mss_clamp = false;
        return true;
      case kKeySelectRtt:
      case kKeySelectMac:
        // The last one given wins, as in the reference.
        opt_.selection =
            spec.key == kKeySelectRtt ? edge::SelectionStrategy::rtt : edge::SelectionStrategy::mac;
        return true;
      case 'I':
        opt_.description = value;
        if (value.size() > wire::kDescriptionSize - 1) {
          opt_.description.resize(wire::kDescriptionSize - 1);
          warn(fmt::format("{} {}: longer than {} bytes; using '{}' as the reference does", o.name,
                           printable(value), wire::kDescriptionSize - 1,
                           printable(opt_.description)));
        }
        return true;
      case 'J':
        opt_.password = value;
        a_.password_origin = o.origin.empty() ? o.name : fmt::format("{} at {}", o.name, o.origin);
        return true;
      case 'P': {
        const auto key = keys::key_from_text(value);
        if (!key) {
          return bad(
              fmt::format("{}: '{}' is not a federation public key ({} characters of "
                          "0-9 A-Z a-z + -, as n2n-keygen -F prints it)",
                          o.name, printable(value), keys::kPublicKeyTextSize));
        }
        opt_.federation_public_key = *key;
        return true;
      }
      case 'f':
        opt_.foreground = true;
        return true;
      case 'D':
        opt_.dont_fragment = true;
        return true;
      case 'T': {
        // As the reference reads it: "0x" then hex digits, or else a decimal number.
        const bool hex = value.size() > 2 && value[0] == '0' && value[1] == 'x';
        unsigned tos = 0;
        const std::string_view digits = hex ? std::string_view(value).substr(2) : value;
        const auto [ptr, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), tos, hex ? 16 : 10);
        if (digits.empty() || ec != std::errc{} || ptr != digits.data() + digits.size() ||
            tos > 255) {
          return bad(fmt::format("{}: '{}' is not an IP type of service (0-255 or 0x00-0xff)",
                                 o.name, printable(value)));
        }
        opt_.tos = static_cast<std::uint8_t>(tos);
        return true;
      }
      case 't': {
        const auto port = parse_port(value, false);
        if (!port) {
          return bad(
              fmt::format("{}: '{}' is not a port number (1-65535)", o.name, printable(value)));
        }
        opt_.management_port = *port;
        return true;
      }
      case kKeyManagementPassword:
        opt_.management_password = value;
        return true;
      case 'v':
        ++opt_.verbosity;
        return true;
      case 'u':
      case 'g':
        if (value.empty()) {
          return bad(fmt::format("{}: empty {} name", o.name, spec.key == 'u' ? "user" : "group"));
        }
        (spec.key == 'u' ? opt_.user : opt_.group) = value;
        return true;
      default:
        return bad(fmt::format("internal: unhandled option {}", o.name));
    }
  }

  static constexpr unsigned long kMaxInterval = 86400;
  static constexpr unsigned long kSupernodePurgeSeconds = 60;  // spec §12: edge timeout 60 s
  // RFC 791's 576: every IPv4 host takes datagrams that large; below it a TAP is of no use to
  // ordinary traffic. 1964 is the largest frame the reference's buffers carry (spec §15).
  static constexpr unsigned long kMinMtu = 576;
  static constexpr unsigned long kMaxMtu = mtu::kMaxTapMtu;
  static constexpr unsigned long kIpv6MinMtu = 1280;

 private:
  bool bad(std::string_view message) {
    print_error(o_->origin, message);
    return false;
  }
  void warn(std::string_view message) {
    opt_.warnings.push_back(fmt::format("{}{}", where(o_->origin), message));
  }
  bool not_implemented(std::string_view name, std::string_view what) {
    return bad(fmt::format("{}: not implemented yet in n2nkit ({})", name, what));
  }

  bool supernode(const std::string& value) {
    const std::string& name = o_->name;
    if (value.size() >= 48) {
      // The reference copies -l into a 48-byte buffer (N2N_EDGE_SN_HOST_SIZE).
      return bad(
          fmt::format("{} {}: {} characters; at most 47", name, printable(value), value.size()));
    }
    const auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0) {
      return bad(fmt::format("{} {}: expected HOST:PORT", name, printable(value)));
    }
    if (!parse_port(std::string_view(value).substr(colon + 1), false)) {
      return bad(fmt::format("{} {}: '{}' is not a port number (1-65535)", name, printable(value),
                             printable(value.substr(colon + 1))));
    }
    if (std::find(opt_.supernodes.begin(), opt_.supernodes.end(), value) != opt_.supernodes.end()) {
      warn(fmt::format("{} {}: given more than once; used once", name, printable(value)));
      return true;
    }
    opt_.supernodes.push_back(value);
    return true;
  }

  bool bind(const std::string& value) {
    const std::string& name = o_->name;
    const auto colon = value.find(':');
    std::string address;
    std::string port;
    if (colon != std::string::npos) {
      address = value.substr(0, colon);
      port = value.substr(colon + 1);
    } else if (value.find('.') != std::string::npos) {
      address = value;  // as the reference: a value with a '.' and no ':' is an address
    } else {
      port = value;
    }
    std::uint32_t bind_address = 0;
    if (colon != std::string::npos || !address.empty()) {
      const auto parsed = parse_ipv4(address);
      if (!parsed) {
        return bad(fmt::format("{} {}: '{}' is not an IPv4 address (expected [IP:]PORT or IP)",
                               name, printable(value), printable(address)));
      }
      bind_address = *parsed;
    }
    std::uint16_t bind_port = 0;
    if (colon != std::string::npos || address.empty()) {
      const auto parsed = parse_port(port, true);
      if (!parsed) {
        return bad(fmt::format("{} {}: '{}' is not a port number (0-65535)", name, printable(value),
                               printable(port)));
      }
      bind_port = *parsed;
    }
    opt_.bind_address = bind_address;
    opt_.bind_port = bind_port;
    return true;
  }

  bool cipher(const std::optional<std::string>& value) {
    const std::string& name = o_->name;
    a_.cipher_origin = o_->origin;
    if (!value) {
      warn(fmt::format("{} without a number is deprecated; using AES (write -A3)", name));
      a_.cipher = crypto::TransformId::aes;
      a_.cipher_name = name;
      return true;
    }
    const auto number = parse_number(*value, 9);
    const auto id = number ? crypto::transform_from_cli(static_cast<int>(*number)) : std::nullopt;
    if (!id) {
      return bad(
          fmt::format("{}{}: unknown cipher (-A1 none, -A2 Twofish, -A3 AES, -A4 ChaCha20, "
                      "-A5 Speck)",
                      name, printable(*value)));
    }
    a_.cipher = *id;
    a_.cipher_name = name + *value;
    return true;
  }

  bool compression(const std::optional<std::string>& value) {
    const std::string& name = o_->name;
    if (!value) {
      warn(fmt::format("{} without a number is deprecated; using LZO (write -z1)", name));
      opt_.compression = crypto::CompressionId::lzo;
      return true;
    }
    if (*value == "1") {
      opt_.compression = crypto::CompressionId::lzo;
    } else if (*value == "2") {
      opt_.compression = crypto::CompressionId::zstd;
    } else {
      return bad(
          fmt::format("{}{}: unknown compression (-z1 LZO, -z2 zstd)", name, printable(*value)));
    }
    return true;
  }

  bool solitude(const std::optional<std::string>& value) {
    const std::string& name = o_->name;
    if (!value) {
      warn(fmt::format("{} without a number is deprecated; no P2P as with -S1", name));
      opt_.p2p = false;
      return true;
    }
    if (*value == "1") {
      opt_.p2p = false;
      return true;
    }
    if (*value == "2") {
      opt_.p2p = false;
      opt_.tcp = true;
      return true;
    }
    return bad(fmt::format("{}{}: unknown level (-S1 no P2P; -S2 no P2P, TCP to the supernode)",
                           name, printable(*value)));
  }

  bool preferred(const std::string& value) {
    const std::string& name = o_->name;
    if (value == "auto") {
      opt_.preferred_auto = true;
      opt_.preferred_address.reset();
      return true;
    }
    const auto ip = parse_ipv4(value);
    if (!ip) {
      return bad(fmt::format("{}: '{}' is not an IPv4 address or auto", name, printable(value)));
    }
    if (*ip == 0 || *ip == 0xffffffffU) {
      return bad(fmt::format("{}: {} is not a host address (-e auto detects one)", name,
                             printable(value)));
    }
    opt_.preferred_auto = false;
    opt_.preferred_address = *ip;
    return true;
  }

  bool address(const std::string& value) {
    const std::string& name = o_->name;
    std::string_view rest = value;
    if (const auto colon = rest.find(':'); colon != std::string_view::npos) {
      const std::string_view mode = rest.substr(0, colon);
      if (mode == "dhcp") {
        return not_implemented(fmt::format("{} {}", name, printable(value)),
                               "address from a DHCP server in the overlay");
      }
      if (mode != "static") {
        return bad(fmt::format("{} {}: unknown mode '{}' (static: or dhcp:)", name,
                               printable(value), printable(mode)));
      }
      rest.remove_prefix(colon + 1);
    }
    std::uint8_t prefix = 24;
    if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
      const auto n = parse_number(rest.substr(slash + 1), 99);
      if (!n || *n < 1 || *n > 30) {
        return bad(fmt::format("{} {}: prefix length must be 1-30", name, printable(value)));
      }
      prefix = static_cast<std::uint8_t>(*n);
      rest = rest.substr(0, slash);
    }
    const auto ip = parse_ipv4(std::string(rest));
    if (!ip) {
      return bad(fmt::format("{} {}: '{}' is not an IPv4 address (expected [static:]IP[/N])", name,
                             printable(value), printable(rest)));
    }
    if (*ip == 0) {
      return bad(
          fmt::format("{} {}: not a host address (leave out -a to get one from the "
                      "supernode)",
                      name, printable(value)));
    }
    opt_.address = wire::IpSubnet{*ip, prefix};
    return true;
  }

  bool mac(const std::string& value) {
    const std::string& name = o_->name;
    const auto parsed = wire::parse_mac(value);
    if (!parsed) {
      return bad(fmt::format("{}: '{}' is not a MAC address (e.g. 02:12:34:56:78:9a)", name,
                             printable(value)));
    }
    if (((*parsed)[0] & 0x01U) != 0) {
      return bad(
          fmt::format("{}: {} is a multicast address; the TAP needs a unicast one (first "
                      "byte even, e.g. 02:...)",
                      name, printable(value)));
    }
    if (*parsed == wire::kNullMac) {
      return bad(fmt::format("{}: {} is the null address", name, printable(value)));
    }
    opt_.mac = *parsed;
    return true;
  }

  bool device(const std::string& value) {
    const std::string& name = o_->name;
    // The kernel's dev_valid_name(): IFNAMSIZ (16) with the NUL, no '/', ':' or blanks.
    if (value.empty() || value == "." || value == "..") {
      return bad(fmt::format("{}: '{}' is not a device name", name, printable(value)));
    }
    if (value.size() > 15) {
      return bad(fmt::format("{}: '{}' is {} bytes; a device name has at most 15", name,
                             printable(value), value.size()));
    }
    if (value.find_first_of("/: \t\n\v\f\r") != std::string::npos) {
      return bad(fmt::format("{}: '{}' contains '/', ':' or a blank, which device names cannot",
                             name, printable(value)));
    }
    opt_.device = value;
    return true;
  }

  Applied& a_;
  Options& opt_;
  const Occurrence* o_ = nullptr;
};

// Checks of the whole configuration, once every option is in.
bool finish(Applied& a) {
  Options& opt = a.options;
  if (opt.community.empty()) {
    print_error("", "no community: give -c NAME (or set N2N_COMMUNITY)");
    return false;
  }
  if (opt.supernodes.empty()) {
    print_error("", "no supernode: give -l HOST:PORT");
    return false;
  }
  if (a.cipher && *a.cipher != crypto::TransformId::null) {
    if (opt.key.empty()) {
      print_error(a.cipher_origin, fmt::format("{} ({}) needs a key: give -k KEY (or set N2N_KEY)",
                                               a.cipher_name, crypto::transform_name(*a.cipher)));
      return false;
    }
    opt.transform = *a.cipher;
  } else if (!opt.key.empty()) {
    if (a.cipher) {
      // The reference switches to AES whenever a key is given (edge.c, after parsing), so -A1
      // with a key encrypts there; doing the same keeps such a community talking.
      opt.warnings.push_back(
          fmt::format("{}-A1 with a key ({}): using AES as the reference does; leave out the key "
                      "for no encryption",
                      where(a.cipher_origin), a.key_origin));
    }
    opt.transform = crypto::TransformId::aes;
  } else {
    opt.transform = crypto::TransformId::null;
  }
  if (opt.password) {
    // The reference's edge_init refuses block ciphers here: user/password communities cover
    // the cipher IV with header encryption, which only the stream ciphers' layout allows.
    if (opt.transform != crypto::TransformId::chacha20 &&
        opt.transform != crypto::TransformId::speck) {
      print_error("", fmt::format("user/password authentication ({}) needs -A4 (ChaCha20) or "
                                  "-A5 (Speck) with a key (-k), not {}",
                                  a.password_origin, crypto::transform_name(opt.transform)));
      return false;
    }
    if (!opt.header_encryption) {
      opt.warnings.push_back(fmt::format(
          "user/password authentication ({}): header encryption turned on, as it must be",
          a.password_origin));
      opt.header_encryption = true;
    }
    if (!opt.federation_public_key) {
      opt.warnings.push_back(
          "user/password authentication without -P: using the public key of the default "
          "federation \"Federation\"; give the supernode's -F a name of its own and -P its key "
          "(n2n-keygen -F NAME)");
    }
  } else if (opt.federation_public_key) {
    opt.warnings.push_back("-P without -J (or N2N_PASSWORD): the federation key is not used");
  }
  if (opt.tcp && (opt.preferred_auto || opt.preferred_address)) {
    // P2P is off: no peer would use the socket, and the TCP connection has no UDP port.
    opt.warnings.push_back("-e is not used with -S2 (no peer-to-peer connections)");
    opt.preferred_auto = false;
    opt.preferred_address.reset();
  }
  if (opt.tcp && opt.bind_port != 0) {
    // As the reference: the connection leaves from a free port (an address from -p is kept).
    opt.warnings.push_back(fmt::format(
        "-p port {} is not used with -S2: the TCP connection uses a free port", opt.bind_port));
  }
  if (!opt.key.empty() && opt.key == opt.community) {
    opt.warnings.push_back(
        "the key equals the community name, which every supernode sees: choose another key");
  }
  return true;
}

std::string host_name() {
  char buffer[256] = {};
  if (gethostname(buffer, sizeof(buffer) - 1) != 0) return {};
  std::string name(buffer);
  if (name.size() > wire::kDescriptionSize - 1) name.resize(wire::kDescriptionSize - 1);
  return name;
}

void dump(const Options& o) {
  std::string out;
  const auto line = [&out](std::string_view key, std::string_view value) {
    out += fmt::format("{}={}\n", key, printable(value));
  };
  line("community", o.community);
  for (const auto& s : o.supernodes) line("supernode", s);
  line("bind", wire::sock_to_string(wire::Sock::ipv4(o.bind_address, o.bind_port)));
  line("address", o.address ? wire::subnet_to_string(*o.address) : "auto");
  line("mac", o.mac ? wire::mac_to_string(*o.mac) : "random");
  line("device", o.device);
  line("mtu", o.mtu_auto ? std::string("auto") : std::to_string(o.mtu));
  line("transform", crypto::transform_name(o.transform));
  line("key", o.key);
  line("header_encryption", o.header_encryption ? "1" : "0");
  line("compression", crypto::compression_name(o.compression));
  line("routing", o.routing ? "1" : "0");
  line("accept_multicast", o.accept_multicast ? "1" : "0");
  line("mss_clamp", o.mss_clamp ? "1" : "0");
  line("selection", edge::selection_strategy_name(o.selection));
  line("p2p", o.p2p ? "1" : "0");
  for (const auto& r : o.routes) line("route", routes::overlay_route_text(r));
  for (const auto& r : o.rules) line("rule", r.text);
  line("tcp", o.tcp ? "1" : "0");
  line("register_ttl", std::to_string(o.register_ttl));
  // The address alone; the port is the main socket's, known once it is bound.
  std::string preferred = "none";
  if (o.preferred_auto) {
    preferred = "auto";
  } else if (o.preferred_address) {
    preferred = wire::sock_to_string(wire::Sock::ipv4(*o.preferred_address, 0));
    preferred.resize(preferred.rfind(':'));
  }
  line("preferred", preferred);
  line("interval", std::to_string(o.interval));
  line("tos", std::to_string(o.tos));
  line("dont_fragment", o.dont_fragment ? "1" : "0");
  line("description", o.description);
  if (o.password) {
    // What the supernode's community.list needs for this edge, and the key it is checked with.
    const auto user = std::string_view(o.description).substr(0, keys::kMaxUserNameBytes);
    const auto private_key = keys::user_private_key(user, *o.password);
    line("auth", "user-password");
    line("auth_user", std::string(user));
    line("password", *o.password);
    line("public_key", keys::key_to_text(keys::public_key(private_key)));
    line("federation_public_key",
         o.federation_public_key
             ? keys::key_to_text(*o.federation_public_key)
             : keys::key_to_text(keys::public_key(keys::federation_private_key("Federation"))));
  } else {
    line("auth", "simple-id");
  }
  line("foreground", o.foreground ? "1" : "0");
  line("management_port", std::to_string(o.management_port));
  line("management_password", o.management_password);
  line("verbosity", std::to_string(o.verbosity));
  line("user", o.user.value_or(""));
  line("group", o.group.value_or(""));
  for (const auto& w : o.warnings) line("warning", w);
  fmt::print("{}", out);
}

// An environment variable standing for an option, used only when the option is not given (the
// reference reads it into its defaults, which options then replace); so a bad value in the
// environment does not stop an edge that does not use it.
void from_environment(const char* variable, char key, std::vector<Occurrence>& occurrences) {
  const char* value = std::getenv(variable);
  if (value == nullptr) return;
  // An empty N2N_COMMUNITY is no community (the reference copies ""); an empty N2N_KEY or
  // N2N_PASSWORD still switches the reference to AES or user/password, so they are not ignored.
  if (*value == '\0' && key == 'c') return;
  const bool given = std::any_of(occurrences.begin(), occurrences.end(),
                                 [key](const Occurrence& o) { return o.spec->key == key; });
  if (given) return;
  occurrences.insert(occurrences.begin(), {find_key(key), variable, std::string(value), ""});
}

}  // namespace

ParseResult parse_options(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + std::max(argc, 1));
  if (args.empty()) {
    print_error("",
                "usage: n2n-edge [CONFIG-FILE] [OPTIONS]  (at least -c and -l; see "
                "n2n-edge --help)");
    return {std::nullopt, kExitUsage};
  }

  Applied applied;
  Options& options = applied.options;
  std::vector<Occurrence> occurrences;
  bool dump_requested = false;
  Scanner scanner(occurrences, options.warnings, dump_requested);
  Stop stop = Stop::none;
  if (args.front().empty()) {
    print_error("", "empty configuration file name");
    return {std::nullopt, kExitUsage};
  }
  if (args.front().front() != '-') {
    stop = scan_file(args.front(), scanner, options.warnings);
    args.erase(args.begin());
  }
  if (stop == Stop::none) stop = scanner.scan(args, "", false);
  switch (stop) {
    case Stop::help:
      fmt::print("{}", help_text());
      return {std::nullopt, kExitOk};
    case Stop::version:
      fmt::print("n2n-edge (n2nkit) {}\n", N2NKIT_VERSION);
      return {std::nullopt, kExitOk};
    case Stop::error:
      return {std::nullopt, kExitUsage};
    case Stop::none:
      break;
  }

  from_environment("N2N_PASSWORD", 'J', occurrences);
  from_environment("N2N_KEY", 'k', occurrences);
  from_environment("N2N_COMMUNITY", 'c', occurrences);
  options.description = host_name();
  Applier applier(applied);
  for (const Occurrence& o : occurrences) {
    if (!applier.apply(o)) return {std::nullopt, kExitUsage};
  }
  if (!finish(applied)) return {std::nullopt, kExitUsage};
  if (dump_requested) {
    dump(options);
    return {std::nullopt, kExitOk};
  }
  return {std::move(options), kExitOk};
}

}  // namespace n2nkit::edged
