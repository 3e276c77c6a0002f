#include "message/message_scanner.hpp"

#include "message/text.hpp"

namespace rtcgate::sip::detail {

namespace {

std::unexpected<ParseError> fail(ParseErrorCode code, std::size_t offset, std::size_t line,
                                 std::string reason) {
  return std::unexpected(ParseError{code, offset, line, std::move(reason)});
}

}  // namespace

std::optional<std::pair<std::string_view, std::size_t>> MessageScanner::physical_line() const {
  const std::size_t lf = text_.find('\n', pos_);
  if (lf == std::string_view::npos) return std::nullopt;
  std::size_t end = lf;
  if (end > pos_ && text_[end - 1] == '\r') --end;
  return std::make_pair(text_.substr(pos_, end - pos_), lf + 1);
}

std::expected<StartLine, ParseError> MessageScanner::start_line() {
  // RFC 3261 §7.5: CRLFs before the start line are ignored.
  while (pos_ < text_.size() && (text_[pos_] == '\r' || text_[pos_] == '\n'))
    ++pos_;
  if (pos_ == text_.size()) return fail(ParseErrorCode::Empty, pos_, 0, "no message");
  const auto line = physical_line();
  if (!line) return fail(ParseErrorCode::BadStartLine, pos_, 1, "start line without line end");
  if (line->first.size() > max_header_length_) {
    return fail(ParseErrorCode::HeaderTooLong, pos_, 1, "start line over the length limit");
  }
  StartLine out{line->first, pos_};
  pos_ = line->second;
  line_ = 1;
  return out;
}

std::expected<std::optional<HeaderLine>, ParseError> MessageScanner::next_header() {
  auto line = physical_line();
  if (!line) return fail(ParseErrorCode::BadHeaderLine, pos_, line_ + 1, "header block without empty line");
  ++line_;
  if (line->first.empty()) {
    pos_ = line->second;
    return std::optional<HeaderLine>{};
  }
  HeaderLine out;
  out.offset = pos_;
  out.line = line_;
  const std::string_view first = line->first;
  if (is_wsp(first.front()))
    return fail(ParseErrorCode::BadHeaderLine, pos_, line_, "continuation line without header");
  const std::size_t colon = first.find(':');
  if (colon == std::string_view::npos)
    return fail(ParseErrorCode::BadHeaderLine, pos_, line_, "header without ':'");
  std::string_view name = first.substr(0, colon);
  while (!name.empty() && is_wsp(name.back()))
    name.remove_suffix(1);
  if (!is_token(name)) return fail(ParseErrorCode::BadHeaderLine, pos_, line_, "bad header name");
  out.name = name;
  std::string_view value = first.substr(colon + 1);
  pos_ = line->second;
  // Folding (RFC 3261 §7.3.1): a line starting with SP/HTAB continues the previous one.
  bool folded = false;
  while (pos_ < text_.size() && is_wsp(text_[pos_])) {
    const auto cont = physical_line();
    if (!cont) break;
    if (!folded) {
      fold_.assign(trim(value));
      folded = true;
    }
    const std::string_view piece = trim(cont->first);
    if (!piece.empty()) {
      if (!fold_.empty()) fold_.push_back(' ');
      fold_.append(piece);
    }
    if (fold_.size() > max_header_length_) break;
    pos_ = cont->second;
    ++line_;
  }
  out.value = folded ? std::string_view(fold_) : trim(value);
  if (out.value.size() + name.size() > max_header_length_) {
    return fail(ParseErrorCode::HeaderTooLong, out.offset, out.line, "header over the length limit");
  }
  return std::optional<HeaderLine>{out};
}

}  // namespace rtcgate::sip::detail
