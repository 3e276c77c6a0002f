#include "rtcgate/gateway/log.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rtcgate::gateway {
namespace {

class LogCapture {
 public:
  LogCapture() {
    Logger::global().set_timestamps(false);
    Logger::global().set_sink([this](std::string_view line) { lines.emplace_back(line); });
  }
  ~LogCapture() {
    Logger::global().set_sink({});
    Logger::global().set_timestamps(true);
    Logger::global().set_level(LogLevel::Info);
  }
  std::vector<std::string> lines;
};

TEST(Log, KeyValueLine) {
  LogCapture capture;
  log_info("call.answered", {{"call_id", "a84b4c76e66710"}, {"code", 200}, {"ms", 12.5}, {"relay", false}});
  ASSERT_EQ(capture.lines.size(), 1u);
  EXPECT_EQ(capture.lines[0],
            "level=info event=call.answered call_id=a84b4c76e66710 code=200 ms=12.5 relay=false");
}

TEST(Log, QuotesAndEscapesHostileValues) {
  EXPECT_EQ(
      format_log_line(LogLevel::Warn, "sip.bad", std::vector<LogField>{{"from", "Eve\nlevel=error x=\"y\""}}),
      R"(level=warn event=sip.bad from="Eve\nlevel=error x=\"y\"")");
  EXPECT_EQ(
      format_log_line(LogLevel::Info, "e", std::vector<LogField>{{"v", ""}, {"w", std::string("a\x01\\")}}),
      R"(level=info event=e v="" w="a\x01\\")");
}

TEST(Log, LevelFilter) {
  LogCapture capture;
  Logger::global().set_level(LogLevel::Warn);
  log_debug("d");
  log_info("i");
  log_warn("w");
  log_error("e");
  EXPECT_EQ(capture.lines, (std::vector<std::string>{"level=warn event=w", "level=error event=e"}));
}

TEST(Log, TimestampPrefix) {
  std::vector<std::string> lines;
  Logger::global().set_sink([&](std::string_view line) { lines.emplace_back(line); });
  log_info("t");
  Logger::global().set_sink({});
  ASSERT_EQ(lines.size(), 1u);
  // 2026-11-25T10:41:00.123Z level=info event=t
  ASSERT_EQ(lines[0].size(), 25u + 18u) << lines[0];
  EXPECT_EQ(lines[0][10], 'T');
  EXPECT_EQ(lines[0].substr(23), "Z level=info event=t");
}

TEST(RateLimiter, BurstThenSuppressThenReport) {
  using namespace std::chrono_literals;
  RateLimiter limiter(2, 1s);
  RateLimiter::Clock::time_point t0{};
  std::uint64_t suppressed = 99;
  EXPECT_TRUE(limiter.allow(t0, suppressed));
  EXPECT_EQ(suppressed, 0u);
  EXPECT_TRUE(limiter.allow(t0 + 100ms, suppressed));
  EXPECT_FALSE(limiter.allow(t0 + 200ms, suppressed));
  EXPECT_FALSE(limiter.allow(t0 + 999ms, suppressed));
  EXPECT_TRUE(limiter.allow(t0 + 1s, suppressed));
  EXPECT_EQ(suppressed, 2u);
  EXPECT_TRUE(limiter.allow(t0 + 1500ms, suppressed));
  EXPECT_EQ(suppressed, 0u);
}

TEST(RateLimiter, LogLimitedAddsSuppressedCount) {
  LogCapture capture;
  RateLimiter limiter(1, std::chrono::hours(1));
  for (int i = 0; i < 5; ++i)
    log_limited(limiter, LogLevel::Warn, "rtp.bad_source", {{"call_id", "c1"}});
  EXPECT_EQ(capture.lines, (std::vector<std::string>{"level=warn event=rtp.bad_source call_id=c1"}));
}

}  // namespace
}  // namespace rtcgate::gateway
