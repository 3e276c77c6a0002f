// Hostile and broken peers on 127.0.0.1: garbage on every transport, oversize input, abrupt closes
// in the middle of a message, stalled handshakes, connection floods. The transport must close what
// is broken, keep serving everyone else, and leave nothing behind: no connection in the table and
// no async operation still pending once the manager is destroyed (so no object is kept alive).
#include <gtest/gtest.h>

#include <random>

#include <boost/asio/read_until.hpp>
#include <boost/asio/socket_base.hpp>

#include "rtcgate/sip/asio/via_stamp.hpp"
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

std::string random_bytes(std::mt19937& rng, std::size_t size) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(size, '\0');
  for (char& c : out)
    c = static_cast<char>(byte(rng));
  return out;
}

// Resets the connection (RST instead of FIN), like a crashed or unplugged peer.
template <typename Client>
void abort_connection(Client& client) {
  boost::system::error_code ignored;
  client.stream().lowest_layer().set_option(boost::asio::socket_base::linger(true, 0), ignored);
  client.close();
}

class TransportRobustnessTest : public ::testing::Test {
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

  // A well-behaved TCP client still gets its answer.
  void expect_tcp_still_served(TransportManager& transport) {
    TcpClient client(io_);
    ASSERT_TRUE(client.connect(io_, port_of(transport, TransportKind::Tcp)));
    client.write(make_request("OPTIONS", "TCP", "127.0.0.1", "z9hG4bKgood"));
    ASSERT_TRUE(run_until(io_, [&] { return client.received().find("\r\n\r\n") != std::string::npos; }));
    EXPECT_TRUE(client.received().starts_with("SIP/2.0 200 OK\r\n"));
  }

  // Destroys the manager and checks that every async operation it started has finished: the
  // io_context runs out of work, so no handler (and no connection it holds) is left behind.
  void expect_nothing_left(std::unique_ptr<TransportManager> transport) {
    transport.reset();
    io_.restart();
    const auto start = std::chrono::steady_clock::now();
    io_.run_for(3s);
    EXPECT_TRUE(io_.stopped()) << "async operations still pending after the transport was destroyed";
    EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  }

  boost::asio::io_context io_;
  EventLog log_;
};

TEST_F(TransportRobustnessTest, TcpRandomGarbageClosesOnlyThatConnection) {
  TransportLimits limits;
  limits.max_message_size = 4096;
  auto transport = make({"tcp:127.0.0.1:0"}, limits);
  ASSERT_TRUE(transport);
  std::mt19937 rng(7);
  constexpr int kClients = 20;
  std::vector<std::unique_ptr<TcpClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<TcpClient>(io_));
    ASSERT_TRUE(clients.back()->connect(io_, port_of(*transport, TransportKind::Tcp)));
    // Random bytes with line breaks sprinkled in, so some look like header lines.
    std::string garbage = random_bytes(rng, 200 + static_cast<std::size_t>(i) * 500);
    for (std::size_t at = 17; at < garbage.size(); at += 61)
      garbage.replace(at, 2, "\r\n");
    clients.back()->write(std::move(garbage));
  }
  // Every connection is either closed by us (framing error or size) or still waiting for the end
  // of a header; none delivers a message.
  EXPECT_TRUE(run_until(io_, [&] { return log_.closed.size() >= kClients / 2u; }))
      << "most garbage is rejected at once";
  run_for(io_, 100ms);
  EXPECT_TRUE(log_.messages.empty());
  for (const auto& [flow, reason] : log_.closed) {
    EXPECT_TRUE(reason == TransportError::FramingError || reason == TransportError::MessageTooLarge)
        << reason.message();
  }
  expect_tcp_still_served(*transport);

  for (auto& client : clients)
    client->close();
  ASSERT_TRUE(run_until(io_, [&] { return transport->connection_count() <= 1; }));
  expect_nothing_left(std::move(transport));
}

