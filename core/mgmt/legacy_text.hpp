#pragma once
// The fixed replies of the text console (spec §13.1). The status tables are left to the
// daemons: no tool parses them.
#include <string>
#include <string_view>

namespace n2nkit::mgmt {

std::string_view edge_help_text();
std::string_view supernode_help_text();

// "+verb": always raises. "-verb": lowers unless already 0, then reports NOK.
std::string verbosity_up_text(unsigned level_after);
std::string verbosity_down_text(bool lowered, unsigned level_after);

enum class ReloadOutcome { ok, no_community_file, failed };
std::string_view reload_communities_text(ReloadOutcome outcome);

}  // namespace n2nkit::mgmt
