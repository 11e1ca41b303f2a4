#pragma once
// `openssl speed -evp` for one cipher and one block size, run as a child process: the
// yardstick for our AES and ChaCha20 transforms.
#include <optional>
#include <string>

namespace n2nkit::bench {

// Bytes per second (10^6 bytes = 1 MB) that `openssl speed -evp <cipher> -bytes <bytes>
// -seconds <seconds> -mr [-decrypt] [-elapsed]` reports; nullopt if it could not be run or
// parsed. Without -elapsed, openssl divides by user CPU time.
std::optional<double> openssl_speed_mbps(const std::string& cipher, std::size_t bytes, int seconds,
                                         bool decrypt, bool wall_clock);

// The command line used, for the report.
std::string openssl_speed_command(const std::string& cipher, std::size_t bytes, int seconds,
                                  bool decrypt, bool wall_clock);

}  // namespace n2nkit::bench
