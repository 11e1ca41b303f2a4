#include "core/supernode/community_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace n2nkit::supernode {
namespace {

std::vector<std::string_view> split_tokens(std::string_view line) {
  std::vector<std::string_view> tokens;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) tokens.push_back(line.substr(start, i - start));
  }
  return tokens;
}

// Decimal 0..max from 1..digits digits, the whole of text.
std::optional<unsigned> parse_decimal(std::string_view text, std::size_t digits, unsigned max) {
  if (text.empty() || text.size() > digits) return std::nullopt;
  unsigned v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > max) return std::nullopt;
  return v;
}

std::string_view c_string_name(std::string_view name) {
  name = name.substr(0, std::min(name.find('\0'), name.size()));
  return name.substr(0, std::min(name.size(), kMaxCommunityNameBytes));
}

// Where user lines go: nowhere yet, the fixed community at an index, or nowhere because a
// regex line came last.
struct UserTarget {
  enum class Kind { none, fixed, regex } kind = Kind::none;
  std::size_t index = 0;       // into CommunityList::fixed, for Kind::fixed
  std::size_t regex_line = 0;  // for Kind::regex
};

class Parser {
 public:
  Parser(std::string_view source, std::vector<std::string>& warnings, std::string& error)
      : source_(source), warnings_(warnings), error_(error) {}

  Result<CommunityList> run(std::string_view text) {
    std::size_t line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
      ++line_no;
      const std::size_t nl = text.find('\n', pos);
      const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
      std::string_view line = text.substr(pos, end - pos);
      pos = nl == std::string_view::npos ? text.size() : nl + 1;
      while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.remove_suffix(1);
      if (!line_(line_no, line)) return fail(Reason::bad_community_list);
    }
    return std::move(list_);
  }

 private:
  template <class... Args>
  bool reject(std::size_t line_no, fmt::format_string<Args...> f, Args&&... args) {
    error_ =
        fmt::format("{}:{}: {}", source_, line_no, fmt::format(f, std::forward<Args>(args)...));
    return false;
  }
  template <class... Args>
  void warn(std::size_t line_no, fmt::format_string<Args...> f, Args&&... args) {
    warnings_.push_back(
        fmt::format("{}:{}: {}", source_, line_no, fmt::format(f, std::forward<Args>(args)...)));
  }

  bool line_(std::size_t line_no, std::string_view line) {
    if (line.size() > kMaxCommunityListLine) {
      return reject(line_no, "line longer than {} bytes", kMaxCommunityListLine);
    }
    if (line.find('\0') != std::string_view::npos) {
      return reject(line_no, "line contains a NUL byte");
    }
    if (line.empty() || line[0] == '#') return true;
    if (line.size() < 2) {
      if (line[0] != ' ' && line[0] != '\t') {
        warn(line_no, "one-byte line '{}' ignored (names need at least 2 bytes)", line);
      }
      return true;
    }
    const auto tokens = split_tokens(line);
    if (tokens.empty()) return true;
    if (line[0] == '*') return user_line(line_no, tokens);
    if (is_regex_token(tokens[0])) return regex_line(line_no, tokens);
    return fixed_line(line_no, tokens);
  }

  bool user_line(std::size_t line_no, const std::vector<std::string_view>& tokens) {
    if (target_.kind == UserTarget::Kind::none) {
      return reject(line_no, "user line before any community line");
    }
    if (target_.kind == UserTarget::Kind::regex) {
      return reject(line_no,
                    "user line after the regular expression on line {}; users belong to the "
                    "fixed-name community line above them",
                    target_.regex_line);
    }
    if (tokens.size() != 3 || tokens[0] != "*") {
      return reject(line_no, "user line must be '* <user name> <43-character public key>'");
    }
    const std::string_view user = tokens[1];
    if (user.size() > keys::kMaxUserNameBytes) {
      return reject(line_no, "user name '{}' longer than {} bytes", user, keys::kMaxUserNameBytes);
    }
    const auto key = keys::key_from_text(tokens[2]);
    if (!key) {
      return reject(line_no, "bad public key for user '{}': {}", user, reason_text(key.error()));
    }
    list_.fixed[target_.index].users.push_back(CommunityUser{std::string(user), *key, line_no});
    return true;
  }

  bool regex_line(std::size_t line_no, const std::vector<std::string_view>& tokens) {
    std::string why;
    auto re = CommunityRegex::compile(tokens[0], &why);
    if (!re) return reject(line_no, "invalid regular expression '{}': {}", tokens[0], why);
    if (tokens.size() > 1) {
      warn(line_no,
           "ignored after the regular expression '{}': '{}' (only fixed names take a subnet)",
           tokens[0], tokens[1]);
    }
    list_.regexes.push_back(RegexCommunity{std::move(*re), line_no});
    target_ = UserTarget{UserTarget::Kind::regex, 0, line_no};
    return true;
  }

  bool fixed_line(std::size_t line_no, const std::vector<std::string_view>& tokens) {
    std::string_view name = tokens[0];
    if (name.size() > kMaxCommunityNameBytes) {
      name = name.substr(0, kMaxCommunityNameBytes);
      warn(line_no, "community name '{}' truncated to {} bytes: '{}'", tokens[0],
           kMaxCommunityNameBytes, name);
    }
    std::optional<wire::IpSubnet> subnet;
    if (tokens.size() > 1) {
      subnet = parse_community_subnet(tokens[1]);
      if (!subnet) {
        warn(line_no,
             "invalid subnet '{}' for community '{}' (need a network address a.b.c.d/n, "
             "1 <= n <= 30, host bits 0); it gets an automatic subnet",
             tokens[1], name);
      }
    }
    if (tokens.size() > 2) warn(line_no, "ignored after the subnet: '{}'", tokens[2]);

    const auto existing = std::find_if(list_.fixed.begin(), list_.fixed.end(),
                                       [&](const FixedCommunity& c) { return c.name == name; });
    if (existing != list_.fixed.end()) {
      warn(line_no, "community '{}' already listed on line {}; the lines are merged", name,
           existing->line);
      if (subnet && !existing->subnet) {
        existing->subnet = subnet;
      } else if (subnet && *subnet != *existing->subnet) {
        warn(line_no, "subnet '{}' ignored; community '{}' keeps {} from line {}", tokens[1], name,
             wire::subnet_to_string(*existing->subnet), existing->line);
      }
      target_ = UserTarget{UserTarget::Kind::fixed,
                           static_cast<std::size_t>(existing - list_.fixed.begin()), 0};
      return true;
    }
    list_.fixed.push_back(FixedCommunity{std::string(name), subnet, {}, line_no});
    target_ = UserTarget{UserTarget::Kind::fixed, list_.fixed.size() - 1, 0};
    return true;
  }

  std::string_view source_;
  std::vector<std::string>& warnings_;
  std::string& error_;
  CommunityList list_;
  UserTarget target_;
};

}  // namespace

