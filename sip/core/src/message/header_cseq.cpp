// CSeq (RFC 3261 §20.16, §8.1.1.5).
#include "rtcgate/sip/header_cseq.hpp"

#include "message/text.hpp"

namespace rtcgate::sip {

std::expected<CSeq, ParseError> parse_cseq(std::string_view text) {
  text = detail::trim(text);
  std::size_t i = 0;
  while (i < text.size() && detail::is_digit(text[i]))
    ++i;
  const auto number = detail::parse_uint<std::uint32_t>(text.substr(0, i), 0xffffffffULL);
  const std::string_view method = detail::trim_left(text.substr(i));
  if (!number || method.size() == text.size() - i || !is_token(method)) {
    return std::unexpected(
        ParseError{ParseErrorCode::BadCSeq, 0, 0, "CSeq is not '<32-bit number> <method>'"});
  }
  CSeq out;
  out.number = *number;
  out.method = method_from_token(method);
  out.method_token.assign(method);
  return out;
}

std::expected<RAck, ParseError> parse_rack(std::string_view text) {
  text = detail::trim(text);
  std::size_t i = 0;
  while (i < text.size() && detail::is_digit(text[i]))
    ++i;
  const auto rseq = detail::parse_uint<std::uint32_t>(text.substr(0, i), 0xffffffffULL);
  if (!rseq || i == text.size() || !detail::is_lws(text[i])) {
    return std::unexpected(
        ParseError{ParseErrorCode::BadHeaderValue, 0, 0, "RAck is not '<RSeq> <CSeq> <method>'"});
  }
  auto cseq = parse_cseq(text.substr(i));
  if (!cseq) {
    return std::unexpected(
        ParseError{ParseErrorCode::BadHeaderValue, i, 0, "RAck is not '<RSeq> <CSeq> <method>'"});
  }
  return RAck{*rseq, std::move(*cseq)};
}

std::string RAck::to_string() const {
  return std::to_string(rseq) + ' ' + cseq.to_string();
}

CSeq make_cseq(std::uint32_t number, Method method) {
  return CSeq{number, method, std::string(to_string(method))};
}

std::string CSeq::to_string() const {
  return std::to_string(number) + ' ' + method_token;
}

}  // namespace rtcgate::sip
