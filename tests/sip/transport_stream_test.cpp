// UDP and TCP through TransportManager on 127.0.0.1: real sockets, one io_context, bounded waits.
#include <gtest/gtest.h>

#include <array>

#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/serialize.hpp"
#include "transport_test_support.hpp"

namespace rtcgate::sip::test {
namespace {

using asio::TransportConfig;
using asio::TransportManager;

class TransportStreamTest : public ::testing::Test {
 protected:
  std::unique_ptr<TransportManager> make(TransportConfig config) {
    auto created = TransportManager::create(io_, std::move(config));
    EXPECT_TRUE(created.has_value()) << (created ? "" : created.error());
    if (!created) return nullptr;
    (*created)->set_events(log_.events());
    return std::move(*created);
  }
  std::unique_ptr<TransportManager> make(std::vector<std::string> listen) {
    TransportConfig config;
    config.listen = std::move(listen);
    return make(std::move(config));
  }

  // Answers every request with 200 OK over the flow it came on (RFC 3261 §18.2.2).
  void answer_requests(TransportManager& transport) {
    TransportEvents events = log_.events();
    auto record = events.on_message;
    events.on_message = [&transport, record](const Flow& flow, std::string_view bytes) {
      record(flow, bytes);
      auto request = parse_message(bytes);
      if (request && request->is_request())
        transport.send(flow, serialize(make_response(*request, 200, "OK")), {});
    };
    transport.set_events(std::move(events));
  }

