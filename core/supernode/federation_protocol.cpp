// Federation between supernodes (spec §11.3 steps 6-11, §11.6, §11.10): members register with
// each other in the federation community, forward their edges' registrations, and relay what
// is addressed to edges they do not host.
#include <algorithm>
#include <array>

#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {
namespace {

bool active(const FederationMember& m, std::uint64_t now, std::uint64_t within) {
  return m.resolved() && m.last_seen + within > now;
}

}  // namespace

void Engine::on_federation_message(const Incoming& in, const wire::Message& message) {
  if (const auto* reg = std::get_if<wire::RegisterSuper>(&message)) {
    return on_member_register_super(in, *reg);
  }
  if (const auto* ack = std::get_if<wire::RegisterSuperAck>(&message)) {
    if (in.member == nullptr) return drop(Reason::from_unknown_supernode);
    return on_member_ack(in, *ack);
  }
  drop(Reason::not_for_supernode);
}

void Engine::on_member_register_super(const Incoming& in, const wire::RegisterSuper& msg) {
  ++counters_.packets.reg_super_rx;
  counters_.packets.last_reg_super = in.now;
  if (msg.edge_mac == config_.mac) return drop(Reason::own_mac);
  if (msg.edge_mac == wire::kNullMac) return drop(Reason::bad_field);

  auto* member = federation_.find(msg.edge_mac, in.from.sock);
  if (member == nullptr) {
    FederationMember learnt;
    learnt.mac = msg.edge_mac;
    member = &federation_.add(learnt);
  }
  member->mac = msg.edge_mac;
  member->sock = in.from.sock;
  member->last_seen = in.now;

  adopt_key_time(msg.key_time, in.clock, in.out);

  wire::CommonHeader header;
  header.ttl = wire::kDefaultTtl;
  header.flags = wire::kFlagSocket | wire::kFlagFromSupernode;
  header.community = federation_name_;
  wire::RegisterSuperAck ack;
  ack.cookie = msg.cookie;
  ack.src_mac = config_.mac;
  ack.lifetime = kAckLifetime;
  ack.sock = in.from.sock;
  ack.supernodes = listed_supernodes(in.from.sock, in.now);
  ack.key_time = key_time_;
  send(in, header, ack);
}

void Engine::on_member_ack(const Incoming& in, const wire::RegisterSuperAck& msg) {
  auto& member = *in.member;
  if (msg.cookie != member.cookie || member.cookie == 0) return drop(Reason::cookie_mismatch);
  member.cookie = 0;  // answered: a second copy is a replay
  member.mac = msg.src_mac;
  member.last_seen = in.now;
  // Learnt members count as seen a while ago, so the next federation tick contacts them.
  const auto learnt_seen = in.now > kMemberListed ? in.now - kMemberListed : 0;
  for (const auto& entry : msg.supernodes) {
    if (entry.mac == config_.mac || federation_.find(entry.mac, entry.sock) != nullptr) continue;
    FederationMember learnt;
    learnt.mac = entry.mac;
    learnt.sock = entry.sock;
    learnt.last_seen = learnt_seen;
    federation_.add(learnt);
  }
  adopt_key_time(msg.key_time, in.clock, in.out);
}

void Engine::on_member_nak(const Incoming& in, const wire::RegisterSuperNak& msg) {
  auto* community = communities_.find(in.header.community);
  if (community == nullptr) return drop(Reason::unknown_community);
  const auto* edge = community->edges.find(msg.src_mac);
  if (edge == nullptr) return drop(Reason::unknown_destination);
  // Passed on unchanged, one hop less; then the refused edge is forgotten (§11.3 step 9).
  auto header = in.header;
  header.ttl = static_cast<std::uint8_t>(header.ttl - 1);
  const auto to = edge->endpoint();
  if (community->user_password) {
    send_with_trailer(in, to, header, msg, nullptr);
  } else if (community->header_encryption == HeaderEncryption::enabled && community->header_keys) {
    const Incoming sealed{in.header, in.from, in.now,  in.clock, &*community->header_keys,
                          in.out,    in.raw,  nullptr, nullptr,  in.member,
                          in.plain};
    send_to(sealed, to, header, msg);
  } else {
    send_to(in, to, header, msg);
  }
  if (to.tcp_connection != 0) in.out.close_connection(to.tcp_connection);
  community->edges.erase(msg.src_mac);
}

void Engine::on_member_peer_info(const Incoming& in, const wire::PeerInfo& msg) {
  auto* community = communities_.find(in.header.community);
  if (community == nullptr) return drop(Reason::unknown_community);
  const auto* edge = msg.src_mac == wire::kNullMac ? nullptr : community->edges.find(msg.src_mac);
  if (edge == nullptr) return drop(Reason::unknown_destination);
  // The answering member hosts the queried edge: later traffic for it goes there directly.
  community->associations.insert_or_assign(msg.mac, Association{in.from.sock, in.now});
  auto header = in.header;
  header.ttl = static_cast<std::uint8_t>(header.ttl - 1);
  send_to(in, edge->endpoint(), header, msg);
}

