// n2n-decode: the n2n v3 dissector. Reads a capture file or a live interface and prints every
// n2n message decoded, for people or (--json) one JSON object per line.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "core/capture/pcap_source.hpp"
#include "core/decode/dissector.hpp"
#include "core/decode/text_line.hpp"

namespace {

using n2nkit::capture::NextStatus;
using n2nkit::capture::PcapSource;

// sysexits.h values, documented in n2n-decode(1).
constexpr int kExitOk = 0;
constexpr int kExitUndecodable = 1;
constexpr int kExitUsage = 64;
constexpr int kExitDataError = 65;
constexpr int kExitNoInput = 66;
constexpr int kExitNoPermission = 77;

PcapSource* g_live = nullptr;
extern "C" void on_signal(int) {
  if (g_live) g_live->break_loop();
}

std::string live_filter(const std::vector<std::uint16_t>& ports) {
  if (ports.empty()) return "udp";
  std::string f = "udp and (";
  for (std::size_t i = 0; i < ports.size(); ++i) {
    f += fmt::format("{}port {}", i ? " or " : "", ports[i]);
  }
  return f + ")";
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "n2n-decode: decode n2n v3 traffic (ntop/n2n 3.x) from a capture file or an "
      "interface, for people or as JSON"};
  app.set_version_flag("--version", std::string("n2n-decode (n2nkit) ") + N2NKIT_VERSION);

  n2nkit::decode::DecoderConfig cfg;
  std::string file, iface;
  int transform = 0;
  bool json_output = false;
  bool no_summary = false;
  std::uint64_t count = 0;
  std::string key, user, password, fedkey;

  auto* in_file = app.add_option("-r,--read", file, "read a pcap or pcapng capture file");
  auto* in_iface =
      app.add_option("-i,--interface", iface, "capture live on an interface (needs CAP_NET_RAW)");
  in_file->excludes(in_iface);
  app.add_option("-c,--community", cfg.communities,
                 "community name (repeatable; env N2N_COMMUNITY)");
  app.add_option("-k,--key", key, "payload encryption key (env N2N_KEY; selects AES unless -A)");
  app.add_option("-A,--cipher", transform,
                 "cipher: 1 null, 2 Twofish, 3 AES, 4 ChaCha20, 5 Speck (written -A3 as for edge)")
      ->check(CLI::Range(1, 5));
  app.add_flag("-H,--header-encryption", cfg.header_encryption,
               "expect encrypted headers (they are tried with every community anyway)");
  app.add_option("-I,--user", user, "user name of a user/password community (edge -I)");
  app.add_option("-J,--password", password, "password of that user (env N2N_PASSWORD)");
  app.add_option("-P,--federation-key", fedkey, "federation public key, 43 characters (edge -P)");
  app.add_option("-F,--federation", cfg.federation_name,
                 "federation name without '*' (default Federation)");
  app.add_option("--port", cfg.ports,
                 "only UDP datagrams to or from this port, all reported (repeatable)")
      ->check(CLI::Range(1, 65535));
  app.add_flag("--json", json_output, "one JSON object per message");
  app.add_option("--count", count, "stop after this many messages");
  app.add_flag("--no-summary", no_summary, "do not print the summary on standard error");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "n2n-decode: " << e.what() << " (see n2n-decode --help)\n";
    return kExitUsage;
  }
  if (file.empty() && iface.empty()) {
    std::cerr << "n2n-decode: give a capture file (-r FILE) or an interface (-i IFACE)\n";
    return kExitUsage;
  }
  if (cfg.communities.empty()) {
    if (const char* c = env("N2N_COMMUNITY")) cfg.communities.emplace_back(c);
  }
  if (!key.empty())
    cfg.key = key;
  else if (const char* k = env("N2N_KEY"))
    cfg.key = std::string(k);
  if (transform) cfg.transform = static_cast<n2nkit::crypto::TransformId>(transform);
  if (!user.empty()) cfg.user = user;
  if (!password.empty())
    cfg.password = password;
  else if (const char* p = env("N2N_PASSWORD"); p && !user.empty())
    cfg.password = std::string(p);
  if (!fedkey.empty()) cfg.federation_public_key = fedkey;
  if (cfg.transform && *cfg.transform != n2nkit::crypto::TransformId::null && !cfg.key) {
    std::cerr << "n2n-decode: -A" << transform << " needs the key (-k KEY)\n";
    return kExitUsage;
  }

  std::string error;
  auto ring = n2nkit::decode::KeyRing::create(cfg, error);
  if (!ring) {
    std::cerr << "n2n-decode: " << error << "\n";
    return kExitUsage;
  }
  n2nkit::decode::Dissector dissector(std::move(*ring), cfg);

  auto source = file.empty() ? PcapSource::open_live(iface, live_filter(cfg.ports), error)
                             : PcapSource::open_file(file, error);
  if (!source) {
    std::cerr << "n2n-decode: " << error << "\n";
    if (error.find("CAP_NET_RAW") != std::string::npos) return kExitNoPermission;
    return kExitNoInput;
  }
  if (!iface.empty()) {
    g_live = source.get();
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
  }

  bool read_error = false;
  std::uint64_t frames = 0, unparsed = 0, reported = 0;
  n2nkit::capture::CapturedFrame frame;
  for (;;) {
    const auto st = source->next(frame);
    if (st == NextStatus::timeout) continue;
    if (st == NextStatus::end) break;
    if (st == NextStatus::error) {
      std::cerr << "n2n-decode: " << source->error() << "\n";
      read_error = true;
      break;
    }
    ++frames;
    auto udp = n2nkit::packet::find_udp_datagram(frame.linktype, frame.data);
    if (!udp) {
      if (udp.error() != n2nkit::Reason::not_ip_udp) ++unparsed;
      continue;
    }
    bool enough = false;
    for (const auto& record : dissector.dissect_captured(*udp, frame.time)) {
      if (json_output) {
        std::cout << record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
                  << "\n";
      } else {
        std::cout << n2nkit::decode::text_line(record) << "\n";
      }
      if (count && ++reported >= count) {
        enough = true;
        break;
      }
    }
    if (enough) break;
  }
  std::cout.flush();
  const auto& st = dissector.stats();
  if (!no_summary) {
    std::cerr << fmt::format("{} frames read, {} not parsable as IP/UDP (truncated or fragments)\n",
                             frames, unparsed)
              << n2nkit::decode::text_summary(st);
  }
  if (read_error) return kExitDataError;
  return st.failures ? kExitUndecodable : kExitOk;
}
