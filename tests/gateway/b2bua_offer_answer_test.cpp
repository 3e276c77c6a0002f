// The SDP steps of a browser → PBX call (b2bua/offer_answer.hpp) on real offers from the corpus:
// which browser offers are refused and with which status, what the PBX is offered, and the
// WebRTC answer built from the PBX's answer.
#include "rtcgate/gateway/b2bua/offer_answer.hpp"

#include "rtcgate/gateway/config.hpp"

#include <rtcgate/media/dtls/certificate.hpp>
#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace rtcgate::gateway::b2bua {
namespace {

std::string corpus(const std::string& name) {
  std::ifstream in(std::string(RTCGATE_SOURCE_DIR) + "/tests/sdp/corpus/sdp/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

sip::Message invite_with(std::string body, std::string_view type = "application/sdp") {
  sip::Message invite = sip::Message::request(sip::Method::Invite, *sip::parse_uri("sip:echo@127.0.0.1"));
  if (!body.empty()) invite.set_body(std::move(body), type);
  return invite;
}

sip::Message answer_with(std::string body) {
  sip::Message response = sip::Message::response(200, "OK");
  response.set_body(std::move(body), "application/sdp");
  return response;
}

class OfferAnswerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = default_config();
    config_.media.bind_address = "127.0.0.1";
    config_.codecs.transcode = false;
    auto cert = media::Certificate::generate();
    ASSERT_TRUE(cert.has_value());
    fingerprint_ = cert->fingerprint();
  }
  Config config_;
  media::Fingerprint fingerprint_;
};

TEST_F(OfferAnswerTest, BrowserOfferIsBridgedWithG711) {
  for (const char* name :
       {"chromium_audio_offer.sdp", "wrtc_audio_offer.sdp", "firefox_audio_video_offer.sdp"}) {
    auto offer = check_web_offer(config_, fingerprint_, invite_with(corpus(name)));
    ASSERT_TRUE(offer.has_value()) << name << ": " << offer.error().reason;
    ASSERT_FALSE(offer->bridge.codecs.codecs.empty()) << name;
    EXPECT_EQ(offer->bridge.codecs.codecs.front().name, "PCMU") << name;
    EXPECT_EQ(offer->bridge.mode, BridgeMode::Passthrough) << name;
    EXPECT_FALSE(offer->remote.credentials.ufrag.empty()) << name;
    EXPECT_EQ(offer->remote.dtls_role, media::DtlsRole::Client) << name << ": actpass is answered active";
  }
}

TEST_F(OfferAnswerTest, UnusableBodiesAreRefusedWithTheRightStatus) {
  EXPECT_EQ(check_web_offer(config_, fingerprint_, invite_with("")).error().status, 488);
  EXPECT_EQ(check_web_offer(config_, fingerprint_, invite_with("hello", "text/plain")).error().status, 415);
  EXPECT_EQ(check_web_offer(config_, fingerprint_, invite_with("v=0\r\nnot sdp\r\n")).error().status, 400);
  // A legacy offer is not a WebRTC offer: no ICE, no DTLS.
  auto legacy = check_web_offer(config_, fingerprint_, invite_with(corpus("yealink_t46_offer.sdp")));
  ASSERT_FALSE(legacy.has_value());
  EXPECT_EQ(legacy.error().status, 488);
}

TEST_F(OfferAnswerTest, OpusOnlyOfferWithoutTranscoderIs488) {
  std::string text = corpus("chromium_audio_offer.sdp");
  auto description = sdp::parse(text);
  ASSERT_TRUE(description.has_value());
  // Keep only Opus (payload type 111).
  description->media.front().formats = {"111"};
  auto refused = check_web_offer(config_, fingerprint_, invite_with(sdp::write(*description)));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().status, 488);
  EXPECT_NE(refused.error().reason.find("transcod"), std::string::npos) << refused.error().reason;
}

TEST_F(OfferAnswerTest, OpusOnlyOfferWithTranscoderOffersThePbxG711) {
  config_.codecs.transcode = true;
  std::string text = corpus("chromium_audio_offer.sdp");
  auto description = sdp::parse(text);
  ASSERT_TRUE(description.has_value());
  description->media.front().formats = {"111"};
  auto offer = check_web_offer(config_, fingerprint_, invite_with(sdp::write(*description)));
  ASSERT_TRUE(offer.has_value()) << offer.error().reason;
  EXPECT_EQ(offer->bridge.mode, BridgeMode::Transcode);
  auto legacy = legacy_offer(config_, 20002, offer->bridge.codecs, session_params(7, 1));
  ASSERT_TRUE(legacy.has_value());
  const std::string written = sdp::write(*legacy);
  EXPECT_NE(written.find("a=rtpmap:0 PCMU/8000"), std::string::npos) << written;
  EXPECT_EQ(written.find("opus"), std::string::npos) << written;
}

