// keys::random_secret and its alphabet (core/keys/secret), what n2n-keygen secret prints.
#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>

#include "core/conf/option_file.hpp"
#include "core/keys/secret.hpp"
#include "core/keys/user_password.hpp"
#include "core/supernode/community_list.hpp"

using n2nkit::keys::kSecretAlphabet;

TEST_CASE("secret alphabet: letters and digits, nothing a conf file or shell treats specially") {
  CHECK(kSecretAlphabet.size() == 62);
  for (char c = '0'; c <= '9'; ++c) CHECK(kSecretAlphabet.find(c) != std::string_view::npos);
  for (char c = 'A'; c <= 'Z'; ++c) CHECK(kSecretAlphabet.find(c) != std::string_view::npos);
  for (char c = 'a'; c <= 'z'; ++c) CHECK(kSecretAlphabet.find(c) != std::string_view::npos);
  // community.list regex triggers, conf-file delimiters and quotes, shell metacharacters.
  for (const char c : std::string_view("+.*?[]\\ \t\"'#=$`!&;|<>(){}~-%^,:@/")) {
    CAPTURE(c);
    CHECK(kSecretAlphabet.find(c) == std::string_view::npos);
  }
}

TEST_CASE("secrets survive the configuration file reader unchanged") {
  for (int i = 0; i < 50; ++i) {
    const std::string secret = n2nkit::keys::random_secret(19);
    for (const auto flavour : {n2nkit::conf::Flavour::edge, n2nkit::conf::Flavour::supernode}) {
      std::vector<n2nkit::conf::Diagnostic> warnings;
      std::string error;
      const auto tokens = n2nkit::conf::expand_config_file(
          "-c=" + secret + "\n-k " + secret + "\n", "t.conf", flavour,
          n2nkit::conf::optional_args_of(flavour), warnings, error);
      REQUIRE(tokens);
      CHECK(*tokens == std::vector<std::string>{"-c", secret, "-k", secret});
      CHECK(warnings.empty());
    }
  }
}

TEST_CASE("secret community names are fixed names in a community.list, never expressions") {
  std::string text;
  std::vector<std::string> names;
  for (int i = 0; i < 50; ++i) {
    names.push_back(n2nkit::keys::random_secret(n2nkit::keys::kDefaultSecretLength));
    text += names.back() + (i % 2 ? " 10.1.2.0/24\n" : "\n");
    text += n2nkit::keys::keygen_user_line("user", n2nkit::keys::random_secret(19)) + "\n";
  }
  std::vector<std::string> warnings;
  std::string error;
  const auto list =
      n2nkit::supernode::parse_community_list(text, "community.list", warnings, error);
  REQUIRE_MESSAGE(list, error);
  CHECK(warnings.empty());
  CHECK(list->regexes.empty());
  REQUIRE(list->fixed.size() == names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    CHECK(list->fixed[i].name == names[i]);
    CHECK(list->fixed[i].users.size() == 1);
    CHECK(list->fixed[i].subnet.has_value() == (i % 2 == 1));
  }
}

TEST_CASE("random_secret: length, alphabet, and no bias from the modulo") {
  for (const std::size_t length : {1U, 16U, 19U, 33U, 64U}) {
    const auto s = n2nkit::keys::random_secret(length);
    CHECK(s.size() == length);
    CHECK(s.find_first_not_of(kSecretAlphabet) == std::string::npos);
  }
  // A source that yields every byte value once per 256: bytes 248-255 are drawn again, so each
  // of the 62 characters comes out exactly 4 times in 248 characters.
  std::uint8_t next = 0;
  const auto counting = [&next](n2nkit::MutableByteView out) {
    for (auto& b : out) b = next++;
  };
  const auto s = n2nkit::keys::random_secret(248, counting);
  std::map<char, int> counts;
  for (const char c : s) ++counts[c];
  CHECK(counts.size() == 62);
  for (const auto& [c, n] : counts) {
    CAPTURE(c);
    CHECK(n == 4);
  }
  // Only rejected bytes: the generator keeps drawing until it has enough.
  int calls = 0;
  const auto mostly_high = [&calls](n2nkit::MutableByteView out) {
    for (auto& b : out) b = 0xff;
    if (++calls == 3) out[0] = 61;
  };
  CHECK(n2nkit::keys::random_secret(1, mostly_high) == "z");
  CHECK(calls == 3);
}

TEST_CASE("secret entropy and limits") {
  CHECK(n2nkit::keys::secret_entropy_bits(1) == doctest::Approx(5.954196));
  CHECK(n2nkit::keys::secret_entropy_bits(16) == doctest::Approx(95.267));
  CHECK(n2nkit::keys::secret_entropy_bits(19) == doctest::Approx(113.1297));
  CHECK(n2nkit::keys::secret_entropy_bits(64) == doctest::Approx(381.0686));
  CHECK(n2nkit::keys::kDefaultSecretLength == 19);
  CHECK(n2nkit::keys::kRecommendedSecretLength == 16);
  CHECK(n2nkit::keys::max_secret_length(n2nkit::keys::SecretUse::community) == 19);
  CHECK(n2nkit::keys::max_secret_length(n2nkit::keys::SecretUse::key) == 64);
  CHECK(n2nkit::keys::parse_secret_use("community") == n2nkit::keys::SecretUse::community);
  CHECK(n2nkit::keys::parse_secret_use("key") == n2nkit::keys::SecretUse::key);
  CHECK_FALSE(n2nkit::keys::parse_secret_use("Key"));
  CHECK_FALSE(n2nkit::keys::parse_secret_use(""));
  CHECK(n2nkit::keys::secret_use_name(n2nkit::keys::SecretUse::key) == "key");
}