void Engine::forward_registration(const Incoming& in, const wire::RegisterSuper& msg) {
  if (in.member != nullptr || msg.edge_mac == wire::kNullMac) return;
  const bool any = std::ranges::any_of(
      federation_, [&](const FederationMember& m) { return active(m, in.now, kMemberActive); });
  if (!any) return;
  wire::CommonHeader header = in.header;
  header.ttl = wire::kDefaultTtl;
  header.flags = wire::kFlagSocket | wire::kFlagFromSupernode;
  wire::RegisterSuper relayed = msg;
  relayed.sock = in.from.sock;
  std::array<std::uint8_t, wire::kMaxDatagram> plain{};
  const auto size = wire::encode(header, relayed, plain);
  if (!size) return drop(Reason::too_large);
  // Registrations travel with the static keys (plus the user's trailer), never dynamic (§11.3
  // step 10a).
  const auto* community = communities_.find(in.header.community);
  const wire::HeaderKeys* static_keys =
      (community != nullptr && community->header_encryption == HeaderEncryption::enabled &&
       community->header_keys)
          ? &*community->header_keys
          : nullptr;
  const bool trailer = in.user_password != nullptr && in.user != nullptr;
  constexpr std::size_t kTrailer = 16;
  for (const auto& m : federation_) {
    if (!active(m, in.now, kMemberActive)) continue;
    const auto slot = in.out.prepare();
    std::copy_n(plain.begin(), *size, slot.begin());
    std::size_t length = *size;
    if (static_keys != nullptr) {
      if (!seal_with(*static_keys, trailer, slot.first(length), in.clock)) {
        ++counters_.packets.errors_tx;
        continue;
      }
      if (trailer) {
        const auto t = keys::trailer(slot.first(length), in.user->shared_secret);
        std::ranges::copy(t, slot.begin() + static_cast<std::ptrdiff_t>(length));
        length += kTrailer;
      }
    }
    in.out.commit(m.endpoint(), length);
  }
}

std::vector<wire::SupernodeEntry> Engine::listed_supernodes(const wire::Sock& requester,
                                                            std::uint64_t now) const {
  std::vector<wire::SupernodeEntry> entries;
  for (const auto& m : federation_) {
    if (entries.size() == kMaxListedSupernodes) break;
    if (!active(m, now, kMemberListed) || m.sock == requester || m.mac == wire::kNullMac) {
      continue;
    }
    wire::SupernodeEntry entry;
    entry.sock = m.sock;
    entry.mac = m.mac;
    entries.push_back(entry);
  }
  return entries;
}

void Engine::adopt_key_time(std::uint32_t key_time, wire::WallTime now, Outbox& out) {
  // Federated supernodes converge on the largest key time (§10.5).
  if (key_time <= key_time_) return;
  notify_user_password_edges_of_reload(now, out);
  key_time_ = key_time;
  rederive_dynamic_keys();
  register_with_members(now, out, true);
}

void Engine::register_with_members(wire::WallTime now, Outbox& out, bool all) {
  for (auto& m : federation_) {
    if (!m.resolved()) continue;
    if (all || m.last_seen + kMemberReRegister < now.sec) send_member_register_super(m, now, out);
  }
}

void Engine::send_member_register_super(FederationMember& member, wire::WallTime now, Outbox& out) {
  std::array<std::uint8_t, 4> cookie{};
  do {
    config_.random(cookie);
  } while (load_be32(cookie.data()) == 0);
  member.cookie = load_be32(cookie.data());
  member.last_sent = now.sec;

  wire::CommonHeader header;
  header.ttl = wire::kDefaultTtl;
  header.flags = wire::kFlagFromSupernode;
  header.community = federation_name_;
  wire::RegisterSuper msg;
  msg.cookie = member.cookie;
  msg.edge_mac = config_.mac;
  msg.auth = own_token_;
  msg.key_time = key_time_;
  const auto slot = out.prepare();
  const auto size = wire::encode(header, msg, slot);
  if (!size || !seal_with(federation_keys_, false, slot.first(*size), now)) {
    ++counters_.packets.errors_tx;
    return;
  }
  out.commit(member.endpoint(), *size);
}

void Engine::emit_to_members(const Incoming& in, ByteView plaintext) {
  for (const auto& m : federation_) {
    if (!active(m, in.now, kMemberActive) || m.sock == in.from.sock) continue;
    emit(in, m.endpoint(), plaintext);
    ++counters_.packets.broadcast;
  }
}

void Engine::federation_tick(wire::WallTime now, Outbox& out) {
  if (now.sec < next_federation_) return;
  federation_.purge_older_than(now.sec, kMemberActive);
  register_with_members(now, out, false);
  next_federation_ = now.sec + kFederationInterval;
}

}  // namespace n2nkit::supernode
