// Where the transaction layer sends: response destinations (RFC 3261 §18.2.2, RFC 3581 §4) and the
// SendFunction over the Transport interface (flow reuse, fallback when the connection is gone).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rtcgate/sip/transaction_layer.hpp"
#include "transaction_test_support.hpp"

namespace rtcgate::sip {
namespace {

using test::make_test_request;

Flow arrival(TransportKind kind, std::string_view ip, std::uint16_t port, ConnectionId connection = 0) {
  return Flow{kind, TransportAddress{"198.51.100.10", 5060}, TransportAddress{std::string(ip), port},
              connection};
}

Message request_with_via(std::string_view via) {
  Message request = make_test_request(Method::Options);
  request.replace("Via", via);
  return request;
}

TEST(ResponseDestination, UdpUsesReceivedAndRport) {
  const Flow flow = arrival(TransportKind::Udp, "203.0.113.5", 41000);
  // The transport stamped received and rport (§18.2.1, RFC 3581 §4).
  const Destination to = response_destination(
      request_with_via("SIP/2.0/UDP 10.0.0.2:5062;branch=z9hG4bKa;received=203.0.113.5;rport=41000"), flow);
  EXPECT_EQ(to.address, (TransportAddress{"203.0.113.5", 41000}));
  ASSERT_TRUE(to.flow.has_value());
  EXPECT_EQ(to.flow->local, flow.local);
  EXPECT_FALSE(to.reliable());
}

TEST(ResponseDestination, UdpWithoutRportUsesTheSentByPort) {
  const Flow flow = arrival(TransportKind::Udp, "203.0.113.5", 41000);
  EXPECT_EQ(response_destination(
                request_with_via("SIP/2.0/UDP 10.0.0.2:5062;branch=z9hG4bKa;received=203.0.113.5"), flow)
                .address,
            (TransportAddress{"203.0.113.5", 5062}));
  // sent-by equal to the source: no received parameter, default port 5060.
  EXPECT_EQ(response_destination(request_with_via("SIP/2.0/UDP 203.0.113.5;branch=z9hG4bKa"), flow).address,
            (TransportAddress{"203.0.113.5", 5060}));
}

TEST(ResponseDestination, MaddrWins) {
  const Flow flow = arrival(TransportKind::Udp, "203.0.113.5", 41000);
  const Destination to = response_destination(
      request_with_via("SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKa;maddr=239.255.255.1"), flow);
  EXPECT_EQ(to.address, (TransportAddress{"239.255.255.1", 5060}));
  EXPECT_FALSE(to.flow.has_value());
}

TEST(ResponseDestination, ReliableGoesBackOverTheConnection) {
  const Flow flow = arrival(TransportKind::Tls, "203.0.113.5", 50123, 12);
  const Destination to = response_destination(
      request_with_via("SIP/2.0/TLS client.example.com;branch=z9hG4bKa;received=203.0.113.5"), flow);
  ASSERT_TRUE(to.flow.has_value());
  EXPECT_EQ(to.flow->connection, 12u);
  EXPECT_TRUE(to.reliable());
  EXPECT_EQ(to.address, (TransportAddress{"203.0.113.5", 5061}));  // the fallback, TLS default port
}

// Records the calls a SendFunction makes; send() over a flow fails with `flow_error`.
class RecordingTransport final : public Transport {
 public:
  void set_events(TransportEvents) override {}
  std::vector<ListenerInfo> listeners() const override { return {}; }
  void send(const Flow& flow, std::string bytes, SendHandler handler) override {
    calls.push_back("send " + flow.remote.to_string());
    payloads.push_back(std::move(bytes));
    if (handler) handler(flow_error, flow);
  }
  void send_to(TransportKind kind, const TransportAddress& destination, std::string bytes,
               SendHandler handler) override {
    calls.push_back("send_to " + std::string(via_token(kind)) + " " + destination.to_string());
    payloads.push_back(std::move(bytes));
    if (handler) handler({}, Flow{kind, {}, destination, 99});
  }
  void close(const Flow&) override {}
  bool is_open(const Flow&) const override { return true; }

  std::error_code flow_error;
  std::vector<std::string> calls;
  std::vector<std::string> payloads;
};

TEST(TransportSender, SendsOverTheFlowOrToTheAddress) {
  RecordingTransport transport;
  const SendFunction send = make_transport_sender(transport);
  const Message message = make_test_request(Method::Options);
  std::vector<std::error_code> results;
  const auto record = [&](std::error_code ec) { results.push_back(ec); };
  send(message, Destination{TransportKind::Udp, TransportAddress{"192.0.2.2", 5060}, std::nullopt}, record);
  const Flow flow = arrival(TransportKind::Udp, "192.0.2.3", 5070);
  send(message, Destination{TransportKind::Udp, TransportAddress{"192.0.2.3", 5070}, flow}, record);
  EXPECT_EQ(transport.calls, (std::vector<std::string>{"send_to UDP 192.0.2.2:5060", "send 192.0.2.3:5070"}));
  EXPECT_EQ(results, (std::vector<std::error_code>{{}, {}}));
  EXPECT_TRUE(transport.payloads[0].starts_with("OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\n"));
  EXPECT_NE(transport.payloads[0].find("Content-Length: 0\r\n"), std::string::npos);
}

TEST(TransportSender, FallsBackToTheAddressWhenTheConnectionIsGone) {
  RecordingTransport transport;
  transport.flow_error = make_error_code(TransportError::FlowClosed);
  const SendFunction send = make_transport_sender(transport);
  const Flow flow = arrival(TransportKind::Tcp, "203.0.113.5", 50123, 4);
  std::error_code result = make_error_code(TransportError::SendFailed);
  send(make_test_request(Method::Options),
       Destination{TransportKind::Tcp, TransportAddress{"203.0.113.5", 5060}, flow},
       [&](std::error_code ec) { result = ec; });
  EXPECT_EQ(transport.calls,
            (std::vector<std::string>{"send 203.0.113.5:50123", "send_to TCP 203.0.113.5:5060"}));
  EXPECT_EQ(transport.payloads[0], transport.payloads[1]);
  EXPECT_FALSE(result);
}

TEST(TransportSender, AClosedWebSocketIsNotReopened) {
  RecordingTransport transport;
  transport.flow_error = make_error_code(TransportError::FlowClosed);
  const SendFunction send = make_transport_sender(transport);
  std::error_code result;
  const Flow flow = arrival(TransportKind::Ws, "203.0.113.5", 50123, 4);
  send(make_test_request(Method::Options),
       Destination{TransportKind::Ws, TransportAddress{"203.0.113.5", 5060}, flow},
       [&](std::error_code ec) { result = ec; });
  EXPECT_EQ(transport.calls, (std::vector<std::string>{"send 203.0.113.5:50123"}));
  EXPECT_EQ(result, TransportError::FlowClosed);
}

TEST(TransportSender, OtherFlowErrorsAreReported) {
  RecordingTransport transport;
  transport.flow_error = make_error_code(TransportError::QueueFull);
  const SendFunction send = make_transport_sender(transport);
  std::error_code result;
  const Flow flow = arrival(TransportKind::Ws, "203.0.113.5", 50123, 4);
  send(make_test_request(Method::Options), Destination{TransportKind::Ws, flow.remote, flow},
       [&](std::error_code ec) { result = ec; });
  EXPECT_EQ(transport.calls.size(), 1u);
  EXPECT_EQ(result, TransportError::QueueFull);
}

}  // namespace
}  // namespace rtcgate::sip
