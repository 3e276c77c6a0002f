// Listener addresses as written in the configuration: "transport:IPv4:port" or
// "transport:[IPv6]:port" (the [sip] listen list), and "IP:port" (the [http] listen key).
//
// Ownership: plain values. Thread affinity: none (pure functions). Ports are host byte order.
// The parser never throws; it returns the reason as text, which the configuration loader puts
// next to the key and line it came from.
#pragma once

#include <cstdint>
#include <expected>
#include <string>
#include <string_view>

namespace rtcgate::gateway {

// SIP transports a listener can carry (RFC 3261 §18 for UDP/TCP/TLS, RFC 7118 for WS/WSS).
enum class SipTransport { Udp, Tcp, Tls, Ws, Wss };

std::string_view to_string(SipTransport transport);

// An IP address kept as validated text ("127.0.0.1", "::1": no brackets) plus a port.
struct SocketAddress {
  std::string ip;
  std::uint16_t port = 0;
  bool is_ipv6() const { return ip.find(':') != std::string::npos; }
  // "127.0.0.1:5060" or "[::1]:5060".
  std::string to_string() const;
  friend bool operator==(const SocketAddress&, const SocketAddress&) = default;
};

struct ListenAddress {
  SipTransport transport = SipTransport::Udp;
  SocketAddress address;
  // The secure transports need a certificate.
  bool is_secure() const { return transport == SipTransport::Tls || transport == SipTransport::Wss; }
  bool is_websocket() const { return transport == SipTransport::Ws || transport == SipTransport::Wss; }
  // "udp:127.0.0.1:5060", the same form the parser accepts.
  std::string to_string() const;
  friend bool operator==(const ListenAddress&, const ListenAddress&) = default;
};

// Dotted-quad IPv4 (no leading zeros beyond "0", four parts) or RFC 4291 §2.2 IPv6 text form
// (including "::" compression and a trailing dotted IPv4 part). No zone ids, no host names.
bool is_ipv4_literal(std::string_view text);
bool is_ipv6_literal(std::string_view text);
bool is_ip_literal(std::string_view text);

// "IPv4:port" or "[IPv6]:port". allow_port_zero lets tests ask for any free port.
std::expected<SocketAddress, std::string> parse_socket_address(std::string_view text, bool allow_port_zero);

// "udp:127.0.0.1:5060", "wss:[::1]:8443". Transport names are lower case.
std::expected<ListenAddress, std::string> parse_listen_address(std::string_view text);

}  // namespace rtcgate::gateway
