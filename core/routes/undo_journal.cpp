#include "core/routes/undo_journal.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

#include "core/routes/route_keeper.hpp"

namespace n2nkit::routes {
namespace {

using nlohmann::json;

constexpr int kFormatVersion = 1;

constexpr std::array<std::pair<ChangeKind, std::string_view>, 5> kKinds{{
    {ChangeKind::route_added, "route_added"},
    {ChangeKind::route_replaced, "route_replaced"},
    {ChangeKind::route_deleted, "route_deleted"},
    {ChangeKind::sysctl_set, "sysctl_set"},
    {ChangeKind::firewall_applied, "firewall_applied"},
}};

json route_json(const KernelRoute& r, const std::string& dev) {
  return json{{"dst", ipv4_text(r.route.dst)},
              {"prefix", r.route.prefix},
              {"gateway", ipv4_text(r.route.gateway)},
              {"dev", dev},
              {"ifindex", r.route.ifindex},
              {"metric", r.route.metric},
              {"protocol", r.protocol},
              {"scope", r.scope},
              {"prefsrc", ipv4_text(r.prefsrc)}};
}

std::uint32_t address_field(const json& j, const char* key) {
  const auto a = parse_ipv4_address(j.at(key).get<std::string>());
  if (!a) throw std::invalid_argument(fmt::format("'{}' is not an IPv4 address", key));
  return *a;
}

KernelRoute route_from(const json& j, std::string& dev) {
  KernelRoute r;
  r.route.dst = address_field(j, "dst");
  r.route.prefix = j.at("prefix").get<std::uint8_t>();
  if (r.route.prefix > 32) throw std::invalid_argument("prefix above 32");
  r.route.gateway = address_field(j, "gateway");
  r.route.ifindex = j.at("ifindex").get<int>();
  r.route.metric = j.at("metric").get<std::uint32_t>();
  r.protocol = j.at("protocol").get<std::uint8_t>();
  r.scope = j.at("scope").get<std::uint8_t>();
  r.prefsrc = address_field(j, "prefsrc");
  dev = j.at("dev").get<std::string>();
  return r;
}

}  // namespace

std::string_view kind_name(ChangeKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "?";
}

std::uint64_t UndoJournal::record(Change change) {
  change.id = next_id_++;
  changes_.push_back(std::move(change));
  return changes_.back().id;
}

bool UndoJournal::forget(std::uint64_t id) {
  return std::erase_if(changes_, [&](const Change& c) { return c.id == id; }) > 0;
}

const Change* UndoJournal::route_change(const Ipv4Route& r) const {
  for (const Change& c : changes_) {
    if ((c.kind == ChangeKind::route_added || c.kind == ChangeKind::route_replaced) &&
        same_route(c.route.route, r)) {
      return &c;
    }
  }
  return nullptr;
}

const Change* UndoJournal::sysctl_change(std::string_view key) const {
  for (const Change& c : changes_) {
    if (c.kind == ChangeKind::sysctl_set && c.key == key) return &c;
  }
  return nullptr;
}

const Change* UndoJournal::firewall_change(std::string_view by) const {
  for (const Change& c : changes_) {
    if (c.kind == ChangeKind::firewall_applied && c.by == by) return &c;
  }
  return nullptr;
}

std::vector<Change> UndoJournal::undo_order() const {
  return {changes_.rbegin(), changes_.rend()};
}

std::string UndoJournal::to_text() const {
  json list = json::array();
  for (const Change& c : changes_) {
    json j{{"id", c.id}, {"kind", kind_name(c.kind)}, {"by", c.by}};
    switch (c.kind) {
      case ChangeKind::route_added:
      case ChangeKind::route_deleted:
        j["route"] = route_json(c.route, c.dev);
        break;
      case ChangeKind::route_replaced:
        j["route"] = route_json(c.route, c.dev);
        j["before"] = c.before ? route_json(*c.before, c.before_dev) : json(nullptr);
        break;
      case ChangeKind::sysctl_set:
        j["key"] = c.key;
        j["before"] = c.before_value;
        j["after"] = c.after_value;
        break;
      case ChangeKind::firewall_applied:
        j["firewall"] = c.firewall;
        break;
    }
    list.push_back(std::move(j));
  }
  return json{{"version", kFormatVersion}, {"next_id", next_id_}, {"changes", list}}.dump(2) + "\n";
}

std::optional<UndoJournal> UndoJournal::from_text(std::string_view text, std::string& error) {
  UndoJournal journal;
  try {
    const json doc = json::parse(text);
    if (doc.at("version").get<int>() != kFormatVersion) {
      error = fmt::format("journal format {} is not the one this n2n-route writes ({})",
                          doc.at("version").dump(), kFormatVersion);
      return std::nullopt;
    }
    journal.next_id_ = doc.at("next_id").get<std::uint64_t>();
    for (const json& j : doc.at("changes")) {
      Change c;
      c.id = j.at("id").get<std::uint64_t>();
      c.by = j.at("by").get<std::string>();
      const auto kind = j.at("kind").get<std::string>();
      const auto* found =
          std::ranges::find_if(kKinds, [&](const auto& k) { return k.second == kind; });
      if (found == kKinds.end()) {
        error = fmt::format("unknown change kind '{}' in the journal", kind);
        return std::nullopt;
      }
      c.kind = found->first;
      switch (c.kind) {
        case ChangeKind::route_added:
        case ChangeKind::route_deleted:
          c.route = route_from(j.at("route"), c.dev);
          break;
        case ChangeKind::route_replaced:
          c.route = route_from(j.at("route"), c.dev);
          if (!j.at("before").is_null()) c.before = route_from(j.at("before"), c.before_dev);
          break;
        case ChangeKind::sysctl_set:
          c.key = j.at("key").get<std::string>();
          c.before_value = j.at("before").get<std::string>();
          c.after_value = j.at("after").get<std::string>();
          break;
        case ChangeKind::firewall_applied:
          c.firewall = j.at("firewall");
          break;
      }
      journal.next_id_ = std::max(journal.next_id_, c.id + 1);
      journal.changes_.push_back(std::move(c));
    }
  } catch (const std::exception& e) {
    error = fmt::format("the journal is damaged: {}", e.what());
    return std::nullopt;
  }
  return journal;
}

std::string kernel_route_text(const KernelRoute& r, std::string_view dev) {
  std::string text = r.route.prefix == 0
                         ? std::string("default")
                         : fmt::format("{}/{}", ipv4_text(r.route.dst), r.route.prefix);
  if (r.route.gateway != 0) text += " via " + ipv4_text(r.route.gateway);
  text += fmt::format(" dev {}", dev);
  if (r.route.metric != 0) text += fmt::format(" metric {}", r.route.metric);
  return text;
}

std::string change_text(const Change& c) {
  switch (c.kind) {
    case ChangeKind::route_added:
      return fmt::format("added route {} (n2n-route {})", kernel_route_text(c.route, c.dev), c.by);
    case ChangeKind::route_replaced:
      return fmt::format("replaced route {} by {} (n2n-route {})",
                         c.before ? kernel_route_text(*c.before, c.before_dev) : "?",
                         kernel_route_text(c.route, c.dev), c.by);
    case ChangeKind::route_deleted:
      return fmt::format("deleted route {} (n2n-route {})", kernel_route_text(c.route, c.dev),
                         c.by);
    case ChangeKind::sysctl_set:
      return fmt::format("set {} from {} to {} (n2n-route {})", c.key, c.before_value,
                         c.after_value, c.by);
    case ChangeKind::firewall_applied:
      return fmt::format("firewall rules {} (n2n-route {})",
                         c.firewall.is_object() && c.firewall.contains("text")
                             ? c.firewall["text"].get<std::string>()
                             : c.firewall.dump(),
                         c.by);
  }
  return "?";
}

}  // namespace n2nkit::routes
