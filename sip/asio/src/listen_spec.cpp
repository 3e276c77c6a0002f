#include <charconv>

#include <boost/asio/ip/address.hpp>

#include "rtcgate/sip/asio/transport_config.hpp"

namespace rtcgate::sip::asio {

std::expected<ListenSpec, std::string> parse_listen_spec(std::string_view text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return std::unexpected("listen '" + std::string(text) + "': expected KIND:IP:PORT");
  }
  const auto kind = parse_transport_kind(text.substr(0, colon));
  if (!kind) return std::unexpected("listen '" + std::string(text) + "': unknown transport");
  std::string_view rest = text.substr(colon + 1);
  std::string_view host;
  std::string_view port;
  if (rest.starts_with('[')) {
    const std::size_t close = rest.find(']');
    if (close == std::string_view::npos || close + 1 >= rest.size() || rest[close + 1] != ':') {
      return std::unexpected("listen '" + std::string(text) + "': expected [IPv6]:PORT");
    }
    host = rest.substr(1, close - 1);
    port = rest.substr(close + 2);
  } else {
    const std::size_t last = rest.rfind(':');
    if (last == std::string_view::npos) {
      return std::unexpected("listen '" + std::string(text) + "': missing port");
    }
    host = rest.substr(0, last);
    port = rest.substr(last + 1);
    if (host.find(':') != std::string_view::npos) {
      return std::unexpected("listen '" + std::string(text) + "': IPv6 addresses go in brackets");
    }
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return std::unexpected("listen '" + std::string(text) + "': bad port '" + std::string(port) + "'");
  }
  boost::system::error_code address_error;
  const boost::asio::ip::address address = boost::asio::ip::make_address(std::string(host), address_error);
  if (address_error) {
    return std::unexpected("listen '" + std::string(text) + "': '" + std::string(host) +
                           "' is not a numeric IP address");
  }
  return ListenSpec{*kind, TransportAddress{address.to_string(), static_cast<std::uint16_t>(value)}};
}

}  // namespace rtcgate::sip::asio
