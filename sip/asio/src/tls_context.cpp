#include "tls_context.hpp"

#include <boost/asio/buffer.hpp>

namespace rtcgate::sip::asio {

namespace ssl = boost::asio::ssl;

namespace {

std::shared_ptr<ssl::context> base_context(ssl::context::method method, boost::system::error_code& ec) {
  auto context = std::make_shared<ssl::context>(method);
  // No SSLv2/3, TLS 1.0 or 1.1 (RFC 8996); no compression (CRIME).
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                           ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression,
                       ec);
  return context;
}

}  // namespace

std::expected<std::shared_ptr<ssl::context>, std::string> make_tls_server_context(const TlsConfig& config) {
  boost::system::error_code ec;
  auto context = base_context(ssl::context::tls_server, ec);
  if (!config.cert_file.empty()) {
    context->use_certificate_chain_file(config.cert_file, ec);
    if (ec) return std::unexpected("tls_cert '" + config.cert_file + "': " + ec.message());
    context->use_private_key_file(config.key_file.empty() ? config.cert_file : config.key_file,
                                  ssl::context::pem, ec);
    if (ec) return std::unexpected("tls_key '" + config.key_file + "': " + ec.message());
  } else if (!config.cert_pem.empty()) {
    context->use_certificate_chain(boost::asio::buffer(config.cert_pem), ec);
    if (ec) return std::unexpected("tls certificate: " + ec.message());
    context->use_private_key(boost::asio::buffer(config.key_pem), ssl::context::pem, ec);
    if (ec) return std::unexpected("tls key: " + ec.message());
  } else {
    return std::unexpected(std::string("a tls: or wss: listener needs tls_cert and tls_key"));
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    return std::unexpected(std::string("tls_key does not match tls_cert"));
  }
  return context;
}

std::expected<std::shared_ptr<ssl::context>, std::string> make_tls_client_context(const TlsConfig& config) {
  boost::system::error_code ec;
  auto context = base_context(ssl::context::tls_client, ec);
  if (!config.verify_peer) {
    context->set_verify_mode(ssl::verify_none, ec);
    return context;
  }
  context->set_verify_mode(ssl::verify_peer, ec);
  if (config.ca_file.empty()) {
    context->set_default_verify_paths(ec);
  } else {
    context->load_verify_file(config.ca_file, ec);
  }
  if (ec) return std::unexpected("tls trust store: " + ec.message());
  return context;
}

}  // namespace rtcgate::sip::asio
