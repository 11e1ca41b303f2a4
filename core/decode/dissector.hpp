#pragma once
// The n2n v3 dissector behind n2n-decode: UDP datagrams in, one JSON record per n2n message
// out. It finds n2n traffic on any port (plaintext headers by their form, encrypted headers by
// a successful trial with the configured keys), decrypts headers and payloads, decompresses,
// summarises the carried Ethernet frame, and learns user/password dynamic keys on the way.
// Pure: the caller supplies the time of each datagram (the capture's clock).
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/crypto/transform.hpp"
#include "core/decode/key_ring.hpp"
#include "core/packet/udp_datagram.hpp"
#include "core/wire/messages.hpp"
#include "core/wire/time_stamp.hpp"

namespace n2nkit::decode {

struct DissectorStats {
  std::uint64_t datagrams = 0;       // UDP datagrams offered
  std::uint64_t not_n2n = 0;         // skipped: not n2n traffic
  std::uint64_t messages = 0;        // reported, decoded
  std::uint64_t failures = 0;        // reported, not (completely) decoded
  std::uint64_t stamp_problems = 0;  // decoded, but the time stamp check failed
  std::uint64_t trains = 0;          // UDP payloads that held several datagrams (UDP GSO)
  std::map<std::string, std::uint64_t> by_type;
  std::map<Reason, std::uint64_t> by_reason;
};

class Dissector {
 public:
  Dissector(KeyRing ring, const DecoderConfig& config);

  // nullopt when the datagram is not n2n traffic. Otherwise a record with at least time, src,
  // dst, len, msg (null when unknown), and error/error_text when decoding failed.
  std::optional<nlohmann::ordered_json> dissect(const packet::UdpDatagram& d, double time);
  // Like dissect(), for what a capture holds: one UDP payload may be a train of datagrams the
  // sender passed to the kernel at once with UDP segmentation offload (a capture on the
  // sending host, or on a bridge or veth, sees them before they are cut). A header-encrypted
  // train is recognised by its first datagram's checksum and cut; one record per datagram.
  std::vector<nlohmann::ordered_json> dissect_captured(const packet::UdpDatagram& d, double time);

  // A captured frame that held no usable UDP datagram on a port of interest.
  void count_failure(Reason r);
  const DissectorStats& stats() const { return stats_; }

 private:
  struct Plaintext;
  bool is_candidate(const packet::UdpDatagram& d) const;
  bool port_selected(const packet::UdpDatagram& d) const;
  std::optional<Reason> decode_into(nlohmann::ordered_json& j, const packet::UdpDatagram& d,
                                    double time);
  void handle_user_password(nlohmann::ordered_json& j, const wire::Decoded& msg, ByteView raw,
                            const Plaintext& pt);
  std::optional<Reason> handle_payload(nlohmann::ordered_json& j, const wire::Packet& p);
  std::optional<std::size_t> train_segment_length(ByteView payload) const;
  void check_stamp(nlohmann::ordered_json& j, const packet::UdpDatagram& d,
                   const wire::Decoded& msg, std::uint64_t stamp, double time);

  KeyRing ring_;
  std::vector<std::uint16_t> ports_;
  crypto::TransformId transform_id_;
  std::unique_ptr<crypto::Transform> transform_;
  std::map<packet::IpEndpoint, wire::ReplayWindow> replay_;
  std::map<packet::IpEndpoint, bool> n2n_endpoints_;
  ByteVector header_buf_, payload_buf_, frame_buf_;
  DissectorStats stats_;
};

}  // namespace n2nkit::decode
