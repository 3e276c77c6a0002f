// AsioTimerService against the TimerService contract (timer_service.hpp), on a real io_context.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "rtcgate/sip/asio/asio_timer_service.hpp"

namespace rtcgate::sip::asio {
namespace {

using namespace std::chrono_literals;

void run(boost::asio::io_context& io, std::chrono::milliseconds period) {
  io.restart();
  io.run_for(period);
}

TEST(AsioTimerService, FiresInDeadlineOrderNeverInsideSchedule) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  std::vector<int> fired;
  const TimePoint start = timers.now();
  timers.schedule(30ms, [&] { fired.push_back(30); });
  timers.schedule(10ms, [&] { fired.push_back(10); });
  timers.schedule(-5ms, [&] { fired.push_back(0); });
  EXPECT_TRUE(fired.empty());
  EXPECT_EQ(timers.pending(), 3u);
  run(io, 200ms);
  EXPECT_EQ(fired, (std::vector<int>{0, 10, 30}));
  EXPECT_GE(timers.now() - start, 30ms);
  EXPECT_EQ(timers.pending(), 0u);
}

TEST(AsioTimerService, CancelPreventsTheCallbackEvenAfterExpiry) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  int fired = 0;
  const TimerHandle a = timers.schedule(1ms, [&] { ++fired; });
  TimerHandle b;
  // `a` and `b` both expire before the loop runs; a's callback cancels b although b's completion
  // may already be queued.
  b = timers.schedule(1ms, [&] { fired += 100; });
  timers.cancel(TimerHandle{});  // empty handle: no-op
  std::this_thread::sleep_for(5ms);
  timers.cancel(b);
  timers.cancel(b);  // twice: no-op
  run(io, 50ms);
  EXPECT_EQ(fired, 1);
  timers.cancel(a);  // after firing: no-op
}

TEST(AsioTimerService, CallbacksMayScheduleAndCancelTheirOwnHandle) {
  boost::asio::io_context io;
  AsioTimerService timers(io);
  int chain = 0;
  TimerHandle self;
  self = timers.schedule(1ms, [&] {
    timers.cancel(self);
    ++chain;
    timers.schedule(1ms, [&] { ++chain; });
  });
  run(io, 100ms);
  EXPECT_EQ(chain, 2);
}

TEST(AsioTimerService, DestroyingTheServiceDropsPendingTimers) {
  boost::asio::io_context io;
  int fired = 0;
  {
    AsioTimerService timers(io);
    timers.schedule(1ms, [&] { ++fired; });
  }
  run(io, 30ms);
  EXPECT_EQ(fired, 0);
}

}  // namespace
}  // namespace rtcgate::sip::asio