TEST_F(TransportRobustnessTest, TcpAbruptResetMidMessage) {
  auto transport = make({"tcp:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  for (int i = 0; i < 10; ++i) {
    TcpClient client(io_);
    ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Tcp)));
    const std::string request =
        make_request("INVITE", "TCP", "127.0.0.1", "z9hG4bKcut", std::string(3000, 'v'));
    client.write(request.substr(0, 400 + static_cast<std::size_t>(i) * 250));
    run_for(io_, 10ms);
    abort_connection(client);
  }
  ASSERT_TRUE(run_until(io_, [&] { return log_.closed.size() == 10; }));
  for (const auto& [flow, reason] : log_.closed)
    EXPECT_EQ(reason, TransportError::PeerClosed);
  EXPECT_TRUE(log_.messages.empty()) << "half a message is never delivered";
  EXPECT_EQ(transport->connection_count(), 0u);
  expect_tcp_still_served(*transport);
  expect_nothing_left(std::move(transport));
}

TEST_F(TransportRobustnessTest, TcpHugeContentLengthAndEndlessHeaderAreRefused) {
  TransportLimits limits;
  limits.max_message_size = 8192;
  auto transport = make({"tcp:127.0.0.1:0"}, limits);
  ASSERT_TRUE(transport);
  TcpClient liar(io_);
  ASSERT_TRUE(liar.connect(io_, port_of(*transport, TransportKind::Tcp)));
  std::string request = make_request("MESSAGE", "TCP", "127.0.0.1", "z9hG4bKliar");
  request.replace(request.find("Content-Length: 0"), 17, "Content-Length: 4294967296000");
  liar.write(request);
  TcpClient endless(io_);
  ASSERT_TRUE(endless.connect(io_, port_of(*transport, TransportKind::Tcp)));
  endless.write("OPTIONS sip:a@b SIP/2.0\r\nSubject: " + std::string(20000, 'x'));
  ASSERT_TRUE(run_until(io_, [&] { return log_.closed.size() == 2; }));
  for (const auto& [flow, reason] : log_.closed) {
    EXPECT_TRUE(reason == TransportError::FramingError || reason == TransportError::MessageTooLarge)
        << reason.message();
  }
  EXPECT_TRUE(run_until(io_, [&] { return liar.eof() && endless.eof(); }));
  EXPECT_TRUE(log_.messages.empty());
  expect_nothing_left(std::move(transport));
}

TEST_F(TransportRobustnessTest, TlsPortGetsPlaintextAndStalledHandshakes) {
  TransportLimits limits;
  limits.handshake_timeout = 1s;
  auto transport = make({"tls:127.0.0.1:0", "tcp:127.0.0.1:0"}, limits);
  ASSERT_TRUE(transport);
  TcpClient plaintext(io_);
  ASSERT_TRUE(plaintext.connect(io_, port_of(*transport, TransportKind::Tls)));
  plaintext.write(make_request("OPTIONS", "TCP", "127.0.0.1", "z9hG4bKplain"));
  TcpClient silent(io_);  // connects and never starts the handshake
  ASSERT_TRUE(silent.connect(io_, port_of(*transport, TransportKind::Tls)));
  ASSERT_TRUE(run_until(io_, [&] { return plaintext.eof(); }));
  ASSERT_TRUE(run_until(
      io_, [&] { return silent.eof(); }, 3000ms))
      << "the handshake timeout closes it";
  EXPECT_TRUE(log_.opened.empty()) << "no flow without a completed TLS handshake";
  EXPECT_TRUE(log_.closed.empty());
  EXPECT_TRUE(log_.messages.empty());
  EXPECT_EQ(transport->connection_count(), 0u);
  expect_tcp_still_served(*transport);
  expect_nothing_left(std::move(transport));
}

