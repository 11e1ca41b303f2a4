#include "anchors.hpp"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>

#include "rim.hpp"

namespace n2nkit::supernoded {

AnchorResolver::AnchorResolver(std::vector<std::string> anchors) {
  for (auto& text : anchors) {
    Anchor a;
    const auto colon = text.rfind(':');
    a.host = text.substr(0, colon);
    a.port = text.substr(colon + 1);
    a.text = std::move(text);
    a.hints.ai_family = AF_INET;  // the reference opens IPv4 sockets only (spec §1)
    a.hints.ai_socktype = SOCK_DGRAM;
    anchors_.push_back(std::move(a));
  }
}

AnchorResolver::~AnchorResolver() {
  for (auto& a : anchors_) {
    if (!a.request) continue;
    // A lookup still running owns the request: wait for it rather than free it under it.
    gai_cancel(a.request.get());
    const gaicb* list[] = {a.request.get()};
    while (gai_error(a.request.get()) == EAI_INPROGRESS) gai_suspend(list, 1, nullptr);
    if (a.request->ar_result != nullptr) freeaddrinfo(a.request->ar_result);
  }
}

std::optional<wire::Sock> AnchorResolver::first_ipv4(const addrinfo* result) {
  for (const addrinfo* ai = result; ai != nullptr; ai = ai->ai_next) {
    if (ai->ai_family == AF_INET && ai->ai_addrlen >= sizeof(sockaddr_in)) {
      return to_sock(*reinterpret_cast<const sockaddr_in*>(ai->ai_addr));
    }
  }
  return std::nullopt;
}

std::vector<std::pair<std::size_t, wire::Sock>> AnchorResolver::resolve_now(std::uint64_t now) {
  std::vector<std::pair<std::size_t, wire::Sock>> resolved;
  for (std::size_t i = 0; i < anchors_.size(); ++i) {
    Anchor& a = anchors_[i];
    addrinfo* result = nullptr;
    const int rc = getaddrinfo(a.host.c_str(), a.port.c_str(), &a.hints, &result);
    if (rc == 0) a.address = first_ipv4(result);
    if (result != nullptr) freeaddrinfo(result);
    if (a.address) {
      log(Level::normal, "federation anchor -l {} is {}", a.text, wire::sock_to_string(*a.address));
      resolved.emplace_back(i, *a.address);
      a.next_lookup = now + kRefreshResolved;
    } else {
      log(Level::warning, "federation anchor -l {} does not resolve ({}); retrying every {} s",
          a.text, rc == 0 ? "no IPv4 address" : gai_strerror(rc), kRetryUnresolved);
      a.next_lookup = now + kRetryUnresolved;
    }
  }
  return resolved;
}

void AnchorResolver::start(Anchor& a) {
  a.request = std::make_unique<gaicb>();
  a.request->ar_name = a.host.c_str();
  a.request->ar_service = a.port.c_str();
  a.request->ar_request = &a.hints;
  a.request->ar_result = nullptr;
  gaicb* list[] = {a.request.get()};
  sigevent none{};
  none.sigev_notify = SIGEV_NONE;
  if (getaddrinfo_a(GAI_NOWAIT, list, 1, &none) != 0) a.request.reset();
}

std::vector<std::pair<std::size_t, wire::Sock>> AnchorResolver::poll(std::uint64_t now) {
  std::vector<std::pair<std::size_t, wire::Sock>> changed;
  for (std::size_t i = 0; i < anchors_.size(); ++i) {
    Anchor& a = anchors_[i];
    if (!a.request) {
      if (now >= a.next_lookup) start(a);
      if (!a.request) a.next_lookup = now + kRetryUnresolved;
      continue;
    }
    const int rc = gai_error(a.request.get());
    if (rc == EAI_INPROGRESS) continue;
    const auto address = rc == 0 ? first_ipv4(a.request->ar_result) : std::nullopt;
    if (a.request->ar_result != nullptr) freeaddrinfo(a.request->ar_result);
    a.request.reset();
    if (address) {
      if (address != a.address) {
        log(Level::normal, "federation anchor -l {} is {}", a.text, wire::sock_to_string(*address));
        changed.emplace_back(i, *address);
      }
      a.address = address;
      a.next_lookup = now + kRefreshResolved;
    } else {
      // A name that stops resolving keeps its last address (the reference does the same).
      log(a.address ? Level::info : Level::warning, "federation anchor -l {} does not resolve ({})",
          a.text, rc == 0 ? "no IPv4 address" : gai_strerror(rc));
      a.next_lookup = now + kRetryUnresolved;
    }
  }
  return changed;
}

}  // namespace n2nkit::supernoded
