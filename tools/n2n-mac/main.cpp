// n2n-mac: MAC addresses for n2n edges. `gen` prints random locally administered unicast
// addresses, `check` explains an address's bits and says whether an edge should use it,
// `from-name` derives a stable address from a name for reproducible configurations.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "check_report.hpp"
#include "core/common/printable.hpp"
#include "core/keys/mac_address.hpp"
#include "core/keys/mac_analysis.hpp"
#include "core/keys/mac_text.hpp"

namespace {

namespace keys = n2nkit::keys;
namespace wire = n2nkit::wire;

// Documented in n2n-mac(1).
constexpr int kExitOk = 0;
constexpr int kExitUnsafe = 1;
constexpr int kExitUsage = 2;

constexpr unsigned kMaxCount = 4096;

int usage_error(std::string_view message) {
  fmt::print(stderr, "n2n-mac: {} (see n2n-mac --help)\n", message);
  return kExitUsage;
}

void print_json(const nlohmann::ordered_json& j) {
  std::cout << j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

nlohmann::ordered_json family_json(const std::optional<keys::MacFamily>& family) {
  if (!family) return nullptr;
  return std::string("x") + keys::mac_family_digit(*family);
}

std::optional<keys::MacFamily> family_option(const std::optional<std::string>& text, bool& bad) {
  bad = false;
  if (!text) return std::nullopt;
  auto family = keys::parse_mac_family(*text);
  bad = !family;
  return family;
}

int generate(unsigned count, const std::optional<keys::MacFamily>& family, bool json) {
  // Distinct within one run: a script asking for N addresses gets N edges' worth.
  std::set<wire::Mac> seen;
  std::vector<wire::Mac> macs;
  while (macs.size() < count) {
    const wire::Mac mac = family ? keys::random_local_mac(*family) : keys::random_local_mac();
    if (seen.insert(mac).second) macs.push_back(mac);
  }
  if (json) {
    nlohmann::ordered_json j;
    j["family"] = family_json(family);
    j["macs"] = nlohmann::ordered_json::array();
    for (const auto& mac : macs) j["macs"].push_back(wire::mac_to_string(mac));
    print_json(j);
  } else {
    for (const auto& mac : macs) fmt::print("{}\n", wire::mac_to_string(mac));
  }
  return kExitOk;
}

int check(const std::string& input, bool json) {
  const keys::MacText text = keys::read_mac_text(input);
  if (!text.mac) {
    fmt::print(stderr, "n2n-mac: '{}' is not a MAC address: {}\n", n2nkit::printable(input),
               text.problem);
    return kExitUsage;
  }
  const keys::MacAnalysis analysis = keys::analyse_mac(*text.mac);
  if (json) {
    print_json(n2nkit::tools::check_json(input, text, analysis));
  } else {
    std::cout << n2nkit::tools::check_text(input, text, analysis);
  }
  return analysis.safe() ? kExitOk : kExitUnsafe;
}

int from_name(const std::string& name, const std::optional<keys::MacFamily>& family, bool json) {
  if (name.empty()) return usage_error("from-name needs a non-empty name");
  const wire::Mac mac = keys::mac_from_name(name, family);
  if (json) {
    nlohmann::ordered_json j;
    j["name"] = name;
    j["family"] = family_json(family);
    j["mac"] = wire::mac_to_string(mac);
    print_json(j);
  } else {
    fmt::print("{}\n", wire::mac_to_string(mac));
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "n2n-mac: MAC addresses for n2n edges (the -m option): random ones, a check of any "
      "address, and stable ones derived from a name.",
      "n2n-mac"};
  app.set_version_flag("--version", std::string("n2n-mac (n2nkit) ") + N2NKIT_VERSION);
  bool json = false;
  app.add_flag("--json", json, "Print one JSON object instead of text (with every command)");
  app.fallthrough();
  app.footer(
      "Exit status: 0 fine (check: the address is safe for an edge), 1 check found the address "
      "unsafe, 2 usage error or malformed address. Nothing needs privileges.");

  unsigned count = 1;
  std::optional<std::string> gen_family;
  auto* gen = app.add_subcommand(
      "gen", "Print random locally administered unicast MACs from the kernel's random source");
  gen->add_option("--count", count, "How many distinct addresses (default 1)")
      ->check(CLI::Range(1U, kMaxCount))
      ->option_text("N");
  gen->add_option("--family", gen_family,
                  "Second hex digit of the first octet: 2, 6, a or e (default: any of them)")
      ->option_text("2|6|a|e");

  std::string mac_text;
  auto* chk = app.add_subcommand(
      "check", "Explain the bits of a MAC address and whether an edge should use it");
  chk->add_option("mac", mac_text, "hh:hh:hh:hh:hh:hh, hh-hh-hh-hh-hh-hh or 12 hex digits")
      ->required();

  std::string name;
  std::optional<std::string> name_family;
  auto* fromname = app.add_subcommand(
      "from-name", "Print the MAC derived from a name: the same name always gives the same MAC");
  fromname->add_option("name", name, "Any text, e.g. the host name; taken byte for byte")
      ->required();
  fromname
      ->add_option("--family", name_family,
                   "Second hex digit of the first octet: 2, 6, a or e (default: from the hash)")
      ->option_text("2|6|a|e");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    // The top-level help lists every command's options too, so that one page shows them all.
    if (app.get_subcommands().empty()) {
      std::cout << app.help("", CLI::AppFormatMode::All);
      return kExitOk;
    }
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ExtrasError& e) {
    const auto extras = app.remaining();
    if (app.get_subcommands().empty() && !extras.empty()) {
      const std::string& first = extras.front();
      return usage_error(first.starts_with('-')
                             ? fmt::format("unknown option '{}'", n2nkit::printable(first))
                             : fmt::format("unknown command '{}': expected gen, check or from-name",
                                           n2nkit::printable(first)));
    }
    return usage_error(e.what());
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
  }

  bool bad_family = false;
  if (gen->parsed()) {
    const auto family = family_option(gen_family, bad_family);
    if (bad_family) {
      return usage_error(
          fmt::format("--family '{}': expected 2, 6, a or e", n2nkit::printable(*gen_family)));
    }
    return generate(count, family, json);
  }
  if (chk->parsed()) return check(mac_text, json);
  if (fromname->parsed()) {
    const auto family = family_option(name_family, bad_family);
    if (bad_family) {
      return usage_error(
          fmt::format("--family '{}': expected 2, 6, a or e", n2nkit::printable(*name_family)));
    }
    return from_name(name, family, json);
  }
  return usage_error("expected a command: gen, check or from-name");
}
