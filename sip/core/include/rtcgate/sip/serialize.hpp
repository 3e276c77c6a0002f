// serialize: a Message as wire text (RFC 3261 §7).
//
// Writes the start line, then every header in order, one "Name: value" line each, with the name as
// stored (compact forms stay compact, unknown headers are kept), then CRLF and the body.
// Content-Length is always recomputed from body().size(): the first Content-Length header keeps
// its position and spelling, further ones are dropped, and one is appended when there was none
// (required on stream transports, harmless on UDP). Thread-safe (pure function).
#pragma once

#include <string>

#include "rtcgate/sip/message.hpp"

namespace rtcgate::sip {

std::string serialize(const Message& message);

// Appends the serialised message to `out` (lets a transport reuse one buffer).
void serialize_to(std::string& out, const Message& message);

}  // namespace rtcgate::sip
