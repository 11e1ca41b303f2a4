#pragma once
// Name resolution of the `-l host:port` federation anchors. The engine does no DNS: the daemon
// resolves each anchor at start (blocking, before the loop runs), then in the background with
// getaddrinfo_a so that a slow resolver never stalls the relay: unresolved anchors every 60 s,
// resolved ones every 300 s (dynamic DNS), as the reference does.
#include <netdb.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/wire/types.hpp"

namespace n2nkit::supernoded {

class AnchorResolver {
 public:
  static constexpr std::uint64_t kRetryUnresolved = 60;
  static constexpr std::uint64_t kRefreshResolved = 300;

  explicit AnchorResolver(std::vector<std::string> anchors);
  ~AnchorResolver();
  AnchorResolver(const AnchorResolver&) = delete;
  AnchorResolver& operator=(const AnchorResolver&) = delete;

  // Blocking first resolution of every anchor; returns (index, address) for those resolved
  // and logs a warning for the others.
  std::vector<std::pair<std::size_t, wire::Sock>> resolve_now(std::uint64_t now);

  // Once a second from the loop: starts due lookups, collects finished ones. Returns the
  // addresses that changed.
  std::vector<std::pair<std::size_t, wire::Sock>> poll(std::uint64_t now);

 private:
  struct Anchor {
    std::string text;  // host:port
    std::string host;
    std::string port;
    std::optional<wire::Sock> address;
    std::uint64_t next_lookup = 0;
    // A lookup in flight (getaddrinfo_a keeps pointers to these until it completes).
    std::unique_ptr<gaicb> request;
    addrinfo hints{};
  };

  static std::optional<wire::Sock> first_ipv4(const addrinfo* result);
  void start(Anchor& anchor);

  std::vector<Anchor> anchors_;
};

}  // namespace n2nkit::supernoded
