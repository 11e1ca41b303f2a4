#pragma once
// The MSS view's live capture: SYNs and SYN-ACKs from libpcap on one interface, each judged
// against the routes it crosses (the same core functions as n2n-mss watch), on a thread of
// its own so that the screen never waits for packets.
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "tui/model.hpp"

namespace n2nkit::capture {
class PcapSource;
}

namespace n2nkit::tui {

class SynCapture {
 public:
  // Opens the capture; a failure (no such interface, no CAP_NET_RAW) is kept in the state's
  // status line, not thrown.
  explicit SynCapture(const std::string& iface);
  ~SynCapture();
  SynCapture(const SynCapture&) = delete;
  SynCapture& operator=(const SynCapture&) = delete;

  CaptureState state() const;

 private:
  void run();

  std::unique_ptr<capture::PcapSource> source_;
  mutable std::mutex mutex_;
  CaptureState state_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace n2nkit::tui
