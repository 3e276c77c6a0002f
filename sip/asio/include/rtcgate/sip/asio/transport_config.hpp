// TransportConfig: what the SIP transports listen on and the limits they enforce.
//
// Listen strings are the operator contract of `[sip] listen` in the gateway configuration: "udp:IP:PORT",
// "tcp:IP:PORT", "tls:IP:PORT", "ws:IP:PORT", "wss:IP:PORT"; IPv6 addresses in brackets
// ("udp:[::1]:5060"); port 0 binds an ephemeral port (tests). TLS listeners and WSS use the
// certificate and key of TlsConfig, given as PEM files (`tls_cert`, `tls_key`) or PEM text.
// Value types; no thread affinity. Units: bytes, counts and seconds as named.
#pragma once

#include <chrono>
#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include "rtcgate/sip/flow.hpp"

namespace rtcgate::sip::asio {

struct ListenSpec {
  TransportKind kind = TransportKind::Udp;
  TransportAddress address;
};

// Parses one listen string. The error is a one-line reason for the operator ("unknown transport
// 'sctp'", "bad port '70000'"). Only numeric addresses are accepted: a listener binds an address.
std::expected<ListenSpec, std::string> parse_listen_spec(std::string_view text);

struct TransportLimits {
  // Largest SIP message accepted or sent, headers and body (RFC 3261 §18.1.1 leaves it to us;
  // 64 KiB covers every real SDP offer with trickle candidates).
  std::size_t max_message_size = 65535;
  // Per connection: messages and bytes waiting to be written. A peer that does not read is
  // disconnected rather than allowed to grow our memory (Beast's queue_limit).
  std::size_t max_queued_messages = 128;
  std::size_t max_queued_bytes = 1024 * 1024;
  // A connection with no bytes received for this long is closed. RFC 5626 §4.4.1 clients send
  // CRLF keep-alives far more often (JsSIP, SIP.js: 30–120 s).
  std::chrono::seconds idle_timeout{900};
  // TCP connect, TLS handshake and WebSocket upgrade must finish within this time.
  std::chrono::seconds handshake_timeout{10};
  // Open connections of all kinds together; accepts beyond it are closed at once.
  std::size_t max_connections = 20000;
};

struct TlsConfig {
  // PEM files (the operator's tls_cert / tls_key); used when non-empty.
  std::string cert_file;
  std::string key_file;
  // PEM text, for certificates generated at run time (tests, the built-in default).
  std::string cert_pem;
  std::string key_pem;
  // Outgoing TLS: verify the server's certificate against the system store (or ca_file).
  bool verify_peer = false;
  std::string ca_file;
};

struct TransportConfig {
  std::vector<std::string> listen;
  TlsConfig tls;
  TransportLimits limits;
};

}  // namespace rtcgate::sip::asio
