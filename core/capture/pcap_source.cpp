#include "core/capture/pcap_source.hpp"

#include <pcap/pcap.h>

#include <fmt/format.h>

namespace n2nkit::capture {
namespace {
pcap_t* as_pcap(void* h) {
  return static_cast<pcap_t*>(h);
}
}  // namespace

PcapSource::PcapSource(void* handle, std::string name) : handle_(handle), name_(std::move(name)) {}

PcapSource::~PcapSource() {
  if (handle_) pcap_close(as_pcap(handle_));
}

std::unique_ptr<PcapSource> PcapSource::open_file(const std::string& path, std::string& error) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_open_offline(path.c_str(), errbuf);
  if (!p) {
    error = fmt::format("{}: cannot read capture: {}", path, errbuf);
    return nullptr;
  }
  return std::unique_ptr<PcapSource>(new PcapSource(p, path));
}

std::unique_ptr<PcapSource> PcapSource::open_live(const std::string& iface,
                                                  const std::string& filter, std::string& error) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_t* p = pcap_create(iface.c_str(), errbuf);
  if (!p) {
    error = fmt::format("{}: cannot open interface: {}", iface, errbuf);
    return nullptr;
  }
  pcap_set_snaplen(p, 65535);
  pcap_set_timeout(p, 200);
  pcap_set_immediate_mode(p, 1);
  pcap_set_promisc(p, 1);  // as tcpdump: see traffic between other hosts (bridges, hubs)
  const int rc = pcap_activate(p);
  if (rc == PCAP_ERROR_PERM_DENIED) {
    error = fmt::format(
        "{}: capturing needs CAP_NET_RAW: run as root or grant it (setcap cap_net_raw+ep)", iface);
    pcap_close(p);
    return nullptr;
  }
  if (rc < 0) {
    error = fmt::format("{}: cannot capture: {}", iface, pcap_geterr(p));
    pcap_close(p);
    return nullptr;
  }
  if (!filter.empty()) {
    bpf_program prog{};
    if (pcap_compile(p, &prog, filter.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0 ||
        pcap_setfilter(p, &prog) != 0) {
      error = fmt::format("{}: bad capture filter '{}': {}", iface, filter, pcap_geterr(p));
      pcap_freecode(&prog);
      pcap_close(p);
      return nullptr;
    }
    pcap_freecode(&prog);
  }
  return std::unique_ptr<PcapSource>(new PcapSource(p, iface));
}

NextStatus PcapSource::next(CapturedFrame& out) {
  pcap_pkthdr* hdr = nullptr;
  const u_char* data = nullptr;
  const int rc = pcap_next_ex(as_pcap(handle_), &hdr, &data);
  if (rc == 1) {
    out.time = static_cast<double>(hdr->ts.tv_sec) + static_cast<double>(hdr->ts.tv_usec) / 1e6;
    out.linktype = pcap_datalink(as_pcap(handle_));
    out.data = ByteView{data, hdr->caplen};
    out.wire_len = hdr->len;
    return NextStatus::frame;
  }
  if (rc == 0) return NextStatus::timeout;
  if (rc == PCAP_ERROR_BREAK) return NextStatus::end;
  error_ = fmt::format("{}: {}", name_, pcap_geterr(as_pcap(handle_)));
  return NextStatus::error;
}

int PcapSource::linktype() const {
  return pcap_datalink(as_pcap(handle_));
}

void PcapSource::break_loop() {
  pcap_breakloop(as_pcap(handle_));
}

}  // namespace n2nkit::capture
