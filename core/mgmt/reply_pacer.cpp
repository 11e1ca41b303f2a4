#include "core/mgmt/reply_pacer.hpp"

#include <algorithm>
#include <bit>
#include <utility>

namespace n2nkit::mgmt {

std::size_t receive_buffer_charge(std::size_t bytes) {
  // sk_buff and its shared info around the payload, in slab buckets up to 16 KiB; beyond,
  // the payload goes to page fragments.
  constexpr std::size_t kSlabOverhead = 384;
  constexpr std::size_t kSkbTruesize = 256;
  constexpr std::size_t kLargestSlab = 16384;
  constexpr std::size_t kFragmentOverhead = 1024;
  if (bytes + kSlabOverhead <= kLargestSlab) {
    return std::bit_ceil(bytes + kSlabOverhead) + kSkbTruesize;
  }
  return bytes + kFragmentOverhead;
}

bool ReplyPacer::push(const wire::Sock& to, std::vector<std::string> datagrams) {
  if (datagrams.empty()) return true;
  if (datagrams.size() > max_pending_ - std::min(pending_, max_pending_)) return false;
  pending_ += datagrams.size();
  replies_.push_back(Reply{to, std::move(datagrams), 0});
  return true;
}

std::size_t ReplyPacer::send_burst(std::size_t budget, const Sender& send) {
  std::size_t sent = 0;
  bool socket_full = false;
  while (sent < budget && !replies_.empty() && !socket_full) {
    // One round: every reply waiting gets an equal share of what is left (at least one).
    const std::size_t round = replies_.size();
    const std::size_t share = std::max<std::size_t>(1, (budget - sent) / round);
    const std::size_t sent_before_round = sent;
    for (std::size_t turn = 0; turn < round && sent < budget && !socket_full; ++turn) {
      Reply& reply = replies_.front();
      std::size_t this_turn = 0;
      while (reply.next < reply.datagrams.size() && this_turn < share && sent < budget) {
        const SendStatus status = send(reply.to, reply.datagrams[reply.next]);
        if (status == SendStatus::socket_full) socket_full = true;
        if (status != SendStatus::sent) break;
        ++reply.next;
        ++this_turn;
        ++sent;
        --pending_;
      }
      if (reply.next == reply.datagrams.size()) {
        replies_.pop_front();
      } else if (!socket_full) {
        // Its share is used up or its client is busy: the next reply's turn.
        Reply unfinished = std::move(reply);
        replies_.pop_front();
        replies_.push_back(std::move(unfinished));
      }
    }
    if (sent == sent_before_round) break;  // every client busy
  }
  return sent;
}

void ReplyPacer::flush(const Sender& send) {
  while (!replies_.empty()) {
    if (send_burst(pending_, send) == 0) break;
  }
}

std::size_t ReplyPacer::drop(const wire::Sock& to) {
  std::size_t dropped = 0;
  for (auto it = replies_.begin(); it != replies_.end();) {
    if (it->to == to) {
      dropped += it->datagrams.size() - it->next;
      it = replies_.erase(it);
    } else {
      ++it;
    }
  }
  pending_ -= dropped;
  return dropped;
}

}  // namespace n2nkit::mgmt
