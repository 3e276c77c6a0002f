// AnswerRetransmitter: the 2xx to INVITE retransmitted by the UAS core until the ACK (RFC 3261
// §13.3.1.4), on the fake clock.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "rtcgate/sip/dialog/answer_retransmitter.hpp"
#include "support/fake_clock.hpp"

namespace rtcgate::sip {
namespace {

using namespace std::chrono_literals;

struct Harness {
  testing::FakeTimerService timers;
  TransactionTimers config;
  std::vector<Duration> resent_at;
  int gave_up = 0;
  TimePoint start = timers.now();
  AnswerRetransmitter retransmitter{timers, config, [this] { resent_at.push_back(timers.now() - start); },
                                    [this] { ++gave_up; }};
};

TEST(AnswerRetransmitter, DoublesUpToT2AndGivesUpAt64T1) {
  Harness h;
  h.retransmitter.start();
  EXPECT_TRUE(h.retransmitter.active());
  h.timers.advance(32s - 1ms);
  EXPECT_EQ(h.resent_at, (std::vector<Duration>{500ms, 1500ms, 3500ms, 7500ms, 11500ms, 15500ms, 19500ms,
                                                23500ms, 27500ms, 31500ms}));
  EXPECT_EQ(h.gave_up, 0);
  h.timers.advance(1ms);
  EXPECT_EQ(h.gave_up, 1);
  EXPECT_FALSE(h.retransmitter.active());
  EXPECT_EQ(h.timers.pending(), 0u);
}

TEST(AnswerRetransmitter, AckStopsEverything) {
  Harness h;
  h.retransmitter.start();
  h.timers.advance(2s);
  h.retransmitter.on_ack();
  h.timers.advance(60s);
  EXPECT_EQ(h.resent_at.size(), 2u);
  EXPECT_EQ(h.gave_up, 0);
  EXPECT_EQ(h.timers.pending(), 0u);
}

TEST(AnswerRetransmitter, FollowsAConfiguredT1AndT2) {
  Harness h;
  h.config.t1 = 100ms;
  h.config.t2 = 300ms;
  AnswerRetransmitter fast(
      h.timers, h.config, [&] { h.resent_at.push_back(h.timers.now() - h.start); }, [&] { ++h.gave_up; });
  fast.start();
  h.timers.advance(1s);
  EXPECT_EQ(h.resent_at, (std::vector<Duration>{100ms, 300ms, 600ms, 900ms}));
  h.timers.advance(6400ms - 1s - 1ms);  // 64 * 100 ms
  EXPECT_EQ(h.gave_up, 0);
  h.timers.advance(1ms);
  EXPECT_EQ(h.gave_up, 1);
}

TEST(AnswerRetransmitter, DestructionCancelsTheTimers) {
  testing::FakeTimerService timers;
  int calls = 0;
  {
    AnswerRetransmitter r(
        timers, TransactionTimers{}, [&] { ++calls; }, [&] { ++calls; });
    r.start();
    EXPECT_EQ(timers.pending(), 2u);
  }
  EXPECT_EQ(timers.pending(), 0u);
  timers.advance(60s);
  EXPECT_EQ(calls, 0);
}

}  // namespace
}  // namespace rtcgate::sip
