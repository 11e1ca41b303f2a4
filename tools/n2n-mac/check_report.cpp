#include "check_report.hpp"

#include <fmt/format.h>

#include "core/common/printable.hpp"

namespace n2nkit::tools {

namespace {

std::string family_of(const wire::Mac& mac) {
  return fmt::format("x{:x}", mac[0] & 0x0fU);
}

// What to tell someone whose spelling one of the edges would not read as written.
std::string spelling_note(std::string_view input, const keys::MacText& text,
                          const std::string& canonical) {
  if (text.edge_spelling && text.reference_spelling) return {};
  if (!text.edge_spelling) {
    return fmt::format("n2n-edge -m does not take '{}' as written; write {}", printable(input),
                       canonical);
  }
  return fmt::format("ntop/n2n's edge misreads '{}' (it wants two hex digits per octet); write {}",
                     printable(input), canonical);
}

}  // namespace

std::string check_text(std::string_view input, const keys::MacText& text,
                       const keys::MacAnalysis& a) {
  const wire::Mac& mac = *text.mac;
  const std::string canonical = wire::mac_to_string(mac);
  std::string out = canonical + "\n";
  out += fmt::format("  I/G bit (bit 0 of the first octet): {}, {}\n", a.group ? 1 : 0,
                     a.group ? "group address (multicast)" : "individual address (unicast)");
  if (a.local) {
    out += "  U/L bit (bit 1 of the first octet): 1, locally administered\n";
  } else if (a.null) {
    out += "  U/L bit (bit 1 of the first octet): 0, universally administered\n";
  } else {
    out +=
        fmt::format("  U/L bit (bit 1 of the first octet): 0, universally administered ({} {})\n",
                    a.group ? "block" : "vendor block (OUI)", keys::mac_oui(mac));
  }
  if (a.quadrant) {
    out += fmt::format("  family {}: IEEE 802c quadrant {}, {}\n", family_of(mac),
                       keys::slap_quadrant_name(*a.quadrant),
                       keys::slap_quadrant_meaning(*a.quadrant));
  }
  if (!a.block.empty()) out += fmt::format("  range: {}\n", a.block);
  if (a.n2n_multicast && !a.broadcast) {
    out +=
        "  n2n: an edge drops frames to it unless started with -E; with -E they go, through the "
        "supernode, to every edge of the community\n";
  }
  if (const auto note = spelling_note(input, text, canonical); !note.empty()) {
    out += fmt::format("  spelling: {}\n", note);
  }
  if (a.safe()) {
    out += fmt::format("  safe for an edge: n2n-edge -m {}\n", canonical);
  } else {
    for (const auto& problem : a.problems)
      out += fmt::format("  not safe for an edge: {}\n", problem);
  }
  return out;
}

nlohmann::ordered_json check_json(std::string_view input, const keys::MacText& text,
                                  const keys::MacAnalysis& a) {
  const wire::Mac& mac = *text.mac;
  nlohmann::ordered_json j;
  j["input"] = std::string(input);
  j["mac"] = wire::mac_to_string(mac);
  j["multicast"] = a.group;
  j["locally_administered"] = a.local;
  j["family"] = a.quadrant ? nlohmann::ordered_json(family_of(mac)) : nullptr;
  j["slap_quadrant"] =
      a.quadrant ? nlohmann::ordered_json(keys::slap_quadrant_name(*a.quadrant)) : nullptr;
  j["oui"] = a.local || a.null ? nullptr : nlohmann::ordered_json(keys::mac_oui(mac));
  j["null"] = a.null;
  j["broadcast"] = a.broadcast;
  j["n2n_multicast"] = a.n2n_multicast;
  j["range"] = a.block.empty() ? nullptr : nlohmann::ordered_json(a.block);
  j["edge_accepts"] = a.edge_accepts;
  j["edge_spelling"] = text.edge_spelling;
  j["reference_spelling"] = text.reference_spelling;
  j["safe"] = a.safe();
  j["problems"] = a.problems;
  return j;
}

}  // namespace n2nkit::tools
