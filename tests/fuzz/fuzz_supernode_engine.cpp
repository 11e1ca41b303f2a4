// The supernode engine on arbitrary datagrams from four sources with an advancing clock.
// Input: byte 0 picks the configuration (bits 0-1) and the sealing mode (bit 2); then records
// of [control][len hi][len lo][bytes]: control bits 0-1 pick the source, bits 2-7 advance the
// clock by that many seconds (ticking the engine at every deadline passed). In sealing mode
// (locked list) a record's bytes start with a signed 16-bit stamp offset in milliseconds, and
// the rest, when it looks like a plaintext header, is renamed to the listed community "net"
// and header-encrypted with its keys before delivery, so the decrypted paths are reached too.
// Invariants: no crash; every datagram the engine sends is at most 2048 bytes, decodes (after
// decryption with a listed community's keys when encrypted), carries FROM_SUPERNODE and goes
// to one of the sources (edges' sockets are only ever learnt from them); the next deadline is
// always in the future after a tick.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/supernode/engine.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"

using namespace n2nkit;
using namespace n2nkit::supernode;

namespace {

const wire::Community kNet = wire::make_community("net");
const wire::Community kFixed = wire::make_community("fixed");

SupernodeConfig config_for(std::uint8_t selector) {
  SupernodeConfig config;
  config.mac = {0x02, 0x53, 0x4e, 0x00, 0x00, 0x01};
  config.random = [](MutableByteView out) {
    for (auto& b : out) b = 0xa5;
  };
  switch (selector % 4) {
    case 1: {
      std::vector<std::string> warnings;
      std::string error;
      auto list =
          parse_community_list("net\nfixed 10.7.0.0/16\nteam\\d+\n", "fuzz.list", warnings, error);
      if (!list) __builtin_trap();
      config.communities = std::move(*list);
      break;
    }
    case 2:
      config.spoofing_protection = false;
      break;
    case 3:
      config.auto_ip = AutoIpPool{0x0A630000u, 0x0A630004u, 30};  // two /30 subnets
      break;
    default:
      break;
  }
  return config;
}

void check_outbox(const Outbox& out, const wire::Sock (&sources)[4]) {
  static const wire::HeaderKeys net_keys = wire::HeaderKeys::from_community(kNet);
  static const wire::HeaderKeys fixed_keys = wire::HeaderKeys::from_community(kFixed);
  std::array<std::uint8_t, wire::kMaxDatagram> plain{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto d = out[i];
    if (d.bytes.size() > wire::kMaxDatagram) __builtin_trap();
    ByteView bytes = d.bytes;
    if (!wire::looks_like_plaintext_header(bytes)) {
      auto opened = wire::he_decrypt(bytes, bytes.size(), kNet, net_keys, plain);
      if (!opened) opened = wire::he_decrypt(bytes, bytes.size(), kFixed, fixed_keys, plain);
      if (!opened) __builtin_trap();
      bytes = ByteView{plain.data(), d.bytes.size()};
    }
    const auto decoded = wire::decode(bytes);
    if (!decoded) __builtin_trap();
    if ((decoded->header.flags & wire::kFlagFromSupernode) == 0) __builtin_trap();
    bool known = false;
    for (const auto& s : sources) known = known || d.to.sock == s;
    if (!known) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const wire::HeaderKeys net_keys = wire::HeaderKeys::from_community(kNet);
  const wire::Sock sources[4] = {
      wire::Sock::ipv4(0xC6130001u, 50001), wire::Sock::ipv4(0xC6130002u, 50002),
      wire::Sock::ipv4(0xC6130003u, 50003), wire::Sock::ipv4(0xC6130001u, 50004)};
  const bool sealing = (data[0] & 4) != 0;
  std::uint64_t now = 1'700'000'000;
  Engine engine(config_for(sealing ? 1 : data[0]), {now, 0});
  Outbox out;
  std::array<std::uint8_t, wire::kMaxDatagram> sealed{};
  std::size_t pos = 1;
  while (pos + 3 <= size) {
    const std::uint8_t control = data[pos];
    const std::size_t length = (std::size_t{data[pos + 1]} << 8) | data[pos + 2];
    pos += 3;
    const std::size_t take = length < size - pos ? length : size - pos;

    const std::uint64_t until = now + (control >> 2);
    while (engine.next_deadline().sec <= until) {
      now = engine.next_deadline().sec;
      out.clear();
      engine.on_tick({now, 0}, out);
      check_outbox(out, sources);
      if (engine.next_deadline().sec <= now) __builtin_trap();
    }
    now = until;

    ByteView datagram{data + pos, take};
    if (sealing && take >= 2) {
      const auto offset_ms = static_cast<std::int16_t>((data[pos] << 8) | data[pos + 1]);
      const std::uint64_t stamp =
          wire::stamp_of({now, 0}) +
          static_cast<std::uint64_t>(std::int64_t{offset_ms} * 1000 * 0x1000);
      datagram = datagram.subspan(2);
      if (wire::looks_like_plaintext_header(datagram) && datagram.size() <= sealed.size()) {
        const MutableByteView copy{sealed.data(), datagram.size()};
        std::copy(datagram.begin(), datagram.end(), copy.begin());
        // The checksum covers the community field: it must be the one the receiver restores.
        std::copy(kNet.begin(), kNet.end(), copy.begin() + 4);
        if (wire::he_encrypt(copy, wire::he_covered_length(copy, false), net_keys, stamp,
                             0x01020304u)) {
          datagram = copy;
        }
      }
    }
    out.clear();
    engine.on_datagram(datagram, Source{sources[control & 3], 0}, {now, 0}, out);
    check_outbox(out, sources);
    pos += take;
  }
  return 0;
}
