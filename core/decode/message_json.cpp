#include "core/decode/message_json.hpp"

#include <fmt/format.h>

namespace n2nkit::decode {
namespace {

using json = nlohmann::ordered_json;
using namespace n2nkit::wire;

std::string cookie_hex(std::uint32_t c) {
  return fmt::format("{:08x}", c);
}

void add_auth(json& j, const Auth& a) {
  j["auth_scheme"] = a.scheme;
  j["auth_token_size"] = a.size;
  j["auth_token"] = to_hex(a.token_view());
}

void add_sock(json& j, const char* name, const std::optional<Sock>& s) {
  if (s) j[name] = sock_to_string(*s);
}

struct Fields {
  json& j;

  void operator()(const Register& m) const {
    j["cookie"] = cookie_hex(m.cookie);
    j["src_mac"] = mac_to_string(m.src_mac);
    j["dst_mac"] = mac_to_string(m.dst_mac);
    add_sock(j, "sock", m.sock);
    j["dev_addr"] = subnet_to_string(m.dev_addr);
    j["desc"] = c_string_field(m.desc);
  }
  void operator()(const Packet& m) const {
    j["src_mac"] = mac_to_string(m.src_mac);
    j["dst_mac"] = mac_to_string(m.dst_mac);
    add_sock(j, "sock", m.sock);
    j["compression"] = m.compression;
    j["transform"] = m.transform;
    j["payload_len"] = m.payload.size();
  }
  void operator()(const RegisterAck& m) const {
    j["cookie"] = cookie_hex(m.cookie);
    j["dst_mac"] = mac_to_string(m.dst_mac);
    j["src_mac"] = mac_to_string(m.src_mac);
    add_sock(j, "sock", m.sock);
  }
  void operator()(const RegisterSuper& m) const {
    j["cookie"] = cookie_hex(m.cookie);
    j["edge_mac"] = mac_to_string(m.edge_mac);
    add_sock(j, "sock", m.sock);
    j["dev_addr"] = subnet_to_string(m.dev_addr);
    j["desc"] = c_string_field(m.desc);
    add_auth(j, m.auth);
    j["key_time"] = m.key_time;
  }
  void operator()(const UnregisterSuper& m) const {
    add_auth(j, m.auth);
    j["src_mac"] = mac_to_string(m.src_mac);
  }
  void operator()(const RegisterSuperAck& m) const {
    j["cookie"] = cookie_hex(m.cookie);
    j["src_mac"] = mac_to_string(m.src_mac);
    j["dev_addr"] = subnet_to_string(m.dev_addr);
    j["lifetime"] = m.lifetime;
    j["sock"] = sock_to_string(m.sock);
    add_auth(j, m.auth);
    j["num_sn"] = m.supernodes.size();
    json entries = json::array();
    for (const auto& e : m.supernodes) {
      entries.push_back(json{{"sock", sock_to_string(e.sock)}, {"mac", mac_to_string(e.mac)}});
    }
    j["sn_entries"] = std::move(entries);
    j["key_time"] = m.key_time;
  }
  void operator()(const RegisterSuperNak& m) const {
    j["cookie"] = cookie_hex(m.cookie);
    j["src_mac"] = mac_to_string(m.src_mac);
    add_auth(j, m.auth);
  }
  void operator()(const PeerInfo& m) const {
    j["aflags"] = m.aflags;
    j["src_mac"] = mac_to_string(m.src_mac);
    j["mac"] = mac_to_string(m.mac);
    j["sock"] = sock_to_string(m.sock);
    add_sock(j, "preferred_sock", m.preferred_sock);
    j["pong"] = m.is_pong();
    // Outside a PONG the reference leaves these uninitialised (§4.8): shown, never trusted.
    j["load"] = m.load;
    j["uptime"] = m.uptime;
    j["sn_version"] = c_string_field(m.version);
  }
  void operator()(const QueryPeer& m) const {
    j["src_mac"] = mac_to_string(m.src_mac);
    j["target_mac"] = mac_to_string(m.target_mac);
    j["aflags"] = m.aflags;
    j["ping"] = m.is_ping();
  }
  void operator()(const ReRegisterSuper&) const {}
};

}  // namespace

std::string latin1_to_utf8(ByteView bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::uint8_t b : bytes) {
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
    } else {
      out.push_back(static_cast<char>(0xc0 | (b >> 6)));
      out.push_back(static_cast<char>(0x80 | (b & 0x3f)));
    }
  }
  return out;
}

std::string c_string_field(ByteView bytes) {
  std::size_t n = 0;
  while (n < bytes.size() && bytes[n] != 0) ++n;
  return latin1_to_utf8(bytes.first(n));
}

void add_header_fields(json& j, const CommonHeader& h) {
  j["version"] = h.version;
  j["ttl"] = h.ttl;
  j["flags"] = fmt::format("0x{:04x}", h.flags);
  j["type_code"] = static_cast<int>(h.type);
  j["community"] = c_string_field(h.community);
}

void add_message_fields(json& j, const Message& m) {
  std::visit(Fields{j}, m);
}

}  // namespace n2nkit::decode
