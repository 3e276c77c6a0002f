// TLS (RFC 3261 §26.2.1), WS and WSS (RFC 7118) through TransportManager on 127.0.0.1, with a
// certificate generated at run time and a hand-written RFC 6455 client.
#include <gtest/gtest.h>

#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/serialize.hpp"
#include "transport_test_support.hpp"

namespace rtcgate::sip::test {
namespace {

using asio::TransportConfig;
using asio::TransportLimits;
using asio::TransportManager;

const TestCert& cert() {
  static const TestCert generated = make_test_cert();
  return generated;
}

std::shared_ptr<ssl::context> client_tls() {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  context->set_verify_mode(ssl::verify_none);
  return context;
}

class SecureWsTest : public ::testing::Test {
 protected:
  std::unique_ptr<TransportManager> make(std::vector<std::string> listen, TransportLimits limits = {}) {
    TransportConfig config;
    config.listen = std::move(listen);
    config.tls.cert_pem = cert().cert_pem;
    config.tls.key_pem = cert().key_pem;
    config.limits = limits;
    auto created = TransportManager::create(io_, std::move(config));
    EXPECT_TRUE(created.has_value()) << (created ? "" : created.error());
    if (!created) return nullptr;
    TransportManager* transport = created->get();
    // Answers every request with 200 OK over the flow it came on (RFC 3261 §18.2.2).
    TransportEvents events = log_.events();
    events.on_message = [this, transport](const Flow& flow, std::string_view bytes) {
      log_.messages.push_back({flow, std::string(bytes)});
      auto request = parse_message(bytes);
      if (request && request->is_request())
        transport->send(flow, serialize(make_response(*request, 200, "OK")), {});
    };
    transport->set_events(std::move(events));
    return std::move(*created);
  }

  // Upgrades `client` on `path` offering `protocol`; returns the HTTP response head.
  template <typename Client>
  std::string upgrade(Client& client, std::string_view path, std::string_view protocol) {
    client.write(ws_upgrade_request(path, protocol));
    std::optional<std::string> head;
    run_until(io_, [&] { return (head = take_http_head(client.received())).has_value() || client.eof(); });
    return head.value_or("");
  }

  template <typename Client>
  std::optional<std::pair<int, std::string>> next_frame(Client& client) {
    std::optional<std::pair<int, std::string>> frame;
    run_until(io_, [&] { return (frame = take_ws_frame(client.received())).has_value() || client.eof(); });
    return frame;
  }

  boost::asio::io_context io_;
  EventLog log_;
};

TEST_F(SecureWsTest, TlsRequestAndResponseOverOneConnection) {
  auto transport = make({"tls:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  auto context = client_tls();
  TlsClient client(io_, *context);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Tls)));
  client.write(make_request("OPTIONS", "TLS", "client.invalid", "z9hG4bKtls1"));
  ASSERT_TRUE(run_until(io_, [&] { return client.received().find("\r\n\r\n") != std::string::npos; }));
  EXPECT_TRUE(client.received().starts_with("SIP/2.0 200 OK\r\n"));
  ASSERT_EQ(log_.messages.size(), 1u);
  EXPECT_EQ(log_.messages[0].flow.kind, TransportKind::Tls);
  EXPECT_NE(log_.messages[0].bytes.find("received=127.0.0.1"), std::string::npos);
  EXPECT_STREQ(SSL_get_version(client.stream().native_handle()), "TLSv1.3");

