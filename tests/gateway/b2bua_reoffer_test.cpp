// The SDP steps of a mid-call offer (b2bua/reoffer.hpp) on real descriptions from the corpus:
// what a browser's re-offer changes (hold, ICE restart, codec), what the other leg is offered,
// the answer mirrored from the other leg (direction, DTLS role kept) and which way media flows.
#include "rtcgate/gateway/b2bua/reoffer.hpp"

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

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

sdp::SessionDescription parsed(const std::string& text) {
  auto description = sdp::parse(text);
  EXPECT_TRUE(description.has_value()) << text;
  return description ? *description : sdp::SessionDescription{};
}

sip::Message invite_with(std::string body) {
  sip::Message invite = sip::Message::request(sip::Method::Invite, *sip::parse_uri("sip:echo@127.0.0.1"));
  invite.set_body(std::move(body), "application/sdp");
  return invite;
}

sip::Message answer_with(std::string body) {
  sip::Message response = sip::Message::response(200, "OK");
  response.set_body(std::move(body), "application/sdp");
  return response;
}

const std::string kPbxAnswer =
    "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 6000 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

// A browser → PBX call set up as the B2BUA does it (offer_answer.hpp), to re-offer on.
class ReofferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = default_config();
    config_.media.bind_address = "127.0.0.1";
    config_.codecs.transcode = false;
    auto cert = media::Certificate::generate();
    ASSERT_TRUE(cert.has_value());
    local_.credentials = {"abcd", "abcdefghijklmnopqrstuv"};
    local_.fingerprint = cert->fingerprint();
    local_.candidates.push_back(
        {"1", 1, "udp", 2130706431, "127.0.0.1", 40000, media::IceCandidateType::Host, "", 0});
    local_.gathering_done = true;
    browser_offer_ = corpus("chromium_audio_offer.sdp");
    auto offer = check_web_offer(config_, local_.fingerprint, invite_with(browser_offer_));
    ASSERT_TRUE(offer.has_value()) << offer.error().reason;
    const auto session = session_params(7, 1);
    auto legacy = legacy_offer(config_, 20002, offer->bridge.codecs, session);
    ASSERT_TRUE(legacy.has_value());
    auto legacy_media =
        legacy_answer(config_, 20002, offer->bridge.codecs, session, *legacy, answer_with(kPbxAnswer));
    ASSERT_TRUE(legacy_media.has_value()) << legacy_media.error().reason;
    legacy_ = *legacy_media;
    auto answer = web_answer(config_, local_, offer->description, *legacy_.codec, session);
    ASSERT_TRUE(answer.has_value()) << answer.error().reason;
    web_ = answer->media;
  }

  LegState web_state() const {
    LegState state;
    state.side = Side::Web;
    state.local = local_;
    state.dtls_role = web_.dtls_role;
    state.codec = *web_.codec;
    state.session = session_params(7, 2);
    return state;
  }

  LegState legacy_state() const {
    LegState state;
    state.side = Side::Legacy;
    state.rtp_port = 20002;
    state.codec = *legacy_.codec;
    state.session = session_params(7, 2);
    return state;
  }

  Config config_;
  LocalWebParams local_;
  std::string browser_offer_;
  sdp::NegotiatedMedia web_;
  sdp::NegotiatedMedia legacy_;
};

TEST(StatedDirection, DirectionAttributeAndHoldAddress) {
  EXPECT_EQ(stated_direction(parsed(corpus("chromium_audio_offer.sdp"))), sdp::Direction::SendRecv);
  EXPECT_EQ(stated_direction(parsed(corpus("rfc4317_3_1_hold_offer.sdp"))), sdp::Direction::SendOnly);
  // RFC 2543 hold: c=0.0.0.0 with a=sendrecv still means "I will not receive".
  EXPECT_EQ(stated_direction(parsed(corpus("cisco_old_hold_reinvite.sdp"))), sdp::Direction::SendOnly);
  EXPECT_FALSE(stated_direction(parsed(corpus("rfc4317_5_1_no_media_offer.sdp"))).has_value());
}

TEST_F(ReofferTest, SameOfferChangesNothing) {
  auto c = classify_web_reoffer(config_, local_, parsed(browser_offer_), sdp::Direction::SendRecv, web_);
  ASSERT_TRUE(c.has_value()) << c.error().reason;
  EXPECT_FALSE(c->direction_changed);
  EXPECT_FALSE(c->ice_restart);
  EXPECT_TRUE(c->codec_kept);
  EXPECT_FALSE(c->needs_relay());
}

