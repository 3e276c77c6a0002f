// parse_message: one SIP message from one buffer (a UDP datagram, a WebSocket message, or a frame
// cut by StreamFramer) — RFC 3261 §7 and §25, liberal where RFC 4475 says a parser should be.
//
// Accepted: LWS anywhere the grammar allows it, header folding, case-insensitive and compact
// header names, comma-combined list headers (split, quotes and <...> respected), escaped URIs,
// IPv6 references (RFC 5118), several Via/Route/Record-Route/Contact headers, leading CRLFs before
// the start line (RFC 3261 §7.5), a bare LF as line end.
// Validated eagerly (a violation is a ParseError, never an exception): start line, header-name
// syntax, the values of Via, From, To, Call-ID, CSeq, Max-Forwards, Contact, Route, Record-Route,
// Content-Length, Expires, Min-Expires, Date (GMT), RSeq, RAck, Session-Expires, Min-SE, each as
// its line is read (the error carries that line and offset; the checks allocate nothing); then
// presence of Via/From/To/Call-ID/CSeq, a '*' Contact alone, CSeq method = request method (these
// have line 0). Repeating From, To, Call-ID, CSeq, Max-Forwards, Content-Length, Content-Type,
// Expires, RSeq, RAck or Session-Expires is an error; other repeated headers are kept.
// Unknown headers are kept verbatim, in order, never split.
// Body: with Content-Length, exactly that many bytes (extra datagram bytes are discarded, RFC 3261
// §18.3); without it, the rest of the input (datagrams only: StreamFramer requires the header).
// Limits (ParseLimits) bound the input size, header count and header length, each with its own
// code. The result owns its text; `text` may be freed afterwards. Thread-safe (no shared state).
#pragma once

#include <cstddef>
#include <expected>
#include <string_view>

#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/parse_error.hpp"

namespace rtcgate::sip {

struct ParseLimits {
  std::size_t max_message_size = 65535;  // whole input, bytes (largest UDP payload)
  std::size_t max_headers = 256;         // header entries after splitting lists
  std::size_t max_header_length = 8192;  // one header line after unfolding, bytes
  bool require_content_length = false;   // true for stream transports (RFC 3261 §18.3)
};

std::expected<Message, ParseError> parse_message(std::string_view text, const ParseLimits& limits = {});

}  // namespace rtcgate::sip
