#include "rtcgate/media/transcode/rtcp_reporter.hpp"

#include <gtest/gtest.h>

#include "rtcgate/media/rtp/rtcp_view.hpp"

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;

TEST(RtcpReporter, WritesSenderReportWithABlockAboutTheStreamWeReceive) {
  RtcpReporter reporter(0xAABBCCDD, 8000);
  const auto t0 = RtcpReporter::Clock::now();
  EXPECT_FALSE(reporter.due(t0 + 10s));  // nothing sent yet
  for (std::uint32_t i = 0; i < 10; ++i)
    reporter.on_sent(1000 + 160 * i, 160, t0 + i * 20ms);
  EXPECT_FALSE(reporter.due(t0 + 1s));
  EXPECT_TRUE(reporter.due(t0 + 6s));

  SequenceTracker received;
  JitterEstimator jitter(48000);
  for (int seq : {100, 101, 102, 104})
    received.update(static_cast<std::uint16_t>(seq));
  std::array<std::byte, RtcpReporter::kMaxReportSize> out{};
  const std::size_t n =
      reporter.write(out, t0 + 200ms, std::chrono::system_clock::now(), 0x01020304, received, jitter);
  ASSERT_GT(n, 0u);
  EXPECT_FALSE(reporter.due(t0 + 1s));
  auto compound = RtcpCompound::parse(std::span<const std::byte>(out).first(n));
  ASSERT_TRUE(compound);
  int packets = 0;
  compound->for_each([&](const RtcpPacket& packet) {
    ++packets;
    if (packet.type() == rtcp_type::kSenderReport) {
      EXPECT_EQ(packet.sender_ssrc(), 0xAABBCCDDu);
      ASSERT_EQ(packet.count(), 1u);
      const RtcpReportBlock block = packet.report_block(0);
      EXPECT_EQ(block.ssrc, 0x01020304u);
      EXPECT_EQ(block.cumulative_lost, 1);
      EXPECT_EQ(block.extended_highest_sequence, 104u);
    } else {
      EXPECT_EQ(packet.type(), rtcp_type::kSourceDescription);
    }
  });
  EXPECT_EQ(packets, 2);
}

}  // namespace
}  // namespace rtcgate::media