TEST_F(TransportRobustnessTest, WsGarbageInsteadOfUpgradeAndOversizeUpgrade) {
  TransportLimits limits;
  limits.handshake_timeout = 1s;
  auto transport = make({"ws:127.0.0.1:0", "wss:127.0.0.1:0"}, limits);
  ASSERT_TRUE(transport);
  std::mt19937 rng(11);
  std::vector<std::unique_ptr<TcpClient>> clients;
  for (int i = 0; i < 10; ++i) {
    clients.push_back(std::make_unique<TcpClient>(io_));
    ASSERT_TRUE(clients.back()->connect(io_, port_of(*transport, TransportKind::Ws)));
    clients.back()->write(random_bytes(rng, 64 + static_cast<std::size_t>(i) * 100) + "\r\n\r\n");
  }
  TcpClient huge(io_);
  ASSERT_TRUE(huge.connect(io_, port_of(*transport, TransportKind::Ws)));
  huge.write("GET / HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(20000, 'p') + "\r\n\r\n");
  TcpClient silent(io_);
  ASSERT_TRUE(silent.connect(io_, port_of(*transport, TransportKind::Ws)));
  // A plaintext upgrade on the WSS port, and a WSS client that never starts its TLS handshake.
  TcpClient plaintext(io_);
  ASSERT_TRUE(plaintext.connect(io_, port_of(*transport, TransportKind::Wss)));
  plaintext.write(ws_upgrade_request("/", "sip"));
  TcpClient silent_tls(io_);
  ASSERT_TRUE(silent_tls.connect(io_, port_of(*transport, TransportKind::Wss)));
  ASSERT_TRUE(run_until(io_, [&] {
    for (const auto& client : clients) {
      if (!client->eof()) return false;
    }
    return huge.eof() && plaintext.eof();
  }));
  ASSERT_TRUE(run_until(
      io_, [&] { return silent.eof() && silent_tls.eof(); }, 3000ms))
      << "an upgrade or a TLS handshake that never comes times out";
  EXPECT_TRUE(log_.opened.empty());
  EXPECT_TRUE(log_.closed.empty());
  EXPECT_EQ(transport->connection_count(), 0u);
  expect_nothing_left(std::move(transport));
}

TEST_F(TransportRobustnessTest, WsProtocolViolationsAndAbruptClosesEndTheFlow) {
  TransportLimits limits;
  limits.idle_timeout = 2s;
  auto transport = make({"ws:127.0.0.1:0"}, limits);
  ASSERT_TRUE(transport);
  auto upgraded = [&](TcpClient& client) {
    if (!client.connect(io_, port_of(*transport, TransportKind::Ws))) return false;
    client.write(ws_upgrade_request("/", "sip"));
    std::optional<std::string> head;
    run_until(io_, [&] { return (head = take_http_head(client.received())).has_value() || client.eof(); });
    return head && head->starts_with("HTTP/1.1 101");
  };
  // An unmasked client frame (RFC 6455 §5.1 says the server must close).
  TcpClient unmasked(io_);
  ASSERT_TRUE(upgraded(unmasked));
  unmasked.write(std::string("\x81\x05hello", 7));
  // A reserved opcode.
  TcpClient reserved(io_);
  ASSERT_TRUE(upgraded(reserved));
  reserved.write(ws_frame("x", 0x3));
  // Random bytes after the upgrade.
  TcpClient noise(io_);
  ASSERT_TRUE(upgraded(noise));
  std::mt19937 rng(3);
  // RSV bits set (no extension was negotiated), then noise: never a valid frame by chance.
  noise.write("\xf2" + random_bytes(rng, 3000));
  // Half a frame, then a reset.
  TcpClient cut(io_);
  ASSERT_TRUE(upgraded(cut));
  const std::string frame = ws_frame(make_request("OPTIONS", "WS", "a.invalid", "z9hG4bKcut"));
  cut.write(frame.substr(0, frame.size() / 2));
  run_for(io_, 20ms);
  abort_connection(cut);
  // A reset right after the upgrade, with a response queued for it.
  TcpClient vanish(io_);
  ASSERT_TRUE(upgraded(vanish));
  ASSERT_TRUE(run_until(io_, [&] { return log_.opened.size() == 5; }));
  std::optional<std::error_code> sent;
  abort_connection(vanish);
  transport->send(log_.opened.back(), std::string(10000, 'x'),
                  [&](std::error_code ec, const Flow&) { sent = ec; });

  // Beast answers a protocol violation with a close frame and then waits for the peer to close
  // TCP; these peers never do, so the idle timer (half the idle timeout) ends them, as it ends
  // any silent connection.
  ASSERT_TRUE(run_until(
      io_, [&] { return log_.closed.size() == 5 && sent.has_value(); }, 4000ms));
  EXPECT_TRUE(log_.messages.empty());
  EXPECT_EQ(transport->connection_count(), 0u);
  for (const Flow& flow : log_.opened)
    EXPECT_FALSE(transport->is_open(flow));
  expect_nothing_left(std::move(transport));
}

// A peer that stops reading: our writes back up through its receive buffer, our send buffer and
// then the bounded queue, and the connection is cut (QueueFull) instead of growing our memory.
TEST_F(TransportRobustnessTest, PeersThatStopReadingAreCutOffAtTheQueueBound) {
  TransportLimits limits;
  limits.max_queued_bytes = 256 * 1024;
  auto transport = make({"tcp:127.0.0.1:0", "ws:127.0.0.1:0"}, limits);
  ASSERT_TRUE(transport);
  ip::tcp::socket tcp(io_);
  tcp.connect(ip::tcp::endpoint(ip::make_address("127.0.0.1"), port_of(*transport, TransportKind::Tcp)));
  ip::tcp::socket ws(io_);
  ws.connect(ip::tcp::endpoint(ip::make_address("127.0.0.1"), port_of(*transport, TransportKind::Ws)));
  boost::asio::write(ws, boost::asio::buffer(ws_upgrade_request("/", "sip")));
  std::string head;
  bool upgraded = false;
  boost::asio::async_read_until(ws, boost::asio::dynamic_buffer(head), "\r\n\r\n",
                                [&](const boost::system::error_code& ec, std::size_t) { upgraded = !ec; });
  ASSERT_TRUE(run_until(io_, [&] { return upgraded && log_.opened.size() == 2; }));
  ASSERT_TRUE(head.starts_with("HTTP/1.1 101")) << head;

  const std::string chunk = "MESSAGE sip:a@b SIP/2.0\r\n" + std::string(60000, 'x');
  for (const Flow& flow : log_.opened) {
    std::optional<std::error_code> failure;
    int accepted = 0;
    // Each round queues one message and lets the loop write what the kernel takes.
    for (int i = 0; i < 2000 && !failure; ++i) {
      transport->send(flow, chunk, [&](std::error_code ec, const Flow&) {
        if (ec) {
          failure = ec;
        } else {
          ++accepted;
        }
      });
      run_for(io_, 1ms);
    }
    ASSERT_TRUE(run_until(io_, [&] { return failure.has_value(); })) << via_token(flow.kind);
    EXPECT_EQ(*failure, TransportError::QueueFull) << via_token(flow.kind);
    EXPECT_GT(accepted, 0);
    EXPECT_FALSE(transport->is_open(flow));
  }
  ASSERT_TRUE(run_until(io_, [&] { return log_.closed.size() == 2; }));
  for (const auto& [flow, reason] : log_.closed)
    EXPECT_EQ(reason, TransportError::QueueFull) << via_token(flow.kind);
  EXPECT_EQ(transport->connection_count(), 0u);
  expect_nothing_left(std::move(transport));
}

// A WebSocket peer that answers nothing, not even Beast's keep-alive ping, is a vanished browser:
// its flow closes with IdleTimeout, which is what ends its calls and registration.
TEST_F(TransportRobustnessTest, WsPeerThatNeverAnswersPingsTimesOut) {
  TransportLimits limits;
  limits.idle_timeout = 2s;
  auto transport = make({"ws:127.0.0.1:0"}, limits);
  ASSERT_TRUE(transport);
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Ws)));
  client.write(ws_upgrade_request("/", "sip"));
  ASSERT_TRUE(run_until(io_, [&] { return log_.opened.size() == 1; }));
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(run_until(
      io_, [&] { return log_.closed.size() == 1; }, 5000ms));
  EXPECT_EQ(log_.closed[0].second, TransportError::IdleTimeout);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_NE(client.received().find("\x89"), std::string::npos) << "a ping was sent first (RFC 6455 §5.5.2)";
  expect_nothing_left(std::move(transport));
}

