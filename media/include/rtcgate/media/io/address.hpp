// Conversions between textual IP addresses and SocketAddress (packet/packet_buffer.hpp).
//
// Used at setup only (configuration, negotiated remote addresses); never per packet. IPv4 and IPv6
// literals only: no name resolution happens in media/. Thread-safe, no allocation except to_string.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rtcgate/media/packet/packet_buffer.hpp"

namespace rtcgate::media {

[[nodiscard]] std::optional<SocketAddress> make_socket_address(std::string_view ip, std::uint16_t port);
[[nodiscard]] std::uint16_t port_of(const SocketAddress& address) noexcept;
[[nodiscard]] std::string ip_of(const SocketAddress& address);
// Address equality ignoring the port.
[[nodiscard]] bool same_ip(const SocketAddress& a, const SocketAddress& b) noexcept;

}  // namespace rtcgate::media
