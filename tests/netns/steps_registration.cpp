// a: REGISTER_SUPER → ACK and the auto-IP pool; b: MAC/IP spoofing protection (spec §11.3,
// §11.8, §11.9).
#include <fmt/format.h>

#include "tests/netns/suite.hpp"

namespace n2nkit::netnstest {

namespace {

bool usable_subnet(const wire::IpSubnet& s) {
  return s.addr != 0 && s.prefix >= 1 && s.prefix <= 30;
}

std::uint32_t network_of(const wire::IpSubnet& s) {
  return s.prefix == 0 ? 0 : s.addr & ~((std::uint32_t{1} << (32 - s.prefix)) - 1);
}

}  // namespace

void Suite::registration() {
  const char* step = "a";
  WireEdge& a = edge("A");
  std::string seen;

  // The edge's bootstrap (§11.1 step 4): null MAC, 0/0 → an address from the pool.
  auto c = cookie();
  const auto boot = ack_for(a, a.register_super(c, {}, true), c, seen);
  if (!report_.check(boot.has_value(), step,
                     fmt::format("bootstrap REGISTER_SUPER (null MAC, 0/0) answered by "
                                 "REGISTER_SUPER_ACK with cookie {:#010x} echoed",
                                 c),
                     seen)) {
    return;
  }
  const auto& ack = boot->second;
  report_.check(
      ack.sock == a.public_sock(), step,
      fmt::format("ACK sock = our public socket {}", wire::sock_to_string(a.public_sock())),
      wire::sock_to_string(ack.sock));
  report_.check(usable_subnet(ack.dev_addr), step,
                fmt::format("auto-IP address assigned: {}", subnet_text(ack.dev_addr)),
                subnet_text(ack.dev_addr));
  report_.check(
      supernode_mac_ok(ack.src_mac), step,
      fmt::format("ACK srcMac = the supernode's MAC ({})", wire::mac_to_string(ack.src_mac)));
  report_.check((boot->first.decoded->header.flags & wire::kFlagFromSupernode) != 0, step,
                "ACK carries FROM_SUPERNODE");
  const wire::IpSubnet first = ack.dev_addr;

  seen.clear();
  c = cookie();
  const auto again = ack_for(a, a.register_super(c, {}, true), c, seen);
  report_.check(
      again && again->second.dev_addr == first, step,
      fmt::format("the same description gets the same address again ({})", subnet_text(first)),
      again ? subnet_text(again->second.dev_addr) : seen);

  // The real registration carries the address; the ACK assigns nothing new.
  seen.clear();
  c = cookie();
  const auto reg = ack_for(a, a.register_super(c, first), c, seen);
  if (report_.check(reg.has_value(), step,
                    fmt::format("REGISTER_SUPER with MAC {} and {} acknowledged",
                                wire::mac_to_string(a.id().mac), subnet_text(first)),
                    seen)) {
    addr_["A"] = first;
    report_.check(reg->second.dev_addr == wire::IpSubnet{}, step,
                  "ACK to a registration with an address assigns none (0/0)",
                  subnet_text(reg->second.dev_addr));
    report_.check(reg->second.sock == a.public_sock(), step, "ACK sock = our public socket",
                  wire::sock_to_string(reg->second.sock));
  }

  // Another description: an address in the same community subnet.
  WireEdge& b = edge("B");
  seen.clear();
  c = cookie();
  const auto boot_b = ack_for(b, b.register_super(c, {}, true), c, seen);
  if (report_.check(boot_b.has_value(), step, "bootstrap of edge B answered", seen)) {
    const auto& sb = boot_b->second.dev_addr;
    report_.check(
        usable_subnet(sb) && sb.prefix == first.prefix && network_of(sb) == network_of(first) &&
            sb.addr != first.addr,
        step, fmt::format("edge B gets another address of the same subnet ({})", subnet_text(sb)),
        subnet_text(sb));
    addr_["B"] = sb;
    report_.check(ensure_registered("B", step), step, "edge B registered with it");
  }

  // Once A holds its address, the pool must not hand it out again.
  seen.clear();
  c = cookie();
  const auto taken = ack_for(a, a.register_super(c, {}, true), c, seen);
  report_.check(
      taken && usable_subnet(taken->second.dev_addr) && taken->second.dev_addr.addr != first.addr,
      step,
      fmt::format("an address held by a registered edge ({}) is not handed out again",
                  subnet_text(first)),
      taken ? subnet_text(taken->second.dev_addr) : seen);
}

void Suite::spoofing() {
  const char* step = "b";
  if (!ensure_registered("A", step) || !ensure_registered("B", step)) return;
  WireEdge& a = edge("A");
  const wire::IpSubnet a_addr = addr_["A"];

  // Same MAC as A, another token, from another host.
  WireEdge& spoofer = edge("spoof-mac");
  auto c = cookie();
  wire::IpSubnet other = a_addr;
  other.addr = network_of(a_addr) | 200;
  if (!spoofer.send(spoofer.register_super(c, other))) return;
  std::string seen;
  auto nak = spoofer.expect<wire::RegisterSuperNak>(opt_.answer_wait, seen);
  report_.check(nak && nak->second.cookie == c && nak->second.src_mac == a.id().mac, step,
                fmt::format("same MAC as A ({}) with another token: REGISTER_SUPER_NAK, cookie "
                            "echoed, srcMac = the refused MAC",
                            wire::mac_to_string(a.id().mac)),
                nak ? fmt::format("NAK cookie {:#x} srcMac {}", nak->second.cookie,
                                  wire::mac_to_string(nak->second.src_mac))
                    : (seen.empty() ? "no answer" : seen));

  WireEdge& b = edge("B");
  const auto a_known = [&](const char* when) {
    std::string got;
    if (!b.send(b.query_peer(a.id().mac))) return;
    const auto info = b.expect<wire::PeerInfo>(opt_.answer_wait, got);
    report_.check(
        info && info->second.sock == a.public_sock(), step,
        fmt::format("{}: A is still known at {}", when, wire::sock_to_string(a.public_sock())),
        info ? wire::sock_to_string(info->second.sock)
             : (got.empty() ? "no answer to QUERY_PEER for A" : got));
  };
  a_known("after the MAC spoofing attempt");

  // Another MAC claiming A's address: treated as A changing its MAC, so A's token is required.
  WireEdge& ip_spoofer = edge("spoof-ip");
  c = cookie();
  seen.clear();
  if (!ip_spoofer.send(ip_spoofer.register_super(c, a_addr))) return;
  nak = ip_spoofer.expect<wire::RegisterSuperNak>(opt_.answer_wait, seen);
  report_.check(nak && nak->second.cookie == c, step,
                fmt::format("another MAC claiming A's address {} with another token: NAK",
                            subnet_text(a_addr)),
                nak ? "" : (seen.empty() ? "no answer" : seen));

  if (opt_.reference) {
    report_.skip(step,
                 "A still known after the IP spoofing attempt: not checked for the reference, "
                 "which moves A's record to the spoofer's MAC before authenticating, so the "
                 "refused attempt knocks A off until its next REGISTER_SUPER");
  } else {
    a_known("after the IP spoofing attempt");
  }
  seen.clear();
  c = cookie();
  report_.check(ack_for(a, a.register_super(c, a_addr), c, seen).has_value(), step,
                "A itself (its own token) is still acknowledged", seen);
}

}  // namespace n2nkit::netnstest
