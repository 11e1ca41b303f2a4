// The edge engine on arbitrary datagrams and TAP frames with an advancing clock.
// Input: byte 0 picks the configuration (bits 0-2: transform, bit 3: -H, bit 4: -z, bit 5: -r,
// bit 6: automatic address); then records of [control][len hi][len lo][bytes]: control bit 0
// says datagram (from the supernode's socket, or with bit 1 from a stranger) or TAP frame,
// bits 2-7 advance the clock by that many seconds (ticking at every deadline passed). Before
// the records, the engine is registered with a genuine ACK so that the data path is reached.
// Invariants: no crash; every datagram the engine sends is at most 2048 bytes, goes to the
// supernode and decodes (after decryption with the community's keys under -H); every frame it
// writes to the TAP is at most 2048 bytes; the next deadline is in the future after a tick.
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/edge/engine.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"

using namespace n2nkit;

namespace {

const wire::Sock kSupernode = wire::Sock::ipv4(0xC0000201u, 7654);
const wire::Sock kStranger = wire::Sock::ipv4(0xCB007101u, 7654);
const wire::Community kNet = wire::make_community("net");

edge::EdgeConfig config_for(std::uint8_t selector) {
  edge::EdgeConfig c;
  c.community = "net";
  c.supernodes = {kSupernode};
  c.mac = {0x02, 0x20, 0x30, 0x00, 0x00, 0x01};
  c.transform = static_cast<crypto::TransformId>(1 + (selector & 7) % 5);
  c.key = c.transform == crypto::TransformId::null ? "" : "fuzz-key";
  c.header_encryption = (selector & 8) != 0;
  c.compression = (selector & 16) != 0 ? crypto::CompressionId::lzo : crypto::CompressionId::none;
  c.routing = (selector & 32) != 0;
  if ((selector & 64) == 0) c.address = wire::IpSubnet{0x0A141E01u, 24};
  c.random = [](MutableByteView out) {
    for (auto& b : out) b = 0x5a;
  };
  return c;
}

void check_net(const net::Outbox& out, bool sealed) {
  static const wire::HeaderKeys keys = wire::HeaderKeys::from_community(kNet);
  std::array<std::uint8_t, wire::kMaxDatagram> plain{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto d = out[i];
    if (d.bytes.size() > wire::kMaxDatagram || d.to.sock != kSupernode) __builtin_trap();
    ByteView bytes = d.bytes;
    if (sealed) {
      if (!wire::he_decrypt(bytes, bytes.size(), kNet, keys, plain)) __builtin_trap();
      bytes = ByteView{plain.data(), d.bytes.size()};
    }
    if (!wire::decode(bytes)) __builtin_trap();
  }
}

// The supernode's ACK to the engine's latest REGISTER_SUPER (cookie copied from it).
void acknowledge(edge::Engine& engine, const net::Outbox& sent, bool sealed, std::uint64_t now) {
  static const wire::HeaderKeys keys = wire::HeaderKeys::from_community(kNet);
  if (sent.empty()) return;
  std::array<std::uint8_t, wire::kMaxDatagram> plain{};
  ByteView bytes = sent[sent.size() - 1].bytes;
  if (sealed) {
    if (!wire::he_decrypt(bytes, bytes.size(), kNet, keys, plain)) return;
    bytes = ByteView{plain.data(), bytes.size()};
  }
  const auto decoded = wire::decode(bytes);
  if (!decoded) return;
  const auto* reg = std::get_if<wire::RegisterSuper>(&decoded->message);
  if (reg == nullptr) return;
  wire::CommonHeader h;
  h.ttl = 2;
  h.flags = wire::kFlagFromSupernode | wire::kFlagSocket;
  h.community = kNet;
  wire::RegisterSuperAck ack;
  ack.cookie = reg->cookie;
  ack.src_mac = {0x02, 0x53, 0x4e, 0x00, 0x00, 0x01};
  ack.dev_addr = {0x0A141E09u, 24};
  ack.sock = wire::Sock::ipv4(0xC6336401u, 50001);
  auto reply = wire::encode_to_vector(h, ack);
  if (sealed) {
    wire::StampGenerator stamps;
    if (!wire::he_encrypt(reply, wire::he_covered_length(reply, false), keys,
                          stamps.next({now, 100}), 0x01020304u)) {
      return;
    }
  }
  net::Outbox out;
  net::Outbox tap;
  engine.on_datagram(reply, net::Endpoint{kSupernode, 0}, {now, 200}, out, tap);
  check_net(out, sealed);
  if (!out.empty()) acknowledge(engine, out, sealed, now);  // the bootstrap's second step
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto config = config_for(data[0]);
  const bool sealed = config.header_encryption;
  std::uint64_t now = 1'750'000'000;
  edge::Engine engine(config, {now, 0});
  net::Outbox out;
  net::Outbox tap;
  engine.start({now, 0}, out);
  check_net(out, sealed);
  acknowledge(engine, out, sealed, now);
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
      tap.clear();
      engine.on_tick({now, 0}, out, tap);
      check_net(out, sealed);
      if (engine.next_deadline().sec <= now) __builtin_trap();
    }
    now = until;
    const ByteView bytes{data + pos, take};
    out.clear();
    tap.clear();
    if ((control & 1) != 0) {
      engine.on_datagram(bytes, net::Endpoint{(control & 2) != 0 ? kStranger : kSupernode, 0},
                         {now, 0}, out, tap);
    } else {
      engine.on_frame(bytes, {now, 0}, out);
    }
    check_net(out, sealed);
    for (std::size_t i = 0; i < tap.size(); ++i) {
      if (tap[i].bytes.size() > wire::kMaxDatagram) __builtin_trap();
    }
    pos += take;
  }
  return 0;
}
