// route_plans(): passthrough for one codec on both legs, Opus ⇄ G.711 transcoding plans otherwise.
#include "rtcgate/gateway/session_params.hpp"

#include <gtest/gtest.h>

namespace rtcgate::gateway {
namespace {

sdp::NegotiatedCodec codec(std::string name, std::uint32_t rate, std::uint8_t remote_pt,
                           std::uint8_t local_pt) {
  sdp::NegotiatedCodec c;
  c.name = std::move(name);
  c.clock_rate = rate;
  c.channels = c.name == "opus" ? 2 : 1;
  c.payload_type = remote_pt;
  c.local_payload_type = local_pt;
  return c;
}

// The browser's Opus (it sends 111 as we answered, wants 109 from us) with telephone-event/48000.
sdp::NegotiatedMedia web_leg() {
  sdp::NegotiatedMedia m;
  m.accepted = true;
  m.codec = codec("opus", 48000, 109, 111);
  m.telephone_event = codec("telephone-event", 48000, 126, 110);
  return m;
}

sdp::NegotiatedMedia legacy_leg(const std::string& name, std::uint32_t ptime) {
  sdp::NegotiatedMedia m;
  m.accepted = true;
  m.codec = codec(name, 8000, name == "PCMA" ? 8 : 0, name == "PCMA" ? 8 : 0);
  m.telephone_event = codec("telephone-event", 8000, 101, 100);
  m.ptime_ms = ptime;
  return m;
}

TEST(TranscodePlans, OpusAndPcmuAreTranscodedBothWays) {
  CodecConfig codecs;
  codecs.transcode = true;
  codecs.opus_complexity = 3;
  codecs.ptime_ms = 20;
  auto plans = route_plans(web_leg(), legacy_leg("PCMU", 30), codecs);
  ASSERT_TRUE(plans) << plans.error();
  EXPECT_TRUE(transcoded(web_leg(), legacy_leg("PCMU", 30)));

  ASSERT_TRUE(plans->web_to_legacy.transcode);
  const media::TranscodePlan& down = *plans->web_to_legacy.transcode;
  EXPECT_EQ(down.from, media::AudioCodec::Opus);
  EXPECT_EQ(down.from_payload_type, 111);  // what the browser sends: our answer's payload type
  EXPECT_EQ(down.to, media::AudioCodec::Pcmu);
  EXPECT_EQ(down.to_payload_type, 0);
  ASSERT_TRUE(down.telephone_event);
  EXPECT_EQ(down.telephone_event->from, 110);
  EXPECT_EQ(down.telephone_event->to, 101);
  EXPECT_EQ(down.ptime_ms, 30u);  // the PBX's a=ptime
  EXPECT_EQ(plans->web_to_legacy.clock_rate, 48000u);

  ASSERT_TRUE(plans->legacy_to_web.transcode);
  const media::TranscodePlan& up = *plans->legacy_to_web.transcode;
  EXPECT_EQ(up.from, media::AudioCodec::Pcmu);
  EXPECT_EQ(up.from_payload_type, 0);
  EXPECT_EQ(up.to, media::AudioCodec::Opus);
  EXPECT_EQ(up.to_payload_type, 109);
  EXPECT_EQ(up.telephone_event->from, 100);
  EXPECT_EQ(up.telephone_event->to, 126);
  EXPECT_EQ(up.ptime_ms, 20u);
  EXPECT_EQ(up.opus_complexity, 3);
}

TEST(TranscodePlans, PcmaWithoutPtimeUsesTheConfiguredPtime) {
  CodecConfig codecs;
  codecs.ptime_ms = 40;
  auto plans = route_plans(web_leg(), legacy_leg("PCMA", 0), codecs);
  ASSERT_TRUE(plans) << plans.error();
  EXPECT_EQ(plans->web_to_legacy.transcode->to, media::AudioCodec::Pcma);
  EXPECT_EQ(plans->web_to_legacy.transcode->ptime_ms, 40u);
}

TEST(TranscodePlans, SameCodecIsPassthrough) {
  sdp::NegotiatedMedia web = web_leg();
  web.codec = codec("PCMU", 8000, 0, 0);
  web.telephone_event = codec("telephone-event", 8000, 101, 101);
  CodecConfig codecs;
  auto plans = route_plans(web, legacy_leg("PCMU", 20), codecs);
  ASSERT_TRUE(plans) << plans.error();
  EXPECT_FALSE(plans->web_to_legacy.transcode);
  EXPECT_FALSE(plans->legacy_to_web.transcode);
  EXPECT_FALSE(plans->web_to_legacy.payloads.empty());
  EXPECT_FALSE(transcoded(web, legacy_leg("PCMU", 20)));
}

TEST(TranscodePlans, RefusedWithoutTranscodeOrWithoutATranscoder) {
  CodecConfig codecs;
  codecs.transcode = false;
  auto off = route_plans(web_leg(), legacy_leg("PCMU", 20), codecs);
  ASSERT_FALSE(off);
  EXPECT_NE(off.error().find("transcode = false"), std::string::npos) << off.error();
  codecs.transcode = true;
  sdp::NegotiatedMedia g722 = legacy_leg("PCMU", 20);
  g722.codec = codec("G722", 8000, 9, 9);
  auto none = route_plans(web_leg(), g722, codecs);
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().find("no transcoder"), std::string::npos) << none.error();
}

}  // namespace
}  // namespace rtcgate::gateway
