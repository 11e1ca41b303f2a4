// The edge's data path (spec §11.6, §9.8): a TAP frame becomes a PACKET (compressed when that
// makes it shorter, then encrypted), sent directly to a peer whose path is fresh or else via
// the supernode; a PACKET becomes a TAP frame.
#include "core/edge/engine.hpp"

namespace n2nkit::edge {
namespace {

constexpr std::size_t kEthernetHeader = 14;
constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;

std::uint16_t ethertype(ByteView frame) {
  return static_cast<std::uint16_t>((frame[12] << 8) | frame[13]);
}

// IPv4 multicast (01:00:5E, bit 7 of byte 3 clear) and IPv6 multicast (33:33); broadcast
// FF:FF:FF:FF:FF:FF is not "multicast" here (§11.6 step 1).
bool ip_multicast_destination(ByteView frame) {
  const bool ipv4 =
      frame[0] == 0x01 && frame[1] == 0x00 && frame[2] == 0x5e && (frame[3] & 0x80) == 0;
  const bool ipv6 = frame[0] == 0x33 && frame[1] == 0x33;
  return ipv4 || ipv6;
}

wire::Mac mac_at(ByteView frame, std::size_t offset) {
  wire::Mac m{};
  std::copy_n(frame.begin() + static_cast<std::ptrdiff_t>(offset), m.size(), m.begin());
  return m;
}

}  // namespace

bool Engine::frame_allowed_out(ByteView frame) {
  if (frame.size() < kEthernetHeader) {
    drop(Reason::too_short);
    return false;
  }
  if (!config_.accept_multicast && ip_multicast_destination(frame)) {
    drop(Reason::multicast_filtered);
    return false;
  }
  // Without -r only our own address may send (§11.6 step 2).
  if (!config_.routing && address_ && ethertype(frame) == kEtherTypeIpv4 &&
      frame.size() >= kEthernetHeader + 20 && load_be32(frame.data() + 26) != address_->addr) {
    drop(Reason::foreign_source);
    return false;
  }
  if (!filter_.allows(frame)) {
    drop(Reason::traffic_rule);
    return false;
  }
  return true;
}

bool Engine::frame_allowed_in(ByteView frame) {
  if (frame.size() < kEthernetHeader) {
    drop(Reason::too_short);
    return false;
  }
  const bool multicast = ip_multicast_destination(frame);
  if (!config_.accept_multicast && multicast) {
    drop(Reason::multicast_filtered);
    return false;
  }
  // Without -r a unicast IPv4 frame must be for our address (§11.6 receive step 4).
  const bool broadcast = mac_at(frame, 0) == wire::kBroadcastMac;
  if (!config_.routing && address_ && !broadcast && !multicast &&
      ethertype(frame) == kEtherTypeIpv4 && frame.size() >= kEthernetHeader + 20 &&
      load_be32(frame.data() + 30) != address_->addr) {
    drop(Reason::foreign_destination);
    return false;
  }
  if (!filter_.allows(frame)) {
    drop(Reason::traffic_rule);
    return false;
  }
  return true;
}

mss::ClampLimits Engine::clamp_limits_with(const wire::Mac& peer) const {
  // Below the TAP's limits where the direct path to that peer is known to carry less (its
  // path-MTU search): TCP then never needs fragmentation or an ICMP towards that peer.
  const auto limit = peer_frame_limit(peer);
  if (!limit || *limit <= kEthernetHeader) return mss_limits_;
  const auto path = mss::clamp_limits_for_mtu(*limit - kEthernetHeader);
  return {std::min(mss_limits_.ipv4, path.ipv4), std::min(mss_limits_.ipv6, path.ipv6)};
}

ByteView Engine::clamped_out(ByteView frame) {
  if (!config_.mss_clamp || frame.size() > clamp_buffer_.size()) return frame;
  // Read-only first: only SYNs that carry an MSS option are copied and rewritten.
  if (mss::find_syn_frame(frame).status != mss::ClampStatus::within_limit) return frame;
  const MutableByteView copy{clamp_buffer_.data(), frame.size()};
  std::copy(frame.begin(), frame.end(), copy.begin());
  const auto limits = clamp_limits_with(mac_at(frame, 0));
  if (mss::clamp_mss(copy, limits).status != mss::ClampStatus::clamped) return frame;
  ++counters_.mss_clamped_tx;
  return copy;
}

void Engine::on_frame(ByteView original, wire::WallTime now, Outbox& net) {
  on_frame_impl(original, now, net, nullptr);
}

void Engine::on_frame(ByteView original, wire::WallTime now, Outbox& net, Outbox& tap) {
  on_frame_impl(original, now, net, &tap);
}

void Engine::on_frame_impl(ByteView original, wire::WallTime now, Outbox& net, Outbox* tap) {
  if (!accepted()) return drop(Reason::not_registered);
  if (!frame_allowed_out(original)) return;
  if (original.size() > crypto::kMaxTransformInput) return drop(Reason::frame_too_large);
  const ByteView frame = clamped_out(original);
  const wire::Mac destination = mac_at(frame, 0);
  if (!wire::is_multicast_or_broadcast(destination) && direct_peer(destination, now.sec) &&
      too_big_for_peer(frame, destination, now, tap)) {
    return;
  }

  ByteView payload = frame;
  auto compression = crypto::CompressionId::none;
  if (config_.compression != crypto::CompressionId::none) {
    // Sent compressed only when strictly shorter (§9.7).
    const auto packed = crypto::compress(config_.compression, frame, compressed_);
    if (packed && *packed != 0 && *packed < frame.size()) {
      payload = ByteView{compressed_.data(), *packed};
      compression = config_.compression;
      ++counters_.compressed_tx;
    }
  }
  const auto sealed = transform_->encrypt(payload, sealed_payload_, config_.random);
  if (!sealed) return drop(sealed.error());

  wire::Packet msg;
  msg.src_mac = config_.mac;
  msg.dst_mac = mac_at(frame, 0);
  msg.compression = static_cast<std::uint8_t>(compression);
  msg.transform = static_cast<std::uint8_t>(transform_->id());
  msg.payload = ByteView{sealed_payload_.data(), *sealed};
  const bool group = wire::is_multicast_or_broadcast(msg.dst_mac);
  if (!group) {
    if (const Peer* peer = direct_peer(msg.dst_mac, now.sec)) {
      if (!send(msg, peer->sock, now, net)) return;
      ++counters_.transop_tx;
      ++counters_.p2p_tx;
      return;
    }
  }
  if (!send(msg, supernodes_[current_].sock, now, net)) return;
  ++counters_.transop_tx;
  if (group) {
    ++counters_.super_broadcast_tx;
  } else {
    ++counters_.super_tx;
    want_peer(msg.dst_mac, now, net);
  }
}

void Engine::on_packet(const wire::Packet& packet, const Endpoint& from, bool via_supernode,
                       wire::WallTime now, Outbox& net, Outbox& tap) {
  if (!accepted()) return drop(Reason::not_registered);
  if (packet.transform != static_cast<std::uint8_t>(transform_->id())) {
    return drop(crypto::transform_from_wire(packet.transform) ? Reason::transform_mismatch
                                                              : Reason::unknown_transform);
  }
  const auto compression = crypto::compression_from_wire(packet.compression);
  if (!compression) return drop(Reason::unknown_compression);
  const auto opened = transform_->decrypt(packet.payload, sealed_payload_);
  if (!opened) return drop(opened.error());
  MutableByteView frame{sealed_payload_.data(), *opened};
  if (*compression != crypto::CompressionId::none) {
    const auto unpacked = crypto::decompress(*compression, frame, frame_);
    if (!unpacked) return drop(unpacked.error());
    frame = MutableByteView{frame_.data(), *unpacked};
  }
  if (!frame_allowed_in(frame)) return;
  // Peers that do not clamp (the reference edge) still get SYN-ACKs their path can carry.
  if (config_.mss_clamp && mss::find_syn_frame(frame).status == mss::ClampStatus::within_limit &&
      mss::clamp_mss(frame, clamp_limits_with(mac_at(frame, 6))).status ==
          mss::ClampStatus::clamped) {
    ++counters_.mss_clamped_rx;
  }
  ++counters_.transop_rx;
  if (via_supernode) {
    counters_.last_super_rx = now.sec;
    if (packet.sock) recheck_moved_peer(packet.src_mac, *packet.sock, now, net);
    if (wire::is_multicast_or_broadcast(packet.dst_mac)) {
      ++counters_.super_broadcast_rx;
    } else {
      ++counters_.super_rx;
      // The sender reaches us only through the supernode: try for a direct path (§11.6).
      want_peer(packet.src_mac, now, net);
    }
  } else {
    ++counters_.p2p_rx;
    counters_.last_p2p_rx = now.sec;
    if (Peer* known = peers_.known(packet.src_mac); known != nullptr) {
      if (known->sock == from.sock) {
        known->heard_on_sock(now.sec);
      } else if (config_.p2p) {
        notice_move(*known, from.sock, kCookieRegular, now, net);
      }
    }
  }
  tap.push(Endpoint{}, frame);
}

}  // namespace n2nkit::edge
