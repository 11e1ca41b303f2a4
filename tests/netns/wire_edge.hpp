#pragma once
// A scripted edge over real UDP: it builds every message with the core's encoders, seals it
// with the community's static header keys when header encryption is on (spec §8.2), and opens
// and decodes what comes back. It keeps no protocol state beyond its stamps; the steps decide
// what to send and what to expect.
#include <chrono>
#include <optional>
#include <string>

#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"
#include "core/wire/time_stamp.hpp"
#include "tests/netns/netns_udp.hpp"

namespace n2nkit::netnstest {

struct EdgeIdentity {
  std::string name;  // for the report ("A", "B", ...)
  std::string community;
  wire::Mac mac{};
  std::string desc;
  wire::Auth auth{};  // simple id (scheme 1, 16 random bytes)
  bool header_encryption = false;
};

struct Incoming {
  Datagram raw;
  ByteVector plain;        // the datagram with its header decrypted (= raw when plaintext)
  bool encrypted = false;  // opened with our community's keys
  std::uint64_t stamp = 0;
  std::optional<wire::Decoded> decoded;  // empty when the datagram does not decode
  Reason error = Reason::ok;             // why it does not
};

// "REGISTER_SUPER_ACK", "undecodable (reason)", ...
std::string describe(const Incoming& in);

class WireEdge {
 public:
  WireEdge(EdgeIdentity identity, UdpSocket socket, wire::Sock supernode);

  const EdgeIdentity& id() const { return id_; }
  const wire::Sock& public_sock() const { return socket_.public_sock(); }
  const UdpSocket& socket() const { return socket_; }

  // Common header as an edge sends it (TTL 2, flags 0 + `flags`).
  wire::CommonHeader header(std::uint16_t flags = 0) const;
  // Encodes and, with header encryption, seals with a fresh stamp. Empty if encoding fails.
  ByteVector frame(const wire::Message& message, std::uint16_t flags = 0) const;
  ByteVector seal(ByteVector plaintext) const;

  ByteVector register_super(std::uint32_t cookie, const wire::IpSubnet& dev_addr,
                            bool null_mac = false,
                            const std::optional<wire::Sock>& preferred = std::nullopt) const;
  ByteVector unregister_super() const;
  ByteVector query_peer(const wire::Mac& target) const;
  ByteVector packet(const wire::Mac& dst, ByteView payload) const;

  bool send(ByteView datagram) const { return socket_.send(datagram, supernode_); }
  bool send_to(ByteView datagram, const wire::Sock& to) const { return socket_.send(datagram, to); }
  std::optional<Incoming> receive(std::chrono::milliseconds timeout) const;

  // Waits for a message of type T; other datagrams are skipped and listed in `others`.
  template <class T>
  std::optional<std::pair<Incoming, T>> expect(std::chrono::milliseconds timeout,
                                               std::string& others) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return std::nullopt;
      auto in = receive(left);
      if (!in) return std::nullopt;
      if (in->decoded) {
        if (const auto* m = std::get_if<T>(&in->decoded->message)) {
          T copy = *m;
          return std::make_pair(std::move(*in), copy);
        }
      }
      others += (others.empty() ? "" : ", ") + describe(*in);
    }
  }

 private:
  EdgeIdentity id_;
  UdpSocket socket_;
  wire::Sock supernode_;
  wire::Community community_;
  wire::HeaderKeys keys_;
  mutable wire::StampGenerator stamps_;
};

wire::WallTime wall_now();

}  // namespace n2nkit::netnstest
