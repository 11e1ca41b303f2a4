// The MSS clamp, SYN inspection and the ICMP "too big" reply on arbitrary frames. ASan catches
// any access outside the frame or the reply buffer (both copied to exactly sized heap blocks);
// the traps catch a clamp that changes bytes without reporting it, or a reply that does not
// verify. Input: IPv4 limit, IPv6 limit and reply MTU (big-endian 16 bits each), then the frame.
#include <algorithm>
#include <vector>

#include "core/mss/mss_clamp.hpp"
#include "core/mss/syn_info.hpp"
#include "core/mtu/too_big_reply.hpp"
#include "core/packet/ip_frame.hpp"

using namespace n2nkit;

namespace {

void check_clamp(ByteView input, const mss::ClampLimits& limits) {
  const auto seen = mss::inspect_syn(input);
  std::vector<std::uint8_t> frame(input.begin(), input.end());
  const auto o = mss::clamp_mss(frame, limits);
  std::size_t changed = 0;
  for (std::size_t i = 0; i < frame.size(); ++i) changed += frame[i] != input[i] ? 1 : 0;
  if (o.status != mss::ClampStatus::clamped) {
    if (changed != 0) __builtin_trap();
    if (o.status == mss::ClampStatus::within_limit && (!seen || seen->mss != o.old_mss)) {
      __builtin_trap();
    }
    return;
  }
  // Ten MSS values and the checksum at most.
  if (changed == 0 || changed > 2 * mss::kMaxMssOptions + 2) __builtin_trap();
  if (o.new_mss >= o.old_mss || !seen || seen->mss != o.old_mss) __builtin_trap();
  const auto after = mss::inspect_syn(frame);
  if (!after || after->mss != o.new_mss) __builtin_trap();
  if (mss::clamp_mss(frame, limits).status != mss::ClampStatus::within_limit) __builtin_trap();
}

void check_reply_sums(ByteView reply) {
  const auto f = packet::parse_ip_frame(reply);
  if (f.kind != packet::IpFrame::Kind::ip || f.ip_end != reply.size()) __builtin_trap();
  const std::uint8_t* ip = reply.data() + f.ip_offset;
  const ByteView icmp = reply.subspan(f.l4_offset, f.ip_end - f.l4_offset);
  std::uint32_t pseudo = 0;
  if (f.ip_version == 4) {
    if (packet::internet_checksum(ByteView{ip, 20}) != 0) __builtin_trap();
  } else {
    pseudo = packet::ipv6_pseudo_header_sum(ip + 8, ip + 24, packet::kIpProtoIcmpv6, icmp.size());
  }
  if (packet::internet_checksum(icmp, pseudo) != 0) __builtin_trap();
}

void check_reply(ByteView input, std::uint32_t mtu) {
  static const packet::Ipv6Address kEdge6{0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  const mtu::TooBigSource source{{2, 0, 0, 0, 0, 1}, 0x0a000001, 24, kEdge6};
  std::vector<std::uint8_t> out(mtu::kTooBigReplyMaxSize);
  const auto r = mtu::build_too_big_reply(input, mtu, source, out);
  if (!r.built()) {
    if (r.size != 0) __builtin_trap();
    return;
  }
  if (r.size > out.size()) __builtin_trap();
  check_reply_sums(ByteView{out.data(), r.size});
  std::vector<std::uint8_t> exact(r.size);
  const auto again = mtu::build_too_big_reply(input, mtu, source, exact);
  if (again.size != r.size || !std::equal(exact.begin(), exact.end(), out.begin())) {
    __builtin_trap();
  }
  std::vector<std::uint8_t> short_by_one(r.size - 1);
  if (mtu::build_too_big_reply(input, mtu, source, short_by_one).status !=
      mtu::TooBigStatus::output_too_small) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 6) return 0;
  const mss::ClampLimits limits{load_be16(data), load_be16(data + 2)};
  const std::uint32_t mtu = load_be16(data + 4);
  const ByteView input{data + 6, size - 6};
  check_clamp(input, limits);
  check_reply(input, mtu);
  return 0;
}
