#pragma once
// What n2n-mtu says about a path MTU: the TAP MTU (-M) and TCP MSS for every transform, on the
// direct and the relayed leg, all from tap_mtu_for_path() (overhead.hpp), and how sure a
// finished search is of its result.
#include <cstddef>
#include <string>
#include <vector>

#include "core/mtu/overhead.hpp"
#include "core/mtu/path_search.hpp"

namespace n2nkit::mtu {

struct TransformAdvice {
  crypto::TransformId transform = crypto::TransformId::null;
  std::size_t direct_tap_mtu = 0;   // edge -> edge and edge -> supernode
  std::size_t relayed_tap_mtu = 0;  // through a supernode: the -M to use unless P2P is certain
  std::size_t direct_mss = 0;       // TCP MSS (IPv4) inside the overlay at that TAP MTU
  std::size_t relayed_mss = 0;
};

// Every transform in id order (null, Twofish, AES, ChaCha20, Speck). -H and -z in `base` cost
// nothing, so they change no figure; vlan_tagged and the underlay do.
std::vector<TransformAdvice> advice_for_path(std::size_t path_mtu, const PathConfig& base);

// The parameters of a one-shot search (n2n-mtu): no confirmation and no raise timers, so the
// search ends in done or failed and nothing else is ever scheduled. Above 1500 (a jumbo
// interface) 1500 and `upper` are the likely sizes: most such paths stop at one of them.
PathSearchConfig one_shot_search_config(std::size_t lower, std::size_t upper,
                                        std::uint32_t first_id);

// The largest size searched and where it comes from.
struct SearchCeiling {
  std::size_t size = 1500;
  // No datagram larger than `size` leaves this host unfragmented (the outgoing interface's
  // MTU, or the route's mtu metric): when it answers, the path MTU is exactly that.
  bool local_limit = false;
  std::string origin;  // local_limit: "the MTU of eth0 towards 192.0.2.1"
};

enum class Confidence : std::uint8_t {
  exact,        // the size answered and the size above lost often enough (or ICMP said so)
  upper_limit,  // the largest size allowed (upper) answered: the path may carry more
  lower_bound,  // the search did not finish: at least `confirmed`
  none,         // nothing answered, not even the lower bound
};
const char* confidence_name(Confidence c);  // exact, at least, lower bound, none
Confidence confidence_of(const PathSearchResult& r, const SearchCeiling& ceiling);
// One sentence: the confidence, with the losses and ICMP hints that led to it.
std::string confidence_statement(const PathSearchResult& r, const SearchCeiling& ceiling);
// A ceiling that is no local limit (--max): reaching it is "at least".
Confidence confidence_of(const PathSearchResult& r, std::size_t upper);
std::string confidence_statement(const PathSearchResult& r, std::size_t upper);

}  // namespace n2nkit::mtu
