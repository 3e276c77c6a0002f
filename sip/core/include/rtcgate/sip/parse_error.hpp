// ParseError: why a piece of SIP text was rejected.
//
// Contract: every parser in rtcgate::sip returns std::expected<T, ParseError>; none throws. The code
// is stable and meant for programs (tests, the 400 builder, counters); `reason` is a short English
// diagnostic that may change. `offset` is the byte offset into the parsed input where the problem
// was found, `line` the 1-based line (0 when the input is a single value such as one URI, or when
// the error concerns the message as a whole, such as a missing header).
// Value type; no thread affinity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rtcgate::sip {

enum class ParseErrorCode : std::uint8_t {
  Empty,                 // nothing but whitespace
  MessageTooLarge,       // ParseLimits::max_message_size exceeded
  TooManyHeaders,        // ParseLimits::max_headers exceeded
  HeaderTooLong,         // one (unfolded) header line over ParseLimits::max_header_length
  BadStartLine,          // neither "METHOD URI SIP/x.y" nor "SIP/x.y CODE reason"
  BadVersion,            // SIP version other than SIP/2.0
  BadMethod,             // method is not an RFC 3261 token
  BadRequestUri,         // Request-URI does not parse
  BadStatusCode,         // status code not three digits 100..699
  BadHeaderLine,         // header line without ':' or with an invalid name
  BadHeaderValue,        // a header the message layer understands has an invalid value
  MissingHeader,         // one of Via/From/To/Call-ID/CSeq absent (RFC 3261 §8.1.1)
  DuplicateHeader,       // a single-instance header (From, To, Call-ID, CSeq, Content-Length...) repeated
  CSeqMethodMismatch,    // request method differs from the CSeq method (RFC 3261 §8.1.1.5)
  BadContentLength,      // Content-Length not a number or larger than the limit
  BodyTruncated,         // fewer body bytes than Content-Length says (RFC 3261 §18.3)
  MissingContentLength,  // stream transports require Content-Length (RFC 3261 §18.3)
  BodyTooLarge,          // StreamFramer: body over its limit
  BadUri,                // a URI (outside the start line) does not parse
  BadNameAddr,           // name-addr / addr-spec does not parse
  BadVia,                // a Via value does not parse
  BadCSeq,               // CSeq does not parse (number not 32-bit, method not a token)
  BadMaxForwards,        // Max-Forwards not 0..255
  BadExpires,            // Expires not a 32-bit delta-seconds
  BadCallId,             // empty Call-ID or one containing whitespace
  BadFraming,            // StreamFramer: garbage where a start line was expected
};

// A short stable identifier for the code, e.g. "BadVia" (used in Warning headers and tests).
std::string_view to_string(ParseErrorCode code);

struct ParseError {
  ParseErrorCode code = ParseErrorCode::Empty;
  std::size_t offset = 0;
  std::size_t line = 0;
  std::string reason;
};

}  // namespace rtcgate::sip
