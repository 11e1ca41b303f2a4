#pragma once
// ncurses drawing of a snapshot: the title bar with the views, the current view's table (from
// tables.hpp, the same layout as the text output), the status line and the key-hint bar.
// Nothing here decides anything: it draws what the model and UiState say.
#include <string>

#include "tui/ui_state.hpp"

namespace n2nkit::tui {

inline constexpr int kKeyResize = 0x1100;
inline constexpr int kKeyNone = -1;

class Screen {
 public:
  explicit Screen(bool color);
  ~Screen();
  Screen(const Screen&) = delete;
  Screen& operator=(const Screen&) = delete;

  // The next key without waiting, translated to ui_state.hpp's codes; kKeyNone if none.
  int read_key();
  // `status` is the line above the key hints; `bad` shows it as a problem.
  void draw(const Snapshot& s, UiState& ui, const TableOptions& o, const std::string& status,
            bool bad);

 private:
  bool color_ = false;
};

}  // namespace n2nkit::tui
