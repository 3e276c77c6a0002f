#include <rtcgate/sdp/session_description.hpp>

#include <algorithm>

namespace rtcgate::sdp {

const Attribute* AttributeList::find(std::string_view name) const {
  for (const auto& a : items) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::optional<std::string_view> AttributeList::value(std::string_view name) const {
  const Attribute* a = find(name);
  if (a == nullptr || !a->value) return std::nullopt;
  return std::string_view(*a->value);
}

std::vector<std::string_view> AttributeList::values(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& a : items) {
    if (a.name == name && a.value) out.emplace_back(*a.value);
  }
  return out;
}

std::size_t AttributeList::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(items.begin(), items.end(), [&](const Attribute& a) { return a.name == name; }));
}

std::size_t AttributeList::remove(std::string_view name) {
  return std::erase_if(items, [&](const Attribute& a) { return a.name == name; });
}

const Connection* SessionDescription::connection_for(const MediaDescription& m) const {
  if (!m.connections.empty()) return &m.connections.front();
  return connection ? &*connection : nullptr;
}

}  // namespace rtcgate::sdp
