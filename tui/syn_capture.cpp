#include "tui/syn_capture.hpp"

#include <fmt/format.h>

#include "core/capture/pcap_source.hpp"
#include "core/net/route_lookup.hpp"

namespace n2nkit::tui {

SynCapture::SynCapture(const std::string& iface) {
  state_.iface = iface;
  std::string error;
  source_ = capture::PcapSource::open_live(iface, capture::syn_capture_filter({}), error);
  if (!source_) {
    state_.failed = true;
    state_.status = fmt::format("MSS capture: {}", error);
    return;
  }
  if (!capture::syn_linktype_supported(source_->linktype())) {
    state_.failed = true;
    state_.status = fmt::format("MSS capture: {}: link type {} is not supported", iface,
                                capture::linktype_name(source_->linktype()));
    source_.reset();
    return;
  }
  thread_ = std::thread([this] { run(); });
}

SynCapture::~SynCapture() {
  stop_ = true;
  // On Linux the packet buffer timeout only runs once a packet has arrived, so a quiet
  // interface would keep the thread in pcap_next_ex for ever; pcap_breakloop wakes it (libpcap
  // 1.10 signals an eventfd that its poll watches).
  if (source_) source_->break_loop();
  if (thread_.joinable()) thread_.join();
}

CaptureState SynCapture::state() const {
  const std::lock_guard lock(mutex_);
  return state_;
}

void SynCapture::run() {
  std::string error;
  auto routes = net::RouteLookup::open(error);
  std::vector<std::uint8_t> scratch;
  capture::CapturedFrame frame;
  while (!stop_) {
    const auto st = source_->next(frame);
    if (st == capture::NextStatus::timeout) continue;
    if (st != capture::NextStatus::frame) {
      const std::lock_guard lock(mutex_);
      state_.failed = true;
      state_.status =
          fmt::format("MSS capture on {} stopped: {}", state_.iface,
                      st == capture::NextStatus::end ? "end of capture" : source_->error());
      return;
    }
    const auto syn = capture::syn_in_capture(frame.linktype, frame.data, scratch);
    if (!syn) continue;
    std::optional<net::RouteFacts> to_src;
    std::optional<net::RouteFacts> to_dst;
    if (routes) {
      std::string e;
      to_src = routes->lookup(syn->src, e);
      to_dst = routes->lookup(syn->dst, e);
    }
    const auto v = capture::judge_syn(*syn, to_src, to_dst);
    const std::lock_guard lock(mutex_);
    state_.events.push_back(syn_event(*syn, v, frame.time));
    if (state_.events.size() > kMaxSynEvents) state_.events.erase(state_.events.begin());
    ++state_.seen;
    if (v.oversized) ++state_.oversized;
  }
}

}  // namespace n2nkit::tui
