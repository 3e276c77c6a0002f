// ServerInviteTransaction: RFC 3261 Figure 7 with RFC 6026 Figure 5, enforced as a table, and the
// 100 Trying delay and timers G, H, I and L on a fake clock.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rtcgate/sip/transaction/server_invite_transaction.hpp"
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

enum class Event {
  Trying100,
  Invite,
  Ack,
  Tu180,
  Tu200,
  Tu486,
  TimerG,
  TimerH,
  TimerI,
  TimerL,
  TransportError
};
enum class Rel { Udp, Tcp };

struct Row {
  S from;
  Event event;
  Rel rel;
  S to;
  std::vector<std::string> sent;
  int to_tu;  // ACKs passed up
  std::optional<F> failure;
  bool accepted = true;  // send_response() return value for TU events
};

// Transcribed from RFC 3261 Figure 7 / RFC 6026 Figure 5. "Proceeding+" is Proceeding after the
// TU sent 180 (so there is a provisional response to repeat).
const Row kTable[] = {
    {S::Proceeding, Event::Trying100, Rel::Udp, S::Proceeding, {"100"}, 0, {}},
    {S::Proceeding, Event::Tu180, Rel::Udp, S::Proceeding, {"180"}, 0, {}},
    {S::Proceeding, Event::Tu200, Rel::Udp, S::Accepted, {"200"}, 0, {}},
    {S::Proceeding, Event::Tu486, Rel::Udp, S::Completed, {"486"}, 0, {}},
    {S::Proceeding, Event::Invite, Rel::Udp, S::Proceeding, {}, 0, {}},  // nothing sent yet to repeat
    {S::Proceeding, Event::Ack, Rel::Udp, S::Proceeding, {}, 0, {}},
    {S::Proceeding, Event::TransportError, Rel::Udp, S::Proceeding, {}, 0, F::TransportError},
    {S::Completed, Event::Invite, Rel::Udp, S::Completed, {"486"}, 0, {}},
    {S::Completed, Event::TimerG, Rel::Udp, S::Completed, {"486"}, 0, {}},
    {S::Completed, Event::Ack, Rel::Udp, S::Confirmed, {}, 0, {}},
    {S::Completed, Event::Ack, Rel::Tcp, S::Terminated, {}, 0, {}},  // timer I = 0
    {S::Completed, Event::TimerH, Rel::Tcp, S::Terminated, {}, 0, F::Timeout},
    {S::Completed, Event::TransportError, Rel::Udp, S::Completed, {}, 0, F::TransportError},
    {S::Completed, Event::Tu200, Rel::Udp, S::Completed, {}, 0, {}, false},
    {S::Confirmed, Event::Ack, Rel::Udp, S::Confirmed, {}, 0, {}},
    {S::Confirmed, Event::Invite, Rel::Udp, S::Confirmed, {}, 0, {}},
    {S::Confirmed, Event::TimerG, Rel::Udp, S::Confirmed, {}, 0, {}},  // G stopped by the ACK
    {S::Confirmed, Event::TimerI, Rel::Udp, S::Terminated, {}, 0, {}},
    {S::Accepted, Event::Invite, Rel::Udp, S::Accepted, {}, 0, {}},
    {S::Accepted, Event::Ack, Rel::Udp, S::Accepted, {}, 1, {}},
    {S::Accepted, Event::Tu200, Rel::Udp, S::Accepted, {"200"}, 0, {}},
    {S::Accepted, Event::Tu486, Rel::Udp, S::Accepted, {}, 0, {}, false},
    {S::Accepted, Event::Tu180, Rel::Udp, S::Accepted, {}, 0, {}, false},
    {S::Accepted, Event::TransportError, Rel::Udp, S::Accepted, {}, 0, F::TransportError},
    {S::Accepted, Event::TimerL, Rel::Udp, S::Terminated, {}, 0, {}},
};

class ServerInviteFixture {
 public:
  explicit ServerInviteFixture(bool reliable)
      : invite_(make_test_request(Method::Invite)), t_(h_.context(reliable), invite_) {}

  void reach(S state) {
    t_.start();
    if (state == S::Completed || state == S::Confirmed) t_.send_response(make_test_response(invite_, 486));
    if (state == S::Confirmed) t_.on_request(ack());
    if (state == S::Accepted) t_.send_response(make_test_response(invite_, 200));
    ASSERT_EQ(t_.state(), state);
    h_.owner.clear();
  }

  Message ack() const {
    Message ack = make_test_request(Method::Ack);
    ack.replace("To", "Bob <sip:bob@biloxi.example.com>;tag=8321234356");
    return ack;
  }

  void fire_after(Duration delay, S from) {
    h_.timers.advance(delay - 1ms);
    EXPECT_EQ(t_.state(), from) << "fired early";
    EXPECT_TRUE(h_.owner.sent.empty()) << "sent early";
    h_.timers.advance(1ms);
  }

  bool apply(Event event, S from) {
    const TransactionTimers& c = h_.config;
    switch (event) {
      case Event::Trying100:
        fire_after(c.trying_delay, from);
        return true;
      case Event::TimerG:
        fire_after(c.t1, from);
        return true;
      case Event::TimerH:
        fire_after(c.timer_h(), from);
        return true;
      case Event::TimerI:
        fire_after(c.t4, from);
        return true;
      case Event::TimerL:
        fire_after(c.timer_l(), from);
        return true;
      case Event::Invite:
        t_.on_request(invite_);
        return true;
      case Event::Ack:
        t_.on_request(ack());
        return true;
      case Event::Tu180:
        return t_.send_response(make_test_response(invite_, 180));
      case Event::Tu200:
        return t_.send_response(make_test_response(invite_, 200));
      case Event::Tu486:
        return t_.send_response(make_test_response(invite_, 486));
      case Event::TransportError:
        t_.on_transport_error();
        return true;
    }
    return false;
  }

