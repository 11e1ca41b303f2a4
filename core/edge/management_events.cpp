// Subscriptions and events of the edge's management API (spec §13.5): one subscriber per
// topic, the newest wins; events are queued for the daemon to send (take_events()).
#include "core/edge/management.hpp"
#include "core/mgmt/reply.hpp"

namespace n2nkit::edge {
namespace {

using mgmt::Field;
using mgmt::Fields;

// A daemon that never drains the queue must not grow without bound; events beyond this are
// lost, as datagrams to a subscriber that does not read would be.
constexpr std::size_t kMaxQueuedEvents = 4096;

std::size_t slot(mgmt::Topic topic) {
  return static_cast<std::size_t>(topic);
}

}  // namespace

std::vector<std::string> Management::subscribe(const mgmt::JsonRequest& request,
                                               const wire::Sock& sender) {
  std::optional<Subscriber>& current = subscribers_[slot(request.topic->id)];
  std::vector<std::string> out;
  if (current) {
    std::string notice = mgmt::unsubscribed_reply(current->tag, request.method);
    // The reference tells the old subscriber first; from the same socket, keep that order.
    if (current->sock == sender) {
      out.push_back(std::move(notice));
    } else if (events_.size() < kMaxQueuedEvents) {
      events_.emplace_back(current->sock, std::move(notice));
    }
    out.push_back(mgmt::replacing_reply(request.tag, request.method));
  }
  current = Subscriber{sender, request.tag};
  out.push_back(mgmt::subscribe_reply(request.tag, request.method));
  return out;
}

void Management::post(mgmt::Topic topic, const Fields& fields) {
  // Each subscriber sees its own tag. (The reference tags the debug copy with the topic
  // subscriber's tag when there is one; spec §13.5 says the subscription's tag.)
  const auto send = [&](const std::optional<Subscriber>& to) {
    if (!to || events_.size() >= kMaxQueuedEvents) return;
    events_.emplace_back(to->sock, mgmt::event_reply(to->tag, fields));
  };
  send(subscribers_[slot(topic)]);
  if (topic != mgmt::Topic::debug) send(subscribers_[slot(mgmt::Topic::debug)]);
}

void Management::peer_event(PeerAction action, const wire::Mac& mac, const wire::Sock& sock) {
  post(mgmt::Topic::peer,
       Fields{Field("action", static_cast<int>(action)), Field("macaddr", management_mac(mac)),
              Field("sockaddr", wire::sock_to_string(sock))});
}

std::vector<AddressedDatagram> Management::take_events() {
  std::vector<AddressedDatagram> out;
  out.swap(events_);
  return out;
}

mgmt::MethodReply Management::help_events() const {
  mgmt::MethodReply reply;
  for (const mgmt::TopicInfo& topic : mgmt::edge_topics()) {
    const std::optional<Subscriber>& sub = subscribers_[slot(topic.id)];
    reply.rows.push_back(Fields{Field("topic", topic.name), Field("tag", sub ? sub->tag : ""),
                                Field("sockaddr", sub ? wire::sock_to_string(sub->sock) : "?:?"),
                                Field("help", topic.help)});
  }
  return reply;
}

}  // namespace n2nkit::edge
