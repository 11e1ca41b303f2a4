#pragma once
// n2n-style configuration files (spec §14.1): `edge <file> [options...]` and
// `supernode <file> [options...]`. A file holds one option per line; we turn it into the
// argv-like tokens a command-line parser (CLI11) consumes, so files and command lines share
// one option model. Reading the file is the caller's business (pass a FileReader), which keeps
// this module free of I/O and testable from strings.
//
// Per line, as the reference reads it:
//  * strip leading/trailing whitespace and quote characters (" and ');
//  * skip lines shorter than 2 characters or starting with '#' (no trailing comments);
//  * the option token ends at the first space, tab or '='; the value is the rest of the line
//    after that single delimiter:
//      edge      - the whole rest, stripped again of whitespace and quotes (may contain spaces);
//      supernode - only up to the next space or tab, quotes kept;
//    so `-c = mynet` gives "= mynet" (edge) or "=" (supernode);
//  * options whose argument is optional (edge -A, -z, -S) take it only attached (`-A5`):
//    `-A=5` / `-A 5` is a bare `-A` (AES!). We keep that, and warn.
// Output: for each option line its token, then its value as a separate token if it has one.
#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/common/result.hpp"

namespace n2nkit::conf {

enum class Flavour { edge, supernode };

// Option tokens whose argument is optional and therefore must be attached.
using OptionalArgSet = std::span<const std::string_view>;
inline constexpr std::array<std::string_view, 3> kEdgeOptionalArgs{"-A", "-z", "-S"};
inline constexpr std::array<std::string_view, 0> kSupernodeOptionalArgs{};

inline OptionalArgSet optional_args_of(Flavour flavour) {
  return flavour == Flavour::edge ? OptionalArgSet(kEdgeOptionalArgs)
                                  : OptionalArgSet(kSupernodeOptionalArgs);
}

// Something worth telling the user about a line that was still used.
struct Diagnostic {
  std::string source;    // file name as given
  std::size_t line = 0;  // 1-based
  std::string message;
  std::string to_string() const;  // "edge.conf:3: message"
};

// Expands the text of one configuration file. `source_name` only labels diagnostics.
// Errors (Reason::bad_field, `error` set to "file:line: ..."): a line that is not an option
// (does not start with '-') or names none ("-", "--", "-=x").
Result<std::vector<std::string>> expand_config_file(std::string_view text,
                                                    std::string_view source_name, Flavour flavour,
                                                    OptionalArgSet optional_args,
                                                    std::vector<Diagnostic>& warnings,
                                                    std::string& error);

// Returns the file's text, or nullopt when it cannot be read.
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

// `args` is argv without the program name. If the first argument does not start with '-' it
// names a configuration file, whose options come first; the remaining arguments follow
// unchanged (later values override earlier ones; repeatable options accumulate). An unreadable
// file is an error ("file: cannot read the configuration file").
Result<std::vector<std::string>> expand_command_line(std::span<const std::string> args,
                                                     Flavour flavour, OptionalArgSet optional_args,
                                                     const FileReader& read_file,
                                                     std::vector<Diagnostic>& warnings,
                                                     std::string& error);

}  // namespace n2nkit::conf
