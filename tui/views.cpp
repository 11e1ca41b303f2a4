#include "tui/views.hpp"

#include <curses.h>
#include <fmt/format.h>

#include <algorithm>
#include <ctime>

namespace n2nkit::tui {
namespace {

enum Pair : short { kGood = 1, kWarn, kBad, kHeader, kTitle, kActive };

// ncurses mixes int and unsigned attributes; one type here.
int attr(chtype a) {
  return static_cast<int>(a);
}
int pair(Pair p) {
  return COLOR_PAIR(p);
}
const int kNormal = attr(A_NORMAL);
const int kBold = attr(A_BOLD);
const int kReverse = attr(A_REVERSE);

int severity_attr(Severity s, bool color) {
  if (!color) return s == Severity::bad ? kBold : kNormal;
  switch (s) {
    case Severity::good:
      return pair(kGood);
    case Severity::warn:
      return pair(kWarn);
    case Severity::bad:
      return pair(kBad) | kBold;
    case Severity::normal:
      break;
  }
  return kNormal;
}

struct Line {
  std::string text;
  int attr = kNormal;
};

void put_line(int y, const std::string& text, int attr, int width) {
  attrset(attr);
  std::string padded = text.substr(0, static_cast<std::size_t>(width));
  padded.resize(static_cast<std::size_t>(width), ' ');
  mvaddnstr(y, 0, padded.c_str(), width);
  attrset(kNormal);
}

void draw_title(const UiState& ui, std::int64_t taken, int width, bool color) {
  attrset(color ? pair(kTitle) : kReverse);
  mvhline(0, 0, ' ', width);
  int x = 0;
  mvaddnstr(0, x, "n2n-tui ", width - x);
  x += 8;
  for (std::size_t i = 0; i < kViewCount && x < width; ++i) {
    const auto v = static_cast<View>(i);
    const std::string label = fmt::format("{} {} ", i + 1, view_name(v));
    const bool active = v == ui.view;
    attrset(active ? (color ? pair(kActive) | kBold : kBold) : (color ? pair(kTitle) : kReverse));
    mvaddnstr(0, x, label.c_str(), width - x);
    x += static_cast<int>(label.size());
  }
  attrset(color ? pair(kTitle) : kReverse);
  char clock[16] = "--:--:--";
  const std::time_t t = static_cast<std::time_t>(taken);
  std::tm tm{};
  if (taken > 0 && localtime_r(&t, &tm) != nullptr)
    std::strftime(clock, sizeof clock, "%H:%M:%S", &tm);
  const std::string right = fmt::format("{}{:.1f}s {}", ui.paused ? "PAUSED " : "",
                                        static_cast<double>(ui.refresh.count()) / 1000.0, clock);
  if (x + static_cast<int>(right.size()) + 1 < width) {
    mvaddnstr(0, width - static_cast<int>(right.size()) - 1, right.c_str(), width);
  }
  attrset(kNormal);
}

void draw_help(int height, int width) {
  const auto& lines = help_lines();
  for (int y = 1; y < height; ++y) {
    const auto i = static_cast<std::size_t>(y - 1);
    put_line(y, i < lines.size() ? lines[i] : std::string(), i == 0 ? kBold : kNormal, width);
  }
}

}  // namespace

Screen::Screen(bool color) {
  initscr();
  cbreak();
  noecho();
  nonl();
  keypad(stdscr, TRUE);
  nodelay(stdscr, TRUE);
  curs_set(0);
  set_escdelay(25);
  color_ = color && has_colors();
  if (color_) {
    start_color();
    use_default_colors();
    init_pair(kGood, COLOR_GREEN, -1);
    init_pair(kWarn, COLOR_YELLOW, -1);
    init_pair(kBad, COLOR_RED, -1);
    init_pair(kHeader, COLOR_BLACK, COLOR_CYAN);
    init_pair(kTitle, COLOR_BLACK, COLOR_WHITE);
    init_pair(kActive, COLOR_WHITE, COLOR_BLUE);
  }
}

Screen::~Screen() {
  endwin();
}

int Screen::read_key() {
  const int k = getch();
  switch (k) {
    case ERR:
      return kKeyNone;
    case KEY_RESIZE:
      return kKeyResize;
    case KEY_UP:
      return kKeyUp;
    case KEY_DOWN:
      return kKeyDown;
    case KEY_PPAGE:
      return kKeyPageUp;
    case KEY_NPAGE:
      return kKeyPageDown;
    case KEY_HOME:
      return kKeyHome;
    case KEY_END:
      return kKeyEnd;
    case KEY_BTAB:
      return kKeyBackTab;
    case KEY_BACKSPACE:
      return kKeyBackspace;
    case KEY_ENTER:
    case '\r':
      return kKeyEnter;
    case KEY_F(1):
      return '?';
    default:
      return k;
  }
}

void Screen::draw(const Snapshot& s, UiState& ui, const TableOptions& o, const std::string& status,
                  bool bad) {
  int height = 0;
  int width = 0;
  getmaxyx(stdscr, height, width);
  erase();
  if (height < 5 || width < 20) {
    put_line(0, "n2n-tui: terminal too small", kBold, width);
    refresh();
    return;
  }
  draw_title(ui, s.taken, width, color_);
  std::size_t hidden = 0;
  if (ui.help) {
    draw_help(height - 1, width);
  } else {
    const Table t = make_table(ui.view, s, o);
    for (const Section& sec : t.sections) hidden += sec.hidden;
    const auto w = static_cast<std::size_t>(width);
    put_line(1, header_line(t, o, w), color_ ? pair(kHeader) : kReverse, width);
    std::vector<Line> lines;
    for (const Section& sec : t.sections) {
      std::string heading = sec.heading;
      if (sec.hidden > 0) heading += fmt::format(" ({} hidden by the filter)", sec.hidden);
      lines.push_back(
          {heading, sec.severity == Severity::bad ? severity_attr(Severity::bad, color_) : kBold});
      for (const Row& r : sec.rows)
        lines.push_back({row_line(t, r, w), severity_attr(r.severity, color_)});
    }
    const auto body = static_cast<std::size_t>(height - 4);
    const std::size_t max_scroll = lines.size() > body ? lines.size() - body : 0;
    ui.scroll = std::min(ui.scroll, max_scroll);
    for (std::size_t i = 0; i < body && ui.scroll + i < lines.size(); ++i) {
      const Line& l = lines[ui.scroll + i];
      put_line(static_cast<int>(i) + 2, l.text, l.attr, width);
    }
  }
  std::string info = status;
  if (!ui.filter.empty()) {
    info = fmt::format("[filter '{}': {} hidden] {}", ui.filter, hidden, info);
  }
  put_line(height - 2, info, bad ? severity_attr(Severity::bad, color_) : kNormal, width);
  put_line(height - 1, key_hints(ui), kReverse, width);
  refresh();
}

}  // namespace n2nkit::tui
