#pragma once
// Writes classic pcap files (libpcap's dumper), Ethernet link type.
#include <memory>
#include <string>

#include "core/common/bytes.hpp"

namespace n2nkit::capture {

class PcapWriter {
 public:
  ~PcapWriter();
  PcapWriter(const PcapWriter&) = delete;
  PcapWriter& operator=(const PcapWriter&) = delete;

  static std::unique_ptr<PcapWriter> create(const std::string& path, std::string& error);
  void write(double time, ByteView frame);

 private:
  PcapWriter(void* pcap, void* dumper) : pcap_(pcap), dumper_(dumper) {}
  void* pcap_;
  void* dumper_;
};

}  // namespace n2nkit::capture
