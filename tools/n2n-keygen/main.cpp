// n2n-keygen: the public-key line for a supernode's community file (user and password) or
// the -P option for edges (federation name). A drop-in for the reference tool: same
// arguments, same output line; adds --help, --version and warnings about names that the
// edge or supernode would shorten. `n2n-keygen secret` prints random community names and -k
// keys.
#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/printable.hpp"
#include "core/crypto/transform.hpp"
#include "core/keys/secret.hpp"
#include "core/keys/user_password.hpp"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 64;  // EX_USAGE

void usage_error(std::string_view message) {
  fmt::print(stderr, "n2n-keygen: {} (see n2n-keygen --help)\n", message);
}

void warn(std::string_view message) {
  fmt::print(stderr, "n2n-keygen: warning: {}\n", message);
}

bool has_space(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  });
}

// The line is printed regardless (the reference prints it), but a name the edge or the
// community file cannot carry whole gives a key that never matches; say so.
void check_user_name(std::string_view user) {
  if (user.size() > n2nkit::keys::kMaxUserNameBytes) {
    warn(fmt::format(
        "user name is {} bytes; edges (-I) and community files keep only the first {}, so this "
        "key will not match (use a name of at most {} bytes)",
        user.size(), n2nkit::keys::kMaxUserNameBytes, n2nkit::keys::kMaxUserNameBytes));
  }
  if (user.empty() || has_space(user)) {
    warn("user name is empty or contains white space; a community file cannot hold this line");
  }
}

void check_federation_name(std::string_view name) {
  if (name.size() > n2nkit::keys::kMaxFederationNameBytes) {
    warn(fmt::format(
        "federation name is {} bytes; supernodes (-F) keep only the first {}, so this key "
        "will not match (use a name of at most {} bytes)",
        name.size(), n2nkit::keys::kMaxFederationNameBytes, n2nkit::keys::kMaxFederationNameBytes));
  }
}

int print_user_line(const std::string& user, const std::string& password) {
  check_user_name(user);
  fmt::print("{}\n", n2nkit::keys::keygen_user_line(user, password));
  return kExitOk;
}

int print_federation_line(const std::string& name) {
  check_federation_name(name);
  fmt::print("{}\n", n2nkit::keys::keygen_federation_line(name));
  return kExitOk;
}

bool is_own_option(std::string_view arg) {
  return arg == "-F" || arg == "-h" || arg == "--help" || arg == "--version";
}

bool is_secret_option(std::string_view arg) {
  return arg == "--json" || arg == "-h" || arg == "--help" || arg.starts_with("--length=") ||
         arg.starts_with("--count=") || arg.starts_with("--for=");
}

// "secret" and one of its own options, in either order, are the subcommand although they are
// two arguments (documented in n2n-keygen(1)); "secret" with anything else is a user name or
// a password.
bool is_secret_call(std::string_view first, std::string_view second) {
  return (first == "secret" && is_secret_option(second)) ||
         (second == "secret" && is_secret_option(first));
}

struct SecretRequest {
  int length = static_cast<int>(n2nkit::keys::kDefaultSecretLength);
  int count = 1;
  std::string use = "community";
  bool json = false;
};

constexpr int kMaxSecretCount = 1000;

double one_decimal(double x) {
  return std::round(x * 10.0) / 10.0;
}

