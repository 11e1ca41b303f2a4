#pragma once
// Edge engines and a supernode engine on an in-memory network with a virtual clock: what an
// engine sends to a socket of the network is delivered to its owner, what it writes to its TAP
// is kept per edge. Shared by the test_edge_*.cpp files.
#include <doctest/doctest.h>

#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/edge/engine.hpp"
#include "core/packet/frame_builder.hpp"
#include "core/supernode/engine.hpp"

namespace n2nkit::testing {

inline constexpr std::uint64_t kEdgeStart = 1'750'000'000;

constexpr std::uint32_t ip4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

inline crypto::RandomSource counter_random(std::uint8_t seed) {
  return [next = seed](MutableByteView out) mutable {
    for (auto& b : out) b = ++next;
  };
}

struct Network {
  struct Node {
    wire::Sock sock;
    std::unique_ptr<edge::Engine> edge;  // or
    std::unique_ptr<supernode::Engine> supernode;
    std::vector<ByteVector> tap;  // frames the edge wrote to its TAP
    bool reachable = true;        // false: datagrams to it are lost
    // Listens on the discovery group: gets every datagram sent to it (its own included, as the
    // kernel loops multicast back), through on_multicast_datagram.
    bool on_lan = false;
    // When, within the current second, what this node sends arrives (its distance).
    std::uint32_t arrival_usec = 400000;
    // Datagrams above this many bytes of UDP payload to or from it are lost (a path MTU of
    // max_payload + 28); 0: no limit.
    std::size_t max_payload = 0;
  };

  std::uint64_t now = kEdgeStart;
  std::vector<Node> nodes;
  std::size_t delivered = 0;
  std::size_t lost = 0;
  // Sees every datagram a node sends (before delivery), for tests that look at the wire.
  std::function<void(std::size_t from, const net::OutgoingDatagram&)> on_send;

  static wire::Sock supernode_sock(unsigned n) { return wire::Sock::ipv4(ip4(192, 0, 2, n), 7654); }
  static wire::Sock edge_sock(unsigned n) {
    return wire::Sock::ipv4(ip4(198, 51, 100, n), static_cast<std::uint16_t>(50000 + n));
  }

  std::size_t add_supernode(unsigned n, supernode::SupernodeConfig config = {}) {
    if (config.mac == wire::kNullMac) {
      config.mac = {0x02, 0x53, 0x4e, 0x00, 0x00, static_cast<std::uint8_t>(n)};
    }
    config.random = counter_random(static_cast<std::uint8_t>(0x80 + n));
    Node node;
    node.sock = supernode_sock(n);
    node.supernode = std::make_unique<supernode::Engine>(std::move(config), wire::WallTime{now, 0});
    nodes.push_back(std::move(node));
    return nodes.size() - 1;
  }

  // An edge with MAC 02:20:30:00:00:n on 198.51.100.n; `address` empty: auto-IP.
  std::size_t add_edge(unsigned n, edge::EdgeConfig config) {
    if (config.mac == wire::kNullMac) {
      config.mac = {0x02, 0x20, 0x30, 0x00, 0x00, static_cast<std::uint8_t>(n)};
    }
    if (config.community.empty()) config.community = "net";
    if (config.desc.empty()) config.desc = "edge-" + std::to_string(n);
    if (config.supernodes.empty()) config.supernodes = {supernode_sock(1)};
    config.random = counter_random(static_cast<std::uint8_t>(n * 16));
    Node node;
    node.sock = edge_sock(n);
    node.edge = std::make_unique<edge::Engine>(std::move(config), wire::WallTime{now, 0});
    nodes.push_back(std::move(node));
    return nodes.size() - 1;
  }

  edge::Engine& edge(std::size_t i) { return *nodes.at(i).edge; }
  supernode::Engine& supernode(std::size_t i) { return *nodes.at(i).supernode; }

