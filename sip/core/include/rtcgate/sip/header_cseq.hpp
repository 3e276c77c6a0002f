// CSeq (RFC 3261 §20.16): a 32-bit sequence number and the request method; RAck (RFC 3262 §7.2),
// which names a reliable provisional response by its RSeq and the CSeq of its request.
// Value types; no thread affinity.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

#include "rtcgate/sip/method.hpp"
#include "rtcgate/sip/parse_error.hpp"

namespace rtcgate::sip {

struct CSeq {
  std::uint32_t number = 0;
  Method method = Method::Invite;
  std::string method_token = "INVITE";  // always set; the only name of an extension method

  std::string to_string() const;
};

// The numeric value must fit in 32 bits (RFC 3261 §8.1.1.5); the method must be a token.
std::expected<CSeq, ParseError> parse_cseq(std::string_view text);

struct RAck {
  std::uint32_t rseq = 0;
  CSeq cseq;

  std::string to_string() const;
};

// "response-num LWS CSeq-num LWS Method", both numbers 32-bit.
std::expected<RAck, ParseError> parse_rack(std::string_view text);

// Makes a CSeq whose token matches `method` (not Method::Extension).
CSeq make_cseq(std::uint32_t number, Method method);

}  // namespace rtcgate::sip
