// TransactionLayer, client side: §17.1.3 matching, Via/branch preparation, timeouts and transport
// errors reported to the TU (§17.1.4), CANCEL (§9.1), stray 2xx (RFC 6026 §7.2).
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "transaction_layer_test_support.hpp"

namespace rtcgate::sip {
namespace {

using namespace std::chrono_literals;
using test::LayerHarness;
using test::make_test_request;
using test::make_test_response;
using test::udp_destination;
using S = TransactionState;
using F = TransactionFailure;

TEST(TransactionLayerClient, MatchesResponsesByBranchAndCSeqMethod) {
  LayerHarness h;
  const Message invite = make_test_request(Method::Invite, "z9hG4bKclient1");
  const auto id = h.layer.send_request(invite, udp_destination());
  ASSERT_TRUE(id.has_value());
  ASSERT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.sent[0].to.address, (TransportAddress{"192.0.2.2", 5060}));

  Message wrong_method = make_test_response(invite, 200);
  wrong_method.set_cseq(make_cseq(1, Method::Cancel));
  h.layer.receive(wrong_method, test::udp_flow());
  h.layer.receive(make_test_response(make_test_request(Method::Invite, "z9hG4bKother"), 180),
                  test::udp_flow());
  EXPECT_TRUE(h.responses.empty());
  EXPECT_EQ(h.layer.stats().responses_dropped, 2u);

  h.layer.receive(make_test_response(invite, 180), test::udp_flow());
  h.layer.receive(make_test_response(invite, 200), test::udp_flow());
  h.layer.receive(make_test_response(invite, 200), test::udp_flow());  // retransmission: to the TU too
  ASSERT_EQ(h.responses.size(), 3u);
  EXPECT_EQ(h.responses[0].first, *id);
  EXPECT_EQ(h.layer.state(*id), S::Accepted);

  h.timers.advance(32s);  // timer M
  EXPECT_EQ(h.terminated, std::vector<TransactionId>{*id});
  EXPECT_EQ(h.layer.size(), 0u);
  EXPECT_FALSE(h.layer.state(*id).has_value());

  // After the transaction, a 2xx is the dialog's (RFC 6026 §7.2); other responses are dropped.
  h.layer.receive(make_test_response(invite, 200), test::udp_flow());
  h.layer.receive(make_test_response(invite, 486), test::udp_flow());
  EXPECT_EQ(h.strays.size(), 1u);
  EXPECT_EQ(h.layer.stats().responses_dropped, 3u);
}

TEST(TransactionLayerClient, TheAckOfA401LeavesBeforeTheRetryTheTuSendsFromOnResponse) {
  // §22.2: a TU answering a challenge at once must not put its new INVITE on the wire ahead of
  // the ACK (Figure 5: "send ACK, resp. to TU"); a peer that sees them swapped aborts the call.
  LayerHarness h;
  const Message invite = make_test_request(Method::Invite, "z9hG4bKfirst");
  std::optional<TransactionId> retry;
  h.react_to_response = [&](TransactionId, const Message& response) {
    if (response.status() != 401 || retry) return;
    const auto id =
        h.layer.send_request(make_test_request(Method::Invite, "z9hG4bKsecond", 2), udp_destination());
    if (id) retry = *id;
  };
  ASSERT_TRUE(h.layer.send_request(invite, udp_destination()).has_value());
  h.layer.receive(make_test_response(invite, 401), test::udp_flow());
  ASSERT_TRUE(retry.has_value());
  EXPECT_EQ(h.sent_descriptions(), (std::vector<std::string>{"INVITE", "ACK", "INVITE"}));
  EXPECT_EQ(h.sent[1].message.top_via()->branch(), "z9hG4bKfirst");
  EXPECT_EQ(h.sent[2].message.top_via()->branch(), "z9hG4bKsecond");
}

TEST(TransactionLayerClient, AddsTheBranchOrTheViaTheRequestLacks) {
  TransactionLayer::Config config;
  config.via_sent_by = [](const Destination&) { return std::optional<std::string>("198.51.100.10:5060"); };
  LayerHarness h(config);
  Message no_branch = make_test_request(Method::Options);
  no_branch.replace("Via", "SIP/2.0/UDP 198.51.100.10:5060");
  ASSERT_TRUE(h.layer.send_request(no_branch, udp_destination()).has_value());
  EXPECT_TRUE(h.sent.back().message.top_via()->has_rfc3261_branch());

  Message no_via = make_test_request(Method::Options);
  no_via.remove("Via");
  ASSERT_TRUE(h.layer.send_request(no_via, udp_destination()).has_value());
  const auto via = h.sent.back().message.top_via();
  ASSERT_TRUE(via.has_value());
  EXPECT_EQ(via->host, "198.51.100.10");
  EXPECT_EQ(via->transport, "UDP");
  EXPECT_TRUE(via->has_rport());
  EXPECT_EQ(via->branch().size(), 7u + 32u);
  EXPECT_NE(via->branch(), h.sent[0].message.top_via()->branch());

  LayerHarness bare;
  const auto refused = bare.layer.send_request(no_via, udp_destination());
  EXPECT_EQ(refused.error(), TransactionLayerError::InvalidRequest);
  EXPECT_EQ(bare.layer.send_request(make_test_request(Method::Ack), udp_destination()).error(),
            TransactionLayerError::InvalidRequest);
  ASSERT_TRUE(bare.layer.send_request(make_test_request(Method::Options), udp_destination()).has_value());
  EXPECT_EQ(bare.layer.send_request(make_test_request(Method::Options), udp_destination()).error(),
            TransactionLayerError::BranchInUse);
}

TEST(TransactionLayerClient, TimerFReportsTimeoutThenTermination) {
  LayerHarness h;
  const auto id = h.layer.send_request(make_test_request(Method::Options), udp_destination());
  ASSERT_TRUE(id.has_value());
  h.timers.advance(32s - 1ms);
  EXPECT_TRUE(h.failures.empty());
  // E at 0.5, 1.5, 3.5, 7.5, then every T2 = 4 s: 11.5 ... 31.5 (§17.1.2.2).
  EXPECT_EQ(h.sent.size(), 1u + 4u + 6u);
  h.timers.advance(1ms);
  ASSERT_EQ(h.failures.size(), 1u);
  EXPECT_EQ(h.failures[0], std::make_pair(*id, F::Timeout));
  EXPECT_EQ(h.terminated, std::vector<TransactionId>{*id});
  EXPECT_EQ(h.timers.pending(), 0u);
}

TEST(TransactionLayerClient, ReliableDestinationIsNeverRetransmittedTo) {
  LayerHarness h;
  Destination to{TransportKind::Tcp, TransportAddress{"192.0.2.2", 5060}, test::tcp_flow()};
  const auto id = h.layer.send_request(make_test_request(Method::Invite, "z9hG4bKtcp", 1, "TCP"), to);
  ASSERT_TRUE(id.has_value());
  h.timers.advance(32s);
  EXPECT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.failures, (std::vector<std::pair<TransactionId, F>>{{*id, F::Timeout}}));
}

