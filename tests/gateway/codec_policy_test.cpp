// [codecs] policy over real offers from tests/sdp/corpus: what an offer on one leg becomes on the
// other, and what the first offerer may be answered with once the other leg has answered.
#include "rtcgate/gateway/codec_policy.hpp"

#include <gtest/gtest.h>

#include <rtcgate/sdp/parser.hpp>

#include <fstream>
#include <sstream>

namespace rtcgate::gateway {
namespace {

sdp::SessionDescription corpus(const std::string& name) {
  std::ifstream in(std::string(RTCGATE_SOURCE_DIR) + "/tests/sdp/corpus/sdp/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = sdp::parse(text.str());
  EXPECT_TRUE(parsed) << name;
  return parsed ? *parsed : sdp::SessionDescription{};
}

sdp::SessionDescription parse(const std::string& text) {
  auto parsed = sdp::parse(text);
  EXPECT_TRUE(parsed);
  return parsed ? *parsed : sdp::SessionDescription{};
}

std::string names(const LegCodecs& codecs) {
  std::string out;
  for (const sdp::Codec& c : codecs.codecs)
    out += (out.empty() ? "" : " ") + c.name;
  return out;
}

std::string names(const std::vector<sdp::Rtpmap>& formats) {
  std::string out;
  for (const sdp::Rtpmap& f : formats)
    out += (out.empty() ? "" : " ") + f.encoding + "/" + std::to_string(f.clock_rate);
  return out;
}

// What rtcgate.example.toml and the built-in configuration use.
CodecConfig defaults() {
  CodecConfig config;
  config.web = {Codec::Opus, Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent};
  config.legacy = {Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent};
  config.transcode = true;
  return config;
}

sdp::NegotiatedCodec negotiated(std::string name, std::uint32_t clock_rate, std::uint16_t channels = 1) {
  sdp::NegotiatedCodec codec;
  codec.name = std::move(name);
  codec.clock_rate = clock_rate;
  codec.channels = channels;
  return codec;
}

const char* kOpusOnlyOffer =
    "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111 110\r\n"
    "c=IN IP4 127.0.0.1\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:110 telephone-event/48000\r\n";

TEST(CodecPolicy, LegCodecsFollowTheConfigurationOrder) {
  CodecConfig config = defaults();
  config.legacy = {Codec::Pcma, Codec::G722, Codec::Pcmu};
  LegCodecs web = leg_codecs(config, sdp::Leg::WebRtc);
  EXPECT_EQ(names(web), "opus PCMU PCMA");
  EXPECT_TRUE(web.telephone_event);
  LegCodecs legacy = leg_codecs(config, sdp::Leg::Legacy);
  EXPECT_EQ(names(legacy), "PCMA G722 PCMU");
  EXPECT_FALSE(legacy.telephone_event);
  EXPECT_EQ(legacy.codecs[1].payload_type, 9);
  EXPECT_EQ(web.codecs[0].clock_rate, 48000u);
  EXPECT_EQ(web.codecs[0].channels, 2);
}

TEST(CodecPolicy, OfferedAudioCodecsSkipAuxiliaryFormats) {
  EXPECT_EQ(names(offered_audio_codecs(corpus("chromium_audio_offer.sdp"))),
            "opus/48000 G722/8000 PCMU/8000 PCMA/8000");
  // Static payload types without a=rtpmap (RFC 3551 §6) count too.
  EXPECT_EQ(
      names(offered_audio_codecs(parse(
          "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 8 0 "
          "101\r\na=rtpmap:101 telephone-event/8000\r\n"))),
      "PCMA/8000 PCMU/8000");
  EXPECT_TRUE(offered_audio_codecs(corpus("rfc4317_5_1_no_media_offer.sdp")).empty());
}

TEST(CodecPolicy, BrowserOfferPassesG711Through) {
  for (const char* file : {"chromium_audio_offer.sdp", "firefox_audio_video_offer.sdp",
                           "safari_audio_offer.sdp", "wrtc_audio_offer.sdp", "aiortc_audio_offer.sdp"}) {
    auto plan = plan_bridge_codecs(defaults(), sdp::Leg::WebRtc, corpus(file));
    ASSERT_TRUE(plan) << file << ": " << plan.error();
    EXPECT_EQ(plan->mode, BridgeMode::Passthrough) << file;
    EXPECT_EQ(names(plan->codecs), "PCMU PCMA") << file;
    EXPECT_TRUE(plan->codecs.telephone_event) << file;
    EXPECT_TRUE(plan->reason.starts_with("passthrough: PCMU, PCMA")) << plan->reason;
  }
}

TEST(CodecPolicy, LegacyOrderDecidesWhatThePbxIsOffered) {
  CodecConfig config = defaults();
  config.web = {Codec::Opus, Codec::Pcma, Codec::Pcmu, Codec::G722};
  config.legacy = {Codec::G722, Codec::Pcma};
  auto plan = plan_bridge_codecs(config, sdp::Leg::WebRtc, corpus("chromium_audio_offer.sdp"));
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(names(plan->codecs), "G722 PCMA");
  EXPECT_FALSE(plan->codecs.telephone_event) << "the legacy list has no telephone-event";
}

TEST(CodecPolicy, OpusOnlyOfferNeedsTheTranscoder) {
  auto plan = plan_bridge_codecs(defaults(), sdp::Leg::WebRtc, parse(kOpusOnlyOffer));
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(plan->mode, BridgeMode::Transcode);
  EXPECT_EQ(names(plan->codecs), "PCMU PCMA");
  EXPECT_EQ(
      plan->reason,
      "transcode: the offer has opus, the web leg allows opus, PCMU, PCMA, the legacy leg allows PCMU, PCMA");
  CodecConfig no_transcode = defaults();
  no_transcode.transcode = false;
  auto refused = plan_bridge_codecs(no_transcode, sdp::Leg::WebRtc, parse(kOpusOnlyOffer));
  ASSERT_FALSE(refused);
  EXPECT_TRUE(refused.error().starts_with("no common codec and transcode = false: the offer has opus"))
      << refused.error();
}

TEST(CodecPolicy, OpusCapablePbxGetsOpusPassthrough) {
  CodecConfig config = defaults();
  config.legacy = {Codec::Opus, Codec::Pcmu};
  auto plan = plan_bridge_codecs(config, sdp::Leg::WebRtc, parse(kOpusOnlyOffer));
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(plan->mode, BridgeMode::Passthrough);
  EXPECT_EQ(names(plan->codecs), "opus");
}

TEST(CodecPolicy, PbxOfferBecomesAWebOffer) {
  // Polycom: G722, G7221, PCMU, PCMA, G729. The web policy order wins; opus is not offered by
  // the phone, so only G.711 passes through.
  auto plan = plan_bridge_codecs(defaults(), sdp::Leg::Legacy, corpus("polycom_vvx_offer.sdp"));
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(plan->mode, BridgeMode::Passthrough);
  EXPECT_EQ(names(plan->codecs), "PCMU PCMA");
  // Cisco offers opus too: with opus allowed on the legacy leg, the browser is offered opus first.
  CodecConfig config = defaults();
  config.legacy = {Codec::Opus, Codec::Pcmu, Codec::Pcma};
  plan = plan_bridge_codecs(config, sdp::Leg::Legacy, corpus("cisco_cp8841_offer.sdp"));
  ASSERT_TRUE(plan) << plan.error();
  EXPECT_EQ(names(plan->codecs), "opus PCMU PCMA");
}

TEST(CodecPolicy, NothingAllowedIsRefusedEvenWithTranscoding) {
  auto plan = plan_bridge_codecs(defaults(), sdp::Leg::Legacy,
                                 parse("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 "
                                       "0\r\nm=audio 4000 RTP/AVP 18\r\n"));
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error(),
            "no allowed codec: the offer has G729, the legacy leg allows PCMU, PCMA, the web leg allows "
            "opus, PCMU, "
            "PCMA");
  EXPECT_FALSE(plan_bridge_codecs(defaults(), sdp::Leg::WebRtc, corpus("rfc4317_5_1_no_media_offer.sdp")));
}

TEST(CodecPolicy, AnswerKeepsTheOtherLegsCodec) {
  sdp::SessionDescription offer = corpus("chromium_audio_offer.sdp");
  auto answer = answer_codecs(defaults(), sdp::Leg::WebRtc, offer, negotiated("PCMA", 8000));
  ASSERT_TRUE(answer) << answer.error();
  EXPECT_EQ(answer->mode, BridgeMode::Passthrough);
  EXPECT_EQ(names(answer->codecs), "PCMA");
  EXPECT_TRUE(answer->codecs.telephone_event);
  // The PBX settled on G722, which the web policy does not allow: transcode to what the browser offered.
  answer = answer_codecs(defaults(), sdp::Leg::WebRtc, offer, negotiated("G722", 8000));
  ASSERT_TRUE(answer) << answer.error();
  EXPECT_EQ(answer->mode, BridgeMode::Transcode);
  EXPECT_EQ(names(answer->codecs), "opus PCMU PCMA");
  CodecConfig no_transcode = defaults();
  no_transcode.transcode = false;
  EXPECT_FALSE(answer_codecs(no_transcode, sdp::Leg::WebRtc, offer, negotiated("G722", 8000)));
  EXPECT_TRUE(answer_codecs(no_transcode, sdp::Leg::WebRtc, offer, negotiated("pcmu", 8000)));
}

TEST(CodecPolicy, SameCodecComparesNameRateAndChannels) {
  EXPECT_TRUE(same_codec(negotiated("OPUS", 48000, 2), negotiated("opus", 48000, 2)));
  EXPECT_FALSE(same_codec(negotiated("opus", 48000, 2), negotiated("opus", 48000, 1)));
  EXPECT_FALSE(same_codec(negotiated("PCMU", 8000), negotiated("PCMA", 8000)));
  sdp::Rtpmap format{0, "pcmu", 8000, std::nullopt};
  EXPECT_TRUE(same_codec(sdp::pcmu_codec(), format));
  format.clock_rate = 16000;
  EXPECT_FALSE(same_codec(sdp::pcmu_codec(), format));
}

}  // namespace
}  // namespace rtcgate::gateway