TEST_F(ReofferTest, HoldIsRelayedAsASendonlyLegacyOffer) {
  auto hold = parsed(replaced(browser_offer_, "a=sendrecv", "a=sendonly"));
  auto c = classify_web_reoffer(config_, local_, hold, sdp::Direction::SendRecv, web_);
  ASSERT_TRUE(c.has_value()) << c.error().reason;
  EXPECT_EQ(c->direction, sdp::Direction::SendOnly);
  EXPECT_TRUE(c->needs_relay());
  EXPECT_FALSE(c->ice_restart);

  auto offer = bridge_reoffer(config_, legacy_state(), hold);
  ASSERT_TRUE(offer.has_value()) << offer.error().reason;
  std::string text = sdp::write(*offer);
  EXPECT_NE(text.find("a=sendonly"), std::string::npos) << text;
  EXPECT_NE(text.find("m=audio 20002 RTP/AVP 0 101"), std::string::npos) << text;  // PCMU kept, PT 0
  EXPECT_EQ(text.find("a=ice-ufrag"), std::string::npos) << text;
  EXPECT_EQ(offer->origin.session_version, "2") << text;  // a new version on the leg (RFC 3264 §8)

  // The PBX answers recvonly: we send on the legacy leg only, and answer the browser recvonly.
  auto pbx = parsed(kPbxAnswer + "a=recvonly\r\n");
  auto legacy = reoffer_answered(config_, legacy_state(), *offer, pbx);
  ASSERT_TRUE(legacy.has_value()) << legacy.error().reason;
  EXPECT_EQ(legacy->direction, sdp::Direction::SendOnly);
  auto answer = reanswer(config_, web_state(), hold, *legacy->codec, mirrored(legacy->direction));
  ASSERT_TRUE(answer.has_value()) << answer.error().reason;
  std::string web_text = sdp::write(answer->description);
  EXPECT_NE(web_text.find("a=recvonly"), std::string::npos) << web_text;
  EXPECT_NE(web_text.find("a=setup:active"), std::string::npos) << web_text;
  auto flows = relay_directions(answer->media.front().direction, legacy->direction);
  EXPECT_TRUE(flows.web_to_legacy);   // the browser's music on hold still reaches the PBX
  EXPECT_FALSE(flows.legacy_to_web);  // nothing goes to the browser that holds
}

TEST_F(ReofferTest, IceRestartIsAnsweredLocally) {
  auto restart = parsed(replaced(replaced(browser_offer_, "a=ice-ufrag:igRY", "a=ice-ufrag:NEWU"),
                                 "a=ice-pwd:", "a=ice-pwd:X"));
  auto c = classify_web_reoffer(config_, local_, restart, sdp::Direction::SendRecv, web_);
  ASSERT_TRUE(c.has_value()) << c.error().reason;
  EXPECT_TRUE(c->ice_restart);
  EXPECT_FALSE(c->needs_relay());
  EXPECT_EQ(c->remote.credentials.ufrag, "NEWU");
  LegState web = web_state();
  web.local.credentials = {"efgh", "zyxwvutsrqponmlkjihgfe"};  // after the media session's restart
  auto answer = reanswer(config_, web, restart, *legacy_.codec, mirrored(legacy_.direction));
  ASSERT_TRUE(answer.has_value()) << answer.error().reason;
  std::string text = sdp::write(answer->description);
  EXPECT_NE(text.find("a=ice-ufrag:efgh"), std::string::npos) << text;
  EXPECT_NE(text.find("a=sendrecv"), std::string::npos) << text;
}

TEST_F(ReofferTest, AnswerKeepsThePassiveRoleOfAnInboundCall) {
  // PBX → browser calls: we offered actpass and the browser took active; its actpass re-offer
  // must not turn us into the DTLS client.
  LegState web = web_state();
  web.dtls_role = sdp::DtlsRole::Server;
  auto answer = reanswer(config_, web, parsed(browser_offer_), *legacy_.codec, sdp::Direction::SendRecv);
  ASSERT_TRUE(answer.has_value()) << answer.error().reason;
  std::string text = sdp::write(answer->description);
  EXPECT_NE(text.find("a=setup:passive"), std::string::npos) << text;
  EXPECT_EQ(text.find("a=setup:active"), std::string::npos) << text;
}

TEST_F(ReofferTest, PbxHoldBecomesASendonlyWebOffer) {
  auto pbx_hold = parsed(kPbxAnswer + "a=sendonly\r\n");
  auto offer = bridge_reoffer(config_, web_state(), pbx_hold);
  ASSERT_TRUE(offer.has_value()) << offer.error().reason;
  std::string text = sdp::write(*offer);
  EXPECT_NE(text.find("a=sendonly"), std::string::npos) << text;
  EXPECT_NE(text.find("UDP/TLS/RTP/SAVPF 0"), std::string::npos) << text;
  EXPECT_NE(text.find("a=setup:active"), std::string::npos) << text;  // our role, not actpass
  EXPECT_NE(text.find("a=ice-ufrag:abcd"), std::string::npos) << text;
}

TEST_F(ReofferTest, ReofferWithoutTheCurrentCodecIsRelayed) {
  // A call running on a codec the re-offer no longer lists: only the PBX can agree to another one.
  sdp::NegotiatedMedia on_g722 = web_;
  on_g722.codec->name = "G722";
  on_g722.codec->clock_rate = 16000;
  auto other =
      classify_web_reoffer(config_, local_, parsed(browser_offer_), sdp::Direction::SendRecv, on_g722);
  ASSERT_TRUE(other.has_value()) << other.error().reason;
  EXPECT_FALSE(other->codec_kept);
  EXPECT_TRUE(other->needs_relay());
}

TEST(RelayDirections, BothWaysAndInactive) {
  auto both = relay_directions(sdp::Direction::SendRecv, sdp::Direction::SendRecv);
  EXPECT_TRUE(both.web_to_legacy && both.legacy_to_web);
  auto none = relay_directions(sdp::Direction::Inactive, sdp::Direction::SendRecv);
  EXPECT_FALSE(none.web_to_legacy || none.legacy_to_web);
  EXPECT_EQ(mirrored(sdp::Direction::SendOnly), sdp::Direction::RecvOnly);
  EXPECT_EQ(mirrored(sdp::Direction::Inactive), sdp::Direction::Inactive);
}

}  // namespace
}  // namespace rtcgate::gateway::b2bua
