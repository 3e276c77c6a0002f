// ClientNonInviteTransaction: RFC 3261 Figure 6 enforced as a table, and timers E, F and K on a
// fake clock.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rtcgate/sip/transaction/client_non_invite_transaction.hpp"
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

enum class Event { TimerE, TimerF, TimerK, R100, R200, R404, TransportError };
enum class Rel { Udp, Tcp };

struct Row {
  S from;
  Event event;
  Rel rel;
  S to;
  std::vector<std::string> sent;
  int to_tu;
  std::optional<F> failure;
};

// Transcribed from RFC 3261 Figure 6.
const Row kTable[] = {
    {S::Trying, Event::TimerE, Rel::Udp, S::Trying, {"OPTIONS"}, 0, {}},
    {S::Trying, Event::TimerF, Rel::Tcp, S::Terminated, {}, 0, F::Timeout},
    {S::Trying, Event::TransportError, Rel::Udp, S::Terminated, {}, 0, F::TransportError},
    {S::Trying, Event::R100, Rel::Udp, S::Proceeding, {}, 1, {}},
    {S::Trying, Event::R200, Rel::Udp, S::Completed, {}, 1, {}},
    {S::Trying, Event::R404, Rel::Udp, S::Completed, {}, 1, {}},
    {S::Trying, Event::R200, Rel::Tcp, S::Terminated, {}, 1, {}},  // timer K = 0
    {S::Proceeding, Event::TimerE, Rel::Udp, S::Proceeding, {"OPTIONS"}, 0, {}},
    {S::Proceeding, Event::TimerF, Rel::Tcp, S::Terminated, {}, 0, F::Timeout},
    {S::Proceeding, Event::TransportError, Rel::Udp, S::Terminated, {}, 0, F::TransportError},
    {S::Proceeding, Event::R100, Rel::Udp, S::Proceeding, {}, 1, {}},
    {S::Proceeding, Event::R200, Rel::Udp, S::Completed, {}, 1, {}},
    {S::Proceeding, Event::R404, Rel::Udp, S::Completed, {}, 1, {}},
    {S::Completed, Event::R200, Rel::Udp, S::Completed, {}, 0, {}},
    {S::Completed, Event::R100, Rel::Udp, S::Completed, {}, 0, {}},
    {S::Completed, Event::TimerE, Rel::Udp, S::Completed, {}, 0, {}},  // E stopped
    {S::Completed, Event::TransportError, Rel::Udp, S::Completed, {}, 0, {}},
    {S::Completed, Event::TimerK, Rel::Udp, S::Terminated, {}, 0, {}},
};

class ClientNonInviteFixture {
 public:
  explicit ClientNonInviteFixture(bool reliable)
      : request_(make_test_request(Method::Options)), t_(h_.context(reliable), request_) {}

  void reach(S state) {
    t_.start();
    if (state == S::Proceeding) t_.on_response(make_test_response(request_, 100));
    if (state == S::Completed) t_.on_response(make_test_response(request_, 200));
    ASSERT_EQ(t_.state(), state);
    h_.owner.clear();
  }

  void fire_after(Duration delay, S from) {
    h_.timers.advance(delay - 1ms);
    EXPECT_EQ(t_.state(), from) << "fired early";
    EXPECT_TRUE(h_.owner.sent.empty()) << "sent early";
    h_.timers.advance(1ms);
  }

  void apply(Event event, S from) {
    switch (event) {
      case Event::TimerE:
        return fire_after(h_.config.t1, from);
      case Event::TimerF:
        return fire_after(h_.config.timer_f(), from);
      case Event::TimerK:
        return fire_after(h_.config.t4, from);
      case Event::R100:
        return t_.on_response(make_test_response(request_, 100));
      case Event::R200:
        return t_.on_response(make_test_response(request_, 200));
      case Event::R404:
        return t_.on_response(make_test_response(request_, 404));
      case Event::TransportError:
        return t_.on_transport_error();
    }
  }

  FsmHarness h_;
  Message request_;
  ClientNonInviteTransaction t_;
};

TEST(ClientNonInviteTransaction, FollowsFigure6) {
  int row_number = 0;
  for (const Row& row : kTable) {
    SCOPED_TRACE("row " + std::to_string(row_number++) + ": from " + std::string(to_string(row.from)));
    ClientNonInviteFixture f(row.rel == Rel::Tcp);
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

// Runs the machine to its end; `times` holds when the copies already sent went out, and gets the
// time of every later copy appended.
std::vector<Duration> send_times(FsmHarness& h, ClientNonInviteTransaction& t, TimePoint start,
                                 std::vector<Duration> times) {
  while (!t.terminated() && h.timers.fire_next()) {
    while (times.size() < h.owner.sent.size())
      times.push_back(h.elapsed_since(start));
  }
  return times;
}

TEST(ClientNonInviteTransaction, TimerEDoublesUpToT2UntilTimerFAt64T1) {
  FsmHarness h;
  ClientNonInviteTransaction t(h.context(false), make_test_request(Method::Register));
  const TimePoint start = h.timers.now();
  t.start();
  // §17.1.2.2: 0.5, 1, 2, 4, then 4 s (T2) intervals; F fires at 32 s.
  EXPECT_EQ(send_times(h, t, start, {0ms}),
            (std::vector<Duration>{0ms, 500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms, 19500ms, 23500ms,
                                   27500ms, 31500ms}));
  EXPECT_EQ(h.elapsed_since(start), 32s);
  EXPECT_EQ(h.owner.failures, std::vector<F>{F::Timeout});
}

TEST(ClientNonInviteTransaction, ProceedingRetransmitsEveryT2) {
  FsmHarness h;
  const Message request = make_test_request(Method::Bye);
  ClientNonInviteTransaction t(h.context(false), request);
  const TimePoint start = h.timers.now();
  t.start();
  h.timers.advance(500ms);  // first retransmission, E = 1 s next
  t.on_response(make_test_response(request, 100));
  // The pending E (due at 1.5 s) fires, then every T2.
  const std::vector<Duration> times = send_times(h, t, start, {0ms, 500ms});
  EXPECT_EQ(times, (std::vector<Duration>{0ms, 500ms, 1500ms, 5500ms, 9500ms, 13500ms, 17500ms, 21500ms,
                                          25500ms, 29500ms}));
  EXPECT_EQ(h.elapsed_since(start), 32s);
}

TEST(ClientNonInviteTransaction, ReliableTransportNeverRetransmitsAndSkipsTimerK) {
  FsmHarness h;
  const Message request = make_test_request(Method::Options, "z9hG4bKtcp", 1, "TCP");
  ClientNonInviteTransaction t(h.context(true), request);
  t.start();
  h.timers.advance(31s);
  EXPECT_EQ(h.owner.sent.size(), 1u);
  t.on_response(make_test_response(request, 200));
  EXPECT_EQ(t.state(), S::Terminated);
  EXPECT_EQ(h.timers.pending(), 0u);
}

TEST(ClientNonInviteTransaction, TimerKIsT4) {
  FsmHarness h;
  h.config.t4 = 3s;
  const Message request = make_test_request(Method::Options);
  ClientNonInviteTransaction t(h.context(false), request);
  t.start();
  t.on_response(make_test_response(request, 200));
  h.timers.advance(3s - 1ms);
  EXPECT_EQ(t.state(), S::Completed);
  h.timers.advance(1ms);
  EXPECT_EQ(t.state(), S::Terminated);
}

}  // namespace
}  // namespace rtcgate::sip
