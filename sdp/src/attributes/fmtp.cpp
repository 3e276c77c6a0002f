#include <rtcgate/sdp/attributes/fmtp.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

std::optional<std::string_view> Fmtp::get(std::string_view key) const {
  for (const auto& p : params) {
    if (detail::iequals(p.key, key) && p.value) return std::string_view(*p.value);
  }
  return std::nullopt;
}

std::vector<FmtpParam> parse_fmtp_params(std::string_view text) {
  std::vector<FmtpParam> out;
  for (auto item : detail::split(text, ';')) {
    item = detail::trim(item);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      out.push_back({std::string(item), std::nullopt});
    } else {
      out.push_back(
          {std::string(detail::trim(item.substr(0, eq))), std::string(detail::trim(item.substr(eq + 1)))});
    }
  }
  return out;
}

std::expected<Fmtp, ParseError> parse_fmtp(std::string_view value) {
  const auto space = value.find(' ');
  const auto format = value.substr(0, space);
  if (format.empty() || !detail::is_token(format)) return detail::bad_attribute("fmtp needs a format");
  Fmtp f{std::string(format), {}};
  if (space != std::string_view::npos) f.params = parse_fmtp_params(value.substr(space + 1));
  return f;
}

std::string params_to_string(const std::vector<FmtpParam>& params) {
  std::string out;
  for (const auto& p : params) {
    if (!out.empty()) out.push_back(';');
    out.append(p.key);
    if (p.value) {
      out.push_back('=');
      out.append(*p.value);
    }
  }
  return out;
}

std::string to_value(const Fmtp& f) {
  std::string out = f.format;
  out.push_back(' ');
  out.append(params_to_string(f.params));
  return out;
}

}  // namespace rtcgate::sdp