TEST(TransactionLayerClient, SendFailureTerminatesAndIsReportedToTheTu) {
  LayerHarness h;
  h.fail_sends = true;  // the completion runs inside send_request()
  const auto id = h.layer.send_request(make_test_request(Method::Invite), udp_destination());
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(h.failures, (std::vector<std::pair<TransactionId, F>>{{*id, F::TransportError}}));
  EXPECT_EQ(h.terminated, std::vector<TransactionId>{*id});
  EXPECT_EQ(h.layer.size(), 0u);
  EXPECT_EQ(h.timers.pending(), 0u);
}

TEST(TransactionLayerClient, LateSendFailureIsReportedOnce) {
  LayerHarness h;
  const auto id = h.layer.send_request(make_test_request(Method::Register), udp_destination());
  ASSERT_TRUE(id.has_value());
  h.timers.advance(500ms);  // a retransmission, whose completion is also pending
  ASSERT_EQ(h.sent.size(), 2u);
  h.sent[0].done(make_error_code(TransportError::SendFailed));
  h.sent[1].done(make_error_code(TransportError::SendFailed));
  EXPECT_EQ(h.failures.size(), 1u);
  EXPECT_EQ(h.terminated.size(), 1u);
}

TEST(TransactionLayerClient, ClosedFlowFailsTheClientTransactionsOnIt) {
  LayerHarness h;
  const Flow flow = test::tcp_flow(9);
  Destination to{TransportKind::Tcp, flow.remote, flow};
  const auto on_flow = h.layer.send_request(make_test_request(Method::Options, "z9hG4bKa", 1, "TCP"), to);
  const auto elsewhere =
      h.layer.send_request(make_test_request(Method::Options, "z9hG4bKb"), udp_destination());
  ASSERT_TRUE(on_flow && elsewhere);
  h.layer.on_flow_closed(flow);
  EXPECT_EQ(h.failures, (std::vector<std::pair<TransactionId, F>>{{*on_flow, F::TransportError}}));
  EXPECT_EQ(h.layer.state(*elsewhere), S::Trying);
}