  client.received().clear();
  client.write("\r\n\r\n");
  ASSERT_TRUE(run_until(io_, [&] { return client.received() == "\r\n"; }));
}

TEST_F(SecureWsTest, OutgoingTlsToAnotherTransport) {
  auto server = make({"tls:127.0.0.1:0"});
  auto created = TransportManager::create(io_, TransportConfig{});
  ASSERT_TRUE(server && created.has_value());
  std::vector<std::string> responses;
  EventLog client_log;
  TransportEvents events = client_log.events();
  events.on_message = [&](const Flow&, std::string_view bytes) { responses.emplace_back(bytes); };
  (*created)->set_events(events);
  std::optional<std::error_code> sent;
  (*created)->send_to(TransportKind::Tls, {"127.0.0.1", port_of(*server, TransportKind::Tls)},
                      make_request("OPTIONS", "TLS", "127.0.0.1", "z9hG4bKtlsout"),
                      [&](std::error_code ec, const Flow&) { sent = ec; });
  ASSERT_TRUE(run_until(io_, [&] { return responses.size() == 1; }));
  EXPECT_FALSE(sent.value_or(TransportError::SendFailed));
  EXPECT_TRUE(responses[0].starts_with("SIP/2.0 200 OK"));
  ASSERT_EQ(client_log.opened.size(), 1u);
  EXPECT_EQ(client_log.opened[0].kind, TransportKind::Tls);
}

TEST_F(SecureWsTest, TlsConnectToAClosedPortFails) {
  auto created = TransportManager::create(io_, TransportConfig{});
  ASSERT_TRUE(created.has_value());
  ip::tcp::acceptor probe(io_, ip::tcp::endpoint(ip::make_address("127.0.0.1"), 0));
  const std::uint16_t closed_port = probe.local_endpoint().port();
  probe.close();
  std::optional<std::error_code> sent;
  (*created)->send_to(TransportKind::Tls, {"127.0.0.1", closed_port}, "OPTIONS x SIP/2.0\r\n\r\n",
                      [&](std::error_code ec, const Flow&) { sent = ec; });
  ASSERT_TRUE(run_until(io_, [&] { return sent.has_value(); }));
  EXPECT_EQ(*sent, TransportError::ConnectFailed);
  std::optional<std::error_code> ws;
  (*created)->send_to(TransportKind::Ws, {"127.0.0.1", closed_port}, "x",
                      [&](std::error_code ec, const Flow&) { ws = ec; });
  ASSERT_TRUE(run_until(io_, [&] { return ws.has_value(); }));
  EXPECT_EQ(*ws, TransportError::NotSupported);
}

TEST_F(SecureWsTest, WsAcceptsSipSubprotocolOnAnyPath) {
  auto transport = make({"ws:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  for (const char* path : {"/", "/ws", "/any/path?x=1"}) {
    TcpClient client(io_);
    ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Ws)));
    const std::string head = upgrade(client, path, "sip");
    EXPECT_TRUE(head.starts_with("HTTP/1.1 101")) << path << ": " << head;
    EXPECT_NE(head.find("Sec-WebSocket-Protocol: sip\r\n"), std::string::npos) << head;
  }
  EXPECT_EQ(log_.opened.size(), 3u);
}

TEST_F(SecureWsTest, WsRefusesWithoutSipSubprotocol) {
  auto transport = make({"ws:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  for (const char* protocol : {"", "chat", "sipx, xsip"}) {
    TcpClient client(io_);
    ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Ws)));
    const std::string head = upgrade(client, "/", protocol);
    EXPECT_TRUE(head.starts_with("HTTP/1.1 400")) << protocol << ": " << head;
    EXPECT_TRUE(run_until(io_, [&] { return client.eof(); }));
  }
  TcpClient plain(io_);
  ASSERT_TRUE(plain.connect(io_, port_of(*transport, TransportKind::Ws)));
  plain.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  std::optional<std::string> head;
  ASSERT_TRUE(run_until(io_, [&] { return (head = take_http_head(plain.received())).has_value(); }));
  EXPECT_TRUE(head->starts_with("HTTP/1.1 400"));
  EXPECT_TRUE(log_.opened.empty());
  EXPECT_TRUE(log_.closed.empty()) << "a refused upgrade never opened a flow";
}

