#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>

#include "rtcgate/media/rtp/sequence.hpp"

namespace rtcgate::media {
namespace {

TEST(SequenceTracker, ProbationThenValid) {
  SequenceTracker t;
  EXPECT_FALSE(t.update(100));  // first packet: on probation (RFC 3550 A.1, MIN_SEQUENTIAL 2)
  EXPECT_TRUE(t.update(101));
  EXPECT_TRUE(t.validated());
  EXPECT_TRUE(t.update(102));
  EXPECT_EQ(t.extended_max(), 102U);
  EXPECT_EQ(t.received(), 2U);
  EXPECT_EQ(t.expected(), 2);
  EXPECT_EQ(t.lost(), 0);
}

TEST(SequenceTracker, NonSequentialRestartsProbation) {
  SequenceTracker t;
  EXPECT_FALSE(t.update(10));
  EXPECT_FALSE(t.update(50));
  EXPECT_TRUE(t.update(51));
  EXPECT_EQ(t.extended_max(), 51U);
}

TEST(SequenceTracker, WrapCountsCycles) {
  SequenceTracker t;
  t.update(65534);
  t.update(65535);
  EXPECT_TRUE(t.update(0));
  EXPECT_TRUE(t.update(1));
  EXPECT_EQ(t.cycles(), 65536U);
  EXPECT_EQ(t.extended_max(), 65537U);
  EXPECT_EQ(t.expected(), 3);
  EXPECT_EQ(t.lost(), 0);
}

TEST(SequenceTracker, LossAndIntervalFraction) {
  SequenceTracker t;
  t.update(1);
  t.update(2);
  for (std::uint16_t s = 3; s <= 10; ++s) {
    if (s != 5 && s != 6) t.update(s);
  }
  EXPECT_EQ(t.expected(), 9);  // 2..10
  EXPECT_EQ(t.lost(), 2);
  auto interval = t.take_interval();
  EXPECT_EQ(interval.expected, 9);
  EXPECT_EQ(interval.lost, 2);
  EXPECT_EQ(interval.fraction_lost, (2 << 8) / 9);
  t.update(11);
  auto next = t.take_interval();
  EXPECT_EQ(next.expected, 1);
  EXPECT_EQ(next.lost, 0);
  EXPECT_EQ(next.fraction_lost, 0);
}

TEST(SequenceTracker, DuplicateAndReorderCounted) {
  SequenceTracker t;
  t.update(1);
  t.update(2);
  t.update(4);
  EXPECT_TRUE(t.update(3));  // late, inside the misorder window
  EXPECT_TRUE(t.update(3));  // duplicate
  EXPECT_EQ(t.extended_max(), 4U);
  EXPECT_EQ(t.lost(), -1) << "A.3: duplicates can make the loss negative";
}

TEST(SequenceTracker, LargeJumpNeedsTwoSequentialPackets) {
  SequenceTracker t;
  t.update(1000);
  t.update(1001);
  EXPECT_FALSE(t.update(30000));  // jump beyond MAX_DROPOUT: suspicious
  EXPECT_EQ(t.extended_max(), 1001U);
  EXPECT_TRUE(t.update(30001));  // second in sequence: the source restarted
  EXPECT_EQ(t.extended_max(), 30001U);
}

TEST(SrtpIndex, Rfc3711GuessAcrossRollover) {
  EXPECT_EQ(estimate_srtp_index(5, 100, 101).roc, 5U);
  EXPECT_EQ(estimate_srtp_index(5, 100, 101).index, (5ULL << 16) | 101);
  // Late packet from before the rollover.
  EXPECT_EQ(estimate_srtp_index(5, 10, 65530).roc, 4U);
  // Packet after the rollover while s_l is high.
  EXPECT_EQ(estimate_srtp_index(5, 65530, 3).roc, 6U);
  EXPECT_EQ(estimate_srtp_index(5, 65530, 65531).roc, 5U);
  EXPECT_EQ(estimate_srtp_index(5, 40000, 20000).roc, 5U);
}

TEST(JitterEstimator, ZeroForPerfectPacing) {
  JitterEstimator j(8000);
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::seconds(1000);
  for (int i = 0; i < 100; ++i)
    j.update(t0 + std::chrono::milliseconds(20 * i), 1234U + 160U * static_cast<std::uint32_t>(i));
  EXPECT_EQ(j.jitter(), 0U);
}

TEST(JitterEstimator, ConvergesToConstantDeviation) {
  // Alternating +-2 ms arrival offsets: |D| is 4 ms = 32 ticks at 8 kHz on every packet after the
  // first, so J converges to 32 (J += (|D| - J) / 16).
  JitterEstimator j(8000);
  const auto t0 = std::chrono::steady_clock::time_point{};
  for (int i = 0; i < 400; ++i) {
    const auto skew = std::chrono::milliseconds(i % 2 == 0 ? 2 : -2);
    j.update(t0 + std::chrono::milliseconds(100 + 20 * i) + skew, 160U * static_cast<std::uint32_t>(i));
  }
  EXPECT_NEAR(static_cast<double>(j.jitter()), 32.0, 1.0);
  EXPECT_NEAR(j.jitter_ms(), 4.0, 0.2);
}

}  // namespace
}  // namespace rtcgate::media