std::optional<wire::IpSubnet> parse_community_subnet(std::string_view text) {
  const std::size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto prefix = parse_decimal(text.substr(slash + 1), 2, 30);
  if (!prefix || *prefix < 1) return std::nullopt;
  std::string_view rest = text.substr(0, slash);
  std::uint32_t addr = 0;
  for (int octet = 0; octet < 4; ++octet) {
    const std::size_t dot = octet < 3 ? rest.find('.') : rest.size();
    if (dot == std::string_view::npos) return std::nullopt;
    const auto v = parse_decimal(rest.substr(0, dot), 3, 255);
    if (!v) return std::nullopt;
    addr = addr << 8 | *v;
    rest = octet < 3 ? rest.substr(dot + 1) : std::string_view{};
  }
  const std::uint32_t host_mask = ~std::uint32_t{0} >> *prefix;
  if ((addr & host_mask) != 0) return std::nullopt;
  return wire::IpSubnet{addr, static_cast<std::uint8_t>(*prefix)};
}

const FixedCommunity* CommunityList::find(std::string_view name) const {
  name = c_string_name(name);
  for (const auto& c : fixed) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

bool CommunityList::allows(std::string_view community) const {
  if (find(community) != nullptr) return true;
  const std::string_view name = c_string_name(community);
  return std::any_of(regexes.begin(), regexes.end(),
                     [&](const RegexCommunity& r) { return r.regex.matches(name); });
}

Result<CommunityList> parse_community_list(std::string_view text, std::string_view source_name,
                                           std::vector<std::string>& warnings_out,
                                           std::string& error_out) {
  return Parser(source_name, warnings_out, error_out).run(text);
}

Result<CommunityList> load_community_list(const std::string& path,
                                          std::vector<std::string>& warnings_out,
                                          std::string& error_out) {
  const auto cannot_read = [&](int err) -> Result<CommunityList> {
    error_out = fmt::format("{}: cannot read: {}", path, std::strerror(err));
    return fail(Reason::bad_community_list);
  };
  errno = 0;
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"),
                                                             &std::fclose);
  if (!file) return cannot_read(errno);
  std::string text;
  char buffer[8192];
  for (;;) {
    const std::size_t got = std::fread(buffer, 1, sizeof buffer, file.get());
    text.append(buffer, got);
    if (got < sizeof buffer) break;
  }
  if (std::ferror(file.get()) != 0) return cannot_read(errno != 0 ? errno : EIO);
  return parse_community_list(text, path, warnings_out, error_out);
}

}  // namespace n2nkit::supernode
