// Small text helpers shared by the parsers of this module (internal header).
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::sdp::detail {

/// Parses a whole decimal string into an unsigned integer no larger than `max`.
template <typename T>
std::optional<T> parse_uint(std::string_view s, T max = static_cast<T>(-1)) {
  if (s.empty() || s.size() > 20) return std::nullopt;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::uint64_t v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || v > static_cast<std::uint64_t>(max)) {
    return std::nullopt;
  }
  return static_cast<T>(v);
}

/// Splits on runs of spaces (tabs are not separators in SDP, RFC 8866 §9).
std::vector<std::string_view> split_spaces(std::string_view s);
/// Splits on a separator, keeping empty fields.
std::vector<std::string_view> split(std::string_view s, char sep);
std::string_view trim(std::string_view s);
bool iequals(std::string_view a, std::string_view b);
std::string to_lower(std::string_view s);
/// RFC 8866 token: visible ASCII except the separators RFC 8866 §9 excludes.
bool is_token(std::string_view s);
void append_uint(std::string& out, std::uint64_t v);

}  // namespace rtcgate::sdp::detail
