// StreamFramer (RFC 3261 §18.3 framing by Content-Length; RFC 5626 §4.4.1 CRLF keep-alives).
#include "rtcgate/sip/stream_framer.hpp"

#include "message/message_scanner.hpp"
#include "message/text.hpp"

namespace rtcgate::sip {

namespace {

constexpr std::string_view kPing = "\r\n\r\n";

}  // namespace

void StreamFramer::feed(std::string_view bytes) {
  if (error_) return;
  if (consumed_ > 0) {
    // Frames handed out earlier point into buffer_; the contract ends their life here.
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

StreamFramer::Frame StreamFramer::fail(ParseErrorCode code, std::string reason) {
  error_ = ParseError{code, consumed_, 0, std::move(reason)};
  buffer_.clear();
  consumed_ = 0;
  frame_ = {};
  return Frame::Error;
}

bool StreamFramer::skip_keepalives(bool& need_more) {
  need_more = false;
  while (header_end_ == 0 && scan_from_ == 0) {
    const std::string_view view = std::string_view(buffer_).substr(consumed_);
    if (view.starts_with(kPing)) {
      consumed_ += kPing.size();
      return true;
    }
    if (!view.empty() && view.size() < kPing.size() && kPing.starts_with(view)) {
      need_more = true;  // maybe the start of a ping
      return false;
    }
    if (view.starts_with("\r\n")) {
      consumed_ += 2;  // a pong, or a CRLF before a start line (RFC 3261 §7.5)
    } else if (view.starts_with("\n")) {
      consumed_ += 1;
    } else {
      return false;
    }
  }
  return false;
}

bool StreamFramer::scan_header_block() {
  const std::string_view view = std::string_view(buffer_).substr(consumed_);
  if (!view.empty() && !detail::is_token_char(view.front())) {
    fail(ParseErrorCode::BadFraming, "stream does not start with a start line");
    return false;
  }
  // The empty line: "\n\r\n" or "\n\n" (bare LF tolerated).
  std::size_t i = scan_from_ > 2 ? scan_from_ - 2 : 0;
  std::size_t end = 0;
  for (; i < view.size(); ++i) {
    if (view[i] != '\n') continue;
    if (i + 1 < view.size() && view[i + 1] == '\n') {
      end = i + 2;
      break;
    }
    if (i + 2 < view.size() && view[i + 1] == '\r' && view[i + 2] == '\n') {
      end = i + 3;
      break;
    }
  }
  if (end == 0) {
    scan_from_ = view.size();
    if (view.size() > limits_.max_header_block) fail(ParseErrorCode::HeaderTooLong, "header block too large");
    return false;
  }
  if (end > limits_.max_header_block) {
    fail(ParseErrorCode::HeaderTooLong, "header block too large");
    return false;
  }
  // Read Content-Length with the message scanner so that folding and compact forms are handled.
  detail::MessageScanner scanner(view.substr(0, end), limits_.max_header_block);
  std::optional<std::size_t> length;
  if (!scanner.start_line()) {
    fail(ParseErrorCode::BadFraming, "bad start line");
    return false;
  }
  while (true) {
    auto line = scanner.next_header();
    if (!line) {
      fail(ParseErrorCode::BadFraming, "bad header block");
      return false;
    }
    if (!line->has_value()) break;
    if (header_id((*line)->name) != HeaderId::ContentLength) continue;
    const auto n = detail::parse_uint<std::size_t>((*line)->value, 0xffffffffULL);
    if (!n || (length && *length != *n)) {
      fail(ParseErrorCode::BadContentLength, "bad or conflicting Content-Length");
      return false;
    }
    length = n;
  }
  if (!length) {
    fail(ParseErrorCode::MissingContentLength, "Content-Length is required on streams");
    return false;
  }
  if (*length > limits_.max_body) {
    fail(ParseErrorCode::BodyTooLarge, "body over the limit");
    return false;
  }
  header_end_ = end;
  body_length_ = *length;
  return true;
}

StreamFramer::Frame StreamFramer::next() {
  if (error_) return Frame::Error;
  frame_ = {};
  bool need_more = false;
  if (skip_keepalives(need_more)) return Frame::Ping;
  if (need_more || consumed_ == buffer_.size()) return Frame::NeedMore;
  if (header_end_ == 0 && !scan_header_block()) return error_ ? Frame::Error : Frame::NeedMore;
  const std::size_t total = header_end_ + body_length_;
  if (buffer_.size() - consumed_ < total) return Frame::NeedMore;
  frame_ = std::string_view(buffer_).substr(consumed_, total);
  consumed_ += total;
  header_end_ = 0;
  body_length_ = 0;
  scan_from_ = 0;
  return Frame::Message;
}

}  // namespace rtcgate::sip