TEST_F(OfferAnswerTest, LegacyOfferIsPlainRtpWithoutWebRtcLines) {
  auto offer = check_web_offer(config_, fingerprint_, invite_with(corpus("chromium_audio_offer.sdp")));
  ASSERT_TRUE(offer.has_value());
  auto legacy = legacy_offer(config_, 20002, offer->bridge.codecs, session_params(7, 1));
  ASSERT_TRUE(legacy.has_value());
  std::string text = sdp::write(*legacy);
  EXPECT_NE(text.find("m=audio 20002 RTP/AVP 0"), std::string::npos) << text;
  EXPECT_NE(text.find("c=IN IP4 127.0.0.1"), std::string::npos) << text;
  for (const char* banned :
       {"a=ice-", "a=fingerprint", "a=setup", "a=mid", "a=ssrc", "a=msid", "a=extmap", "SAVPF"}) {
    EXPECT_EQ(text.find(banned), std::string::npos) << banned << " in\n" << text;
  }
}

TEST_F(OfferAnswerTest, PbxAnswerGivesTheWebAnswer) {
  auto offer = check_web_offer(config_, fingerprint_, invite_with(corpus("chromium_audio_offer.sdp")));
  ASSERT_TRUE(offer.has_value());
  const auto session = session_params(7, 1);
  auto legacy = legacy_offer(config_, 20002, offer->bridge.codecs, session);
  ASSERT_TRUE(legacy.has_value());
  std::string pbx =
      "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
      "m=audio 6000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";
  auto media = legacy_answer(config_, 20002, offer->bridge.codecs, session, *legacy, answer_with(pbx));
  ASSERT_TRUE(media.has_value()) << media.error().reason;
  EXPECT_EQ(media->codec->name, "PCMU");
  EXPECT_EQ(media->remote_rtp.port, 6000);

  LocalWebParams local;
  local.credentials = {"abcd", "abcdefghijklmnopqrstuv"};
  local.fingerprint = fingerprint_;
  local.candidates.push_back(
      {"1", 1, "udp", 2130706431, "127.0.0.1", 40000, media::IceCandidateType::Host, "", 0});
  local.gathering_done = true;
  auto answer = web_answer(config_, local, offer->description, *media->codec, session);
  ASSERT_TRUE(answer.has_value()) << answer.error().reason;
  std::string text = sdp::write(answer->description);
  EXPECT_NE(text.find("UDP/TLS/RTP/SAVPF 0"), std::string::npos) << text;
  EXPECT_NE(text.find("a=setup:active"), std::string::npos) << text;
  EXPECT_NE(text.find("a=ice-ufrag:abcd"), std::string::npos) << text;
  EXPECT_NE(text.find("127.0.0.1 40000 typ host"), std::string::npos) << text;
  EXPECT_NE(text.find("a=end-of-candidates"), std::string::npos) << text;
  EXPECT_EQ(answer->media.codec->name, "PCMU");
}

TEST_F(OfferAnswerTest, PbxRejectingTheStreamIs488) {
  auto offer = check_web_offer(config_, fingerprint_, invite_with(corpus("chromium_audio_offer.sdp")));
  ASSERT_TRUE(offer.has_value());
  const auto session = session_params(7, 1);
  auto legacy = legacy_offer(config_, 20002, offer->bridge.codecs, session);
  ASSERT_TRUE(legacy.has_value());
  std::string pbx =
      "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 0 RTP/AVP 0\r\n";
  auto media = legacy_answer(config_, 20002, offer->bridge.codecs, session, *legacy, answer_with(pbx));
  ASSERT_FALSE(media.has_value());
  EXPECT_EQ(media.error().status, 488);
}

// An INVITE from the PBX without SDP: what we would offer the PBX stands in for its offer. The
// browser is then offered the codecs both policies allow (G.711 passthrough), or with transcode =
// true and no codec in common, the web list.
TEST_F(OfferAnswerTest, OfferlessPbxInviteIsPlannedFromOurLegacyOffer) {
  auto assumed = assumed_pbx_offer(config_);
  ASSERT_TRUE(assumed.has_value()) << assumed.error().reason;
  const std::string text = sdp::write(*assumed);
  EXPECT_NE(text.find("a=rtpmap:0 PCMU/8000"), std::string::npos) << text;
  EXPECT_NE(text.find("telephone-event/8000"), std::string::npos) << text;
  auto bridge = plan_bridge_codecs(config_.codecs, sdp::Leg::Legacy, *assumed);
  ASSERT_TRUE(bridge.has_value()) << bridge.error();
  EXPECT_EQ(bridge->mode, BridgeMode::Passthrough);
  ASSERT_FALSE(bridge->codecs.codecs.empty());
  EXPECT_EQ(bridge->codecs.codecs.front().name, "PCMU");

  config_.codecs.web = {Codec::Opus, Codec::TelephoneEvent};
  config_.codecs.legacy = {Codec::Pcma, Codec::TelephoneEvent};
  auto pcma_only = assumed_pbx_offer(config_);
  ASSERT_TRUE(pcma_only.has_value());
  EXPECT_FALSE(plan_bridge_codecs(config_.codecs, sdp::Leg::Legacy, *pcma_only).has_value());
  config_.codecs.transcode = true;
  auto transcoded = plan_bridge_codecs(config_.codecs, sdp::Leg::Legacy, *pcma_only);
  ASSERT_TRUE(transcoded.has_value()) << transcoded.error();
  EXPECT_EQ(transcoded->mode, BridgeMode::Transcode);
  ASSERT_FALSE(transcoded->codecs.codecs.empty());
  EXPECT_EQ(transcoded->codecs.codecs.front().name, "opus");
}

}  // namespace
}  // namespace rtcgate::gateway::b2bua
