// n2n-keygen: the public-key line for a supernode's community file (user and password) or
// the -P option for edges (federation name). A drop-in for the reference tool: same
// arguments, same output line; adds --help, --version and warnings about names that the
// edge or supernode would shorten.
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

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

}  // namespace

int main(int argc, char** argv) {
  // Like the reference, two arguments that do not start with one of our options are a user
  // name and a password taken verbatim, so a password may begin with '-'.
  if (argc == 3 && !is_own_option(argv[1])) return print_user_line(argv[1], argv[2]);

  CLI::App app{
      "Print the community-file line for a user (n2n-keygen <username> <password>) or the -P "
      "option with the public key of a federation (n2n-keygen -F <federation name>).",
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
  app.footer("Exit status: 0 on success, 64 on a usage error.");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    usage_error(e.what());
    return kExitUsage;
  }

  if (federation) {
    if (user) {
      usage_error("-F takes no user name or password");
      return kExitUsage;
    }
    return print_federation_line(*federation);
  }
  if (!user || !password) {
    usage_error("expected <username> <password> or -F <federation name>");
    return kExitUsage;
  }
  return print_user_line(*user, *password);
}