  boost::asio::io_context io_;
  EventLog log_;
};

TEST_F(TransportStreamTest, UdpReceivesStampsAndAnswersOverTheFlow) {
  auto transport = make({"udp:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  answer_requests(*transport);
  const std::uint16_t port = port_of(*transport, TransportKind::Udp);
  ASSERT_NE(port, 0);

  ip::udp::socket client(io_, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));
  const std::string request = make_request("OPTIONS", "UDP", "client.invalid:5060", "z9hG4bKudp1");
  client.send_to(boost::asio::buffer(request), ip::udp::endpoint(ip::make_address("127.0.0.1"), port));
  ASSERT_TRUE(run_until(io_, [&] { return log_.messages.size() == 1; }));

  const Received& got = log_.messages[0];
  EXPECT_EQ(got.flow.kind, TransportKind::Udp);
  EXPECT_EQ(got.flow.remote.port, client.local_endpoint().port());
  EXPECT_EQ(got.flow.connection, 0u);
  const std::string rport = ";rport=" + std::to_string(client.local_endpoint().port());
  EXPECT_NE(got.bytes.find("client.invalid:5060;branch=z9hG4bKudp1" + rport + ";received=127.0.0.1"),
            std::string::npos)
      << got.bytes;

  std::array<char, 2048> buffer{};
  ip::udp::endpoint from;
  std::size_t n = 0;
  client.async_receive_from(boost::asio::buffer(buffer), from,
                            [&](const boost::system::error_code&, std::size_t size) { n = size; });
  ASSERT_TRUE(run_until(io_, [&] { return n > 0; }));
  const auto response = parse_message(std::string_view(buffer.data(), n));
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status(), 200);
  EXPECT_EQ(from.port(), port);
}

TEST_F(TransportStreamTest, UdpSendToAndOversizeDatagramDropped) {
  TransportConfig config;
  config.listen = {"udp:127.0.0.1:0"};
  config.limits.max_message_size = 1000;
  auto transport = make(std::move(config));
  ASSERT_TRUE(transport);
  ip::udp::socket peer(io_, ip::udp::endpoint(ip::make_address("127.0.0.1"), 0));

  std::optional<std::error_code> result;
  transport->send_to(TransportKind::Udp, {"127.0.0.1", peer.local_endpoint().port()},
                     make_request("OPTIONS", "UDP", "127.0.0.1", "z9hG4bKout"),
                     [&](std::error_code ec, const Flow&) { result = ec; });
  EXPECT_FALSE(result.has_value()) << "completions are posted, never run inside send_to()";
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_FALSE(*result);

  result.reset();
  transport->send_to(TransportKind::Udp, {"127.0.0.1", 9}, std::string(1001, 'x'),
                     [&](std::error_code ec, const Flow&) { result = ec; });
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_EQ(*result, TransportError::MessageTooLarge);

  const std::string big = make_request("OPTIONS", "UDP", "127.0.0.1", "z9hG4bKbig", std::string(1200, 'b'));
  const std::string small = make_request("OPTIONS", "UDP", "127.0.0.1", "z9hG4bKsmall");
  const ip::udp::endpoint to(ip::make_address("127.0.0.1"), port_of(*transport, TransportKind::Udp));
  peer.send_to(boost::asio::buffer(big), to);
  peer.send_to(boost::asio::buffer(small), to);
  ASSERT_TRUE(run_until(io_, [&] { return !log_.messages.empty(); }));
  run_for(io_, 50ms);
  ASSERT_EQ(log_.messages.size(), 1u);
  EXPECT_NE(log_.messages[0].bytes.find("z9hG4bKsmall"), std::string::npos);
}

TEST_F(TransportStreamTest, TcpFramesSplitAndCoalescedMessages) {
  auto transport = make({"tcp:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Tcp)));
  ASSERT_TRUE(run_until(io_, [&] { return log_.opened.size() == 1; }));

  const std::string one = make_request("INVITE", "TCP", "127.0.0.1:5060", "z9hG4bKs1", "v=0\r\n");
  client.write(one.substr(0, 10));
  run_for(io_, 20ms);
  client.write(one.substr(10, 60));
  run_for(io_, 20ms);
  EXPECT_TRUE(log_.messages.empty());
  client.write(one.substr(70));
  ASSERT_TRUE(run_until(io_, [&] { return log_.messages.size() == 1; }));
  EXPECT_TRUE(log_.messages[0].bytes.ends_with("v=0\r\n"));
  EXPECT_EQ(log_.messages[0].flow.connection, log_.opened[0].connection);
  EXPECT_EQ(log_.messages[0].flow.kind, TransportKind::Tcp);

  client.write(make_request("OPTIONS", "TCP", "127.0.0.1:5060", "z9hG4bKs2") +
               make_request("OPTIONS", "TCP", "127.0.0.1:5060", "z9hG4bKs3"));
  ASSERT_TRUE(run_until(io_, [&] { return log_.messages.size() == 3; }));
  EXPECT_NE(log_.messages[1].bytes.find("z9hG4bKs2"), std::string::npos);
  EXPECT_NE(log_.messages[2].bytes.find("z9hG4bKs3"), std::string::npos);
  EXPECT_TRUE(parse_message(log_.messages[2].bytes).has_value());
}

TEST_F(TransportStreamTest, TcpKeepAlivePingGetsPong) {
  auto transport = make({"tcp:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Tcp)));
  client.write("\r\n\r\n");  // RFC 5626 §4.4.1 ping
  ASSERT_TRUE(run_until(io_, [&] { return !client.received().empty(); }));
  run_for(io_, 30ms);
  EXPECT_EQ(client.received(), "\r\n");
  EXPECT_TRUE(log_.messages.empty());
}

TEST_F(TransportStreamTest, TcpResponseGoesBackOverTheSameConnectionAndCloseIsReported) {
  auto transport = make({"tcp:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  answer_requests(*transport);
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Tcp)));
  // The sent-by port is unreachable on purpose: only the connection can carry the response.
  client.write(make_request("REGISTER", "TCP", "192.0.2.1:9", "z9hG4bKreg"));
  ASSERT_TRUE(run_until(io_, [&] { return client.received().find("\r\n\r\n") != std::string::npos; }));
  EXPECT_TRUE(client.received().starts_with("SIP/2.0 200 OK\r\n")) << client.received();
  EXPECT_NE(client.received().find("received=127.0.0.1"), std::string::npos);
  ASSERT_EQ(log_.messages.size(), 1u);
  const Flow flow = log_.messages[0].flow;
  EXPECT_TRUE(transport->is_open(flow));
  EXPECT_EQ(transport->connection_count(), 1u);

  client.close();
  ASSERT_TRUE(run_until(io_, [&] { return log_.closed.size() == 1; }));
  EXPECT_EQ(log_.closed[0].first, flow);
  EXPECT_EQ(log_.closed[0].second, TransportError::PeerClosed);
  EXPECT_FALSE(transport->is_open(flow));

  std::optional<std::error_code> result;
  transport->send(flow, "SIP/2.0 200 OK\r\n\r\n", [&](std::error_code ec, const Flow&) { result = ec; });
  ASSERT_TRUE(run_until(io_, [&] { return result.has_value(); }));
  EXPECT_EQ(*result, TransportError::FlowClosed);
}

TEST_F(TransportStreamTest, TcpOversizeMessageClosesTheConnection) {
  TransportConfig config;
  config.listen = {"tcp:127.0.0.1:0"};
  config.limits.max_message_size = 2000;
  auto transport = make(std::move(config));
  ASSERT_TRUE(transport);
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Tcp)));
  client.write(make_request("MESSAGE", "TCP", "127.0.0.1", "z9hG4bKhuge", std::string(5000, 'x')));
  ASSERT_TRUE(run_until(io_, [&] { return log_.closed.size() == 1; }));
  EXPECT_EQ(log_.closed[0].second, TransportError::MessageTooLarge);
  EXPECT_TRUE(log_.messages.empty());
  ASSERT_TRUE(run_until(io_, [&] { return client.eof(); }));
}

TEST_F(TransportStreamTest, TcpGarbageIsAFramingError) {
  auto transport = make({"tcp:127.0.0.1:0"});
  ASSERT_TRUE(transport);
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Tcp)));
  client.write(std::string("\x16\x03\x01\x02\x00\x01", 6));  // a TLS ClientHello on a TCP port
  ASSERT_TRUE(run_until(io_, [&] { return log_.closed.size() == 1; }));
  EXPECT_EQ(log_.closed[0].second, TransportError::FramingError);
}

