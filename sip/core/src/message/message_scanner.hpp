// MessageScanner: splits SIP message text into the start line, unfolded header lines and the body
// (RFC 3261 §7, §7.3.1 folding, §7.5 leading CRLFs). Internal to rtcgate_sip.
//
// Views returned point into the scanned text or into the scanner's own fold buffer; they stay
// valid until the next call to next_header(). A bare LF ends a line as well as CRLF.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>

#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/parse_error.hpp"

namespace rtcgate::sip::detail {

struct StartLine {
  std::string_view text;
  std::size_t offset = 0;
};

struct HeaderLine {
  std::string_view name;   // as received, without trailing whitespace
  std::string_view value;  // unfolded, trimmed
  std::size_t offset = 0;  // of the first byte of the name
  std::size_t line = 0;    // 1-based
};

class MessageScanner {
 public:
  MessageScanner(std::string_view text, std::size_t max_header_length)
      : text_(text), max_header_length_(max_header_length) {}

  std::expected<StartLine, ParseError> start_line();
  // The next header, nullopt after the empty line that ends the header block.
  std::expected<std::optional<HeaderLine>, ParseError> next_header();
  // The bytes after the empty line (valid once next_header() returned nullopt).
  std::string_view rest() const { return text_.substr(pos_); }
  std::size_t body_offset() const { return pos_; }

 private:
  // The physical line at pos_ (without its line end) and the position after its line end; nullopt
  // when the text ends without a line end.
  std::optional<std::pair<std::string_view, std::size_t>> physical_line() const;

  std::string_view text_;
  std::size_t max_header_length_;
  std::size_t pos_ = 0;
  std::size_t line_ = 0;
  std::string fold_;
};

// Checks the headers the message layer understands (see parser.hpp for the list) as the parser
// reads them, so that an error carries the offset and line of the offending header.
class HeaderValidator {
 public:
  // One header entry (a list element) from the header line at `offset` / `line`.
  std::expected<void, ParseError> check(const Header& header, std::size_t offset, std::size_t line);
  // What can only be judged once every header is read: required headers present, a '*' Contact
  // alone, the CSeq method equal to the request method.
  std::expected<void, ParseError> finish(const Message& message) const;

 private:
  std::array<std::uint16_t, static_cast<std::size_t>(HeaderId::Count_)> counts_{};
  bool wildcard_contact_ = false;
  std::size_t contacts_ = 0;
};

}  // namespace rtcgate::sip::detail
