#pragma once
// The column layout of every view, shared by the ncurses views and the --once text: a view is
// a table of sections (one per management port, or per supernode community), already sorted
// and filtered, with a severity per row. Pure: the views only draw what is here.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/mtu/overhead.hpp"
#include "tui/model.hpp"

namespace n2nkit::tui {

enum class View : std::uint8_t { peers, path_mtu, counters, mss, firewall };
inline constexpr std::size_t kViewCount = 5;
std::string_view view_name(View v);  // "Peers", "Path MTU", "Counters", "MSS", "Firewall"

enum class Severity : std::uint8_t { normal, good, warn, bad };

struct Column {
  std::string title;
  std::size_t width = 0;  // the last column takes what is left of the line
  bool right = false;     // numbers: right-aligned
};

struct Cell {
  std::string text;
  std::int64_t key = 0;  // sort key of numeric columns
};

struct Row {
  std::vector<Cell> cells;
  Severity severity = Severity::normal;
};

struct Section {
  std::string heading;
  Severity severity = Severity::normal;
  std::vector<Row> rows;
  std::size_t hidden = 0;  // rows the filter left out
};

struct Table {
  std::vector<Column> columns;
  std::vector<bool> numeric;  // per column: sort by key, not text
  std::vector<Section> sections;
  std::size_t warnings = 0;  // rows of severity warn or bad
};

// Rows in the order the daemon listed them.
inline constexpr std::size_t kNoSort = SIZE_MAX;

struct TableOptions {
  std::size_t sort_column = kNoSort;
  bool descending = false;
  std::string filter;  // case-insensitive substring of any cell; empty: all
  std::int64_t now = 0;
  mtu::PathConfig path;  // the transform the overhead is computed for
};

std::vector<Column> view_columns(View v);
Table make_table(View v, const Snapshot& s, const TableOptions& o);

// One line of `width` characters (0: no limit, the last column as long as it is), the sort
// column's title marked with '^' (ascending) or 'v' (descending) in the header.
std::string header_line(const Table& t, const TableOptions& o, std::size_t width);
std::string row_line(const Table& t, const Row& r, std::size_t width);

std::string age_text(std::int64_t seconds_ago);  // "12s", "5m", "3h", "2d", "-" for never

}  // namespace n2nkit::tui
