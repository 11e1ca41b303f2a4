// The whole dissector (plaintext and encrypted headers, user/password, payload transforms,
// decompression, frame summaries, JSON and text output) on arbitrary UDP payloads. The first
// byte selects the cipher, so every transform's decrypt path is reached.
#include "core/decode/dissector.hpp"
#include "core/decode/text_line.hpp"

using namespace n2nkit;

namespace {
decode::Dissector& dissector(int cipher) {
  static std::unique_ptr<decode::Dissector> d[5];
  auto& slot = d[cipher];
  if (!slot) {
    decode::DecoderConfig cfg;
    cfg.communities = {"n2nkit-testvector", "n2nkit-authvector"};
    cfg.key = std::string("n2nkit-secret-key1");
    cfg.transform = static_cast<crypto::TransformId>(cipher + 1);
    cfg.user = std::string("alice");
    cfg.password = std::string("alice-password-1");
    cfg.ports = {7654};
    std::string error;
    auto ring = decode::KeyRing::create(cfg, error);
    if (!ring) __builtin_trap();
    slot = std::make_unique<decode::Dissector>(std::move(*ring), cfg);
  }
  return *slot;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  packet::UdpDatagram d;
  d.src.addr = {198, 19, 0, 11};
  d.src.port = 50001;
  d.dst.addr = {198, 19, 0, 1};
  d.dst.port = 7654;
  d.payload = ByteView{data + 1, size - 1};
  auto r = dissector(data[0] % 5).dissect(d, 1795563306.0);
  if (!r) __builtin_trap();
  (void)r->dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::strict);
  (void)decode::text_line(*r);
  return 0;
}