TEST_F(TransportRobustnessTest, ConnectionLimitRefusesTheSurplus) {
  TransportLimits limits;
  limits.max_connections = 3;
  auto transport = make({"tcp:127.0.0.1:0", "ws:127.0.0.1:0"}, limits);
  ASSERT_TRUE(transport);
  std::vector<std::unique_ptr<TcpClient>> clients;
  for (int i = 0; i < 3; ++i) {
    clients.push_back(std::make_unique<TcpClient>(io_));
    ASSERT_TRUE(clients.back()->connect(io_, port_of(*transport, TransportKind::Tcp)));
  }
  ASSERT_TRUE(run_until(io_, [&] { return transport->connection_count() == 3; }));
  TcpClient surplus_tcp(io_);
  ASSERT_TRUE(surplus_tcp.connect(io_, port_of(*transport, TransportKind::Tcp)));
  TcpClient surplus_ws(io_);
  ASSERT_TRUE(surplus_ws.connect(io_, port_of(*transport, TransportKind::Ws)));
  ASSERT_TRUE(run_until(io_, [&] { return surplus_tcp.eof() && surplus_ws.eof(); }));
  EXPECT_EQ(transport->connection_count(), 3u);
  clients.front()->close();
  ASSERT_TRUE(run_until(io_, [&] { return transport->connection_count() == 2; }));
  expect_tcp_still_served(*transport);
  expect_nothing_left(std::move(transport));
}

