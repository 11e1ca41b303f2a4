#include "core/mtu/probe_registration.hpp"

#include <algorithm>

namespace n2nkit::mtu {
namespace {
constexpr std::size_t kTrailer = 16;
constexpr std::string_view kDefaultFederationName = "Federation";  // §10.1
constexpr std::size_t kMaxDatagram = 2048;
}  // namespace

ProbeRegistration::ProbeRegistration(const wire::Community& community, const wire::Mac& mac,
                                     const ProbeCredentials& credentials)
    : community_(community),
      mac_(mac),
      user_(credentials.user.substr(0, keys::kMaxUserNameBytes)),
      static_keys_(wire::HeaderKeys::from_community(community)) {
  const auto own = keys::user_private_key(user_, credentials.password);
  const auto federation = credentials.federation_public_key.value_or(
      keys::public_key(keys::federation_private_key(kDefaultFederationName)));
  public_key_ = keys::public_key(own);
  shared_ = keys::shared_secret(own, federation);
}

wire::Auth ProbeRegistration::token() {
  const auto t = keys::make_edge_token(public_key_, shared_, challenge_);
  wire::Auth auth;
  auth.scheme = 2;
  auth.size = static_cast<std::uint16_t>(t.size());
  std::ranges::copy(t, auth.token.begin());
  return auth;
}

ByteVector ProbeRegistration::seal(const wire::Message& m, const wire::HeaderKeys& keys,
                                   bool trailer, std::uint64_t stamp, std::uint32_t filler) const {
  wire::CommonHeader h;
  h.community = community_;
  ByteVector out(kMaxDatagram);
  const auto n = wire::encode(h, m, MutableByteView{out.data(), out.size() - kTrailer});
  if (!n) return {};
  out.resize(*n);
  const MutableByteView datagram{out.data(), out.size()};
  if (!wire::he_encrypt(datagram, wire::he_covered_length(datagram, true), keys, stamp, filler)) {
    return {};
  }
  if (trailer) {
    const auto t = keys::trailer(ByteView{out.data(), out.size()}, shared_);
    out.insert(out.end(), t.begin(), t.end());
  }
  return out;
}

ByteVector ProbeRegistration::register_super(std::uint32_t cookie, const keys::Key16& challenge,
                                             std::uint64_t stamp, std::uint32_t filler) {
  cookie_ = cookie;
  challenge_ = challenge;
  wire::RegisterSuper msg;
  msg.cookie = cookie;
  msg.edge_mac = mac_;
  msg.desc = wire::make_description(user_);
  msg.auth = token();
  return seal(msg, static_keys_, true, stamp, filler);
}

ProbeRegistration::Answer ProbeRegistration::on_datagram(ByteView datagram) {
  if (datagram.size() <= kTrailer || datagram.size() > kMaxDatagram) return {};
  // Answers to REGISTER_SUPER use the static keys over all but the trailer (§8.3, §10.4).
  ByteVector plain(datagram.size());
  const auto opened = wire::he_decrypt(datagram, datagram.size() - kTrailer, community_,
                                       static_keys_, MutableByteView{plain.data(), plain.size()});
  if (!opened) return {};
  const auto decoded = wire::decode(ByteView{plain.data(), datagram.size() - kTrailer});
  if (!decoded) return {};
  if (const auto* nak = std::get_if<wire::RegisterSuperNak>(&decoded->message)) {
    // A supernode that does not know the user cannot sign its NAK (random trailer); a NAK
    // only ends the attempt, so it is taken on the cookie alone.
    if (nak->src_mac == mac_ && nak->cookie == cookie_) return Refused{};
    return {};
  }
  const auto expected = keys::trailer(datagram.first(datagram.size() - kTrailer), shared_);
  if (!std::ranges::equal(expected, datagram.last(kTrailer))) return {};
  const auto* ack = std::get_if<wire::RegisterSuperAck>(&decoded->message);
  if (ack == nullptr || ack->cookie != cookie_ || ack->auth.scheme != 2) return {};
  const auto key = keys::dynamic_key_from_ack_token(ack->auth.token_view(), shared_, challenge_);
  if (!key) return {};
  dynamic_keys_ = wire::HeaderKeys::from_dynamic_key(*key);
  return Accepted{*key};
}

ByteVector ProbeRegistration::unregister_super(std::uint64_t stamp, std::uint32_t filler) {
  if (!dynamic_keys_) return {};
  wire::UnregisterSuper msg;
  msg.auth = token();
  msg.src_mac = mac_;
  return seal(msg, *dynamic_keys_, false, stamp, filler);
}

}  // namespace n2nkit::mtu