  void start(std::size_t i) {
    net::Outbox out;
    edge(i).start({now, 0}, out);
    route(i, out);
  }
  // The edge's orderly exit (UNREGISTER_SUPER), as on SIGTERM.
  void stop(std::size_t i) {
    net::Outbox out;
    edge(i).stop({now, 0}, out);
    route(i, out);
  }
  void frame(std::size_t i, ByteView frame) {
    net::Outbox out;
    net::Outbox tap;
    edge(i).on_frame(frame, {now, 0}, out, tap);
    keep_tap(i, tap);
    route(i, out);
  }
  // Advances second by second, running every engine's timers.
  void advance(std::uint64_t seconds) {
    for (std::uint64_t s = 0; s < seconds; ++s) {
      ++now;
      for (std::size_t i = 0; i < nodes.size(); ++i) {
        net::Outbox out;
        if (nodes[i].edge) {
          net::Outbox tap;
          nodes[i].edge->on_tick({now, 0}, out, tap);
          keep_tap(i, tap);
        } else {
          nodes[i].supernode->on_tick({now, 0}, out);
        }
        route(i, out);
      }
    }
  }
  // The supernode re-reads its community.list (what SIGHUP does to the daemon), its datagrams
  // delivered.
  void reload(std::size_t i, supernode::CommunityList list) {
    net::Outbox out;
    supernode(i).reload_communities(std::move(list), {now, 0}, out);
    route(i, out);
  }
  // Sends raw bytes to node `to` as if from `from`.
  void inject(std::size_t to, ByteView bytes, const wire::Sock& from) {
    std::deque<Hop> hops;
    hops.push_back({to, ByteVector(bytes.begin(), bytes.end()), from});
    run(hops);
  }

 private:
  struct Hop {
    std::size_t to;
    ByteVector bytes;
    wire::Sock from;
    bool multicast = false;
    std::uint32_t usec = 400000;
  };

  void keep_tap(std::size_t i, const net::Outbox& tap) {
    for (std::size_t k = 0; k < tap.size(); ++k) {
      nodes[i].tap.emplace_back(tap[k].bytes.begin(), tap[k].bytes.end());
    }
  }

  void route(std::size_t from, const net::Outbox& out) {
    std::deque<Hop> hops;
    queue(from, out, hops);
    run(hops);
  }

  void queue(std::size_t from, const net::Outbox& out, std::deque<Hop>& hops) {
    for (std::size_t k = 0; k < out.size(); ++k) {
      if (on_send) on_send(from, out[k]);
      if (out[k].to.sock == edge::kDiscoveryGroup) {
        for (std::size_t n = 0; n < nodes.size(); ++n) {
          if (!nodes[n].on_lan) continue;
          hops.push_back({n, ByteVector(out[k].bytes.begin(), out[k].bytes.end()), nodes[from].sock,
                          true, nodes[from].arrival_usec});
        }
        continue;
      }
      bool found = false;
      for (std::size_t n = 0; n < nodes.size(); ++n) {
        if (nodes[n].sock != out[k].to.sock) continue;
        found = true;
        const auto limit = [&](const Node& node) {
          return node.max_payload != 0 && out[k].bytes.size() > node.max_payload;
        };
        if (!nodes[n].reachable || limit(nodes[n]) || limit(nodes[from])) {
          ++lost;
          break;
        }
        hops.push_back({n, ByteVector(out[k].bytes.begin(), out[k].bytes.end()), nodes[from].sock,
                        false, nodes[from].arrival_usec});
      }
      if (!found) ++lost;
    }
  }

  void run(std::deque<Hop>& hops) {
    for (int guard = 0; !hops.empty(); ++guard) {
      REQUIRE(guard < 10000);
      auto hop = std::move(hops.front());
      hops.pop_front();
      ++delivered;
      net::Outbox out;
      Node& node = nodes[hop.to];
      if (node.edge) {
        net::Outbox tap;
        if (hop.multicast) {
          node.edge->on_multicast_datagram(hop.bytes, net::Endpoint{hop.from, 0}, {now, hop.usec},
                                           out, tap);
        } else {
          node.edge->on_datagram(hop.bytes, net::Endpoint{hop.from, 0}, {now, hop.usec}, out, tap);
        }
        keep_tap(hop.to, tap);
      } else {
        node.supernode->on_datagram(hop.bytes, net::Source{hop.from, 0}, {now, hop.usec}, out);
      }
      queue(hop.to, out, hops);
    }
  }
};

inline edge::EdgeConfig static_edge(unsigned n) {
  edge::EdgeConfig c;
  c.address = wire::IpSubnet{ip4(10, 20, 30, n), 24};
  return c;
}

// An ICMP echo request as the TAP would give it: from edge a's address to edge b's.
inline ByteVector ping_frame(const wire::Mac& src_mac, const wire::Mac& dst_mac, std::uint32_t src,
                             std::uint32_t dst, std::size_t data = 56, std::uint8_t fill = 0x6e) {
  const ByteVector payload(data, fill);
  const auto icmp = packet::icmp_echo(true, 7, 1, payload);
  const auto ip = packet::ipv4_packet(1, src, dst, icmp);
  return packet::ethernet_frame(dst_mac, src_mac, 0x0800, ip);
}

}  // namespace n2nkit::testing
