// StreamFramer: cuts a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3) and reports RFC 5626
// §4.4.1 keep-alives.
//
// Feed it chunks of any size (one byte at a time works); call next() until it returns
// Frame::NeedMore. Each Frame::Message carries the bytes of exactly one message (header block +
// Content-Length bytes of body), ready for parse_message(). Content-Length is required on streams;
// its absence is an error. A double CRLF received between messages is a keep-alive "ping" and is
// reported as Frame::Ping so the transport answers with a single CRLF "pong"; a lone CRLF between
// messages (a pong, or RFC 3261 §7.5 leading whitespace) is skipped silently.
// Limits: the header block and the body each have a maximum; exceeding one, or garbage where a start
// line must be (a non-token first byte, a missing or conflicting Content-Length), puts the framer in a sticky
// error state — the transport should close the connection. Ownership: the framer copies what it is fed; a
// returned frame's text (a view into the framer's buffer) stays valid until the next feed(). Not thread-safe:
// one framer per connection, used on that connection's thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "rtcgate/sip/parse_error.hpp"

namespace rtcgate::sip {

// What a transport writes back when next() returns Frame::Ping (RFC 5626 §4.4.1: the pong is a
// single CRLF).
inline constexpr std::string_view kKeepAlivePong = "\r\n";

struct FramerLimits {
  std::size_t max_header_block = 16384;  // start line + headers + blank line, bytes
  std::size_t max_body = 65536;          // Content-Length, bytes
};

class StreamFramer {
 public:
  enum class Frame { NeedMore, Message, Ping, Error };

  explicit StreamFramer(FramerLimits limits = {}) : limits_(limits) {}

  // Appends bytes received from the stream. Ignored once in the error state.
  void feed(std::string_view bytes);
  // The next event. For Frame::Message, message() holds its bytes.
  Frame next();
  std::string_view message() const { return frame_; }
  // Set once next() has returned Frame::Error.
  const std::optional<ParseError>& error() const { return error_; }
  // Bytes fed but not yet returned in a frame.
  std::size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  Frame fail(ParseErrorCode code, std::string reason);
  // Skips CRLFs between messages; true when they formed a CRLFCRLF ping.
  bool skip_keepalives(bool& need_more);
  // Finds the end of the header block and reads its Content-Length; false when more bytes are needed
  // or the framer failed (error_ set).
  bool scan_header_block();

  FramerLimits limits_;
  std::string buffer_;
  std::size_t consumed_ = 0;     // bytes at the front of buffer_ already returned
  std::size_t scan_from_ = 0;    // where the search for the empty line resumes (relative to consumed_)
  std::size_t header_end_ = 0;   // length of the current header block once found, else 0
  std::size_t body_length_ = 0;  // its Content-Length
  std::string_view frame_;
  std::optional<ParseError> error_;
};

}  // namespace rtcgate::sip
