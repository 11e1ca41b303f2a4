#pragma once
// The output of the reference's scripts/n2n-ctl, reproduced byte for byte so that scripts and
// eyes used to it see no difference: its table (str_table: Python's str.format widths, which
// count code points, pad strings on the right and numbers on the left), its help listing and
// its JSON (json.dumps with sort_keys=True, indent=4, ASCII only).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace n2nkit::mgmt {

// One table as str_table(rows, columns, orderby) returns it: a header line, one line per row,
// every cell followed by one space, every line ending in '\n'. Rows are stably sorted by
// `orderby` when given (a row without it sorts as the number 0).
std::string format_table(const std::vector<nlohmann::json>& rows,
                         const std::vector<std::string>& columns,
                         const std::optional<std::string>& orderby);

// json.dumps(value, sort_keys=True, indent=4) of the reference (ensure_ascii, Python's
// separators). Invalid UTF-8 in strings is replaced by U+FFFD rather than thrown at.
std::string format_json(const nlohmann::json& value);

// The columns the reference pretty-prints for a method, or nothing if it passes the method
// through as JSON.
std::optional<std::vector<std::string>> table_columns(const std::string& method);

// The reference's `help` output: its own pretty-printed commands, then the daemon's rows
// ({"cmd","help"}).
std::string format_help(const std::vector<nlohmann::json>& rows);

// str(value) and len() of it in code points, as Python sees a JSON value from json.loads.
std::string python_str(const nlohmann::json& value);
std::size_t code_points(const std::string& text);

}  // namespace n2nkit::mgmt
