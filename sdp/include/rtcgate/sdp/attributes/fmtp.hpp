// a=fmtp — RFC 8866 §6.15: `<format> <format specific parameters>`.
// Parameters are kept in order as key[=value] pairs split on ';' (RFC 7587 Opus, RFC 4733
// telephone-event). A parameter without '=' (telephone-event's "0-15", red's "111/111") is a key
// with no value, so non key/value fmtp round-trips too. Keys compare case-insensitively.
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rtcgate/sdp/parse_error.hpp>

namespace rtcgate::sdp {

struct FmtpParam {
  std::string key;
  std::optional<std::string> value;
  bool operator==(const FmtpParam&) const = default;
};

struct Fmtp {
  std::string format;  // the payload type as written
  std::vector<FmtpParam> params;

  /// Value of `key` (case-insensitive); nullopt when absent or value-less.
  std::optional<std::string_view> get(std::string_view key) const;
  bool operator==(const Fmtp&) const = default;
};

std::expected<Fmtp, ParseError> parse_fmtp(std::string_view value);
/// Parses only the parameter list (the part after the format).
std::vector<FmtpParam> parse_fmtp_params(std::string_view params);
std::string to_value(const Fmtp& f);
/// `key=value;key2` — the parameter list as written in an fmtp line.
std::string params_to_string(const std::vector<FmtpParam>& params);

}  // namespace rtcgate::sdp
