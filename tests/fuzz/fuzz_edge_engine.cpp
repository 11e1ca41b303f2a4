// The edge engine on arbitrary datagrams and TAP frames with an advancing clock.
// Input: byte 0 picks the configuration (bits 0-2: transform, bit 3: -H, bit 4: -z, bit 5: -r,
// bit 6: automatic address, bit 7: user/password with ChaCha20); then records of [control][len
// hi][len lo][bytes]: control bit 0 says datagram (from the supernode's socket, or with bit 1 from
// a stranger) or TAP frame, bits 2-7 advance the clock by that many seconds (ticking at every
// deadline passed). Before the records, the engine is registered with a genuine ACK so that the
// data path is reached. Invariants: no crash; every datagram the engine sends is at most 2048
// bytes, goes to the supernode and decodes (after decryption with the community's keys under -H; in
// user/password mode with the dynamic key, or the static one with a trailer that verifies); every
// frame it writes to the TAP is at most 2048 bytes; the next deadline is in the future after a
// tick.
#include <array>
#include <cstddef>
#include <cstdint>

#include "core/edge/engine.hpp"
#include "core/keys/user_password.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/messages.hpp"

using namespace n2nkit;

namespace {

const wire::Sock kSupernode = wire::Sock::ipv4(0xC0000201u, 7654);
const wire::Sock kStranger = wire::Sock::ipv4(0xCB007101u, 7654);
const wire::Community kNet = wire::make_community("net");
constexpr std::uint32_t kKeyTime = 1'750'000'000;
constexpr std::size_t kTrailer = edge::kUserPasswordTrailer;

// What the supernode of the default federation shares with the engine's user (§10.2).
keys::Key32 supernode_secret(const edge::Engine& engine) {
  return keys::shared_secret(keys::federation_private_key("Federation"), *engine.public_key());
}

// Opens what the engine sent: a trial as a supernode makes it (§8.3), the trailer checked.
// Returns the plaintext length, 0 when it does not open.
std::size_t open_sent(const edge::Engine& engine, ByteView bytes, MutableByteView plain) {
  static const wire::HeaderKeys keys = wire::HeaderKeys::from_community(kNet);
  if (!engine.user_password()) {
    return wire::he_decrypt(bytes, bytes.size(), kNet, keys, plain) ? bytes.size() : 0;
  }
  const auto dynamic = wire::HeaderKeys::from_dynamic_key(*engine.dynamic_key());
  const auto trial = wire::he_decrypt_trial(bytes, kNet, dynamic, keys, plain);
  if (!trial) return 0;
  if (trial->kind == wire::HeKeyKind::static_with_trailer) {
    const auto t = keys::trailer(bytes.first(bytes.size() - kTrailer), supernode_secret(engine));
    if (!std::equal(t.begin(), t.end(), bytes.end() - kTrailer)) return 0;
  }
  return trial->length;
}

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
  if ((selector & 128) != 0) {
    c.transform = crypto::TransformId::chacha20;
    c.key = "fuzz-key";
    c.header_encryption = true;
    c.desc = "fuzzer";
    c.password = "fuzz password";
  }
  c.random = [](MutableByteView out) {
    for (auto& b : out) b = 0x5a;
  };
  return c;
}

void check_net(const edge::Engine& engine, const net::Outbox& out, bool sealed) {
  std::array<std::uint8_t, wire::kMaxDatagram> plain{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto d = out[i];
    if (d.bytes.size() > wire::kMaxDatagram || d.to.sock != kSupernode) __builtin_trap();
    ByteView bytes = d.bytes;
    if (sealed) {
      const std::size_t length = open_sent(engine, bytes, plain);
      if (length == 0) __builtin_trap();
      bytes = ByteView{plain.data(), length};
    }
    if (!wire::decode(bytes)) __builtin_trap();
  }
}

// The supernode's ACK to the engine's latest REGISTER_SUPER (cookie copied from it).
// `usec` orders the stamps: the bootstrap's second ACK must be newer than its first.
void acknowledge(edge::Engine& engine, const net::Outbox& sent, bool sealed, std::uint64_t now,
                 std::uint32_t usec = 100) {
  static const wire::HeaderKeys keys = wire::HeaderKeys::from_community(kNet);
  if (sent.empty()) return;
  std::array<std::uint8_t, wire::kMaxDatagram> plain{};
  ByteView bytes = sent[sent.size() - 1].bytes;
  if (sealed) {
    const std::size_t length = open_sent(engine, bytes, plain);
    if (length == 0) return;
    bytes = ByteView{plain.data(), length};
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
  const bool user_password = engine.user_password();
  if (user_password) {
    const auto token = keys::make_ack_token(
        reg->auth.token_view(), supernode_secret(engine),
        keys::dynamic_key(kNet, wire::make_community("*Federation"), kKeyTime));
    if (!token) return;
    ack.auth.scheme = 2;
    ack.auth.size = static_cast<std::uint16_t>(token->size());
    std::copy(token->begin(), token->end(), ack.auth.token.begin());
  }
  auto reply = wire::encode_to_vector(h, ack);
  if (sealed) {
    wire::StampGenerator stamps;
    if (!wire::he_encrypt(reply, wire::he_covered_length(reply, user_password), keys,
                          stamps.next({now, usec}), 0x01020304u)) {
      return;
    }
    if (user_password) {
      const auto t = keys::trailer(reply, supernode_secret(engine));
      reply.insert(reply.end(), t.begin(), t.end());
    }
  }
  net::Outbox out;
  net::Outbox tap;
  engine.on_datagram(reply, net::Endpoint{kSupernode, 0}, {now, 200}, out, tap);
  check_net(engine, out, sealed);
  if (!out.empty())
    acknowledge(engine, out, sealed, now, usec + 1000);  // the bootstrap's second step
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
  check_net(engine, out, sealed);
  acknowledge(engine, out, sealed, now);
  std::size_t pos = 1;
  while (pos + 3 <= size) {
    const std::uint8_t control = data[pos];
    const std::size_t length = (std::size_t{data[pos + 1]} << 8) | data[pos + 2];
    pos += 3;
    const std::size_t take = length < size - pos ? length : size - pos;
    const std::uint64_t until = now + (control >> 2);
    // Deadlines have microseconds (path-MTU probe timeouts): every tick must move the next
    // one strictly later, or the daemon's loop would spin.
    const auto micros = [](wire::WallTime t) { return t.sec * 1'000'000 + t.usec; };
    while (micros(engine.next_deadline()) <= until * 1'000'000) {
      const auto at = engine.next_deadline();
      out.clear();
      tap.clear();
      engine.on_tick(at, out, tap);
      check_net(engine, out, sealed);
      if (micros(engine.next_deadline()) <= micros(at)) __builtin_trap();
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
    check_net(engine, out, sealed);
    for (std::size_t i = 0; i < tap.size(); ++i) {
      if (tap[i].bytes.size() > wire::kMaxDatagram) __builtin_trap();
    }
    pos += take;
  }
  return 0;
}
