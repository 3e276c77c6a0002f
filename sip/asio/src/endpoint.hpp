// Conversions between Asio endpoints and sip::TransportAddress. Internal.
#pragma once

#include <optional>

#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>

#include "rtcgate/sip/flow.hpp"

namespace rtcgate::sip::asio {

template <typename Endpoint>
TransportAddress to_transport_address(const Endpoint& endpoint) {
  boost::asio::ip::address address = endpoint.address();
  // A v4-mapped peer on a dual-stack socket is reported as plain IPv4 (what it put in its Via).
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return TransportAddress{address.to_string(), endpoint.port()};
}

template <typename Endpoint>
std::optional<Endpoint> to_endpoint(const TransportAddress& address) {
  boost::system::error_code ec;
  const boost::asio::ip::address ip = boost::asio::ip::make_address(address.ip, ec);
  if (ec) return std::nullopt;
  return Endpoint(ip, address.port);
}

}  // namespace rtcgate::sip::asio
