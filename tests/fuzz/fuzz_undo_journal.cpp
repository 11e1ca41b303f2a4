// n2n-route's state file on arbitrary text: a damaged journal is refused with one line, and
// what loads writes back to text that loads to the same journal.
#include <string>
#include <string_view>

#include "core/routes/undo_journal.hpp"

using namespace n2nkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto journal = routes::UndoJournal::from_text(text, error);
  if (!journal) {
    if (error.empty()) __builtin_trap();  // a refusal always says why
    return 0;
  }
  for (const auto& c : journal->undo_order()) (void)routes::change_text(c);
  const std::string again = journal->to_text();
  std::string error2;
  const auto reloaded = routes::UndoJournal::from_text(again, error2);
  if (!reloaded || reloaded->to_text() != again) __builtin_trap();
  return 0;
}
