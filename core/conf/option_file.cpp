#include "core/conf/option_file.hpp"

#include "core/common/printable.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace n2nkit::conf {

namespace {

// The C locale's isspace() set plus the two quote characters.
bool is_trimmed(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == '"' ||
         c == '\'';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_trimmed(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_trimmed(s.back())) s.remove_suffix(1);
  return s;
}

bool takes_optional_arg(std::string_view token, OptionalArgSet optional_args) {
  return std::any_of(optional_args.begin(), optional_args.end(), [&](std::string_view opt) {
    // Short options may carry their argument attached ("-A5"); long ones must match exactly.
    const bool is_short = opt.size() == 2 && opt[0] == '-' && opt[1] != '-';
    return is_short ? token.substr(0, 2) == opt : token == opt;
  });
}

}  // namespace

std::string Diagnostic::to_string() const {
  return fmt::format("{}:{}: {}", source, line, message);
}

Result<std::vector<std::string>> expand_config_file(std::string_view text,
                                                    std::string_view source_name, Flavour flavour,
                                                    OptionalArgSet optional_args,
                                                    std::vector<Diagnostic>& warnings,
                                                    std::string& error) {
  std::vector<std::string> tokens;
  std::size_t line_number = 0;
  const auto warn = [&](std::string message) {
    warnings.push_back({std::string(source_name), line_number, std::move(message)});
  };

  while (!text.empty()) {
    ++line_number;
    const std::size_t newline = text.find('\n');
    const std::string_view raw = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);

    const std::string_view line = trim(raw);
    if (line.size() < 2 || line.front() == '#') continue;

    if (line.front() != '-') {
      error = fmt::format("{}:{}: not an option (options start with '-'): {}", source_name,
                          line_number, printable(line));
      return fail(Reason::bad_field);
    }
    const std::size_t delimiter = line.find_first_of(" \t=");
    const std::string_view token = line.substr(0, delimiter);
    if (token == "-" || token == "--") {
      error = fmt::format("{}:{}: no option name: {}", source_name, line_number, printable(line));
      return fail(Reason::bad_field);
    }

    std::optional<std::string_view> value;
    if (delimiter != std::string_view::npos) {
      const std::string_view rest = line.substr(delimiter + 1);
      if (flavour == Flavour::edge) {
        value = trim(rest);
      } else {
        value = rest.substr(0, std::min(rest.find_first_of(" \t"), rest.size()));
        const std::string_view ignored = trim(rest.substr(value->size()));
        if (!ignored.empty()) {
          warn(
              fmt::format("{}: the supernode takes the value only up to the next space or tab; "
                          "'{}' ignored",
                          printable(token), printable(ignored)));
        }
      }
      if (value->empty()) {
        warn(fmt::format("{}: empty value ignored", printable(token)));
        value.reset();
      }
    }

    tokens.emplace_back(token);
    if (!value) continue;
    if (takes_optional_arg(token, optional_args)) {
      warn(fmt::format(
          "'{}' is read as {} alone: an optional argument must be attached (e.g. {}5); "
          "value '{}' ignored",
          printable(line), printable(token), printable(token.substr(0, 2)), printable(*value)));
      continue;
    }
    tokens.emplace_back(*value);
  }
  return tokens;
}

Result<std::vector<std::string>> expand_command_line(std::span<const std::string> args,
                                                     Flavour flavour, OptionalArgSet optional_args,
                                                     const FileReader& read_file,
                                                     std::vector<Diagnostic>& warnings,
                                                     std::string& error) {
  std::vector<std::string> tokens;
  if (!args.empty() && (args.front().empty() || args.front().front() != '-')) {
    const std::string& path = args.front();
    const auto text = read_file(path);
    if (!text) {
      error = fmt::format("{}: cannot read the configuration file", printable(path));
      return fail(Reason::bad_field);
    }
    auto from_file = expand_config_file(*text, path, flavour, optional_args, warnings, error);
    if (!from_file) return from_file;
    tokens = std::move(*from_file);
    args = args.subspan(1);
  }
  tokens.insert(tokens.end(), args.begin(), args.end());
  return tokens;
}

}  // namespace n2nkit::conf
