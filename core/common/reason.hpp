#pragma once
// Why something was rejected. One enum for the whole core so that a daemon can key its drop
// counters by it and the management API can name every drop; see reason_name().
#include <cstdint>
#include <string_view>

namespace n2nkit {

#define N2NKIT_REASONS(X)                                                                      \
  X(ok, "ok")                                                                                  \
  /* framing */                                                                                \
  X(too_short, "datagram shorter than the 24-byte common header")                              \
  X(bad_version, "protocol version is not 3")                                                  \
  X(unknown_type, "unknown or unused message type")                                            \
  X(truncated, "message ends before a mandatory field")                                        \
  X(token_too_large, "auth token larger than 48 bytes")                                        \
  X(too_many_supernodes, "more than 44 supernode entries")                                     \
  X(bad_field, "field value out of range")                                                     \
  X(buffer_too_small, "output buffer too small")                                               \
  X(too_large, "message larger than 2048 bytes")                                               \
  /* header encryption */                                                                      \
  X(he_no_key, "header decryption failed with every key tried")                                \
  X(he_checksum, "header checksum mismatch")                                                   \
  X(stamp_out_of_window, "time stamp more than 16 s away from the local clock")                \
  X(stamp_replayed, "time stamp not newer than the last one from this sender")                 \
  X(trailer_mismatch, "user/password trailer does not verify")                                 \
  X(wrong_key_kind, "message must use the dynamic key in a user/password community")           \
  /* payload */                                                                                \
  X(unknown_transform, "unknown transform id")                                                 \
  X(transform_mismatch, "transform id differs from the configured one")                        \
  X(payload_too_short, "payload shorter than the transform's minimum")                         \
  X(cipher_failure, "cipher library error")                                                    \
  X(frame_too_large, "frame larger than the transform accepts")                                \
  X(unknown_compression, "unknown compression id")                                             \
  X(decompress_failed, "compressed payload does not decompress")                               \
  X(decompressed_too_large, "decompressed frame larger than 2048 bytes")                       \
  /* user/password */                                                                          \
  X(bad_key_encoding, "not a valid n2n 6-bit key string")                                      \
  X(bad_key_length, "key has the wrong length")                                                \
  X(auth_scheme_mismatch, "auth scheme not accepted here")                                     \
  X(auth_challenge_mismatch, "challenge answer does not match")                                \
  X(unknown_user, "public key of no known user")                                               \
  /* captures */                                                                               \
  X(capture_error, "capture file could not be read")                                           \
  X(not_ip_udp, "frame is not IPv4/IPv6 UDP")                                                  \
  X(ip_truncated, "IP or UDP header truncated or inconsistent")                                \
  X(ip_fragment, "IP fragment (not reassembled)")                                              \
  X(not_n2n, "UDP payload is not n2n v3 traffic")                                              \
  /* supernode configuration */                                                                \
  X(bad_regex, "invalid community regular expression")                                         \
  X(bad_community_list, "community.list unreadable or invalid")                                \
  /* supernode engine */                                                                       \
  X(community_not_allowed, "community not served by this locked supernode")                    \
  X(unknown_community, "community not hosted here")                                            \
  X(ttl_expired, "TTL 0")                                                                      \
  X(own_mac, "edge MAC equals the supernode's own MAC")                                        \
  X(unknown_destination, "MAC of no edge registered here")                                     \
  X(not_for_supernode, "message type a supernode does not accept")                             \
  X(from_unknown_supernode, "FROM_SUPERNODE from a non-member of the federation")              \
  X(spoofing_refused, "auth token differs from the registered edge's")                         \
  X(he_required, "plaintext header in a header-encrypted community")                           \
  X(trailer_missing, "REGISTER_SUPER without the trailer of a user/password community")        \
  X(cookie_mismatch, "answer does not echo the cookie of our request")                         \
  /* edge engine */                                                                            \
  X(not_registered, "no supernode has accepted the edge yet")                                  \
  X(not_waiting, "registration answer while no registration is outstanding")                   \
  X(unknown_supernode, "FROM_SUPERNODE from a socket not in the supernode list")               \
  X(multicast_filtered, "IPv4/IPv6 multicast frame without -E")                                \
  X(foreign_source, "IPv4 frame from another address than the TAP's, without -r")              \
  X(foreign_destination, "IPv4 frame for another address than the TAP's, without -r")          \
  X(not_for_edge, "message type an edge does not accept")                                      \
  X(traffic_rule, "frame dropped by a -R traffic rule")                                        \
  X(static_key_required, "registration answer without static key and trailer (user/password)") \
  X(multicast_own, "our own multicast discovery REGISTER, looped back")                        \
  X(multicast_unexpected, "on the discovery group: not a REGISTER with a null destination")    \
  X(unsolicited_pong, "PONG from a supernode no PING is outstanding to")                       \
  X(too_big_for_path, "DF frame larger than its peer's path MTU (answered with ICMP)")

enum class Reason : std::uint8_t {
#define N2NKIT_REASON_ENUM(id, text) id,
  N2NKIT_REASONS(N2NKIT_REASON_ENUM)
#undef N2NKIT_REASON_ENUM
};

inline constexpr std::size_t kReasonCount = 0
#define N2NKIT_REASON_COUNT(id, text) +1
    N2NKIT_REASONS(N2NKIT_REASON_COUNT)
#undef N2NKIT_REASON_COUNT
    ;

// Short identifier ("truncated"), stable: used in JSON, counters and logs.
std::string_view reason_name(Reason r);
// One-line human explanation.
std::string_view reason_text(Reason r);

}  // namespace n2nkit
