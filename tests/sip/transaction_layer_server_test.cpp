// TransactionLayer, server side: §17.2.3 matching (and the RFC 2543 fallback), retransmission
// absorption, ACK routing (RFC 6026 §7.1), CANCEL lookup (§9.2), overload, re-entrant TU answers.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "transaction_layer_test_support.hpp"

namespace rtcgate::sip {
namespace {

using namespace std::chrono_literals;
using test::LayerHarness;
using test::make_test_request;
using test::make_test_response;
using test::udp_flow;
using S = TransactionState;

// The ACK a client sends for our final response to `invite` (the To tag of make_test_response).
Message ack_for(const Message& invite) {
  Message ack = make_test_request(Method::Ack, invite.top_via()->branch());
  ack.replace("Via", std::string(*invite.first(HeaderId::Via)));
  ack.replace("To", "Bob <sip:bob@biloxi.example.com>;tag=8321234356");
  return ack;
}

TEST(TransactionLayerServer, RetransmissionsAreAbsorbedAndAnsweredWithTheLastResponse) {
  LayerHarness h;
  const Message options = make_test_request(Method::Options, "z9hG4bKsrv1");
  h.layer.receive(options, udp_flow());
  ASSERT_EQ(h.requests.size(), 1u);
  const TransactionId id = h.requests[0].first;
  h.layer.receive(options, udp_flow());  // before any answer: nothing to repeat
  EXPECT_EQ(h.requests.size(), 1u);
  EXPECT_TRUE(h.sent.empty());

  ASSERT_TRUE(h.layer.send_response(id, make_test_response(options, 200)).has_value());
  h.layer.receive(options, udp_flow());
  EXPECT_EQ(h.sent_descriptions(), (std::vector<std::string>{"200", "200"}));
  EXPECT_EQ(h.layer.stats().retransmissions_absorbed, 2u);
  EXPECT_EQ(h.sent[0].to.address, (TransportAddress{"192.0.2.1", 5060}));
  ASSERT_TRUE(h.sent[0].to.flow.has_value());
  EXPECT_EQ(h.sent[0].to.flow->local, udp_flow().local);  // out of the listener it came in on

  h.timers.advance(32s);  // timer J
  EXPECT_EQ(h.terminated, std::vector<TransactionId>{id});
  h.layer.receive(options, udp_flow());  // a new transaction now
  EXPECT_EQ(h.requests.size(), 2u);
}

TEST(TransactionLayerServer, MatchingUsesSentByAndMethodBesidesTheBranch) {
  LayerHarness h;
  const Message invite = make_test_request(Method::Invite, "z9hG4bKsame");
  Message other_host = invite;
  other_host.replace("Via", "SIP/2.0/UDP 192.0.2.77:5060;branch=z9hG4bKsame");
  h.layer.receive(invite, udp_flow());
  h.layer.receive(other_host, udp_flow());
  h.layer.receive(make_test_request(Method::Cancel, "z9hG4bKsame"), udp_flow());
  ASSERT_EQ(h.requests.size(), 3u);
  EXPECT_EQ(h.requests[2].second.method(), Method::Cancel);
  // §9.2: the CANCEL names the INVITE transaction with the same branch and sent-by.
  EXPECT_EQ(h.layer.find_cancelled_invite(h.requests[2].second), h.requests[0].first);
  EXPECT_FALSE(h.layer.find_cancelled_invite(make_test_request(Method::Cancel, "z9hG4bKnone")).has_value());
  EXPECT_FALSE(h.layer.find_cancelled_invite(invite).has_value());  // not a CANCEL
}

TEST(TransactionLayerServer, AckOfANon2xxStaysInTheTransaction) {
  LayerHarness h;
  const Message invite = make_test_request(Method::Invite, "z9hG4bKrej");
  h.layer.receive(invite, udp_flow());
  const TransactionId id = h.requests[0].first;
  ASSERT_TRUE(h.layer.send_response(id, make_test_response(invite, 486)).has_value());
  h.layer.receive(ack_for(invite), udp_flow());
  EXPECT_TRUE(h.acks.empty());
  EXPECT_EQ(h.layer.state(id), S::Confirmed);
  h.timers.advance(5s);  // timer I = T4
  EXPECT_EQ(h.terminated, std::vector<TransactionId>{id});
}

TEST(TransactionLayerServer, AckOfA2xxGoesToTheTu) {
  LayerHarness h;
  const Message invite = make_test_request(Method::Invite, "z9hG4bKok");
  h.layer.receive(invite, udp_flow());
  const TransactionId id = h.requests[0].first;
  ASSERT_TRUE(h.layer.send_response(id, make_test_response(invite, 200)).has_value());
  h.layer.receive(invite, udp_flow());  // RFC 6026 §7.1: absorbed in Accepted, not repeated
  EXPECT_EQ(h.sent_descriptions(), std::vector<std::string>{"200"});
  // An ACK of a 2xx has its own branch (§17.1.1.3 does not apply); it matches nothing.
  Message ack = ack_for(invite);
  ack.replace("Via", "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKackown");
  h.layer.receive(ack, udp_flow());
  ASSERT_EQ(h.acks.size(), 1u);
  // One that does carry the INVITE's branch reaches the TU through the Accepted state.
  h.layer.receive(ack_for(invite), udp_flow());
  EXPECT_EQ(h.acks.size(), 2u);
  EXPECT_EQ(h.requests.size(), 1u);
  h.timers.advance(32s);  // timer L
  EXPECT_FALSE(h.layer.state(id).has_value());
}

TEST(TransactionLayerServer, Rfc2543RequestsMatchWithoutTheMagicCookie) {
  LayerHarness h;
  Message invite = make_test_request(Method::Invite, "legacy-branch-1");
  invite.replace("Via", "SIP/2.0/UDP 192.0.2.1:5060");  // no branch at all
  h.layer.receive(invite, udp_flow());
  ASSERT_EQ(h.requests.size(), 1u);
  const TransactionId id = h.requests[0].first;
  ASSERT_TRUE(h.layer.send_response(id, make_test_response(invite, 180)).has_value());
  h.layer.receive(invite, udp_flow());  // retransmission: the 180 again
  EXPECT_EQ(h.sent_descriptions(), (std::vector<std::string>{"180", "180"}));

  Message other_call = invite;
  other_call.replace("From", "Alice <sip:alice@atlanta.example.com>;tag=different");
  h.layer.receive(other_call, udp_flow());
  EXPECT_EQ(h.requests.size(), 2u);

  ASSERT_TRUE(h.layer.send_response(id, make_test_response(invite, 404)).has_value());
  Message wrong_tag = ack_for(invite);
  wrong_tag.replace("To", "Bob <sip:bob@biloxi.example.com>;tag=nope");
  h.layer.receive(wrong_tag, udp_flow());
  EXPECT_EQ(h.acks.size(), 1u);  // not ours: passed up as a 2xx ACK would be
  h.layer.receive(ack_for(invite), udp_flow());
  EXPECT_EQ(h.acks.size(), 1u);
  EXPECT_EQ(h.layer.state(id), S::Confirmed);
}

TEST(TransactionLayerServer, InviteGets100TryingWhenTheTuIsSlow) {
  LayerHarness h;
  const Message invite = make_test_request(Method::Invite);
  h.layer.receive(invite, udp_flow());
  h.timers.advance(199ms);
  EXPECT_TRUE(h.sent.empty());
  h.timers.advance(1ms);
  EXPECT_EQ(h.sent_descriptions(), std::vector<std::string>{"100"});
}

TEST(TransactionLayerServer, TuMayAnswerFromInsideOnRequest) {
  LayerHarness h;
  h.answer_with = 404;
  h.layer.receive(make_test_request(Method::Invite), test::tcp_flow());
  ASSERT_TRUE(h.answer_result.has_value());
  EXPECT_TRUE(h.answer_result->has_value());
  EXPECT_EQ(h.sent_descriptions(), std::vector<std::string>{"404"});
  ASSERT_TRUE(h.sent[0].to.flow.has_value());
  EXPECT_EQ(h.sent[0].to.flow->connection, 7u);  // back over the connection (§18.2.2)
  h.timers.advance(32s);                         // reliable: timer H alone guards the ACK
  EXPECT_EQ(h.sent.size(), 1u);
  EXPECT_EQ(h.terminated.size(), 1u);
}

TEST(TransactionLayerServer, TransportErrorOnAResponseIsReported) {
  LayerHarness h;
  h.layer.receive(make_test_request(Method::Options), udp_flow());
  h.layer.receive(make_test_request(Method::Invite, "z9hG4bKinv"), udp_flow());
  h.fail_sends = true;
  ASSERT_TRUE(h.layer.send_response(h.requests[0].first, make_test_response(h.requests[0].second, 200)));
  ASSERT_TRUE(h.layer.send_response(h.requests[1].first, make_test_response(h.requests[1].second, 500)));
  ASSERT_EQ(h.failures.size(), 2u);
  EXPECT_EQ(h.failures[0].second, TransactionFailure::TransportError);
  // Non-INVITE ends (§17.2.4); INVITE stays until its timers end it (RFC 6026 §7.1).
  EXPECT_EQ(h.terminated, std::vector<TransactionId>{h.requests[0].first});
  EXPECT_EQ(h.layer.state(h.requests[1].first), S::Completed);
}

TEST(TransactionLayerServer, OverloadIsAnsweredWith503Statelessly) {
  TransactionLayer::Config config;
  config.max_transactions = 1;
  LayerHarness h(config);
  h.layer.receive(make_test_request(Method::Options, "z9hG4bKa"), udp_flow());
  h.layer.receive(make_test_request(Method::Options, "z9hG4bKb"), udp_flow());
  EXPECT_EQ(h.requests.size(), 1u);
  ASSERT_EQ(h.sent_descriptions(), std::vector<std::string>{"503"});
  EXPECT_EQ(h.sent[0].message.first("Retry-After"), "5");
  EXPECT_EQ(h.sent[0].message.top_via()->branch(), "z9hG4bKb");
  EXPECT_EQ(h.layer.stats().overload_rejected, 1u);
}

TEST(TransactionLayerServer, ResponsesInTheWrongStateAreRefused) {
  LayerHarness h;
  const Message options = make_test_request(Method::Options);
  h.layer.receive(options, udp_flow());
  const TransactionId id = h.requests[0].first;
  ASSERT_TRUE(h.layer.send_response(id, make_test_response(options, 200)).has_value());
  EXPECT_EQ(h.layer.send_response(id, make_test_response(options, 180)).error(),
            TransactionLayerError::NotAllowedInState);
  EXPECT_EQ(h.layer.send_response(id, make_test_response(options, 200)).error(),
            TransactionLayerError::NotAllowedInState);
}

TEST(TransactionLayerServer, MalformedRequestsAreCountedAndDropped) {
  LayerHarness h;
  Message no_via = make_test_request(Method::Options);
  no_via.remove("Via");
  h.layer.receive(no_via, udp_flow());
  EXPECT_TRUE(h.requests.empty());
  EXPECT_EQ(h.layer.stats().requests_dropped, 1u);
}

}  // namespace
}  // namespace rtcgate::sip
