// Building responses (RFC 3261 §8.2.6) and answering malformed requests (RFC 3261 §8.2, §21.4.1).
//
// make_response copies every Via (in order), From, To, Call-ID, CSeq and Timestamp of the request
// (RFC 3261 §8.2.6.2), and — when `to_tag` is not empty and the To has no tag yet — adds it to the
// To. For 100 Trying, callers pass an empty tag (RFC 3261 §8.2.6.1 says no tag is needed).
// make_bad_request answers a request that parse_message() rejected, when the raw text still has the
// headers a client needs to match a response (a top Via that parses and a CSeq; From, To and
// Call-ID are echoed when present, RFC 3261 §17.1.3): it returns a 400 (505
// for an unsupported SIP version, RFC 3261 §21.5.6; 513 for a message over the size limits,
// §21.5.9) whose reason phrase names the problem (RFC 3261 §21.4.1: "SHOULD identify the syntax
// problem in more detail") and whose Warning header (399, RFC 3261 §20.43) carries the
// ParseErrorCode name and the parser's diagnostic. It never answers an ACK (§17.2.3), a response,
// or text whose header values hold control characters. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/parse_error.hpp"

namespace rtcgate::sip {

Message make_response(const Message& request, int status, std::string_view reason,
                      std::string_view to_tag = {});

// A 400 for the raw request `text` that failed with `error`, or nullopt when the text is a response,
// is not a request at all, or lacks one of the headers needed to route the answer back.
// `warn_agent` is the host name written in the Warning header ("rtcgate.example.com").
std::optional<Message> make_bad_request(std::string_view text, const ParseError& error,
                                        std::string_view warn_agent);

// The status code and reason phrase make_bad_request uses for `code`.
int bad_request_status(ParseErrorCode code);
std::string_view bad_request_reason(ParseErrorCode code);

// The default reason phrase for a status code (RFC 3261 §21), "" for unknown codes.
std::string_view default_reason(int status);

}  // namespace rtcgate::sip