TEST_F(TransportStreamTest, OutgoingTcpIsReusedAndSendQueueIsBounded) {
  auto server = make({"tcp:127.0.0.1:0"});
  TransportConfig config;
  config.limits.max_queued_messages = 8;
  EventLog client_log;
  auto created = TransportManager::create(io_, config);
  ASSERT_TRUE(server && created.has_value());
  auto& client = *created;
  client->set_events(client_log.events());
  const TransportAddress server_address{"127.0.0.1", port_of(*server, TransportKind::Tcp)};

  std::vector<std::error_code> results;
  std::vector<Flow> flows;
  auto done = [&](std::error_code ec, const Flow& flow) {
    results.push_back(ec);
    flows.push_back(flow);
  };
  client->send_to(TransportKind::Tcp, server_address,
                  make_request("OPTIONS", "TCP", "127.0.0.1", "z9hG4bKo1"), done);
  client->send_to(TransportKind::Tcp, server_address,
                  make_request("OPTIONS", "TCP", "127.0.0.1", "z9hG4bKo2"), done);
  ASSERT_TRUE(run_until(io_, [&] { return results.size() == 2 && log_.messages.size() == 2; }));
  EXPECT_FALSE(results[0]);
  EXPECT_FALSE(results[1]);
  EXPECT_EQ(flows[0].connection, flows[1].connection) << "the second request reuses the connection";
  EXPECT_EQ(client->connection_count(), 1u);
  EXPECT_EQ(server->connection_count(), 1u);
  ASSERT_EQ(client_log.opened.size(), 1u);
  EXPECT_EQ(client_log.opened[0].local.port, log_.messages[0].flow.remote.port);

  // Nine sends in one go with room for eight: the ninth overflows, the connection is dropped and
  // every pending completion reports QueueFull.
  results.clear();
  for (int i = 0; i < 9; ++i)
    client->send(flows[0], make_request("OPTIONS", "TCP", "127.0.0.1", "z9hG4bKq"), done);
  ASSERT_TRUE(run_until(io_, [&] { return results.size() == 9 && client_log.closed.size() == 1; }));
  for (const std::error_code& ec : results)
    EXPECT_EQ(ec, TransportError::QueueFull);
  EXPECT_EQ(client_log.closed[0].second, TransportError::QueueFull);
  EXPECT_EQ(client->connection_count(), 0u);
  ASSERT_TRUE(run_until(io_, [&] { return log_.closed.size() == 1; }));
}

TEST_F(TransportStreamTest, IdleConnectionIsClosed) {
  TransportConfig config;
  config.listen = {"tcp:127.0.0.1:0"};
  config.limits.idle_timeout = std::chrono::seconds(1);
  auto transport = make(std::move(config));
  ASSERT_TRUE(transport);
  TcpClient client(io_);
  ASSERT_TRUE(client.connect(io_, port_of(*transport, TransportKind::Tcp)));
  ASSERT_TRUE(run_until(
      io_, [&] { return log_.closed.size() == 1; }, 3000ms));
  EXPECT_EQ(log_.closed[0].second, TransportError::IdleTimeout);
}

TEST_F(TransportStreamTest, BadConfigurationIsReported) {
  auto bad_listen = TransportManager::create(io_, TransportConfig{{"udp:localhost:5060"}, {}, {}});
  ASSERT_FALSE(bad_listen.has_value());
  EXPECT_NE(bad_listen.error().find("not a numeric IP"), std::string::npos);
  auto no_cert = TransportManager::create(io_, TransportConfig{{"tls:127.0.0.1:0"}, {}, {}});
  ASSERT_FALSE(no_cert.has_value());
  EXPECT_NE(no_cert.error().find("tls_cert"), std::string::npos);
  auto first = make({"udp:127.0.0.1:0"});
  ASSERT_TRUE(first);
  const std::string taken = "tcp:127.0.0.1:0";
  auto tcp = make({taken});
  ASSERT_TRUE(tcp);
  const std::string busy = "tcp:127.0.0.1:" + std::to_string(port_of(*tcp, TransportKind::Tcp));
  auto clash = TransportManager::create(io_, TransportConfig{{busy}, {}, {}});
  EXPECT_FALSE(clash.has_value());
  const std::string udp_busy = "udp:127.0.0.1:" + std::to_string(port_of(*first, TransportKind::Udp));
  auto udp_clash = TransportManager::create(io_, TransportConfig{{udp_busy}, {}, {}});
  EXPECT_FALSE(udp_clash.has_value()) << "a UDP port in use is a start-up error, not a shared port";
}

}  // namespace
}  // namespace rtcgate::sip::test