int print_secrets(const SecretRequest& request) {
  namespace keys = n2nkit::keys;
  const auto use = keys::parse_secret_use(request.use);
  if (!use) {
    usage_error(
        fmt::format("--for '{}': expected community or key", n2nkit::printable(request.use)));
    return kExitUsage;
  }
  const std::size_t max_length = keys::max_secret_length(*use);
  if (request.length < 1 || static_cast<std::size_t>(request.length) > max_length) {
    usage_error(fmt::format(
        "--length {}: a {} takes 1 to {} characters{}", request.length,
        *use == keys::SecretUse::community ? "community name" : "key", max_length,
        *use == keys::SecretUse::community ? " (use --for key for longer -k keys)" : ""));
    return kExitUsage;
  }
  if (request.count < 1 || request.count > kMaxSecretCount) {
    usage_error(fmt::format("--count {}: expected 1 to {}", request.count, kMaxSecretCount));
    return kExitUsage;
  }
  const auto length = static_cast<std::size_t>(request.length);
  const double bits = keys::secret_entropy_bits(length);
  const bool short_secret = length < keys::kRecommendedSecretLength;
  if (short_secret && request.json) {
    warn(fmt::format("{} characters give only {:.1f} bits of entropy; {} give {:.1f}", length, bits,
                     keys::kRecommendedSecretLength,
                     keys::secret_entropy_bits(keys::kRecommendedSecretLength)));
  }
  // With AES the edge sizes the key by the -k string's length (spec 9.1); 0: not a key.
  const std::size_t aes_bits =
      *use == keys::SecretUse::key ? n2nkit::crypto::aes_key_size(length) * 8 : 0;

  std::vector<std::string> secrets;
  for (int i = 0; i < request.count; ++i) secrets.push_back(keys::random_secret(length));

  if (request.json) {
    nlohmann::ordered_json j;
    j["for"] = std::string(keys::secret_use_name(*use));
    j["length"] = length;
    j["alphabet"] = std::string(keys::kSecretAlphabet);
    j["entropy_bits"] = one_decimal(bits);
    j["aes_key_bits"] = aes_bits ? nlohmann::ordered_json(aes_bits) : nullptr;
    j["secrets"] = secrets;
    std::cout << j.dump() << "\n";
    return kExitOk;
  }
  // Only the secrets go to standard output, so that $(n2n-keygen secret) is the secret.
  for (const auto& secret : secrets) fmt::print("{}\n", secret);
  std::fflush(stdout);
  std::string summary =
      fmt::format("{} characters of 0-9 A-Z a-z (62): {}{:.1f} bits of entropy{}", length,
                  short_secret ? "only " : "", bits, request.count > 1 ? " each" : "");
  if (short_secret) {
    summary += fmt::format("; {} characters give {:.1f}", keys::kRecommendedSecretLength,
                           keys::secret_entropy_bits(keys::kRecommendedSecretLength));
  }
  if (aes_bits) {
    summary += fmt::format(
        "; as -k with -A3 (AES) a {}-bit key (23 characters give 192, 33 give 256)", aes_bits);
  }
  // Below the recommended length the summary is the warning (one line either way).
  if (short_secret) {
    warn(summary);
  } else {
    fmt::print(stderr, "n2n-keygen: {}\n", summary);
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Like the reference, two arguments that do not start with one of our options are a user
  // name and a password taken verbatim, so a password may begin with '-'.
  if (argc == 3 && !is_own_option(argv[1]) && !is_secret_call(argv[1], argv[2])) {
    return print_user_line(argv[1], argv[2]);
  }

  CLI::App app{
      "Print the community-file line for a user (n2n-keygen <username> <password>), the -P "
      "option with the public key of a federation (n2n-keygen -F <federation name>), or random "
      "community names and keys (n2n-keygen secret).",
      "n2n-keygen"};
  std::optional<std::string> federation;
  std::optional<std::string> user;
  std::optional<std::string> password;
  app.add_option("-F", federation,
                 "Print the -P option for edges of the federation NAME (the supernode's -F)")
      ->option_text("NAME");
  app.add_option("username", user, "User name (the edge's -I), at most 15 bytes");
  app.add_option("password", password, "Password (the edge's -J)");
  app.set_version_flag("--version", std::string("n2n-keygen (n2nkit) ") + N2NKIT_VERSION);
  app.footer(
      "Two arguments are always <username> <password>, unless the first is -F, -h, --help or "
      "--version, or one is \"secret\" and the other one of secret's options.\n"
      "Exit status: 0 on success, 64 on a usage error.");

  SecretRequest request;
  auto* secret = app.add_subcommand(
      "secret",
      "Print a random community name (-c) or key (-k) from the kernel's random source: letters "
      "and digits only, with its entropy on standard error");
  secret
      ->add_option("--length", request.length,
                   "Characters, 1-19 for a community name, 1-64 for a key (default 19)")
      ->option_text("N");
  secret->add_option("--count", request.count, "How many secrets, one per line (default 1)")
      ->option_text("N");
  secret
      ->add_option("--for", request.use,
                   "community (default) or key: the limit on --length and the AES key size note")
      ->option_text("community|key");
  secret->add_flag("--json", request.json, "Print one JSON object instead");

  // CLI11 gives a subcommand only the options after its name; say so rather than "not expected".
  for (int i = 1; i < argc && std::string_view(argv[i]) != "secret"; ++i) {
    const std::string_view arg = argv[i];
    const bool secret_option = arg == "--json" || arg == "--length" || arg == "--count" ||
                               arg == "--for" || is_secret_option(arg);
    if (secret_option && arg != "-h" && arg != "--help" &&
        std::any_of(argv + i + 1, argv + argc,
                    [](const char* later) { return std::string_view(later) == "secret"; })) {
      usage_error(
          fmt::format("{} is an option of secret and goes after it", n2nkit::printable(arg)));
      return kExitUsage;
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    // The top-level help lists secret's options too: one page shows them all.
    if (app.get_subcommands().empty()) {
      std::cout << app.help("", CLI::AppFormatMode::All);
      return kExitOk;
    }
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    usage_error(e.what());
    return kExitUsage;
  }

  if (secret->parsed()) {
    if (federation || user) {
      usage_error("secret takes no user name, password or -F");
      return kExitUsage;
    }
    return print_secrets(request);
  }
  if (federation) {
    if (user) {
      usage_error("-F takes no user name or password");
      return kExitUsage;
    }
    return print_federation_line(*federation);
  }
  if (!user || !password) {
    usage_error("expected <username> <password>, -F <federation name> or secret");
    return kExitUsage;
  }
  return print_user_line(*user, *password);
}
