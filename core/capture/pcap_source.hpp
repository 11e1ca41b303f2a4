#pragma once
// Frames from a capture file (pcap or pcapng) or a live interface, through libpcap.
#include <memory>
#include <string>

#include "core/common/bytes.hpp"

namespace n2nkit::capture {

struct CapturedFrame {
  double time = 0;           // seconds since the epoch
  int linktype = 0;          // DLT_* of the source
  ByteView data;             // valid until the next call to next()
  std::size_t wire_len = 0;  // original length; > data.size() when the snapshot cut it
};

enum class NextStatus { frame, end, error, timeout };

class PcapSource {
 public:
  ~PcapSource();
  PcapSource(const PcapSource&) = delete;
  PcapSource& operator=(const PcapSource&) = delete;

  // On failure, `error` holds one line naming the file or interface and the problem.
  static std::unique_ptr<PcapSource> open_file(const std::string& path, std::string& error);
  // Needs CAP_NET_RAW; the error says so when the kernel refuses. `filter` is a BPF
  // expression (empty for none).
  static std::unique_ptr<PcapSource> open_live(const std::string& iface, const std::string& filter,
                                               std::string& error);

  NextStatus next(CapturedFrame& out);
  const std::string& error() const { return error_; }
  int linktype() const;
  // Stops a blocking live capture from a signal handler.
  void break_loop();

 private:
  explicit PcapSource(void* handle, std::string name);
  void* handle_;  // pcap_t*, kept opaque so that users need not include pcap.h
  std::string name_;
  std::string error_;
};

}  // namespace n2nkit::capture
