// ClientInviteTransaction: RFC 3261 Figure 5 with RFC 6026 Figure 3, enforced as a table, and
// timers A, B, D and M on a fake clock.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rtcgate/sip/transaction/client_invite_transaction.hpp"
#include "transaction_test_support.hpp"

namespace rtcgate::sip {
namespace {

using namespace std::chrono_literals;
using test::describe_all;
using test::FsmHarness;
using test::make_test_request;
using test::make_test_response;
using S = TransactionState;
using F = TransactionFailure;

enum class Event { TimerA, TimerB, TimerD, TimerM, R180, R200, R486, TransportError, CancelThenTimerB };
enum class Rel { Udp, Tcp };

struct Row {
  S from;
  Event event;
  Rel rel;
  S to;
  std::vector<std::string> sent;  // what the event made the transaction send, in order
  int to_tu;                      // responses passed up
  std::optional<F> failure;
};

// Transcribed from RFC 3261 Figure 5 / RFC 6026 Figure 3 (not from the implementation).
const Row kTable[] = {
    {S::Calling, Event::TimerA, Rel::Udp, S::Calling, {"INVITE"}, 0, {}},
    {S::Calling, Event::TimerB, Rel::Tcp, S::Terminated, {}, 0, F::Timeout},
    {S::Calling, Event::TransportError, Rel::Udp, S::Terminated, {}, 0, F::TransportError},
    {S::Calling, Event::R180, Rel::Udp, S::Proceeding, {}, 1, {}},
    {S::Calling, Event::R200, Rel::Udp, S::Accepted, {}, 1, {}},
    {S::Calling, Event::R486, Rel::Udp, S::Completed, {"ACK"}, 1, {}},
    {S::Calling, Event::R486, Rel::Tcp, S::Terminated, {"ACK"}, 1, {}},  // timer D = 0
    {S::Proceeding, Event::R180, Rel::Udp, S::Proceeding, {}, 1, {}},
    {S::Proceeding, Event::R200, Rel::Udp, S::Accepted, {}, 1, {}},
    {S::Proceeding, Event::R486, Rel::Udp, S::Completed, {"ACK"}, 1, {}},
    {S::Proceeding, Event::TimerA, Rel::Udp, S::Proceeding, {}, 0, {}},  // no retransmission
    {S::Proceeding, Event::TimerB, Rel::Udp, S::Proceeding, {}, 0, {}},  // no timeout
    {S::Proceeding, Event::CancelThenTimerB, Rel::Udp, S::Terminated, {}, 0, F::Timeout},
    {S::Proceeding, Event::TransportError, Rel::Udp, S::Proceeding, {}, 0, {}},
    {S::Completed, Event::R486, Rel::Udp, S::Completed, {"ACK"}, 0, {}},
    {S::Completed, Event::R200, Rel::Udp, S::Completed, {}, 0, {}},
    {S::Completed, Event::R180, Rel::Udp, S::Completed, {}, 0, {}},
    {S::Completed, Event::TransportError, Rel::Udp, S::Terminated, {}, 0, F::TransportError},
    {S::Completed, Event::TimerD, Rel::Udp, S::Terminated, {}, 0, {}},
    {S::Accepted, Event::R200, Rel::Udp, S::Accepted, {}, 1, {}},
    {S::Accepted, Event::R486, Rel::Udp, S::Accepted, {}, 0, {}},
    {S::Accepted, Event::R180, Rel::Udp, S::Accepted, {}, 0, {}},
    {S::Accepted, Event::TransportError, Rel::Udp, S::Accepted, {}, 0, {}},
    {S::Accepted, Event::TimerM, Rel::Udp, S::Terminated, {}, 0, {}},
};

class ClientInviteFixture {
 public:
  explicit ClientInviteFixture(bool reliable)
      : invite_(make_test_request(Method::Invite)), t_(h_.context(reliable), invite_) {}

  void reach(S state) {
    t_.start();
    if (state == S::Proceeding) t_.on_response(make_test_response(invite_, 180));
    if (state == S::Completed) t_.on_response(make_test_response(invite_, 486));
    if (state == S::Accepted) t_.on_response(make_test_response(invite_, 200));
    ASSERT_EQ(t_.state(), state);
    h_.owner.clear();
  }

  // Fires a timer by moving the clock to exactly its deadline, checking it has not fired 1 ms early.
  void fire_after(Duration delay, S from) {
    h_.timers.advance(delay - 1ms);
    EXPECT_EQ(t_.state(), from) << "fired early";
    h_.timers.advance(1ms);
  }

  void apply(Event event, S from) {
    const TransactionTimers& c = h_.config;
    switch (event) {
      case Event::TimerA:
        return fire_after(c.t1, from);
      case Event::TimerB:
        return fire_after(c.timer_b(), from);
      case Event::TimerD:
        return fire_after(c.timer_d, from);
      case Event::TimerM:
        return fire_after(c.timer_m(), from);
      case Event::R180:
        return t_.on_response(make_test_response(invite_, 180));
      case Event::R200:
        return t_.on_response(make_test_response(invite_, 200));
      case Event::R486:
        return t_.on_response(make_test_response(invite_, 486));
      case Event::TransportError:
        return t_.on_transport_error();
      case Event::CancelThenTimerB:
        t_.on_cancel_sent();
        return fire_after(c.timer_b(), from);
    }
  }

