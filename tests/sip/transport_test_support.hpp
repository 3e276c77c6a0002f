// Helpers for the transport tests: an event recorder, a bounded loop runner, raw TCP/TLS clients,
// a minimal RFC 6455 client (written by hand so the tests do not share Beast with the code under
// test), and a self-signed P-256 certificate generated with OpenSSL at run time (no key on disk).
// Everything runs on one io_context in the test thread, like the signaling thread in production.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>

#include "rtcgate/sip/asio/transport_manager.hpp"

namespace rtcgate::sip::test {

using namespace std::chrono_literals;
namespace ip = boost::asio::ip;
namespace ssl = boost::asio::ssl;

// Runs the loop until `done()` or `limit` passes; returns done().
inline bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
                      std::chrono::milliseconds limit = 5000ms) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    io.restart();
    io.run_for(5ms);
  }
  return true;
}

// Runs the loop for a fixed time (to show that something does NOT happen).
inline void run_for(boost::asio::io_context& io, std::chrono::milliseconds period) {
  io.restart();
  io.run_for(period);
}

struct Received {
  Flow flow;
  std::string bytes;
};

struct EventLog {
  std::vector<Received> messages;
  std::vector<Flow> opened;
  std::vector<std::pair<Flow, std::error_code>> closed;

  TransportEvents events() {
    TransportEvents e;
    e.on_message = [this](const Flow& flow, std::string_view bytes) {
      messages.push_back({flow, std::string(bytes)});
    };
    e.on_flow_opened = [this](const Flow& flow) { opened.push_back(flow); };
    e.on_flow_closed = [this](const Flow& flow, std::error_code ec) { closed.emplace_back(flow, ec); };
    return e;
  }
};

// A self-signed ECDSA P-256 certificate for CN=localhost, IP 127.0.0.1, valid for a day.
struct TestCert {
  std::string cert_pem;
  std::string key_pem;
};

