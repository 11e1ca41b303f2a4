#include "core/mtu/overlay_verdict.hpp"

#include <fmt/format.h>

namespace n2nkit::mtu {
namespace {
constexpr std::size_t kEthernetHeader = 14;  // a frame limit less this is the IP packet limit
}  // namespace

const char* overlay_verdict_name(OverlayVerdict v) {
  switch (v) {
    case OverlayVerdict::fine:
      return "fine";
    case OverlayVerdict::local_too_big:
      return "local -M too big for the path";
    case OverlayVerdict::far_side:
      return "far side smaller";
    case OverlayVerdict::undetermined:
      return "smaller than the TAP MTU (side unknown)";
    case OverlayVerdict::no_answer:
      return "no answer";
  }
  return "?";
}

OverlayAssessment assess_overlay(const OverlayFacts& f) {
  OverlayAssessment a;
  if (f.largest == 0) {
    a.text = "nothing crossed the overlay: the peer is down, unknown, or drops the probes";
    return a;
  }
  if (f.reply_fragment && *f.reply_fragment < f.tap_mtu) {
    // IPv4 fragments carry multiples of 8 bytes: the far MTU is within 7 bytes above.
    a.verdict = OverlayVerdict::far_side;
    a.suggested_mtu = *f.reply_fragment;
    a.text = fmt::format(
        "the far edge's TAP MTU or its way back is smaller: {} bytes crossed to the peer, but its "
        "answer to {} came back in fragments of at most {} bytes (its MTU: {}..{} < {})",
        f.largest, f.fragmented_reply_to, *f.reply_fragment, *f.reply_fragment,
        *f.reply_fragment + 7, f.tap_mtu);
    return a;
  }
  if (f.largest >= f.tap_mtu) {
    a.verdict = OverlayVerdict::fine;
    a.text =
        fmt::format("packets of the full TAP MTU ({}) cross the overlay to the peer", f.tap_mtu);
    return a;
  }
  const std::string bound = f.exact ? "" : " at least";
  if (f.peer_frame_limit && *f.peer_frame_limit > kEthernetHeader &&
      *f.peer_frame_limit - kEthernetHeader < f.tap_mtu) {
    const std::size_t fits = *f.peer_frame_limit - kEthernetHeader;
    a.verdict = OverlayVerdict::local_too_big;
    a.suggested_mtu = fits;
    a.text = fmt::format(
        "the path to the peer is smaller than this edge's -M allows: its path MTU {} carries IP "
        "packets of {} bytes, -M is {} (largest packet across:{} {}); use -M {} or -M auto",
        f.peer_path_mtu.value_or(0), fits, f.tap_mtu, bound, f.largest, fits);
    return a;
  }
  if (!f.management) {
    a.verdict = OverlayVerdict::undetermined;
    a.text = fmt::format(
        "only{} {} of this TAP's {} bytes cross: either this edge's -M is too big for the path to "
        "the peer or the far edge's -M is smaller (no management answer from the local edge to "
        "tell which; give its port with -t)",
        bound, f.largest, f.tap_mtu);
    return a;
  }
  a.verdict = OverlayVerdict::far_side;
  a.suggested_mtu = f.largest;
  const std::string local =
      f.peer_path_mtu
          ? fmt::format("its path to the peer ({}) fits -M {}", *f.peer_path_mtu, f.tap_mtu)
          : std::string(f.peer_known ? "the peer is reached through the supernode"
                                     : "the local edge does not list the peer");
  a.text = fmt::format(
      "this edge looks right ({}): the far edge's TAP MTU or its way back is smaller:{} {} < {}",
      local, bound, f.largest, f.tap_mtu);
  return a;
}

}  // namespace n2nkit::mtu
