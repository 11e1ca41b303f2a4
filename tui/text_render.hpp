#pragma once
// The snapshot without a terminal (--once, or stdout not a tty): every view as text in the
// views' own column layout, or the whole snapshot as one JSON document (--json).
#include <string>

#include <nlohmann/json.hpp>

#include "tui/tables.hpp"

namespace n2nkit::tui {

std::string render_text(const Snapshot& s, const TableOptions& o, std::size_t width);
nlohmann::json render_json(const Snapshot& s, const TableOptions& o);

// 0 all fine, 1 a problem shown (a path too small, a stale peer, a wrong password, garbage),
// 4 a management port did not answer.
int snapshot_exit_code(const Snapshot& s, const TableOptions& o);

}  // namespace n2nkit::tui