inline std::string bio_to_string(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

inline TestCert make_test_cert() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"),
                             -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  BIO* cert_bio = BIO_new(BIO_s_mem());
  BIO* key_bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(cert_bio, cert);
  PEM_write_bio_PrivateKey(key_bio, key, nullptr, nullptr, 0, nullptr, nullptr);
  TestCert out{bio_to_string(cert_bio), bio_to_string(key_bio)};
  BIO_free(cert_bio);
  BIO_free(key_bio);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

// A SIP request with the given Via sent-by; Content-Length matches the body.
inline std::string make_request(std::string_view method, std::string_view transport, std::string_view sent_by,
                                std::string_view branch, std::string_view body = {},
                                std::string_view via_params = ";rport") {
  std::string m;
  m += std::string(method) + " sip:bob@127.0.0.1 SIP/2.0\r\n";
  m += "Via: SIP/2.0/" + std::string(transport) + " " + std::string(sent_by) +
       ";branch=" + std::string(branch) + std::string(via_params) + "\r\n";
  m += "Max-Forwards: 70\r\n";
  m += "From: <sip:alice@127.0.0.1>;tag=a1\r\n";
  m += "To: <sip:bob@127.0.0.1>\r\n";
  m += "Call-ID: " + std::string(branch) + "@test\r\n";
  m += "CSeq: 1 " + std::string(method) + "\r\n";
  m += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  m += body;
  return m;
}

// A raw client over TCP or TLS: connect, write bytes, collect what comes back.
template <typename Stream>
class StreamClient {
 public:
  template <typename... Args>
  explicit StreamClient(Args&&... args) : stream_(std::forward<Args>(args)...) {}

  bool connect(boost::asio::io_context& io, std::uint16_t port) {
    bool done = false;
    boost::system::error_code result;
    stream_.lowest_layer().async_connect(ip::tcp::endpoint(ip::make_address("127.0.0.1"), port),
                                         [&](const boost::system::error_code& ec) {
                                           result = ec;
                                           done = true;
                                         });
    if (!run_until(io, [&] { return done; }) || result) return false;
    if constexpr (!std::is_same_v<Stream, ip::tcp::socket>) {
      done = false;
      stream_.async_handshake(ssl::stream_base::client, [&](const boost::system::error_code& ec) {
        result = ec;
        done = true;
      });
      if (!run_until(io, [&] { return done; }) || result) return false;
    }
    start_read();
    return true;
  }

  void write(std::string bytes) {
    auto data = std::make_shared<std::string>(std::move(bytes));
    boost::asio::async_write(stream_, boost::asio::buffer(*data),
                             [data](const boost::system::error_code&, std::size_t) {});
  }

  void close() {
    boost::system::error_code ignored;
    stream_.lowest_layer().close(ignored);
  }

  std::string& received() { return received_; }
  bool eof() const { return eof_; }
  Stream& stream() { return stream_; }

 private:
  void start_read() {
    stream_.async_read_some(boost::asio::buffer(buffer_),
                            [this](const boost::system::error_code& ec, std::size_t n) {
                              // Aborted: the client may already be destroyed (a loop-scoped client), so touch
                              // nothing.
                              if (ec == boost::asio::error::operation_aborted) return;
                              if (ec) {
                                eof_ = true;
                                return;
                              }
                              received_.append(buffer_.data(), n);
                              start_read();
                            });
  }

  Stream stream_;
  std::array<char, 8192> buffer_{};
  std::string received_;
  bool eof_ = false;
};

using TcpClient = StreamClient<ip::tcp::socket>;
using TlsClient = StreamClient<ssl::stream<ip::tcp::socket>>;

// RFC 6455 client pieces: the upgrade request and masked frames (client frames must be masked).
inline std::string ws_upgrade_request(std::string_view path, std::string_view protocol) {
  std::string r = "GET " + std::string(path) + " HTTP/1.1\r\n";
  r += "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
  r += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
  if (!protocol.empty()) r += "Sec-WebSocket-Protocol: " + std::string(protocol) + "\r\n";
  return r + "\r\n";
}

inline std::string ws_frame(std::string_view payload, std::uint8_t opcode = 0x1) {
  std::string f;
  f += static_cast<char>(0x80 | opcode);
  const std::size_t n = payload.size();
  if (n < 126) {
    f += static_cast<char>(0x80 | n);
  } else if (n < 65536) {
    f += static_cast<char>(0x80 | 126);
    f += static_cast<char>((n >> 8) & 0xff);
    f += static_cast<char>(n & 0xff);
  } else {
    f += static_cast<char>(0x80 | 127);
    for (int shift = 56; shift >= 0; shift -= 8)
      f += static_cast<char>((n >> shift) & 0xff);
  }
  const std::uint8_t mask[4] = {0x12, 0x34, 0x56, 0x78};
  for (std::uint8_t m : mask)
    f += static_cast<char>(m);
  for (std::size_t i = 0; i < n; ++i)
    f += static_cast<char>(payload[i] ^ static_cast<char>(mask[i % 4]));
  return f;
}

// Splits the HTTP response head off `data`; nullopt until it is complete.
inline std::optional<std::string> take_http_head(std::string& data) {
  const std::size_t end = data.find("\r\n\r\n");
  if (end == std::string::npos) return std::nullopt;
  std::string head = data.substr(0, end + 4);
  data.erase(0, end + 4);
  return head;
}

// Takes one unmasked server frame off `data`: {opcode, payload}; nullopt until complete.
inline std::optional<std::pair<int, std::string>> take_ws_frame(std::string& data) {
  if (data.size() < 2) return std::nullopt;
  const auto b0 = static_cast<std::uint8_t>(data[0]);
  const auto b1 = static_cast<std::uint8_t>(data[1]);
  std::size_t n = b1 & 0x7f;
  std::size_t at = 2;
  if (n == 126) {
    if (data.size() < 4) return std::nullopt;
    n = (static_cast<std::uint8_t>(data[2]) << 8) | static_cast<std::uint8_t>(data[3]);
    at = 4;
  } else if (n == 127) {
    if (data.size() < 10) return std::nullopt;
    n = 0;
    for (int i = 0; i < 8; ++i)
      n = (n << 8) | static_cast<std::uint8_t>(data[2 + i]);
    at = 10;
  }
  if (data.size() < at + n) return std::nullopt;
  std::pair<int, std::string> frame{b0 & 0x0f, data.substr(at, n)};
  data.erase(0, at + n);
  return frame;
}

inline std::uint16_t port_of(const Transport& transport, TransportKind kind) {
  for (const ListenerInfo& info : transport.listeners()) {
    if (info.kind == kind) return info.local.port;
  }
  return 0;
}

}  // namespace rtcgate::sip::test
