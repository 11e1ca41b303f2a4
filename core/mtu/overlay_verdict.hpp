#pragma once
// n2n-mtu probe --overlay: what the largest packet that crossed the overlay to a peer says
// about the configuration, given this host's TAP MTU and, where the local edge is n2nkit's,
// its management `paths` row for that peer. Pure: the tool gathers the facts.
#include <cstddef>
#include <optional>
#include <string>

namespace n2nkit::mtu {

struct OverlayFacts {
  std::size_t largest = 0;  // largest IP packet answered through the overlay (0: none)
  bool exact = false;       // the search finished (else `largest` is a lower bound)
  std::size_t tap_mtu = 0;  // this host's MTU towards the address (the TAP's)
  bool management = false;  // the local edge answered `edges`/`paths`
  bool peer_known = false;  // ... and lists the address among its peers
  // The local edge's search towards that peer (peer_known): a p2p row, or none (relayed).
  std::optional<std::size_t> peer_path_mtu;     // underlay datagram bytes, when searched
  std::optional<std::size_t> peer_frame_limit;  // largest frame the edge sends it (0: none)
  // Replies that came back in fragments (largest fragment, and the probe size it answered):
  // the far side sends less than it receives, its TAP MTU or its way back is smaller.
  std::optional<std::size_t> reply_fragment;
  std::size_t fragmented_reply_to = 0;
};

enum class OverlayVerdict : std::uint8_t {
  fine,           // full TAP-MTU packets cross
  local_too_big,  // this edge's -M exceeds what the path to the peer carries
  far_side,       // this side is consistent: the far edge (its -M) or its way back is smaller
  undetermined,   // smaller than the TAP MTU, and no management answer to tell the sides apart
  no_answer,      // nothing answered
};
const char* overlay_verdict_name(OverlayVerdict v);

struct OverlayAssessment {
  OverlayVerdict verdict = OverlayVerdict::no_answer;
  std::string text;                          // one or two sentences for people
  std::optional<std::size_t> suggested_mtu;  // the -M that would fit, when known
};

OverlayAssessment assess_overlay(const OverlayFacts& f);

}  // namespace n2nkit::mtu
