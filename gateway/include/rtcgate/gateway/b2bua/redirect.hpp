// Following a 3xx from the PBX side (RFC 3261 §8.1.3.4): which Contact the B2BUA tries next.
// Pure functions, no I/O; thread affinity: none.
#pragma once

#include <rtcgate/sip/message.hpp>
#include <rtcgate/sip/uri.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::gateway::b2bua {

// Redirects followed per call: enough for a PBX that hands a call on once or twice, and a bound
// for targets that keep naming each other under different URIs.
inline constexpr std::size_t kMaxRedirects = 3;

// The Contact of `redirect` to try next: a SIP or SIPS URI whose text is not in `tried`, highest q
// first (no q is 1.0), then in the order given; returned without its headers and method
// parameter, which describe a request to build from it, not where to send ours.
std::optional<sip::Uri> redirect_target(const sip::Message& redirect, const std::vector<std::string>& tried);

}  // namespace rtcgate::gateway::b2bua