TEST(TransactionLayerClient, CancelWaitsForAProvisionalResponse) {
  LayerHarness h;
  const Message invite = make_test_request(Method::Invite, "z9hG4bKcancel");
  const auto id = h.layer.send_request(invite, udp_destination());
  ASSERT_TRUE(id.has_value());
  ASSERT_TRUE(h.layer.cancel(*id).has_value());
  EXPECT_EQ(h.sent_descriptions(), std::vector<std::string>{"INVITE"});  // §9.1: not before a 1xx

  h.layer.receive(make_test_response(invite, 180), test::udp_flow());
  ASSERT_EQ(h.sent_descriptions(), (std::vector<std::string>{"INVITE", "CANCEL"}));
  const Message& cancel = h.sent[1].message;
  EXPECT_EQ(cancel.top_via()->branch(), "z9hG4bKcancel");
  EXPECT_EQ(cancel.cseq()->method, Method::Cancel);
  EXPECT_EQ(cancel.cseq()->number, invite.cseq()->number);
  EXPECT_EQ(h.sent[1].to.address, udp_destination().address);

  // The CANCEL's own 200 stays inside the layer; the INVITE's 487 reaches the TU and is ACKed.
  h.layer.receive(make_test_response(cancel, 200), test::udp_flow());
  h.layer.receive(make_test_response(invite, 487), test::udp_flow());
  ASSERT_EQ(h.responses.size(), 2u);  // 180, 487
  EXPECT_EQ(h.responses[1].second.status(), 487);
  EXPECT_EQ(h.sent_descriptions().back(), "ACK");
  EXPECT_EQ(h.layer.cancel(*id).error(), TransactionLayerError::NotAllowedInState);
}

TEST(TransactionLayerClient, CancelBeforeAFinalResponseIsDropped) {
  LayerHarness h;
  const Message invite = make_test_request(Method::Invite);
  const auto id = h.layer.send_request(invite, udp_destination());
  ASSERT_TRUE(h.layer.cancel(*id).has_value());
  h.layer.receive(make_test_response(invite, 486), test::udp_flow());
  EXPECT_EQ(h.sent_descriptions(), (std::vector<std::string>{"INVITE", "ACK"}));
  EXPECT_EQ(h.layer.cancel(TransactionId{999}).error(), TransactionLayerError::UnknownTransaction);
}

TEST(TransactionLayerClient, CancelAfterProceedingRestartsTimerB) {
  LayerHarness h;
  const Message invite = make_test_request(Method::Invite);
  const auto id = h.layer.send_request(invite, udp_destination());
  h.layer.receive(make_test_response(invite, 183), test::udp_flow());
  h.timers.advance(100s);  // Proceeding waits for the TU without limit
  EXPECT_EQ(h.layer.state(*id), S::Proceeding);
  ASSERT_TRUE(h.layer.cancel(*id).has_value());
  h.timers.advance(32s);  // no 487 ever: give up 64*T1 after the CANCEL (§9.1)
  EXPECT_FALSE(h.layer.state(*id).has_value());
  EXPECT_EQ(h.failures, (std::vector<std::pair<TransactionId, F>>{{*id, F::Timeout}}));
}

TEST(TransactionLayerClient, WrongKindAndStaleIdsAreRejected) {
  LayerHarness h;
  const auto id = h.layer.send_request(make_test_request(Method::Options), udp_destination());
  EXPECT_EQ(h.layer.send_response(*id, make_test_response(make_test_request(Method::Options), 200)).error(),
            TransactionLayerError::WrongKind);
  EXPECT_EQ(h.layer.cancel(*id).error(), TransactionLayerError::WrongKind);
  EXPECT_EQ(h.layer.send_response(TransactionId{42}, Message::response(200, "OK")).error(),
            TransactionLayerError::UnknownTransaction);
  EXPECT_EQ(h.layer.request(TransactionId{42}), nullptr);
  ASSERT_NE(h.layer.request(*id), nullptr);
  EXPECT_EQ(h.layer.request(*id)->method(), Method::Options);
}

TEST(TransactionLayerClient, OverloadRefusesNewClientTransactions) {
  TransactionLayer::Config config;
  config.max_transactions = 1;
  LayerHarness h(config);
  ASSERT_TRUE(h.layer.send_request(make_test_request(Method::Options, "z9hG4bKa"), udp_destination()));
  EXPECT_EQ(h.layer.send_request(make_test_request(Method::Options, "z9hG4bKb"), udp_destination()).error(),
            TransactionLayerError::TooManyTransactions);
}

TEST(TransactionLayerClient, StatelessAckGetsItsOwnVia) {
  TransactionLayer::Config config;
  config.via_sent_by = [](const Destination&) { return std::optional<std::string>("198.51.100.10:5070"); };
  LayerHarness h(config);
  Message ack = make_test_request(Method::Ack);
  ack.remove("Via");
  h.layer.send_stateless(ack, udp_destination());
  h.layer.send_stateless(ack, udp_destination());
  ASSERT_EQ(h.sent.size(), 2u);
  const auto via = h.sent[0].message.top_via();
  ASSERT_TRUE(via.has_value());
  EXPECT_EQ(via->port, 5070);
  EXPECT_TRUE(via->has_rfc3261_branch());
  EXPECT_NE(via->branch(), h.sent[1].message.top_via()->branch());
  EXPECT_EQ(h.layer.size(), 0u);  // no transaction

  LayerHarness bare;
  bare.layer.send_stateless(ack, udp_destination());
  EXPECT_TRUE(bare.sent.empty());
  bare.layer.send_stateless(make_test_request(Method::Ack), udp_destination());
  EXPECT_EQ(bare.sent.size(), 1u);
}

}  // namespace
}  // namespace rtcgate::sip
