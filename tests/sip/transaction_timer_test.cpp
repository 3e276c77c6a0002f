// Tests of the fake timer service every transaction test relies on, and of the RFC 3261 Table 4
// timer values derived from T1/T2/T4.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "rtcgate/sip/transaction/timers.hpp"
#include "support/fake_clock.hpp"

namespace rtcgate::sip {
namespace {

using namespace std::chrono_literals;
using testing::FakeTimerService;

TEST(FakeTimerService, FiresDueTimersInDeadlineOrderWithTheirOwnNow) {
  FakeTimerService timers;
  const TimePoint start = timers.now();
  std::vector<std::string> log;
  timers.schedule(300ms, [&] { log.push_back("c@" + std::to_string((timers.now() - start) / 1ms)); });
  timers.schedule(100ms, [&] { log.push_back("a@" + std::to_string((timers.now() - start) / 1ms)); });
  timers.schedule(100ms, [&] { log.push_back("b@" + std::to_string((timers.now() - start) / 1ms)); });
  EXPECT_EQ(timers.advance(99ms), 0u);
  EXPECT_EQ(timers.advance(250ms), 3u);
  EXPECT_EQ(log, (std::vector<std::string>{"a@100", "b@100", "c@300"}));
  EXPECT_EQ(timers.now() - start, 349ms);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(FakeTimerService, CancelledTimerNeverFiresAndCancelIsIdempotent) {
  FakeTimerService timers;
  int fired = 0;
  const TimerHandle handle = timers.schedule(10ms, [&] { ++fired; });
  timers.cancel(handle);
  timers.cancel(handle);
  timers.cancel(TimerHandle{});
  timers.advance(1s);
  EXPECT_EQ(fired, 0);
}

TEST(FakeTimerService, CallbacksMayRescheduleWithinTheSameAdvance) {
  FakeTimerService timers;
  const TimePoint start = timers.now();
  std::vector<Duration> fired_at;
  std::function<void()> tick = [&] {
    fired_at.push_back(timers.now() - start);
    if (fired_at.size() < 4) timers.schedule(100ms, tick);
  };
  timers.schedule(100ms, tick);
  timers.advance(1s);
  EXPECT_EQ(fired_at, (std::vector<Duration>{100ms, 200ms, 300ms, 400ms}));
}

TEST(FakeTimerService, CallbackMayCancelAnotherDueTimer) {
  FakeTimerService timers;
  int second = 0;
  TimerHandle other;
  timers.schedule(10ms, [&] { timers.cancel(other); });
  other = timers.schedule(10ms, [&] { ++second; });
  timers.advance(20ms);
  EXPECT_EQ(second, 0);
}

TEST(FakeTimerService, ZeroAndNegativeDelaysFireOnRunDueNotInsideSchedule) {
  FakeTimerService timers;
  int fired = 0;
  timers.schedule(0ms, [&] { ++fired; });
  timers.schedule(-5ms, [&] { ++fired; });
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(timers.next_delay(), Duration::zero());
  EXPECT_EQ(timers.run_due(), 2u);
  EXPECT_EQ(fired, 2);
}

TEST(FakeTimerService, FireNextJumpsToTheNextDeadline) {
  FakeTimerService timers;
  timers.schedule(700ms, [] {});
  EXPECT_EQ(timers.fire_next(), Duration(700ms));
  EXPECT_EQ(timers.fire_next(), std::nullopt);
}

TEST(TransactionTimers, DefaultsFollowRfc3261Table4) {
  const TransactionTimers t;
  EXPECT_TRUE(t.valid());
  EXPECT_EQ(t.t1, 500ms);
  EXPECT_EQ(t.t2, 4s);
  EXPECT_EQ(t.t4, 5s);
  EXPECT_EQ(t.timer_b(), 32s);
  EXPECT_EQ(t.timer_f(), 32s);
  EXPECT_EQ(t.timer_h(), 32s);
  EXPECT_EQ(t.timer_l(), 32s);
  EXPECT_EQ(t.timer_m(), 32s);
  EXPECT_EQ(t.timer_d_for(false), 32s);
  EXPECT_EQ(t.timer_d_for(true), 0s);
  EXPECT_EQ(t.timer_i_for(false), 5s);
  EXPECT_EQ(t.timer_i_for(true), 0s);
  EXPECT_EQ(t.timer_j_for(false), 32s);
  EXPECT_EQ(t.timer_j_for(true), 0s);
  EXPECT_EQ(t.timer_k_for(false), 5s);
  EXPECT_EQ(t.timer_k_for(true), 0s);
  EXPECT_EQ(t.trying_delay, 200ms);
}

TEST(TransactionTimers, DerivedTimersFollowAConfiguredT1) {
  TransactionTimers t;
  t.t1 = 100ms;
  t.t2 = 400ms;
  EXPECT_EQ(t.timer_b(), 6400ms);
  EXPECT_EQ(t.timer_j_for(false), 6400ms);
  EXPECT_EQ(t.next_capped(100ms), 200ms);
  EXPECT_EQ(t.next_capped(300ms), 400ms);
  EXPECT_EQ(TransactionTimers::next_timer_a(16s), 32s);
}

TEST(TransactionTimers, RejectsInconsistentValues) {
  TransactionTimers t;
  t.t2 = 100ms;
  EXPECT_FALSE(t.valid());
  t = TransactionTimers{};
  t.t1 = 0ms;
  EXPECT_FALSE(t.valid());
  t = TransactionTimers{};
  t.trying_delay = -1ms;
  EXPECT_FALSE(t.valid());
}

}  // namespace
}  // namespace rtcgate::sip
