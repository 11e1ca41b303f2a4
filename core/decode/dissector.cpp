#include "core/decode/dissector.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/crypto/compress/compression.hpp"
#include "core/decode/message_json.hpp"
#include "core/packet/frame_summary.hpp"

namespace n2nkit::decode {
namespace {

using json = nlohmann::ordered_json;
constexpr std::uint16_t kSupernodePort = 7654;
constexpr std::uint16_t kDiscoveryPort = 1968;
constexpr std::size_t kTrailerSize = 16;

bool is_multicast_v4(const packet::IpEndpoint& e) {
  return !e.ipv6 && (e.addr[0] & 0xf0) == 0xe0;
}

wire::WallTime wall_time(double t) {
  if (!(t > 0)) return {};
  const double sec = std::floor(t);
  return {static_cast<std::uint64_t>(sec), static_cast<std::uint32_t>((t - sec) * 1e6)};
}

}  // namespace

// Where the plaintext of the current datagram is, and how it was obtained.
struct Dissector::Plaintext {
  ByteView bytes;
  CommunityKeys* community = nullptr;  // null for plaintext headers
  bool trailer = false;
  std::optional<std::uint64_t> stamp;
};

Dissector::Dissector(KeyRing ring, const DecoderConfig& config)
    : ring_(std::move(ring)),
      ports_(config.ports),
      transform_id_(config.effective_transform()),
      transform_(crypto::make_transform(transform_id_, config.key.value_or(""))),
      payload_buf_(wire::kMaxDatagram),
      frame_buf_(crypto::kMaxDecompressed) {}

bool Dissector::port_selected(const packet::UdpDatagram& d) const {
  return std::find(ports_.begin(), ports_.end(), d.src.port) != ports_.end() ||
         std::find(ports_.begin(), ports_.end(), d.dst.port) != ports_.end();
}

bool Dissector::is_candidate(const packet::UdpDatagram& d) const {
  if (!ports_.empty()) return true;  // port_selected() already held
  return d.src.port == kSupernodePort || d.dst.port == kSupernodePort ||
         d.dst.port == kDiscoveryPort || n2n_endpoints_.count(d.src) || n2n_endpoints_.count(d.dst);
}

void Dissector::count_failure(Reason r) {
  ++stats_.failures;
  ++stats_.by_reason[r];
}

std::optional<std::size_t> Dissector::train_segment_length(ByteView payload) const {
  if (wire::looks_like_plaintext_header(payload)) return std::nullopt;
  for (const auto& c : ring_.communities()) {
    if (auto n = wire::he_train_segment_length(payload, c.name, c.current_dynamic())) return n;
    if (auto n = wire::he_train_segment_length(payload, c.name, c.static_keys)) return n;
  }
  return std::nullopt;
}

std::vector<json> Dissector::dissect_captured(const packet::UdpDatagram& d, double time) {
  std::vector<json> records;
  auto whole = dissect(d, time);
  if (!whole) return records;
  const bool checksum_failed =
      whole->contains("error") && (*whole)["error"] == reason_name(Reason::he_checksum);
  if (checksum_failed) {
    if (const auto segment = train_segment_length(d.payload)) {
      // Not one datagram that failed: a train. Count its datagrams instead.
      --stats_.datagrams;
      --stats_.failures;
      if (--stats_.by_reason[Reason::he_checksum] == 0) stats_.by_reason.erase(Reason::he_checksum);
      ++stats_.trains;
      for (std::size_t at = 0; at < d.payload.size(); at += *segment) {
        packet::UdpDatagram piece = d;
        piece.payload = d.payload.subspan(at, std::min(*segment, d.payload.size() - at));
        if (auto r = dissect(piece, time)) records.push_back(std::move(*r));
      }
      return records;
    }
  }
  records.push_back(std::move(*whole));
  return records;
}

std::optional<json> Dissector::dissect(const packet::UdpDatagram& d, double time) {
  ++stats_.datagrams;
  if (!ports_.empty() && !port_selected(d)) {
    ++stats_.not_n2n;
    return std::nullopt;
  }
  json j;
  j["time"] = time;
  j["src"] = packet::endpoint_to_string(d.src);
  j["dst"] = packet::endpoint_to_string(d.dst);
  j["len"] = d.payload.size();
  j["msg"] = nullptr;
  const auto error = decode_into(j, d, time);
  if (error && j["msg"].is_null() && !is_candidate(d)) {
    ++stats_.not_n2n;
    return std::nullopt;
  }
  if (!j["msg"].is_null()) {
    n2n_endpoints_[d.src] = true;
    if (!is_multicast_v4(d.dst)) n2n_endpoints_[d.dst] = true;
  }
  if (error) {
    j["error"] = reason_name(*error);
    j["error_text"] = reason_text(*error);
    count_failure(*error);
  } else {
    ++stats_.messages;
    ++stats_.by_type[j["msg"].get<std::string>()];
  }
  return j;
}

std::optional<Reason> Dissector::decode_into(json& j, const packet::UdpDatagram& d, double time) {
  const ByteView raw = d.payload;
  if (raw.size() < wire::kCommonHeaderSize) return Reason::too_short;
  if (raw.size() > wire::kMaxDatagram * 32) return Reason::too_large;

  Plaintext pt;
  std::optional<wire::Decoded> msg;
  Reason why = Reason::he_no_key;
  if (wire::looks_like_plaintext_header(raw)) {
    auto r = wire::decode(raw);
    if (r) {
      pt.bytes = raw;
      msg = std::move(*r);
    } else {
      why = r.error();
    }
  }
  if (!msg) {
    header_buf_.resize(raw.size());
    for (auto& c : ring_.communities()) {
      auto t = wire::he_decrypt_trial(raw, c.name, c.current_dynamic(), c.static_keys, header_buf_);
      if (!t) {
        if (t.error() == Reason::he_checksum) why = Reason::he_checksum;
        continue;
      }
      const ByteView plain{header_buf_.data(), t->length};
      auto r = wire::decode(plain);
      if (!r) {
        why = r.error();
        continue;
      }
      pt = Plaintext{plain, &c, t->kind == wire::HeKeyKind::static_with_trailer, t->stamp};
      msg = std::move(*r);
      std::string label = "community-key";
      if (pt.trailer) label = "static+hash";
      if (!pt.trailer && c.dynamic_keys) label = "dynamic";
      j["header_encryption"] = label;
      j["he_key_community"] = c_string_field(c.name);
      j["he_header_len"] = t->covered;
      j["stamp"] = fmt::format("{:016x}", t->stamp);
      j["stamp_unix_s"] = wire::stamp_seconds(t->stamp);
      if (pt.trailer) j["appended_hash_len"] = kTrailerSize;
      j["decrypted_hex"] = to_hex(plain);
      break;
    }
  }
  if (!msg) return why;
  if (!pt.community) j["header_encryption"] = "none";

  j["msg"] = wire::msg_type_name(msg->header.type);
  add_header_fields(j, msg->header);
  add_message_fields(j, msg->message);
  if (!std::holds_alternative<wire::Packet>(msg->message)) {
    j["trailing_bytes"] = pt.bytes.size() - msg->consumed;
  }
  if (pt.stamp) check_stamp(j, d, *msg, *pt.stamp, time);
  if (const auto* ack = std::get_if<wire::RegisterSuperAck>(&msg->message)) {
    const std::size_t at = 54 + ack->auth.size;
    const std::size_t len = wire::kSupernodeEntrySize * ack->supernodes.size();
    if (at + len <= pt.bytes.size()) j["sn_entries_raw"] = to_hex(pt.bytes.subspan(at, len));
  }
  handle_user_password(j, *msg, raw, pt);
  if (const auto* p = std::get_if<wire::Packet>(&msg->message)) return handle_payload(j, *p);
  return std::nullopt;
}

void Dissector::check_stamp(json& j, const packet::UdpDatagram& d, const wire::Decoded& msg,
                            std::uint64_t stamp, double time) {
  // The capture's clock stands in for the receiver's (§8.6); per-sender state by socket.
  const auto now = wire::stamp_of(wall_time(time));
  const auto type = msg.header.type;
  const bool jitter = type == wire::MsgType::packet || type == wire::MsgType::query_peer ||
                      type == wire::MsgType::peer_info ||
                      (type == wire::MsgType::register_ && is_multicast_v4(d.dst));
  auto it = replay_.try_emplace(d.src, now).first;
  const auto s = it->second.accept(stamp, now, jitter);
  j["stamp_check"] = s ? std::string("ok") : std::string(reason_name(s.error()));
  if (!s) ++stats_.stamp_problems;
}

void Dissector::handle_user_password(json& j, const wire::Decoded& msg, ByteView raw,
                                     const Plaintext& pt) {
  auto verify_trailer = [&](const keys::Key32& shared) {
    if (!pt.trailer) return;
    const auto expect = keys::trailer(raw.first(raw.size() - kTrailerSize), shared);
    j["trailer"] =
        std::equal(expect.begin(), expect.end(), raw.end() - kTrailerSize) ? "ok" : "mismatch";
  };
  if (const auto* rs = std::get_if<wire::RegisterSuper>(&msg.message)) {
    if (rs->auth.scheme != 2 || rs->auth.size != keys::kAuthTokenSize) return;
    keys::Key32 pub;
    std::copy_n(rs->auth.token.begin(), pub.size(), pub.begin());
    const auto shared = ring_.shared_secret_for(pub);
    if (!shared) return;
    j["auth_user"] = c_string_field(rs->desc);
    verify_trailer(*shared);
    if (auto ch = keys::challenge_from_edge_token(rs->auth.token_view(), *shared)) {
      j["auth_challenge_plain"] = to_hex(*ch);
      ring_.remember_challenge(rs->cookie, *shared, *ch);
    }
  } else if (const auto* ack = std::get_if<wire::RegisterSuperAck>(&msg.message)) {
    if (ack->auth.scheme != 2) return;
    const auto pending = ring_.challenge_for(ack->cookie);
    if (!pending) {
      j["auth_note"] = "no REGISTER_SUPER with this cookie seen: dynamic key not recovered";
      return;
    }
    verify_trailer(pending->shared);
    auto d = keys::dynamic_key_from_ack_token(ack->auth.token_view(), pending->shared,
                                              pending->challenge);
    j["challenge_echo_ok"] = d.has_value();
    if (d && pt.community) {
      j["dynamic_key"] = to_hex(*d);
      ring_.learn_dynamic_key(*pt.community, *d);
    }
  } else if (std::holds_alternative<wire::RegisterSuperNak>(msg.message) && pt.trailer) {
    j["trailer"] = "not checked (arbitrary in a NAK)";
  }
}

std::optional<Reason> Dissector::handle_payload(json& j, const wire::Packet& p) {
  const auto tid = crypto::transform_from_wire(p.transform);
  if (!tid) return Reason::unknown_transform;
  if (*tid != transform_id_) return Reason::transform_mismatch;
  if (p.payload.size() > payload_buf_.size()) return Reason::frame_too_large;
  auto dec = transform_->decrypt(p.payload, payload_buf_);
  if (!dec) return dec.error();
  ByteView frame{payload_buf_.data(), *dec};
  const auto cid = crypto::compression_from_wire(p.compression);
  if (!cid) return Reason::unknown_compression;
  if (*cid != crypto::CompressionId::none) {
    j["compressed_len"] = frame.size();
    j["compressed_hex"] = to_hex(frame);
    auto out = crypto::decompress(*cid, frame, frame_buf_);
    if (!out) return out.error();
    frame = ByteView{frame_buf_.data(), *out};
  }
  j["decrypted_len"] = frame.size();
  auto inner = packet::summarize_ethernet_frame(frame);
  inner["hex"] = to_hex(frame);
  j["inner"] = std::move(inner);
  return std::nullopt;
}

}  // namespace n2nkit::decode
