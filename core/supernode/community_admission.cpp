// Which communities the supernode serves (spec §11.3 step 2, §14.4) and the subnet each gets
// (§11.8).
#include <string_view>

#include "core/supernode/engine.hpp"

namespace n2nkit::supernode {
namespace {

std::string_view name_view(const wire::Community& name) {
  return {reinterpret_cast<const char*>(name.data()), name.size()};
}

}  // namespace

void Engine::add_listed_communities() {
  if (!config_.communities) return;
  // Fixed subnets first, so that the automatic choices of the others avoid them.
  for (const auto& fixed : config_.communities->fixed) {
    if (!fixed.subnet) continue;
    CommunityState state;
    state.name = wire::make_community(fixed.name);
    state.user_password = fixed.user_password();
    state.auto_subnet = *fixed.subnet;
    if (state.user_password) derive_user_password_keys(state, fixed.users);
    add_listed_community(std::move(state));
  }
  for (const auto& fixed : config_.communities->fixed) {
    if (fixed.subnet) continue;
    CommunityState state;
    state.name = wire::make_community(fixed.name);
    state.user_password = fixed.user_password();
    state.auto_subnet = choose_subnet_for(state.name);
    if (state.user_password) derive_user_password_keys(state, fixed.users);
    add_listed_community(std::move(state));
  }
}

void Engine::add_listed_community(CommunityState state) {
  // Only fixed names can be header-encrypted: the supernode must know the name to derive the
  // keys (spec §8.5). User/password communities always encrypt.
  state.header_encryption =
      state.user_password ? HeaderEncryption::enabled : HeaderEncryption::unknown;
  state.header_keys = wire::HeaderKeys::from_community(state.name);
  communities_.add(std::move(state));
}

bool Engine::allowed_community(const wire::Community& name) const {
  if (!config_.communities) return true;
  return communities_.find(name) != nullptr || config_.communities->allows(name_view(name));
}

CommunityState* Engine::find_or_admit_community(const wire::Community& name) {
  if (auto* known = communities_.find(name)) return known;
  // Locked: only regular-expression matches are created on the fly; fixed names exist.
  if (config_.communities && !config_.communities->allows(name_view(name))) return nullptr;
  CommunityState state;
  state.name = name;
  state.purgeable = true;
  state.auto_subnet = choose_subnet_for(name);
  return &communities_.add(std::move(state));
}

wire::IpSubnet Engine::choose_subnet_for(const wire::Community& name) const {
  // The federation is no entry of communities_ here, so it neither takes nor blocks a subnet.
  return choose_community_subnet(config_.auto_ip, name, [&](const wire::IpSubnet& candidate) {
    for (const auto& [other_name, other] : communities_) {
      if (other_name == name || other.auto_subnet.prefix == 0) continue;
      if (subnets_overlap(candidate, other.auto_subnet)) return true;
    }
    return false;
  });
}

}  // namespace n2nkit::supernode