TEST_F(SecureWsTest, WsMessagePerFrameResponseOnSameConnectionAndClose) {
  auto transport = make({"ws:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Ws)));
  ASSERT_TRUE(upgrade(client, "/", "sip").starts_with("HTTP/1.1 101"));
  client.write(ws_frame(make_request("REGISTER", "WS", "df7jal23ls0d.invalid", "z9hG4bKws1", {}, "")));
  client.write(ws_frame(make_request("OPTIONS", "WS", "df7jal23ls0d.invalid", "z9hG4bKws2", {}, ""), 0x2));
  for (const char* branch : {"z9hG4bKws1", "z9hG4bKws2"}) {
    const auto frame = next_frame(client);
    ASSERT_TRUE(frame.has_value());
    EXPECT_EQ(frame->first, 0x1) << "responses go out as text frames";
    EXPECT_TRUE(frame->second.starts_with("SIP/2.0 200 OK\r\n"));
    EXPECT_NE(frame->second.find(branch), std::string::npos);
    EXPECT_NE(
        frame->second.find("df7jal23ls0d.invalid;branch=" + std::string(branch) + ";received=127.0.0.1"),
        std::string::npos)
        << frame->second;
  }
  ASSERT_EQ(log_.messages.size(), 2u);
  const Flow flow = log_.messages[0].flow;
  EXPECT_EQ(flow.kind, TransportKind::Ws);
  EXPECT_EQ(flow, log_.messages[1].flow);

  // An in-dialog request for the browser goes over its flow, found by the registrar's binding.
  transport->send(flow, make_request("OPTIONS", "WS", "127.0.0.1", "z9hG4bKtoclient"), {});
  const auto request = next_frame(client);
  ASSERT_TRUE(request.has_value());
  EXPECT_TRUE(request->second.starts_with("OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\n"));

  client.write(ws_frame("\r\n\r\n"));
  const auto pong = next_frame(client);
  ASSERT_TRUE(pong.has_value());
  EXPECT_EQ(pong->second, "\r\n");

  client.write(ws_frame("", 0x8));  // close frame
  const auto echo = next_frame(client);
  ASSERT_TRUE(echo.has_value());
  EXPECT_EQ(echo->first, 0x8) << "the server answers the close handshake (RFC 6455 §5.5.1)";
  client.close();  // the client closes TCP after the close handshake, as browsers do
  ASSERT_TRUE(run_until(io_, [&] { return log_.closed.size() == 1; }));
  EXPECT_EQ(log_.closed[0].first, flow);
  EXPECT_EQ(log_.closed[0].second, TransportError::PeerClosed);
  EXPECT_FALSE(transport->is_open(flow));
}

TEST_F(SecureWsTest, WsOversizeFrameClosesTheFlow) {
  TransportLimits limits;
  limits.max_message_size = 1500;
  auto transport = make({"ws:127.0.0.1:0"}, limits);
  ASSERT_TRUE(transport);
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Ws)));
  ASSERT_TRUE(upgrade(client, "/", "sip").starts_with("HTTP/1.1 101"));
  client.write(ws_frame(make_request("MESSAGE", "WS", "a.invalid", "z9hG4bKbig", std::string(3000, 'x'))));
  ASSERT_TRUE(run_until(io_, [&] { return log_.closed.size() == 1; }));
  EXPECT_EQ(log_.closed[0].second, TransportError::MessageTooLarge);
  EXPECT_TRUE(log_.messages.empty());
}

TEST_F(SecureWsTest, WssUpgradeAndLocalCloseIsReported) {
  auto transport = make({"wss:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  auto context = client_tls();
  TlsClient refused(io_, *context);
  ASSERT_TRUE(refused.connect(io_, port_of(*transport, TransportKind::Wss)));
  EXPECT_TRUE(upgrade(refused, "/ws", "").starts_with("HTTP/1.1 400"));

  TlsClient client(io_, *context);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Wss)));
  const std::string head = upgrade(client, "/ws", "sip");
  ASSERT_TRUE(head.starts_with("HTTP/1.1 101")) << head;
  EXPECT_NE(head.find("Sec-WebSocket-Protocol: sip\r\n"), std::string::npos);
  client.write(ws_frame(make_request("OPTIONS", "WSS", "b.invalid", "z9hG4bKwss")));
  const auto frame = next_frame(client);
  ASSERT_TRUE(frame.has_value());
  EXPECT_TRUE(frame->second.starts_with("SIP/2.0 200 OK\r\n"));
  ASSERT_EQ(log_.opened.size(), 1u);
  EXPECT_EQ(log_.opened[0].kind, TransportKind::Wss);

  transport->close(log_.opened[0]);
  ASSERT_EQ(log_.closed.size(), 1u);
  EXPECT_EQ(log_.closed[0].second, TransportError::LocalClose);
  const auto close_frame = next_frame(client);
  ASSERT_TRUE(close_frame.has_value());
  EXPECT_EQ(close_frame->first, 0x8) << "a local close sends a WebSocket close frame";
}

}  // namespace
}  // namespace rtcgate::sip::test
