#pragma once
// Taking back a firewall_applied change of the journal through core/firewall (by its owner and
// the backend it went in through).
#include <string>

#include "core/routes/undo_journal.hpp"

namespace n2nkit::routetool {

bool undo_firewall(const routes::Change& change, std::string& error);

}  // namespace n2nkit::routetool
