// Route sets: turning Record-Route into a dialog's route set and a route set into a request's
// Request-URI and Route headers (RFC 3261 §12.1.1, §12.1.2, §12.2.1.1, §8.1.2; RFC 3261 §16.12.1
// for strict routers).
//
// A route entry whose URI has the `lr` parameter is a loose router (RFC 3261 §19.1.1): the request
// keeps the remote target as Request-URI and lists the whole route set in Route. When the first
// entry is a strict router (no `lr`, an RFC 2543 proxy), the Request-URI becomes that entry's URI
// (without the `method` parameter and URI headers, which a Request-URI may not carry, §19.1.1),
// Route lists the remaining entries, and the remote target goes last in Route.
// Pure functions on value types; thread-safe.
#pragma once

#include <span>
#include <vector>

#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/name_addr.hpp"
#include "rtcgate/sip/uri.hpp"

namespace rtcgate::sip {

// The Record-Route entries of `message` in order (the UAS view, §12.1.1), or reversed (the UAC
// view of a response, §12.1.2). Entries keep their header parameters.
std::vector<NameAddr> route_set_from_record_route(const Message& message, bool reverse);

// Sets the Request-URI and replaces every Route header of `request` for sending to
// `remote_target` through `route_set` (§12.2.1.1).
void apply_route_set(Message& request, const Uri& remote_target, std::span<const NameAddr> route_set);

// The URI a request built by apply_route_set() is sent towards (§8.1.2): the first route entry,
// or the remote target when the route set is empty.
const Uri& next_hop(const Uri& remote_target, std::span<const NameAddr> route_set);

}  // namespace rtcgate::sip
