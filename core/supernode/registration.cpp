// REGISTER_SUPER and UNREGISTER_SUPER (spec §11.3, §11.8, §11.9).
#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {
namespace {

constexpr std::uint16_t kSchemeNone = 0;
constexpr std::uint16_t kSchemeSimpleId = 1;
constexpr std::uint16_t kSchemeUserPassword = 2;

// 0.0.0.0, 255.255.255.255, prefix 0 and link-local addresses ask for an automatic one.
bool asks_for_address(const wire::IpSubnet& dev_addr) {
  return dev_addr.addr == 0 || dev_addr.addr == 0xFFFFFFFFu || dev_addr.prefix == 0 ||
         (dev_addr.addr & 0xFFFF0000u) == 0xA9FE0000u;
}

// A known edge must present the token it registered with; entries stored without one (scheme
// none, or any entry under `-M`) accept anything. User/password tokens carry a fresh challenge
// each time: any allowed user's public key passes (spec §11.9).
bool token_passes(const CommunityState& community, const wire::Auth& stored,
                  const wire::Auth& presented) {
  if (stored.scheme == kSchemeNone) return true;
  if (stored.scheme == kSchemeUserPassword) {
    return presented.scheme == kSchemeUserPassword &&
           community.find_user(presented.token_view()) != nullptr;
  }
  return presented.scheme == stored.scheme && presented.size == stored.size &&
         std::ranges::equal(presented.token_view(), stored.token_view());
}

wire::CommonHeader answer_header(const wire::CommonHeader& request) {
  wire::CommonHeader h;
  h.ttl = wire::kDefaultTtl;
  // The reference sets SOCKET on the NAK too, although it carries no sock (auth-nak.pcap).
  h.flags = wire::kFlagSocket | wire::kFlagFromSupernode;
  h.community = request.community;
  return h;
}

}  // namespace

void Engine::on_register_super(const Incoming& in, const wire::RegisterSuper& msg) {
  ++counters_.packets.reg_super_rx;
  counters_.packets.last_reg_super = in.now;

  auto* community = find_or_admit_community(in.header.community);
  if (community == nullptr) return drop(Reason::community_not_allowed);  // silently: no NAK
  if (msg.edge_mac == config_.mac) return drop(Reason::own_mac);
  if ((in.header.flags & wire::kFlagFromSupernode) != 0) {
    return on_relayed_register_super(in, *community, msg);
  }

  wire::IpSubnet assigned{};
  if (asks_for_address(msg.dev_addr) && community->auto_subnet.prefix != 0) {
    const auto& edges = community->edges;
    const auto address = choose_edge_address(
        community->auto_subnet, msg.desc,
        [&](std::uint32_t candidate) { return edges.address_taken(candidate); });
    if (address) assigned = *address;
  }

  // §10.3: a community with users accepts only their tokens, one without users none of them.
  if (community->user_password) {
    if (msg.auth.scheme != kSchemeUserPassword) {
      drop(Reason::auth_scheme_mismatch);
      return send_nak(in, msg);
    }
    if (in.user == nullptr) {
      drop(Reason::unknown_user);
      return send_nak(in, msg);
    }
  } else if (msg.auth.scheme == kSchemeUserPassword) {
    drop(Reason::auth_scheme_mismatch);
    return send_nak(in, msg);
  }

  // A null MAC is an edge asking for its address before it registers (spec §11.1).
  if (msg.edge_mac == wire::kNullMac) return send_ack(in, msg, assigned);

  auto& edges = community->edges;
  auto* known = edges.find(msg.edge_mac);
  // An unknown MAC announcing a registered edge's address is that edge with a new MAC.
  if (known == nullptr) known = edges.find_by_address(msg.dev_addr.addr);

  if (known != nullptr) {
    if (!token_passes(*community, known->auth, msg.auth)) {
      drop(Reason::spoofing_refused);
      return send_nak(in, msg, in.user);
    }
    if (known->mac != msg.edge_mac) {
      EdgeRecord moved = *known;
      edges.erase(moved.mac);
      moved.mac = msg.edge_mac;
      known = &edges.put(moved);
    }
    if (known->tcp_connection != 0 && known->tcp_connection != in.from.tcp_connection) {
      // The edge came back on another connection (or over UDP): the old one is dead weight.
      in.out.close_connection(known->tcp_connection);
    }
    known->sock = in.from.sock;
    known->tcp_connection = in.from.tcp_connection;
    known->preferred_sock = msg.sock;
    known->cookie = msg.cookie;
    known->last_seen = in.now;
    // It lives here now, whatever another supernode said before.
    community->associations.erase(msg.edge_mac);
    forward_registration(in, msg);
    return send_ack(in, msg, assigned);
  }

  EdgeRecord record;
  record.mac = msg.edge_mac;
  record.dev_addr = msg.dev_addr;
  record.desc = msg.desc;
  record.sock = in.from.sock;
  record.tcp_connection = in.from.tcp_connection;
  record.preferred_sock = msg.sock;
  record.cookie = msg.cookie;
  // `-M` stores simple-id registrations without their token: no spoofing protection (§11.9).
  if (config_.spoofing_protection || msg.auth.scheme != kSchemeSimpleId) record.auth = msg.auth;
  record.last_seen = in.now;
  edges.put(record);
  community->associations.erase(msg.edge_mac);
  forward_registration(in, msg);
  send_ack(in, msg, assigned);
}