TEST_F(TransportRobustnessTest, UdpGarbageIsHandedUpUnchangedOrStampedNeverCrashes) {
  auto transport = make({"udp:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  ip::udp::socket peer(io_, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
  const ip::udp::endpoint to(ip::make_address("127.0.0.1"), port_of(*transport, TransportKind::Udp));
  std::mt19937 rng(5);
  for (int i = 0; i < 50; ++i) {
    const std::string junk = random_bytes(rng, 1 + static_cast<std::size_t>(i) * 37);
    peer.send_to(boost::asio::buffer(junk), to);
  }
  peer.send_to(boost::asio::buffer(make_request("OPTIONS", "UDP", "127.0.0.1", "z9hG4bKafter")), to);
  ASSERT_TRUE(run_until(io_, [&] {
    return !log_.messages.empty() && log_.messages.back().bytes.find("z9hG4bKafter") != std::string::npos;
  }));
  expect_nothing_left(std::move(transport));
}

// The Via stamper runs on every request before anything has parsed it: mutated requests must
// never make it read out of bounds, and a stamped request that parsed before still parses.
TEST(ViaStampFuzz, MutatedRequestsAreSafe) {
  std::mt19937 rng(1234);
  const std::string base =
      "INVITE sip:bob@example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP [2001:db8::1]:5060;rport;branch=z9hG4bK1;x=\"q;\\\"t\",SIP/2.0/TCP h2\r\n"
      "v: SIP/2.0/UDP h3;branch=z9hG4bK3\r\n"
      "From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\nCall-ID: c\r\n"
      "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
  const std::string alphabet = " \t\r\n;:=,\"\\[]/<>aZ0";
  std::uniform_int_distribution<std::size_t> pick_char(0, alphabet.size() - 1);
  for (int round = 0; round < 20000; ++round) {
    std::string m = base;
    std::uniform_int_distribution<int> edits(1, 6);
    for (int e = edits(rng); e > 0; --e) {
      std::uniform_int_distribution<std::size_t> at(0, m.size() - 1);
      const std::size_t pos = at(rng);
      switch (rng() % 3) {
        case 0:
          m[pos] = alphabet[pick_char(rng)];
          break;
        case 1:
          m.insert(pos, 1, alphabet[pick_char(rng)]);
          break;
        default:
          m.erase(pos, 1 + rng() % 8);
          break;
      }
      if (m.empty()) m = "x";
    }
    const bool parsed_before = parse_message(m).has_value();
    const asio::ViaStamp result = asio::stamp_via_received(m, {"192.0.2.1", 5060});
    if (parsed_before && result == asio::ViaStamp::Stamped) {
      EXPECT_TRUE(parse_message(m).has_value()) << m;
    }
  }
}

}  // namespace
}  // namespace rtcgate::sip::test
