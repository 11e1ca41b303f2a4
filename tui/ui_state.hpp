#pragma once
// What the keys do, without ncurses: the view shown, each view's sort, the filter being typed,
// pause, refresh interval, help, scrolling. The main loop feeds it key codes and draws it.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>

#include "tui/tables.hpp"

namespace n2nkit::tui {

// Key codes beyond the printable characters, as the main loop translates ncurses' codes.
inline constexpr int kKeyTab = 9;
inline constexpr int kKeyEnter = 10;
inline constexpr int kKeyEscape = 27;
inline constexpr int kKeyBackspace = 127;
inline constexpr int kKeyUp = 0x1001;
inline constexpr int kKeyDown = 0x1002;
inline constexpr int kKeyPageUp = 0x1003;
inline constexpr int kKeyPageDown = 0x1004;
inline constexpr int kKeyHome = 0x1005;
inline constexpr int kKeyEnd = 0x1006;
inline constexpr int kKeyBackTab = 0x1007;

struct SortState {
  std::size_t column = kNoSort;  // s cycles: the daemon's order, then each column
  bool descending = false;
};

struct UiState {
  View view = View::peers;
  std::array<SortState, kViewCount> sort{};
  std::string filter;
  std::string filter_draft;
  bool editing_filter = false;
  bool paused = false;
  bool help = false;
  bool quit = false;
  bool probe_requested = false;  // m: the loop starts the probes and clears it
  std::size_t scroll = 0;
  std::chrono::milliseconds refresh{1000};
};

enum class KeyEffect : std::uint8_t { none, redraw, repoll };

KeyEffect handle_key(UiState& s, int key);

// The table options for the current view.
TableOptions table_options(const UiState& s, std::int64_t now, const mtu::PathConfig& path);

// The lines of the help screen and of the key-hint bar.
const std::vector<std::string>& help_lines();
std::string key_hints(const UiState& s);

}  // namespace n2nkit::tui
