// The capture reader (libpcap offline, pcap and pcapng) on arbitrary files, then every frame
// through UDP extraction.
#include <sys/mman.h>
#include <unistd.h>

#include <string>

#include "core/capture/pcap_source.hpp"
#include "core/packet/udp_datagram.hpp"

using namespace n2nkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const int fd = memfd_create("capture", 0);
  if (fd < 0) return 0;
  if (write(fd, data, size) != static_cast<ssize_t>(size)) {
    close(fd);
    return 0;
  }
  std::string error;
  auto src = capture::PcapSource::open_file("/proc/self/fd/" + std::to_string(fd), error);
  if (src) {
    capture::CapturedFrame f;
    for (int i = 0; i < 10000 && src->next(f) == capture::NextStatus::frame; ++i) {
      (void)packet::find_udp_datagram(f.linktype, f.data);
    }
  }
  close(fd);
  return 0;
}
