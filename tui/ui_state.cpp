#include "tui/ui_state.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace n2nkit::tui {
namespace {

constexpr std::chrono::milliseconds kMinRefresh{200};
constexpr std::chrono::milliseconds kMaxRefresh{60000};

KeyEffect edit_filter(UiState& s, int key) {
  switch (key) {
    case kKeyEnter:
      s.filter = s.filter_draft;
      s.editing_filter = false;
      s.scroll = 0;
      return KeyEffect::redraw;
    case kKeyEscape:
      s.editing_filter = false;
      return KeyEffect::redraw;
    case kKeyBackspace:
    case 8:
      if (!s.filter_draft.empty()) s.filter_draft.pop_back();
      return KeyEffect::redraw;
    default:
      if (key >= 0x20 && key < 0x7f && s.filter_draft.size() < 64) {
        s.filter_draft += static_cast<char>(key);
        return KeyEffect::redraw;
      }
      return KeyEffect::none;
  }
}

void switch_view(UiState& s, std::size_t index) {
  s.view = static_cast<View>(index % kViewCount);
  s.scroll = 0;
}

}  // namespace

KeyEffect handle_key(UiState& s, int key) {
  if (s.editing_filter) return edit_filter(s, key);
  if (s.help) {
    // Any key leaves the help screen; q still quits.
    s.help = false;
    if (key == 'q' || key == 'Q') s.quit = true;
    return KeyEffect::redraw;
  }
  const auto view = static_cast<std::size_t>(s.view);
  SortState& sort = s.sort[view];
  const std::size_t columns = view_columns(s.view).size();
  switch (key) {
    case 'q':
    case 'Q':
      s.quit = true;
      return KeyEffect::none;
    case '?':
    case 'h':
      s.help = true;
      return KeyEffect::redraw;
    case kKeyTab:
      switch_view(s, view + 1);
      return KeyEffect::redraw;
    case kKeyBackTab:
      switch_view(s, view + kViewCount - 1);
      return KeyEffect::redraw;
    case 's':
    case '>':
      // kNoSort + 1 wraps to column 0; after the last column, back to the daemon's order.
      sort.column =
          sort.column + 1 >= columns && sort.column != kNoSort ? kNoSort : sort.column + 1;
      return KeyEffect::redraw;
    case '<':
      sort.column =
          sort.column == kNoSort ? columns - 1 : (sort.column == 0 ? kNoSort : sort.column - 1);
      return KeyEffect::redraw;
    case 'S':
    case 'r':
      sort.descending = !sort.descending;
      return KeyEffect::redraw;
    case '/':
      s.editing_filter = true;
      s.filter_draft = s.filter;
      return KeyEffect::redraw;
    case 'p':
    case ' ':
      s.paused = !s.paused;
      return s.paused ? KeyEffect::redraw : KeyEffect::repoll;
    case '+':
    case '=':
      s.refresh = std::min(kMaxRefresh, s.refresh * 2);
      return KeyEffect::redraw;
    case '-':
      s.refresh = std::max(kMinRefresh, s.refresh / 2);
      return KeyEffect::redraw;
    case 'u':
      return KeyEffect::repoll;
    case 'm':
      s.probe_requested = true;
      return KeyEffect::redraw;
    case kKeyUp:
      if (s.scroll > 0) --s.scroll;
      return KeyEffect::redraw;
    case kKeyDown:
      ++s.scroll;  // the view clamps it to what there is
      return KeyEffect::redraw;
    case kKeyPageUp:
      s.scroll = s.scroll > 10 ? s.scroll - 10 : 0;
      return KeyEffect::redraw;
    case kKeyPageDown:
      s.scroll += 10;
      return KeyEffect::redraw;
    case kKeyHome:
      s.scroll = 0;
      return KeyEffect::redraw;
    case kKeyEnd:
      s.scroll = SIZE_MAX / 2;
      return KeyEffect::redraw;
    default:
      if (key >= '1' && key < '1' + static_cast<int>(kViewCount)) {
        switch_view(s, static_cast<std::size_t>(key - '1'));
        return KeyEffect::redraw;
      }
      return KeyEffect::none;
  }
}

TableOptions table_options(const UiState& s, std::int64_t now, const mtu::PathConfig& path) {
  const SortState& sort = s.sort[static_cast<std::size_t>(s.view)];
  return TableOptions{sort.column, sort.descending, s.filter, now, path};
}

const std::vector<std::string>& help_lines() {
  static const std::vector<std::string> lines = {
      "n2n-tui: the overlay at a glance",
      "",
      "  1-5, Tab     Peers, Path MTU, Counters, MSS, Firewall (Shift-Tab: back)",
      "  s  >  <      sort by the next / previous column (marked ^ or v)",
      "  S  r         reverse the sort",
      "  /            filter rows (Enter applies, Esc cancels, empty: all)",
      "  p  space     pause / resume polling",
      "  +  -         refresh interval x2 / /2 (0.2 s .. 60 s)",
      "  u            poll now",
      "  m            probe the path MTUs the edge does not report (n2n-mtu probe --host)",
      "  Up Down PgUp PgDn Home End   scroll",
      "  ?  h         this help (any key leaves it)",
      "  q            quit",
      "",
      "Peers: P2P = direct, relayed = through the supernode (pSp).",
      "MSS and Firewall need -i IFACE (the capture / overlay interface).",
      "Colours: green fine, yellow relayed / dropping, red a problem.",
  };
  return lines;
}

std::string key_hints(const UiState& s) {
  if (s.editing_filter)
    return fmt::format("filter: {}_   (Enter apply, Esc cancel)", s.filter_draft);
  return "?Help 1-5/Tab View s/S Sort /Filter p Pause +/-Rate q Quit";
}

}  // namespace n2nkit::tui
