#include "core/capture/pcap_writer.hpp"

#include <pcap/pcap.h>

#include <cmath>

#include <fmt/format.h>

namespace n2nkit::capture {

PcapWriter::~PcapWriter() {
  pcap_dump_close(static_cast<pcap_dumper_t*>(dumper_));
  pcap_close(static_cast<pcap_t*>(pcap_));
}

std::unique_ptr<PcapWriter> PcapWriter::create(const std::string& path, std::string& error) {
  pcap_t* p = pcap_open_dead(DLT_EN10MB, 65535);
  if (!p) {
    error = "libpcap: cannot create a capture handle";
    return nullptr;
  }
  pcap_dumper_t* d = pcap_dump_open(p, path.c_str());
  if (!d) {
    error = fmt::format("{}: cannot write capture: {}", path, pcap_geterr(p));
    pcap_close(p);
    return nullptr;
  }
  return std::unique_ptr<PcapWriter>(new PcapWriter(p, d));
}

void PcapWriter::write(double time, ByteView frame) {
  pcap_pkthdr h{};
  const double sec = std::floor(time);
  h.ts.tv_sec = static_cast<time_t>(sec);
  h.ts.tv_usec = static_cast<suseconds_t>((time - sec) * 1e6);
  h.caplen = h.len = static_cast<bpf_u_int32>(frame.size());
  pcap_dump(reinterpret_cast<u_char*>(dumper_), &h, frame.data());
}

}  // namespace n2nkit::capture
