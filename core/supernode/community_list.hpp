#pragma once
// community.list (spec §14.4): the communities a "locked" supernode serves, their fixed auto-IP
// subnets and the users of user/password communities.
//
// Line grammar (after CR/LF are stripped; lines of fewer than 2 bytes and lines starting with
// '#' are ignored; tokens are separated by spaces and tabs):
//   * <user> <43-char public key>   a user of the most recent fixed-name community line, which
//                                   thereby becomes a user/password community
//   <name> [a.b.c.d/n]              a fixed name, optionally with its own auto-IP subnet
//   <regex>                         a token with any of . * + ? [ ] \ (community_regex.hpp)
//
// Errors (the whole file is rejected; one line "<source>:<line>: <problem>"):
//   a line longer than kMaxCommunityListLine bytes, a NUL byte, a user line before any community
//   line or after a regex line (the reference misparses those as the regex "*"), a user line
//   without exactly three tokens, a user name longer than 15 bytes, a public key that
//   keys::key_from_text refuses, an invalid regular expression.
// Warnings ("<source>:<line>: <note>"; the line still counts):
//   a name truncated to 19 bytes, an invalid subnet (the community gets an automatic one, as in
//   the reference), a subnet or extra tokens after a regex, extra tokens after a subnet, a
//   repeated community name (the lines merge into the first: users accumulate, the first subnet
//   stays), a one-byte line (ignored, as the reference does, but probably meant as a name).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"
#include "core/keys/user_password.hpp"
#include "core/supernode/community_regex.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::supernode {

// The reference reads with a 4096-byte buffer.
inline constexpr std::size_t kMaxCommunityListLine = 4095;
// Significant bytes of a community name (the 20-byte wire field keeps a NUL at the end).
inline constexpr std::size_t kMaxCommunityNameBytes = wire::kCommunitySize - 1;

struct CommunityUser {
  std::string name;
  keys::Key32 public_key{};
  std::size_t line = 0;
};

struct FixedCommunity {
  std::string name;                      // at most kMaxCommunityNameBytes
  std::optional<wire::IpSubnet> subnet;  // network address (host bits 0), 1 <= prefix <= 30
  std::vector<CommunityUser> users;      // in file order
  std::size_t line = 0;                  // where the name first appears

  bool user_password() const { return !users.empty(); }
};

struct RegexCommunity {
  CommunityRegex regex;
  std::size_t line = 0;
};

struct CommunityList {
  std::vector<FixedCommunity> fixed;    // in file order, names unique
  std::vector<RegexCommunity> regexes;  // in file order

  // The listed community of that name, if any. name is compared as the supernode compares C
  // strings: it ends at its first NUL and at kMaxCommunityNameBytes, so both a plain name and
  // the 20-byte wire field (as a string_view over all 20 bytes) work.
  const FixedCommunity* find(std::string_view name) const;
  // Listed by name, or the whole name matches one of the regular expressions.
  bool allows(std::string_view community) const;
};

// Parses community.list text. source_name only labels messages ("/etc/n2n/community.list").
// On failure: Reason::bad_community_list and error_out holds one line naming source, line and
// problem. Warnings are appended to warnings_out in either case.
Result<CommunityList> parse_community_list(std::string_view text, std::string_view source_name,
                                           std::vector<std::string>& warnings_out,
                                           std::string& error_out);

// Reads the file at path and parses it, naming it by path in messages. A file that cannot be
// read fails with Reason::bad_community_list and "<path>: cannot read: <system message>".
Result<CommunityList> load_community_list(const std::string& path,
                                          std::vector<std::string>& warnings_out,
                                          std::string& error_out);

// "a.b.c.d/n" with a network address (host bits 0) and 1 <= n <= 30; nullopt otherwise.
std::optional<wire::IpSubnet> parse_community_subnet(std::string_view text);

}  // namespace n2nkit::supernode
