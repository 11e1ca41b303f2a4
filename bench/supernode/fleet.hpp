#pragma once
// The simulated edges of the scale benchmark and the datagrams they send: REGISTER_SUPER with a
// simple-id token, unicast and broadcast PACKETs, each plaintext or sealed with the community's
// static header keys (what an edge with `-H` does, spec §8.2).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/supernode/endpoint.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"
#include "core/wire/time_stamp.hpp"

namespace n2nkit::bench {

struct SimEdge {
  std::uint32_t community = 0;
  wire::Mac mac{};
  wire::Sock sock{};  // its public socket, distinct per edge
  // Half the edges ask for an automatic address (bootstrap with the null MAC, then register
  // with what the ACK assigned); the others announce a fixed address outside the auto-IP pool.
  bool auto_ip = false;
  wire::IpSubnet dev_addr{};  // what it registers with (auto-IP: the assigned one, once known)
  wire::Description desc{};
  wire::Auth auth{};
};

// One datagram ready for Engine::on_datagram, in a reusable slot.
struct Prepared {
  std::array<std::uint8_t, wire::kMaxDatagram> bytes{};
  std::size_t size = 0;
  supernode::Source from{};
  wire::WallTime time{};
  std::uint32_t edge = 0;  // index of the sending edge
  ByteView view() const { return {bytes.data(), size}; }
};

class Fleet {
 public:
  // edges spread round-robin over communities named "community-0000", ...; encrypted: every
  // datagram is sealed with its community's static header keys.
  Fleet(std::size_t edges, std::size_t communities, bool encrypted);

  std::vector<SimEdge>& edges() { return edges_; }
  const std::vector<SimEdge>& edges() const { return edges_; }
  const std::vector<std::uint32_t>& members(std::uint32_t community) const {
    return members_[community];
  }
  std::size_t community_count() const { return names_.size(); }
  const wire::Community& name(std::uint32_t community) const { return names_[community]; }
  // community.list text naming every community (for a locked supernode that may encrypt).
  std::string community_list_text() const;
  bool encrypted() const { return encrypted_; }

  // bootstrap: the null-MAC request for an address (spec §11.1) with 0/0.
  void register_super(Prepared& p, std::uint32_t edge, bool bootstrap, std::uint32_t cookie,
                      wire::WallTime t) const;
  // A 1400-byte PACKET (payload), unicast to dst or broadcast when dst is nullopt.
  void packet(Prepared& p, std::uint32_t edge, const std::optional<wire::Mac>& dst,
              wire::WallTime t) const;

  // An answer from the supernode as an edge reads it (opened with the community keys).
  std::optional<wire::RegisterSuperAck> read_ack(ByteView datagram, std::uint32_t community) const;

 private:
  void finish(Prepared& p, std::uint32_t edge, const wire::CommonHeader& h, const wire::Message& m,
              wire::WallTime t) const;

  bool encrypted_;
  std::vector<SimEdge> edges_;
  std::vector<wire::Community> names_;
  std::vector<wire::HeaderKeys> keys_;  // per community, when encrypted
  std::vector<std::vector<std::uint32_t>> members_;
  std::vector<std::uint8_t> payload_;
  mutable std::uint32_t filler_ = 0x9e3779b9;
};

}  // namespace n2nkit::bench
