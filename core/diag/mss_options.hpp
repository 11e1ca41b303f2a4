#pragma once
// n2n-mss's options as values, and the checks CLI11 cannot express, so that they are unit
// tested and every refusal is one line. The tool's main wires CLI11 to these structs.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace n2nkit::diag {

struct WatchOptions {
  std::string iface;  // "" with read_file, else default "any"
  std::string read_file;
  std::vector<std::uint16_t> ports;
  std::uint64_t count = 0;  // 0: no limit
  double timeout = 0;       // seconds; 0: no limit
  bool json = false;
};

struct CheckOptions {
  std::string iface = "n2n0";
  std::string supernode;                 // IPv4 address; "" = the default route
  std::uint16_t management_port = 5644;  // the local edge's (0: do not ask it)
  bool json = false;
};

struct ClampOptions {
  std::string iface = "n2n0";
  std::optional<std::uint32_t> mss;  // fixed MSS (IPv4; IPv6 20 less)
  bool pmtu = false;                 // explicit --pmtu (the default when no --mss)
  std::string backend;               // "" = nft (undo: every backend that has our rules)
  bool dry_run = false;
  bool undo = false;
  bool local_output = false;
  bool json = false;
};

// nullopt when fine, else the one line to print.
std::optional<std::string> check_watch_options(WatchOptions& o);  // fills the default iface
std::optional<std::string> check_check_options(const CheckOptions& o);
std::optional<std::string> check_clamp_options(const ClampOptions& o);

}  // namespace n2nkit::diag
