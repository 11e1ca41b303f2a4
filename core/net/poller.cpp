#include "core/net/poller.hpp"

#include <cerrno>

namespace n2nkit::net {

Poller::Poller() : fd_(epoll_create1(EPOLL_CLOEXEC)) {}

bool Poller::add(int fd, std::uint32_t events, std::uint64_t token) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = token;
  return epoll_ctl(fd_.get(), EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool Poller::modify(int fd, std::uint32_t events, std::uint64_t token) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = token;
  return epoll_ctl(fd_.get(), EPOLL_CTL_MOD, fd, &ev) == 0;
}

void Poller::remove(int fd) {
  epoll_ctl(fd_.get(), EPOLL_CTL_DEL, fd, nullptr);
}

int Poller::wait(std::span<epoll_event> events, int timeout_ms) {
  const int n = epoll_wait(fd_.get(), events.data(), static_cast<int>(events.size()), timeout_ms);
  return n < 0 ? 0 : n;
}

}  // namespace n2nkit::net