  FsmHarness h_;
  Message invite_;
  ClientInviteTransaction t_;
};

TEST(ClientInviteTransaction, FollowsFigure5AndRfc6026Figure3) {
  int row_number = 0;
  for (const Row& row : kTable) {
    SCOPED_TRACE("row " + std::to_string(row_number++) + ": from " + std::string(to_string(row.from)));
    ClientInviteFixture f(row.rel == Rel::Tcp);
    f.reach(row.from);
    f.apply(row.event, row.from);
    EXPECT_EQ(f.t_.state(), row.to);
    EXPECT_EQ(describe_all(f.h_.owner.sent), row.sent);
    EXPECT_EQ(static_cast<int>(f.h_.owner.delivered.size()), row.to_tu);
    if (row.failure) {
      EXPECT_EQ(f.h_.owner.failures, std::vector<F>{*row.failure});
    } else {
      EXPECT_TRUE(f.h_.owner.failures.empty());
    }
    EXPECT_EQ(f.h_.owner.terminations, row.to == S::Terminated ? 1 : 0);
  }
}

TEST(ClientInviteTransaction, TimerADoublesWithoutCapUntilTimerBAt64T1) {
  FsmHarness h;
  ClientInviteTransaction t(h.context(false), make_test_request(Method::Invite));
  const TimePoint start = h.timers.now();
  std::vector<Duration> sent_at;
  t.start();
  sent_at.push_back(h.elapsed_since(start));
  std::size_t seen = h.owner.sent.size();
  while (t.state() == S::Calling && h.timers.fire_next()) {
    if (h.owner.sent.size() > seen) {
      sent_at.push_back(h.elapsed_since(start));
      seen = h.owner.sent.size();
    }
  }
  // Intervals 0.5, 1, 2, 4, 8, 16 s (§17.1.1.2: A doubles, no T2 cap for INVITE); B at 32 s.
  EXPECT_EQ(sent_at, (std::vector<Duration>{0ms, 500ms, 1500ms, 3500ms, 7500ms, 15500ms, 31500ms}));
  EXPECT_EQ(t.state(), S::Terminated);
  EXPECT_EQ(h.elapsed_since(start), 32s);
  EXPECT_EQ(h.owner.failures, std::vector<F>{F::Timeout});
  EXPECT_EQ(h.timers.pending(), 0u);
}

TEST(ClientInviteTransaction, ReliableTransportNeverRetransmits) {
  FsmHarness h;
  ClientInviteTransaction t(h.context(true), make_test_request(Method::Invite, "z9hG4bKtcp", 1, "TCP"));
  t.start();
  h.timers.advance(32s - 1ms);
  EXPECT_EQ(h.owner.sent.size(), 1u);
  EXPECT_EQ(t.state(), S::Calling);
  h.timers.advance(1ms);
  EXPECT_EQ(t.state(), S::Terminated);
  EXPECT_EQ(h.owner.sent.size(), 1u);
}

TEST(ClientInviteTransaction, ConfiguredT1ScalesTimersAAndB) {
  FsmHarness h;
  h.config.t1 = 100ms;
  ClientInviteTransaction t(h.context(false), make_test_request(Method::Invite));
  t.start();
  h.timers.advance(100ms);
  EXPECT_EQ(h.owner.sent.size(), 2u);
  EXPECT_EQ(t.retransmit_interval(), 200ms);
  h.timers.advance(6300ms - 1ms);
  EXPECT_EQ(t.state(), S::Calling);
  h.timers.advance(1ms);
  EXPECT_EQ(t.state(), S::Terminated);
}

TEST(ClientInviteTransaction, TimerDIsConfigurableAndZeroWhenReliable) {
  FsmHarness h;
  h.config.timer_d = 40s;
  Message invite = make_test_request(Method::Invite);
  ClientInviteTransaction t(h.context(false), invite);
  t.start();
  t.on_response(make_test_response(invite, 503));
  h.timers.advance(40s - 1ms);
  EXPECT_EQ(t.state(), S::Completed);
  h.timers.advance(1ms);
  EXPECT_EQ(t.state(), S::Terminated);
}

TEST(ClientInviteTransaction, AckForNon2xxFollowsSection17_1_1_3) {
  Message invite = make_test_request(Method::Invite, "z9hG4bKack", 314159);
  invite.add("Route", "<sip:p1.example.com;lr>");
  invite.add("Route", "<sip:p2.example.com;lr>");
  invite.add("Via", "SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKlower");  // a lower Via is not copied
  const Message response = make_test_response(invite, 486, "tagB");
  const Message ack = make_non2xx_ack(invite, response);
  EXPECT_EQ(ack.method(), Method::Ack);
  EXPECT_EQ(ack.request_uri(), invite.request_uri());
  ASSERT_EQ(ack.vias().size(), 1u);
  EXPECT_EQ(ack.top_via()->branch(), "z9hG4bKack");
  EXPECT_EQ(ack.cseq()->number, 314159u);
  EXPECT_EQ(ack.cseq()->method, Method::Ack);
  EXPECT_EQ(ack.to()->tag(), "tagB");
  EXPECT_EQ(ack.from()->tag(), "9fxced76sl");
  EXPECT_EQ(ack.call_id(), invite.call_id());
  EXPECT_EQ(ack.routes().size(), 2u);
  EXPECT_TRUE(ack.body().empty());
}

TEST(ClientInviteTransaction, RetransmittedFinalResponseRepeatsTheSameAck) {
  FsmHarness h;
  Message invite = make_test_request(Method::Invite);
  ClientInviteTransaction t(h.context(false), invite);
  t.start();
  const Message busy = make_test_response(invite, 486);
  t.on_response(busy);
  t.on_response(busy);
  ASSERT_EQ(h.owner.sent.size(), 3u);  // INVITE, ACK, ACK
  EXPECT_EQ(h.owner.sent[1].to()->tag(), h.owner.sent[2].to()->tag());
  EXPECT_EQ(h.owner.delivered.size(), 1u);  // the retransmission is not passed up
}

}  // namespace
}  // namespace rtcgate::sip
