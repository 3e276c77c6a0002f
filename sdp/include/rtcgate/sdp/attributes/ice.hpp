// ICE description attributes — RFC 8839 §5.4 (ice-ufrag, ice-pwd), §5.6 (ice-options), §5.3
// (ice-lite), §5.2 (end-of-candidates). Credentials and options may be session or media level;
// media level wins. ufrag is 4-256 ice-chars, pwd 22-256 (ice-char = ALPHA / DIGIT / "+" / "/").
#pragma once

#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rtcgate/sdp/parse_error.hpp>
#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp {

struct IceCredentials {
  std::string ufrag;
  std::string pwd;
  bool operator==(const IceCredentials&) const = default;
};

std::expected<std::string, ParseError> parse_ice_ufrag(std::string_view value);
std::expected<std::string, ParseError> parse_ice_pwd(std::string_view value);
/// Space-separated option tags ("trickle", "ice2", "renomination").
std::expected<std::vector<std::string>, ParseError> parse_ice_options(std::string_view value);

/// The credentials that apply to `m`: media-level ice-ufrag/ice-pwd, else session-level.
/// nullopt when either is missing anywhere; an error when one present value is malformed.
std::expected<std::optional<IceCredentials>, ParseError> ice_credentials(const SessionDescription& d,
                                                                         const MediaDescription& m);
/// ice-options that apply to `m` (media level, else session level).
std::vector<std::string> ice_options(const SessionDescription& d, const MediaDescription& m);
/// a=ice-lite is session level only (RFC 8839 §5.3).
bool ice_lite(const SessionDescription& d);

}  // namespace rtcgate::sdp
