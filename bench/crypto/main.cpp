// bench-crypto: throughput of every PACKET transform on full-size frames, next to what
// `openssl speed` reports for the same primitive on this machine (the goal for AES and
// ChaCha20 is ≥ 70 % of OpenSSL's own figure). Prints measurements only; nothing here passes
// or fails.
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "bench/crypto/openssl_speed.hpp"
#include "bench/crypto/transform_throughput.hpp"
#include "core/crypto/xorshift128.hpp"

using namespace n2nkit;
using namespace n2nkit::bench;

namespace {

struct Row {
  std::string label;
  crypto::TransformId id;
  std::string key;
  std::string openssl_cipher;  // empty: no OpenSSL counterpart
};

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("model name")) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(colon + 2);
    }
  }
  return "unknown";
}

std::string ratio(std::optional<double> openssl, double ours) {
  if (!openssl || *openssl <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * ours / *openssl);
  return buf;
}

std::string mbps(std::optional<double> v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", *v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Throughput of the n2n PACKET transforms, compared with openssl speed"};
  double seconds = 1.0;
  int repeat = 3;
  std::size_t frame = 1400;
  std::size_t openssl_bytes = 1408;
  std::string clock = "cpu";
  bool no_openssl = false;
  app.add_option("--seconds", seconds, "Length of one measurement")->check(CLI::PositiveNumber);
  app.add_option("--repeat", repeat, "Measurements per figure; the best one is shown")
      ->check(CLI::Range(1, 100));
  app.add_option("--frame", frame, "Frame size in bytes")->check(CLI::Range(1, 2032));
  app.add_option("--openssl-bytes", openssl_bytes, "Block size given to openssl speed -bytes");
  app.add_option("--clock", clock, "Time base: thread CPU time or wall clock")
      ->check(CLI::IsMember({"cpu", "wall"}));
  app.add_flag("--no-openssl", no_openssl, "Do not run openssl speed");
  CLI11_PARSE(app, argc, argv);
  const TimeBase base = clock == "wall" ? TimeBase::wall : TimeBase::cpu;
  const int openssl_seconds = std::max(1, static_cast<int>(seconds + 0.5));

  std::printf("bench-crypto: %zu-byte frames, best of %d x %.1f s, %s time\n", frame, repeat,
              seconds, base == TimeBase::cpu ? "thread CPU" : "wall-clock");
  std::printf("machine: %s, nproc %u; %s\n", cpu_model().c_str(),
              std::thread::hardware_concurrency(), OpenSSL_version(OPENSSL_VERSION));
  if (!no_openssl) {
    std::printf("openssl: best of %d x `%s`%s\n", repeat,
                openssl_speed_command("<cipher>", openssl_bytes, openssl_seconds, false,
                                      base == TimeBase::wall)
                    .c_str(),
                " (and with -decrypt)");
  }
  std::printf("IVs from xorshift128+ (the reference's PRNG); MB = 10^6 bytes of frame\n\n");

  const std::vector<Row> rows = {
      {"null", crypto::TransformId::null, "", ""},
      {"Twofish", crypto::TransformId::twofish, "SoMEVer!S$cUREPassWORD", ""},
      {"AES-128", crypto::TransformId::aes, "SoMEVer!S$cUREPassWORD", "aes-128-cbc"},
      {"AES-256", crypto::TransformId::aes, "SoMEVer!S$cUREPassWORD!0123456789", "aes-256-cbc"},
      {"ChaCha20", crypto::TransformId::chacha20, "SoMEVer!S$cUREPassWORD", "chacha20"},
      {"Speck", crypto::TransformId::speck, "SoMEVer!S$cUREPassWORD", ""},
  };

  crypto::Xorshift128Plus rng;
  const crypto::RandomSource random = crypto::xorshift_source(rng);

  std::printf("%-9s %9s %9s   %-12s %9s %9s   %7s %7s\n", "transform", "enc MB/s", "dec MB/s",
              "openssl", "enc MB/s", "dec MB/s", "enc %", "dec %");
  for (const Row& row : rows) {
    const auto t = crypto::make_transform(row.id, row.key);
    const Throughput ours = measure_transform(*t, frame, seconds, repeat, base, random);
    std::optional<double> o_enc, o_dec;
    if (!no_openssl && !row.openssl_cipher.empty()) {
      for (int i = 0; i < repeat; ++i) {
        for (bool decrypt : {false, true}) {
          const auto v = openssl_speed_mbps(row.openssl_cipher, openssl_bytes, openssl_seconds,
                                            decrypt, base == TimeBase::wall);
          auto& best = decrypt ? o_dec : o_enc;
          if (v && (!best || *v > *best)) best = v;
        }
      }
    }
    std::printf("%-9s %9.0f %9.0f   %-12s %9s %9s   %7s %7s\n", row.label.c_str(),
                ours.encrypt_mbps, ours.decrypt_mbps,
                row.openssl_cipher.empty() ? "-" : row.openssl_cipher.c_str(), mbps(o_enc).c_str(),
                mbps(o_dec).c_str(), ratio(o_enc, ours.encrypt_mbps).c_str(),
                ratio(o_dec, ours.decrypt_mbps).c_str());
    std::fflush(stdout);
  }

  // What an IV costs, by source: the transforms above used the first.
  crypto::Xorshift128Plus rng2;
  const crypto::RandomSource openssl_rand = [](MutableByteView out) {
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) std::abort();
  };
  std::printf("\nIV source (16 bytes)      ns per IV\n");
  std::printf("%-24s %9.1f\n", "xorshift128+",
              measure_random_ns(crypto::xorshift_source(rng2), seconds, repeat, base));
  std::printf("%-24s %9.1f\n", "OpenSSL RAND_bytes",
              measure_random_ns(openssl_rand, seconds, repeat, base));
  std::printf("%-24s %9.1f\n", "getrandom (system_random)",
              measure_random_ns(crypto::system_random, seconds, repeat, base));
  return 0;
}
