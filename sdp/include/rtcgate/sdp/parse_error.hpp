// rtcgate::sdp::ParseError — the one error type every SDP parser in this module returns.
//
// Contract: parsers of untrusted text never throw and never crash; they return
// std::expected<T, ParseError>. `line` is 1-based within the parsed body (0 when the error is not
// tied to a line, e.g. a typed attribute parsed on its own). `reason` is for diagnostics only and
// is not stable; branch on `code`. Value type, no thread affinity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace rtcgate::sdp {

enum class ParseErrc : std::uint8_t {
  Empty,              // no lines at all
  TooLarge,           // Limits::max_body_size exceeded
  TooManyLines,       // Limits::max_lines exceeded
  LineTooLong,        // Limits::max_line_length exceeded
  TooManyMedia,       // Limits::max_media exceeded
  TooManyAttributes,  // Limits::max_attributes exceeded (per section)
  TooManyCandidates,  // Limits::max_candidates exceeded (whole description)
  MalformedLine,      // not `<letter>=<value>`
  UnexpectedLine,     // a known line type out of RFC 8866 §5 order
  MissingLine,        // a mandatory line (v=, o=, s=, t=) never came
  BadVersion,         // v= other than 0
  BadOrigin,          // o= does not have six fields
  BadConnection,      // c= malformed
  BadBandwidth,       // b= malformed
  BadTiming,          // t= malformed
  BadMedia,           // m= malformed
  BadAttribute,       // a typed attribute value is malformed
};

/// Short stable name of a code ("bad-media"), for logs and tests.
std::string_view to_string(ParseErrc code);

struct ParseError {
  ParseErrc code = ParseErrc::MalformedLine;
  std::size_t line = 0;  // 1-based; 0 = not tied to a line
  std::string reason;
};

/// Hard limits against hostile input. Defaults are far above what real endpoints send (a
/// Chromium audio+video offer is ~150 lines; the longest real lines are candidates and ssrc).
struct Limits {
  std::size_t max_lines = 4096;
  std::size_t max_line_length = 4096;
  std::size_t max_media = 64;
  std::size_t max_attributes = 1024;  // per section (session or one m= section)
  std::size_t max_candidates = 256;   // a=candidate lines in the whole description
  std::size_t max_body_size = 256 * 1024;
};

}  // namespace rtcgate::sdp