void Engine::on_relayed_register_super(const Incoming& in, CommunityState& community,
                                       const wire::RegisterSuper& msg) {
  if (in.member == nullptr) return drop(Reason::from_unknown_supernode);
  // A relay carries the edge's public socket; without it this is no relay we understand.
  if ((in.header.flags & wire::kFlagSocket) == 0 || msg.edge_mac == wire::kNullMac) {
    return drop(Reason::bad_field);
  }
  // Only checked against edges we know; a relay never adds one (§11.3 step 8).
  auto* known = community.edges.find(msg.edge_mac);
  if (known == nullptr) known = community.edges.find_by_address(msg.dev_addr.addr);
  if (known != nullptr && !token_passes(community, known->auth, msg.auth)) {
    drop(Reason::spoofing_refused);
    return send_nak(in, msg, in.user);
  }
  // The edge lives at the relaying supernode now (§11.3 step 11).
  if (known != nullptr) {
    if (known->tcp_connection != 0) in.out.close_connection(known->tcp_connection);
    community.edges.erase(known->mac);
  }
  community.associations.insert_or_assign(msg.edge_mac, Association{in.from.sock, in.now});
}

void Engine::on_unregister_super(const Incoming& in, const wire::UnregisterSuper& msg) {
  // Only the edge itself may leave (the reference means to refuse relayed ones, §11.9).
  if (in.member != nullptr) return drop(Reason::not_for_supernode);
  auto* community = communities_.find(in.header.community);
  if (community == nullptr) return drop(Reason::unknown_community);
  const auto* edge = community->edges.find(msg.src_mac);
  if (edge == nullptr) return drop(Reason::unknown_destination);
  if (!token_passes(*community, edge->auth, msg.auth)) return drop(Reason::spoofing_refused);
  community->edges.erase(msg.src_mac);
}

void Engine::send_ack(const Incoming& in, const wire::RegisterSuper& msg,
                      const wire::IpSubnet& addr) {
  wire::RegisterSuperAck ack;
  ack.cookie = msg.cookie;
  ack.src_mac = config_.mac;
  ack.dev_addr = addr;
  ack.lifetime = kAckLifetime;
  ack.sock = in.from.sock;
  ack.supernodes = listed_supernodes(in.from.sock, in.now);
  if (in.user_password == nullptr) return send(in, answer_header(in.header), ack);
  // The answer token proves the user's shared secret and hands over the dynamic key (§10.3).
  auto token = keys::make_ack_token(msg.auth.token_view(), in.user->shared_secret,
                                    in.user_password->dynamic_key);
  if (!token) return drop(token.error());
  ack.auth.scheme = kSchemeUserPassword;
  ack.auth.size = static_cast<std::uint16_t>(token->size());
  std::ranges::copy(*token, ack.auth.token.begin());
  send_with_trailer(in, in.from, answer_header(in.header), ack, in.user);
}

void Engine::send_nak(const Incoming& in, const wire::RegisterSuper& msg, const UserKeys* user) {
  ++counters_.packets.reg_super_nak;
  wire::RegisterSuperNak nak;
  nak.cookie = msg.cookie;
  nak.src_mac = msg.edge_mac;
  if (in.user_password != nullptr)
    return send_with_trailer(in, in.from, answer_header(in.header), nak, user);
  send(in, answer_header(in.header), nak);
}

}  // namespace n2nkit::supernode
