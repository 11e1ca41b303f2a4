#include "core/net/outbox.hpp"

#include <algorithm>

namespace n2nkit::net {

MutableByteView Outbox::prepare() {
  if (count_ == slots_.size()) slots_.emplace_back();
  return slots_[count_].bytes;
}

void Outbox::commit(const Endpoint& to, std::size_t size, bool path_probe) {
  if (count_ == slots_.size() || size > wire::kMaxDatagram) return;
  slots_[count_].to = to;
  slots_[count_].size = size;
  slots_[count_].path_probe = path_probe;
  ++count_;
}

void Outbox::push(const Endpoint& to, ByteView bytes) {
  if (bytes.size() > wire::kMaxDatagram) return;
  const auto slot = prepare();
  std::copy(bytes.begin(), bytes.end(), slot.begin());
  commit(to, bytes.size());
}

}  // namespace n2nkit::net
