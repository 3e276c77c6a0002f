// TLS contexts for the SIP transports (RFC 3261 §26.2.1: TLS for SIP; RFC 7118 for WSS), built on
// OpenSSL through asio::ssl. Internal. Created once at start-up, before the loop runs; the
// contexts are then read-only and shared by every TLS connection of the transport.
#pragma once

#include <expected>
#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "rtcgate/sip/asio/transport_config.hpp"

namespace rtcgate::sip::asio {

// Server context with the configured certificate chain and key (files or PEM text), TLS 1.2+.
std::expected<std::shared_ptr<boost::asio::ssl::context>, std::string> make_tls_server_context(
    const TlsConfig& config);

// Client context for outgoing TLS: TLS 1.2+, peer verification as configured.
std::expected<std::shared_ptr<boost::asio::ssl::context>, std::string> make_tls_client_context(
    const TlsConfig& config);

}  // namespace rtcgate::sip::asio
