// Media direction attributes — RFC 8866 §6.7 (sendrecv, sendonly, recvonly, inactive) and the
// RFC 3264 §6.1 answer rules. A media-level attribute overrides the session level; the default is
// sendrecv. Directions are always from the point of view of the description's author.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp {

enum class Direction : std::uint8_t { SendRecv, SendOnly, RecvOnly, Inactive };

std::string_view to_string(Direction d);
std::optional<Direction> parse_direction(std::string_view name);
/// The last direction attribute in `attrs`, if any.
std::optional<Direction> find_direction(const AttributeList& attrs);
/// Media level overrides session level; sendrecv when neither has one (RFC 8866 §6.7).
Direction effective_direction(const SessionDescription& d, const MediaDescription& m);
/// Replaces any direction attribute in `attrs` by `d` (keeping its position when present).
void set_direction(AttributeList& attrs, Direction d);

bool sends(Direction d);
bool receives(Direction d);
Direction make_direction(bool send, bool receive);
/// The other side's view: sendonly ⇄ recvonly (RFC 3264 §6.1).
Direction reverse(Direction d);
/// Both constraints at once: sends only if both allow sending, etc.
Direction intersect(Direction a, Direction b);

}  // namespace rtcgate::sdp
