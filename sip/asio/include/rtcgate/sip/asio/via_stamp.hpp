// Via stamping on receive (RFC 3261 §18.2.1, RFC 3581 §4).
//
// A server transport adds `received=<source IP>` to the top Via of a request when the sent-by
// host differs from the packet's source address, and — when the client asked with a flag `rport`
// parameter — sets `rport=<source port>` and always adds `received`. Responses then go back to
// where the request really came from (§18.2.2), which is what makes NATed UDP clients and
// WebSocket clients (whose sent-by is an `.invalid` host, RFC 7118 §5.2) reachable.
//
// Works on the raw bytes so the message is not parsed and re-serialised twice; only the top Via
// value is rewritten. Pure function; no thread affinity.
#pragma once

#include <string>

#include "rtcgate/sip/flow.hpp"

namespace rtcgate::sip::asio {

enum class ViaStamp {
  NotRequest,  // a response (or no start line): nothing to do
  NoVia,       // a request without a Via header; the parser will reject it
  Unchanged,   // sent-by already equals the source and no rport was requested
  Stamped,     // received and/or rport written
  Malformed,   // the top Via could not be read; left untouched for the parser to reject
};

ViaStamp stamp_via_received(std::string& message, const TransportAddress& source);

}  // namespace rtcgate::sip::asio
