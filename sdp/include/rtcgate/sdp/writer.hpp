// rtcgate::sdp::write — serialises a SessionDescription as RFC 8866 text.
//
// Lines are written in RFC 8866 §5 order with CRLF ends; within a section, extra (unknown type)
// lines come before the a= lines and attributes keep their order. For any description `d` that
// parse() returned, parse(write(d)) succeeds and equals `d` (the fuzz target checks this).
// Thread affinity: none. Allocates only the returned string.
#pragma once

#include <string>

#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp {

std::string write(const SessionDescription& description);
/// Appends to `out` (lets a caller reuse one buffer).
void write_to(const SessionDescription& description, std::string& out);
void write_connection(const Connection& c, std::string& out);  // the value after "c="

}  // namespace rtcgate::sdp
