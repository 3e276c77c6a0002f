// Building responses (RFC 3261 §8.2.6) and answering malformed requests (RFC 3261 §8.2, §21.4.1).
//
// make_response copies every Via (in order), From, To, Call-ID, CSeq and Timestamp of the request
// (RFC 3261 §8.2.6.2), and — when `to_tag` is not empty and the To has no tag yet — adds it to the
// To. For 100 Trying, callers pass an empty tag (RFC 3261 §8.2.6.1 says no tag is needed).
// make_bad_request answers a request that parse_message() rejected, when the raw text still has the
// headers a response needs (Via, From, To, Call-ID, CSeq): it returns a 400 whose reason phrase
// and Warning header (399, RFC 3261 §20.43) name the parse error. Pure functions; thread-safe.
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

// The default reason phrase for a status code (RFC 3261 §21), "" for unknown codes.
std::string_view default_reason(int status);

}  // namespace rtcgate::sip
