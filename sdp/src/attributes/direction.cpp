#include <rtcgate/sdp/attributes/direction.hpp>

#include <array>

namespace rtcgate::sdp {

namespace {
constexpr std::array<std::string_view, 4> kNames = {"sendrecv", "sendonly", "recvonly", "inactive"};
}  // namespace

std::string_view to_string(Direction d) {
  return kNames[static_cast<std::size_t>(d)];
}

std::optional<Direction> parse_direction(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<Direction>(i);
  }
  return std::nullopt;
}

std::optional<Direction> find_direction(const AttributeList& attrs) {
  std::optional<Direction> found;
  for (const auto& a : attrs.items) {
    if (a.value) continue;
    if (auto d = parse_direction(a.name)) found = d;
  }
  return found;
}

Direction effective_direction(const SessionDescription& d, const MediaDescription& m) {
  if (auto media = find_direction(m.attributes)) return *media;
  return find_direction(d.attributes).value_or(Direction::SendRecv);
}

void set_direction(AttributeList& attrs, Direction d) {
  bool placed = false;
  std::erase_if(attrs.items, [&](Attribute& a) {
    if (a.value || !parse_direction(a.name)) return false;
    if (placed) return true;
    a.name = std::string(to_string(d));
    placed = true;
    return false;
  });
  if (!placed) attrs.add(std::string(to_string(d)));
}

bool sends(Direction d) {
  return d == Direction::SendRecv || d == Direction::SendOnly;
}
bool receives(Direction d) {
  return d == Direction::SendRecv || d == Direction::RecvOnly;
}

Direction make_direction(bool send, bool receive) {
  if (send && receive) return Direction::SendRecv;
  if (send) return Direction::SendOnly;
  if (receive) return Direction::RecvOnly;
  return Direction::Inactive;
}

Direction reverse(Direction d) {
  return make_direction(receives(d), sends(d));
}

Direction intersect(Direction a, Direction b) {
  return make_direction(sends(a) && sends(b), receives(a) && receives(b));
}

}  // namespace rtcgate::sdp
