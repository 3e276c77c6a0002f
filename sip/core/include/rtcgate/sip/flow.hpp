// Flow: the identity of one transport path between us and a peer (RFC 5626 §3, "flow").
//
// A flow names the transport kind, our local address, the peer's address as seen on the wire
// (the source of the packets, i.e. what RFC 3261 §18.2.1 calls `received` and RFC 3581 `rport`)
// and, for connection-oriented transports (TCP, TLS, WS, WSS), the id of the connection. Upper
// layers keep the Flow of a request to send its responses back the same way (RFC 3261 §18.2.2)
// and the Flow of a registration to reach a WebSocket client over its own connection (RFC 7118 §5,
// RFC 5626 §5.3). Plain values, no ownership, usable from any thread; std only.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtcgate::sip {

enum class TransportKind : std::uint8_t { Udp, Tcp, Tls, Ws, Wss };

// The Via transport token (RFC 3261 §20.42, RFC 7118 §5.2): "UDP", "TCP", "TLS", "WS", "WSS".
constexpr std::string_view via_token(TransportKind kind) {
  switch (kind) {
    case TransportKind::Udp:
      return "UDP";
    case TransportKind::Tcp:
      return "TCP";
    case TransportKind::Tls:
      return "TLS";
    case TransportKind::Ws:
      return "WS";
    case TransportKind::Wss:
      return "WSS";
  }
  return "UDP";
}

// Parses a transport name case-insensitively ("udp", "TCP", "wss", ...).
constexpr std::optional<TransportKind> parse_transport_kind(std::string_view name) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  auto equals = [&](std::string_view want) {
    if (name.size() != want.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
      if (lower(name[i]) != want[i]) return false;
    }
    return true;
  };
  if (equals("udp")) return TransportKind::Udp;
  if (equals("tcp")) return TransportKind::Tcp;
  if (equals("tls")) return TransportKind::Tls;
  if (equals("ws")) return TransportKind::Ws;
  if (equals("wss")) return TransportKind::Wss;
  return std::nullopt;
}

// True for the connection-oriented transports; responses and requests on them are never
// retransmitted by the transaction layer (RFC 3261 §17.1.1.2, timer A only for unreliable).
constexpr bool is_reliable(TransportKind kind) {
  return kind != TransportKind::Udp;
}

// True when the transport is secured by TLS (sips: URIs need one of these, RFC 3261 §26.2).
constexpr bool is_secure(TransportKind kind) {
  return kind == TransportKind::Tls || kind == TransportKind::Wss;
}

// A numeric IP address and a port. `ip` is dotted IPv4 or IPv6 without brackets.
struct TransportAddress {
  std::string ip;
  std::uint16_t port = 0;

  auto operator<=>(const TransportAddress&) const = default;

  // "192.0.2.1:5060" or "[2001:db8::1]:5060", the form used in logs and flow tokens.
  std::string to_string() const {
    std::string out;
    const bool v6 = ip.find(':') != std::string::npos;
    if (v6) out += '[';
    out += ip;
    if (v6) out += ']';
    out += ':';
    out += std::to_string(port);
    return out;
  }
};

// Connection ids are unique for the lifetime of one transport; 0 means "no connection" (UDP).
using ConnectionId = std::uint64_t;

struct Flow {
  TransportKind kind = TransportKind::Udp;
  TransportAddress local;
  TransportAddress remote;
  ConnectionId connection = 0;

  auto operator<=>(const Flow&) const = default;
};

}  // namespace rtcgate::sip