  FsmHarness h_;
  Message invite_;
  ServerInviteTransaction t_;
};

TEST(ServerInviteTransaction, FollowsFigure7AndRfc6026Figure5) {
  int row_number = 0;
  for (const Row& row : kTable) {
    SCOPED_TRACE("row " + std::to_string(row_number++) + ": from " + std::string(to_string(row.from)));
    ServerInviteFixture f(row.rel == Rel::Tcp);
    f.reach(row.from);
    EXPECT_EQ(f.apply(row.event, row.from), row.accepted);
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

TEST(ServerInviteTransaction, RetransmittedInviteRepeatsTheLastProvisional) {
  FsmHarness h;
  const Message invite = make_test_request(Method::Invite);
  ServerInviteTransaction t(h.context(false), invite);
  t.start();
  t.send_response(make_test_response(invite, 180));
  h.owner.clear();
  t.on_request(invite);
  EXPECT_EQ(describe_all(h.owner.sent), std::vector<std::string>{"180"});
}

TEST(ServerInviteTransaction, Sends100TryingAfter200msOnlyIfTheTuIsSilent) {
  FsmHarness h;
  const Message invite = make_test_request(Method::Invite);
  {
    ServerInviteTransaction t(h.context(false), invite);
    t.start();
    h.timers.advance(199ms);
    EXPECT_TRUE(h.owner.sent.empty());
    h.timers.advance(1ms);
    ASSERT_EQ(describe_all(h.owner.sent), std::vector<std::string>{"100"});
    EXPECT_FALSE(h.owner.sent[0].to()->param("tag"));  // §8.2.6.1: no To tag needed on 100
    EXPECT_EQ(h.owner.sent[0].top_via()->branch(), "z9hG4bKtest1");
  }
  h.owner.clear();
  ServerInviteTransaction t(h.context(false), invite);
  t.start();
  h.timers.advance(150ms);
  t.send_response(make_test_response(invite, 180));
  h.timers.advance(1s);
  EXPECT_EQ(describe_all(h.owner.sent), std::vector<std::string>{"180"});
}

TEST(ServerInviteTransaction, TimerGDoublesUpToT2UntilTimerHAt64T1) {
  FsmHarness h;
  const Message invite = make_test_request(Method::Invite);
  ServerInviteTransaction t(h.context(false), invite);
  t.start();
  const TimePoint start = h.timers.now();
  t.send_response(make_test_response(invite, 603));
  std::vector<Duration> times{Duration::zero()};
  while (!t.terminated() && h.timers.fire_next()) {
    while (times.size() < h.owner.sent.size())
      times.push_back(h.elapsed_since(start));
  }
  EXPECT_EQ(times, (std::vector<Duration>{0ms, 500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms, 19500ms,
                                          23500ms, 27500ms, 31500ms}));
  EXPECT_EQ(h.elapsed_since(start), 32s);
  EXPECT_EQ(h.owner.failures, std::vector<F>{F::Timeout});
}

TEST(ServerInviteTransaction, ReliableTransportSendsNoRetransmissions) {
  FsmHarness h;
  const Message invite = make_test_request(Method::Invite, "z9hG4bKtcp", 1, "TCP");
  ServerInviteTransaction t(h.context(true), invite);
  t.start();
  t.send_response(make_test_response(invite, 486));
  h.timers.advance(31s);
  EXPECT_EQ(describe_all(h.owner.sent), std::vector<std::string>{"486"});
  h.timers.advance(1s);  // timer H still guards the ACK
  EXPECT_EQ(t.state(), S::Terminated);
}

TEST(ServerInviteTransaction, TimersIAndLDurations) {
  FsmHarness h;
  h.config.t4 = 2s;
  h.config.t1 = 250ms;
  const Message invite = make_test_request(Method::Invite);
  ServerInviteTransaction rejected(h.context(false), invite);
  rejected.start();
  rejected.send_response(make_test_response(invite, 486));
  Message ack = make_test_request(Method::Ack);
  rejected.on_request(ack);
  ServerInviteTransaction accepted(h.context(false), invite);
  accepted.start();
  accepted.send_response(make_test_response(invite, 200));
  h.timers.advance(2s - 1ms);
  EXPECT_EQ(rejected.state(), S::Confirmed);
  h.timers.advance(1ms);
  EXPECT_EQ(rejected.state(), S::Terminated);
  h.timers.advance(16s - 2s - 1ms);  // L = 64 * 250 ms
  EXPECT_EQ(accepted.state(), S::Accepted);
  h.timers.advance(1ms);
  EXPECT_EQ(accepted.state(), S::Terminated);
}

TEST(ServerInviteTransaction, TransportErrorsReachTheTuOnceAndTimersStillEndIt) {
  FsmHarness h;
  const Message invite = make_test_request(Method::Invite);
  ServerInviteTransaction t(h.context(false), invite);
  t.start();
  t.send_response(make_test_response(invite, 500));
  t.on_transport_error();
  h.timers.advance(2s);  // timer G retransmits; say each of them fails too
  t.on_transport_error();
  EXPECT_EQ(h.owner.failures, std::vector<F>{F::TransportError});
  EXPECT_EQ(t.state(), S::Completed);  // RFC 6026 §7.1: no termination on a transport error
  h.timers.advance(30s);               // timer H
  EXPECT_EQ(t.state(), S::Terminated);
  EXPECT_EQ(h.owner.failures, (std::vector<F>{F::TransportError, F::Timeout}));
}

}  // namespace
}  // namespace rtcgate::sip
