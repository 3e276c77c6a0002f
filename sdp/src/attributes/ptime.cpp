#include <rtcgate/sdp/attributes/ptime.hpp>

#include "../text.hpp"
#include "attr_util.hpp"

namespace rtcgate::sdp {

std::expected<std::uint32_t, ParseError> parse_ptime(std::string_view value) {
  value = detail::trim(value);
  const auto dot = value.find('.');
  if (dot != std::string_view::npos) {
    const auto fraction = value.substr(dot + 1);
    if (fraction.empty() || fraction.find_first_not_of('0') != std::string_view::npos) {
      return detail::bad_attribute("fractional ptime is not supported");
    }
    value = value.substr(0, dot);
  }
  auto ms = detail::parse_uint<std::uint32_t>(value, 10000);
  if (!ms || *ms == 0) return detail::bad_attribute("ptime must be 1-10000 ms");
  return *ms;
}

}  // namespace rtcgate::sdp
