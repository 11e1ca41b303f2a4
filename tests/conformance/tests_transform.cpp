// Prints what the reference's tests-transform prints (reference-tests.md §3): the 512-byte
// test buffer, then for every transform and compression a PACKET (compression and transform
// bytes left 0, as the reference test leaves them) carrying its output. The IVs come from the
// unseeded xorshift128+, drawn in the order tf, aes, cc20, speck. Every packet is decoded
// again and its payload reversed; a mismatch exits 1 before that section is printed.
#include <algorithm>
#include <cstdio>
#include <string_view>
#include <variant>

#include "core/crypto/compress/compression.hpp"
#include "core/crypto/transform.hpp"
#include "core/crypto/xorshift128.hpp"
#include "core/wire/messages.hpp"
#include "tests/support/hexdump.hpp"

using namespace n2nkit;
using namespace n2nkit::crypto;

namespace {

constexpr std::string_view kCommunity = "abc123def456";
constexpr std::string_view kKey = "SoMEVer!S$cUREPassWORD";

// The PACKET around a payload, encoded; empty when the encoder fails.
ByteVector encode_packet(ByteView payload) {
  wire::CommonHeader header;
  header.ttl = 2;
  header.flags = 0;
  header.community = wire::make_community(kCommunity);
  wire::Packet packet;
  packet.src_mac = {0, 1, 2, 3, 4, 5};
  packet.dst_mac = {0, 1, 2, 3, 4, 5};
  packet.compression = 0;
  packet.transform = 0;
  packet.payload = payload;
  return wire::encode_to_vector(header, packet);
}

// The payload of an encoded PACKET (a view into the datagram); empty when it does not decode
// as one.
ByteView decoded_payload(ByteView datagram) {
  const auto decoded = wire::decode(datagram);
  if (!decoded) return {};
  const auto* packet = std::get_if<wire::Packet>(&decoded->message);
  return packet ? packet->payload : ByteView{};
}

bool same(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

void print_section(const char* name, ByteView datagram) {
  std::printf("%s: output size = 0x%zx\n", name, datagram.size());
  testing::print_hexdump(datagram);
  std::printf("\n");
}

bool transform_section(const char* name, TransformId id, ByteView frame,
                       const RandomSource& random) {
  const auto transform = make_transform(id, kKey);
  ByteVector payload(frame.size() + transform->overhead());
  const auto n = transform->encrypt(frame, payload, random);
  if (!n) {
    std::fprintf(stderr, "%s: encryption failed: %s\n", name, reason_name(n.error()).data());
    return false;
  }
  const ByteVector datagram = encode_packet(payload);
  const ByteView received = decoded_payload(datagram);
  ByteVector back(received.size());
  const auto m = transform->decrypt(received, back);
  if (datagram.empty() || !m || !same(ByteView(back).first(*m), frame)) {
    std::fprintf(stderr, "%s: the decoded packet does not decrypt to the input\n", name);
    return false;
  }
  print_section(name, datagram);
  std::fprintf(stderr, "%s: tested\n", name);
  return true;
}

bool compression_section(const char* name, CompressionId id, ByteView frame) {
  ByteVector payload(compress_bound(id, frame.size()));
  const auto n = compress(id, frame, payload);
  if (!n) {
    std::fprintf(stderr, "%s: compression failed: %s\n", name, reason_name(n.error()).data());
    return false;
  }
  payload.resize(*n);
  const ByteVector datagram = encode_packet(payload);
  const ByteView received = decoded_payload(datagram);
  ByteVector back(kMaxDecompressed);
  const auto m = decompress(id, received, back);
  if (datagram.empty() || !m || !same(ByteView(back).first(*m), frame)) {
    std::fprintf(stderr, "%s: the decoded packet does not decompress to the input\n", name);
    return false;
  }
  print_section(name, datagram);
  std::fprintf(stderr, "%s: tested\n", name);
  return true;
}

}  // namespace

int main() {
  ByteVector buffer(512);
  for (std::size_t i = 0; i < buffer.size(); ++i) buffer[i] = static_cast<std::uint8_t>(i % 16);

  std::printf("environment: community_name = \"%s\"\n", kCommunity.data());
  std::printf("environment: encrypt_key = \"%s\"\n", kKey.data());
  std::printf("environment: input size = 0x%zx\n", buffer.size());
  testing::print_hexdump(buffer);
  std::printf("\n");

  Xorshift128Plus rng;  // never seeded, like the reference test
  const RandomSource random = xorshift_source(rng);
  const bool ok = transform_section("null", TransformId::null, buffer, random) &&
                  transform_section("tf", TransformId::twofish, buffer, random) &&
                  transform_section("aes", TransformId::aes, buffer, random) &&
                  transform_section("cc20", TransformId::chacha20, buffer, random) &&
                  transform_section("speck", TransformId::speck, buffer, random) &&
                  compression_section("lzo", CompressionId::lzo, buffer) &&
                  compression_section("zstd", CompressionId::zstd, buffer);
  return ok ? 0 : 1;
}
