// RouteState: the passthrough plan of one direction — payload type map (telephone-event included),
// SSRC rewrite, inactive direction, and sequence/timestamp continuity across a renegotiation.
#include <array>
#include <chrono>
#include <cstdint>

#include <gtest/gtest.h>

#include "rtcgate/media/rtp/rtp_writer.hpp"
#include "rtcgate/media/session/route_plan.hpp"

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;
using Clock = RouteState::Clock;

struct Packet {
  std::array<std::byte, 32> bytes{};
  Packet(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, std::uint32_t ssrc) {
    bytes[0] = std::byte{0x80};
    auto w = RtpWriter::wrap(bytes);
    w->set_payload_type(pt);
    w->set_sequence(seq);
    w->set_timestamp(ts);
    w->set_ssrc(ssrc);
  }
  [[nodiscard]] RtpWriter view() { return *RtpWriter::wrap(bytes); }
};

RoutePlan pcmu_plan() {
  RoutePlan plan;
  plan.payloads = {{0, 0}, {101, 96}};  // PCMU as is, telephone-event 101 -> 96 (RFC 4733)
  plan.clock_rate = 8000;
  return plan;
}

TEST(RouteStateTest, MapsPayloadTypesAndDropsUnroutedOnes) {
  RouteState route;
  route.set_plan(pcmu_plan());
  const auto now = Clock::now();
  Packet audio(0, 10, 1000, 0x1111);
  EXPECT_EQ(route.apply(audio.bytes, now), std::nullopt);
  EXPECT_EQ(audio.view().payload_type(), 0);
  Packet dtmf(101, 11, 1160, 0x1111);
  EXPECT_EQ(route.apply(dtmf.bytes, now), std::nullopt);
  EXPECT_EQ(dtmf.view().payload_type(), 96);
  Packet video(97, 12, 1320, 0x1111);
  EXPECT_EQ(route.apply(video.bytes, now), Drop::NoRoute);
  std::array<std::byte, 8> short_packet{};
  EXPECT_EQ(route.apply(short_packet, now), Drop::Malformed);
}

TEST(RouteStateTest, RewritesSsrcAndKeepsNumbersOfTheFirstSource) {
  RouteState route;
  RoutePlan plan = pcmu_plan();
  plan.ssrc = 0xabcdef01;
  route.set_plan(plan);
  Packet p(0, 500, 9000, 0x1111);
  ASSERT_EQ(route.apply(p.bytes, Clock::now()), std::nullopt);
  EXPECT_EQ(p.view().ssrc(), 0xabcdef01u);
  EXPECT_EQ(p.view().sequence(), 500);
  EXPECT_EQ(p.view().timestamp(), 9000u);
  EXPECT_EQ(route.input_ssrc(), 0x1111u);
  EXPECT_EQ(route.output_ssrc(), 0xabcdef01u);
}

TEST(RouteStateTest, InactiveDirectionDrops) {
  RouteState route;
  RoutePlan plan = pcmu_plan();
  plan.enabled = false;
  route.set_plan(plan);
  Packet p(0, 1, 1, 1);
  EXPECT_EQ(route.apply(p.bytes, Clock::now()), Drop::Inactive);
  route.set_enabled(true);
  EXPECT_EQ(route.apply(p.bytes, Clock::now()), std::nullopt);
}

TEST(RouteStateTest, NewSourceAfterRenegotiationContinuesTheOutputStream) {
  RouteState route;
  RoutePlan plan = pcmu_plan();
  plan.ssrc = 0x5eed;
  route.set_plan(plan);
  auto now = Clock::now();
  std::uint16_t last_seq = 0;
  std::uint32_t last_ts = 0;
  for (std::uint16_t i = 0; i < 5; ++i) {
    Packet p(0, static_cast<std::uint16_t>(65533 + i), 160u * i, 0x1111);  // wraps the sequence
    ASSERT_EQ(route.apply(p.bytes, now), std::nullopt);
    last_seq = p.view().sequence();
    last_ts = p.view().timestamp();
    now += 20ms;
  }
  EXPECT_EQ(last_seq, 1);
  // A re-INVITE: new plan (PCMU now arrives as PT 8 on the source leg), and the source restarts with
  // a new SSRC and unrelated numbers 100 ms after its last packet.
  RoutePlan next = plan;
  next.payloads = {{8, 0}};
  route.set_plan(next);
  now += 80ms;  // 100 ms after the last sent packet
  Packet p(8, 4000, 777777, 0x2222);
  ASSERT_EQ(route.apply(p.bytes, now), std::nullopt);
  EXPECT_EQ(p.view().ssrc(), 0x5eedu);
  EXPECT_EQ(p.view().payload_type(), 0);
  EXPECT_EQ(p.view().sequence(), static_cast<std::uint16_t>(last_seq + 1));
  EXPECT_EQ(p.view().timestamp(), last_ts + 800);  // 100 ms at 8 kHz
  // The following packets keep the new offsets.
  Packet q(8, 4001, 777777 + 160, 0x2222);
  ASSERT_EQ(route.apply(q.bytes, now + 20ms), std::nullopt);
  EXPECT_EQ(q.view().sequence(), static_cast<std::uint16_t>(last_seq + 2));
  EXPECT_EQ(q.view().timestamp(), last_ts + 960);
}

TEST(RouteStateTest, SameSourceAcrossRenegotiationKeepsItsOwnNumbering) {
  RouteState route;
  route.set_plan(pcmu_plan());
  const auto now = Clock::now();
  Packet a(0, 100, 16000, 0x3333);
  ASSERT_EQ(route.apply(a.bytes, now), std::nullopt);
  route.set_plan(pcmu_plan());
  Packet b(0, 103, 16480, 0x3333);  // two packets lost across the re-INVITE: the gap must stay visible
  ASSERT_EQ(route.apply(b.bytes, now + 60ms), std::nullopt);
  EXPECT_EQ(b.view().sequence(), 103);
  EXPECT_EQ(b.view().timestamp(), 16480u);
  EXPECT_EQ(b.view().ssrc(), 0x3333u);
}

TEST(RouteStateTest, LateReorderedPacketDoesNotMoveTheAnchor) {
  RouteState route;
  route.set_plan(pcmu_plan());
  auto now = Clock::now();
  Packet a(0, 10, 1600, 7);
  Packet b(0, 12, 1920, 7);
  Packet late(0, 11, 1760, 7);
  ASSERT_EQ(route.apply(a.bytes, now), std::nullopt);
  ASSERT_EQ(route.apply(b.bytes, now + 40ms), std::nullopt);
  ASSERT_EQ(route.apply(late.bytes, now + 45ms), std::nullopt);
  EXPECT_EQ(late.view().sequence(), 11);
  // A new source continues after 12 (the newest), not after the late 11.
  Packet c(0, 9000, 5, 8);
  ASSERT_EQ(route.apply(c.bytes, now + 60ms), std::nullopt);
  EXPECT_EQ(c.view().sequence(), 13);
  EXPECT_EQ(c.view().timestamp(), 1920u + 160u);
}

}  // namespace
}  // namespace rtcgate::media
