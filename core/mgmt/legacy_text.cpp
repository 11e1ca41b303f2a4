#include "core/mgmt/legacy_text.hpp"

#include <fmt/format.h>

namespace n2nkit::mgmt {

std::string_view edge_help_text() {
  return "Help for edge management console:\n"
         "\tstop    | Gracefully exit edge\n"
         "\thelp    | This help message\n"
         "\t+verb   | Increase verbosity of logging\n"
         "\t-verb   | Decrease verbosity of logging\n"
         "\tr ...   | start query with JSON reply\n"
         "\tw ...   | start update with JSON reply\n"
         "\ts ...   | subscribe to event channel JSON reply\n"
         "\t<enter> | Display statistics\n\n";
}

std::string_view supernode_help_text() {
  return "Help for supernode management console:\n"
         "\thelp                 | This help message\n"
         "\treload_communities   | Reloads communities and user's public keys\n"
         "\t<enter>              | Display status and statistics\n";
}

std::string verbosity_up_text(unsigned level_after) {
  return fmt::format("> +OK traceLevel={}\n", level_after);
}

std::string verbosity_down_text(bool lowered, unsigned level_after) {
  return fmt::format("> -{}OK traceLevel={}\n", lowered ? "" : "N", level_after);
}

std::string_view reload_communities_text(ReloadOutcome outcome) {
  switch (outcome) {
    case ReloadOutcome::ok:
      return "OK.\n";
    case ReloadOutcome::no_community_file:
      return "No community file provided (-c command line option)\n";
    case ReloadOutcome::failed:
      return "Error while re-loading community file (not found or no valid content)\n";
  }
  return "";
}

}  // namespace n2nkit::mgmt
