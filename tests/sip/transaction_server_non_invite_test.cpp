// ServerNonInviteTransaction: RFC 3261 Figure 8 enforced as a table, and timer J on a fake clock.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "rtcgate/sip/transaction/server_non_invite_transaction.hpp"
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

enum class Event { Request, Tu100, Tu200, Tu404, TimerJ, TransportError };
enum class Rel { Udp, Tcp };

struct Row {
  S from;
  Event event;
  Rel rel;
  S to;
  std::vector<std::string> sent;
  std::optional<F> failure;
  bool accepted = true;
};

// Transcribed from RFC 3261 Figure 8.
const Row kTable[] = {
    {S::Trying, Event::Request, Rel::Udp, S::Trying, {}, {}},
    {S::Trying, Event::Tu100, Rel::Udp, S::Proceeding, {"100"}, {}},
    {S::Trying, Event::Tu200, Rel::Udp, S::Completed, {"200"}, {}},
    {S::Trying, Event::Tu404, Rel::Udp, S::Completed, {"404"}, {}},
    {S::Trying, Event::Tu200, Rel::Tcp, S::Terminated, {"200"}, {}},  // timer J = 0
    {S::Proceeding, Event::Request, Rel::Udp, S::Proceeding, {"100"}, {}},
    {S::Proceeding, Event::Tu100, Rel::Udp, S::Proceeding, {"100"}, {}},
    {S::Proceeding, Event::Tu200, Rel::Udp, S::Completed, {"200"}, {}},
    {S::Proceeding, Event::TransportError, Rel::Udp, S::Terminated, {}, F::TransportError},
    {S::Completed, Event::Request, Rel::Udp, S::Completed, {"200"}, {}},
    {S::Completed, Event::Tu404, Rel::Udp, S::Completed, {}, {}, false},
    {S::Completed, Event::Tu100, Rel::Udp, S::Completed, {}, {}, false},
    {S::Completed, Event::TransportError, Rel::Udp, S::Terminated, {}, F::TransportError},
    {S::Completed, Event::TimerJ, Rel::Udp, S::Terminated, {}, {}},
};

class ServerNonInviteFixture {
 public:
  explicit ServerNonInviteFixture(bool reliable)
      : request_(make_test_request(Method::Bye)), t_(h_.context(reliable), request_) {}

  void reach(S state) {
    if (state == S::Proceeding) t_.send_response(make_test_response(request_, 100));
    if (state == S::Completed) t_.send_response(make_test_response(request_, 200));
    ASSERT_EQ(t_.state(), state);
    h_.owner.clear();
  }

  bool apply(Event event, S from) {
    switch (event) {
      case Event::Request:
        t_.on_request(request_);
        return true;
      case Event::Tu100:
        return t_.send_response(make_test_response(request_, 100));
      case Event::Tu200:
        return t_.send_response(make_test_response(request_, 200));
      case Event::Tu404:
        return t_.send_response(make_test_response(request_, 404));
      case Event::TimerJ:
        h_.timers.advance(h_.config.timer_j_for(false) - 1ms);
        EXPECT_EQ(t_.state(), from) << "fired early";
        h_.timers.advance(1ms);
        return true;
      case Event::TransportError:
        t_.on_transport_error();
        return true;
    }
    return false;
  }

  FsmHarness h_;
  Message request_;
  ServerNonInviteTransaction t_;
};

TEST(ServerNonInviteTransaction, FollowsFigure8) {
  int row_number = 0;
  for (const Row& row : kTable) {
    SCOPED_TRACE("row " + std::to_string(row_number++) + ": from " + std::string(to_string(row.from)));
    ServerNonInviteFixture f(row.rel == Rel::Tcp);
    f.reach(row.from);
    EXPECT_EQ(f.apply(row.event, row.from), row.accepted);
    EXPECT_EQ(f.t_.state(), row.to);
    EXPECT_EQ(describe_all(f.h_.owner.sent), row.sent);
    EXPECT_TRUE(f.h_.owner.delivered.empty());
    if (row.failure) {
      EXPECT_EQ(f.h_.owner.failures, std::vector<F>{*row.failure});
    } else {
      EXPECT_TRUE(f.h_.owner.failures.empty());
    }
    EXPECT_EQ(f.h_.owner.terminations, row.to == S::Terminated ? 1 : 0);
  }
}

TEST(ServerNonInviteTransaction, TimerJIs64T1AndRetransmissionsAreAnsweredUntilThen) {
  FsmHarness h;
  h.config.t1 = 200ms;
  const Message request = make_test_request(Method::Register);
  ServerNonInviteTransaction t(h.context(false), request);
  t.send_response(make_test_response(request, 200));
  h.timers.advance(12800ms - 1ms);
  t.on_request(request);
  EXPECT_EQ(describe_all(h.owner.sent), (std::vector<std::string>{"200", "200"}));
  h.timers.advance(1ms);
  EXPECT_EQ(t.state(), S::Terminated);
  EXPECT_EQ(h.timers.pending(), 0u);
}

TEST(ServerNonInviteTransaction, ReliableTransportTerminatesOnTheFinalResponse) {
  FsmHarness h;
  const Message request = make_test_request(Method::Options, "z9hG4bKtcp", 1, "TCP");
  ServerNonInviteTransaction t(h.context(true), request);
  t.send_response(make_test_response(request, 180));
  t.send_response(make_test_response(request, 200));
  EXPECT_EQ(t.state(), S::Terminated);
  EXPECT_EQ(h.timers.pending(), 0u);
}

}  // namespace
}  // namespace rtcgate::sip
