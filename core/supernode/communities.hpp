#pragma once
// The communities a supernode hosts: the names from community.list (permanent) and those
// created on the fly when an edge registers (purged again once their last edge is gone).
#include <map>
#include <optional>
#include <string>

#include "core/keys/user_password.hpp"
#include "core/supernode/edge_table.hpp"
#include "core/wire/header_encryption.hpp"
#include "core/wire/types.hpp"

namespace n2nkit::supernode {

// Header encryption of a community as the supernode learnt it (spec §8.5).
enum class HeaderEncryption : std::uint8_t {
  unknown,  // fixed name from community.list, nothing received yet
  none,     // plaintext: locked by the first plaintext datagram, or created on the fly
  enabled,  // locked by the first decrypted datagram, or user lines in community.list
};

// A user of a user/password community with what the supernode derives for it (spec §10.2).
struct UserKeys {
  std::string name;
  keys::Key32 public_key{};
  keys::Key32 shared_secret{};  // with the federation's private key
};

// An edge of this community registered at another supernode of the federation (§11.3 step 11,
// §11.10): where its traffic goes.
struct Association {
  wire::Sock supernode{};
  std::uint64_t last_seen = 0;
};

struct CommunityState {
  wire::Community name{};
  // Created on the fly (open supernode or regex match): removed when empty (spec §11.7).
  bool purgeable = false;
  // community.list gave it user lines: headers are always encrypted (spec §8.5, §10).
  bool user_password = false;
  HeaderEncryption header_encryption = HeaderEncryption::none;
  // Static header keys (§8.1); only communities that can be encrypted (listed names) have them.
  std::optional<wire::HeaderKeys> header_keys;
  // Subnet edges get their automatic addresses from; 0/0 = none (pool exhausted).
  wire::IpSubnet auto_subnet{};
  EdgeTable edges;
  std::map<wire::Mac, Association> associations;
  // User/password communities only (§10): the allowed users by public key, the dynamic key
  // of the current key_time and the header keys derived from it.
  std::map<keys::Key32, UserKeys> users;
  keys::Key16 dynamic_key{};
  std::optional<wire::HeaderKeys> dynamic_keys;

  // The user whose public key starts a 48-byte user/password token; nullptr for anything else.
  const UserKeys* find_user(ByteView token) const;
  // The keys answers and relays in this community are sealed with (dynamic ones where the
  // community has them); nullptr for a plaintext community.
  const wire::HeaderKeys* answer_keys() const;
};

class CommunityTable {
 public:
  using Map = std::map<wire::Community, CommunityState>;

  CommunityState* find(const wire::Community& name);
  const CommunityState* find(const wire::Community& name) const;
  CommunityState& add(CommunityState state);
  // Removes purgeable communities without edges; returns how many.
  std::size_t remove_empty_purgeable();

  std::size_t size() const { return communities_.size(); }
  Map::const_iterator begin() const { return communities_.begin(); }
  Map::const_iterator end() const { return communities_.end(); }
  Map::iterator begin() { return communities_.begin(); }
  Map::iterator end() { return communities_.end(); }

 private:
  Map communities_;
};

}  // namespace n2nkit::supernode
