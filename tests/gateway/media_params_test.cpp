// The SDP ⇄ media translation of the web leg, over real browser offers (tests/sdp/corpus), and the
// whole browser → PBX offer/answer as the B2BUA will run it through sdp/'s functions.
#include "rtcgate/gateway/media_params.hpp"

#include <gtest/gtest.h>

#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

#include <fstream>
#include <sstream>

namespace rtcgate::gateway {
namespace {

const char* kLocalDigest =
    "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

sdp::SessionDescription corpus(const std::string& name) {
  std::ifstream in(std::string(RTCGATE_SOURCE_DIR) + "/tests/sdp/corpus/sdp/" + name);
  EXPECT_TRUE(in) << name;
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = sdp::parse(text.str());
  EXPECT_TRUE(parsed) << name;
  return parsed ? *parsed : sdp::SessionDescription{};
}

Config test_config() {
  Config config = default_config();
  config.media.bind_address = "127.0.0.1";
  config.media.public_address = "198.51.100.7";
  return config;
}

LocalWebParams local_web() {
  LocalWebParams local;
  local.credentials = {"gwuf", "gateway-ice-password-0123"};
  local.fingerprint = *media::Fingerprint::parse("sha-256", kLocalDigest);
  media::IceCandidate host;
  host.foundation = "1";
  host.priority = 2130706431;
  host.address = "127.0.0.1";
  host.port = 20002;
  local.candidates.push_back(host);
  local.gathering_done = true;
  return local;
}

sdp::Candidate sdp_candidate(std::string_view value) {
  auto c = sdp::parse_candidate(value);
  EXPECT_TRUE(c) << value;
  return c ? *c : sdp::Candidate{};
}

TEST(MediaParams, CandidatesMediaCanUse) {
  auto udp = to_media(sdp_candidate("3108669137 1 udp 2122260223 127.0.0.1 56942 typ host generation 0"));
  ASSERT_TRUE(udp);
  EXPECT_EQ(udp->foundation, "3108669137");
  EXPECT_EQ(udp->priority, 2122260223u);
  EXPECT_EQ(udp->address, "127.0.0.1");
  EXPECT_EQ(udp->port, 56942);
  EXPECT_EQ(udp->type, media::IceCandidateType::Host);
  auto srflx =
      to_media(sdp_candidate("1 1 UDP 1686052863 192.0.2.77 51734 typ srflx raddr 10.0.0.2 rport 5000"));
  ASSERT_TRUE(srflx);
  EXPECT_EQ(srflx->type, media::IceCandidateType::ServerReflexive);
  EXPECT_EQ(srflx->related_address, "10.0.0.2");
  EXPECT_EQ(srflx->related_port, 5000);
  EXPECT_TRUE(to_media(sdp_candidate("1 1 udp 1 2001:db8::1 4000 typ relay raddr 2001:db8::2 rport 1")));
  EXPECT_FALSE(to_media(sdp_candidate("2 1 TCP 2105524479 127.0.0.1 9 typ host tcptype active"))) << "TCP";
  EXPECT_FALSE(to_media(sdp_candidate("0 1 UDP 2122252543 8a1c37d5-3f0e.local 51734 typ host"))) << "mDNS";
  EXPECT_FALSE(to_media(sdp_candidate("1 2 udp 2122260222 127.0.0.1 56943 typ host"))) << "RTCP component";
  EXPECT_TRUE(trickled_candidate("candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host"));
  EXPECT_FALSE(trickled_candidate("candidate:garbage"));
}

TEST(MediaParams, CandidateRoundTripThroughSdp) {
  media::IceCandidate relay;
  relay.foundation = "7";
  relay.priority = 41885695;
  relay.address = "203.0.113.9";
  relay.port = 3478;
  relay.type = media::IceCandidateType::Relayed;
  relay.related_address = "198.51.100.7";
  relay.related_port = 20000;
  sdp::Candidate written = to_sdp(relay);
  EXPECT_EQ(sdp::to_value(written),
            "7 1 udp 41885695 203.0.113.9 3478 typ relay raddr 198.51.100.7 rport 20000");
  auto back = to_media(sdp_candidate(sdp::to_value(written)));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, relay);
}

TEST(MediaParams, FingerprintBothWays) {
  media::Fingerprint local = *media::Fingerprint::parse("sha-256", kLocalDigest);
  sdp::Fingerprint written = to_sdp(local);
  EXPECT_EQ(sdp::to_value(written), std::string("sha-256 ") + kLocalDigest);
  auto back = to_media(written);
  ASSERT_TRUE(back) << back.error();
  EXPECT_EQ(*back, local);
  auto sha1 = sdp::parse_fingerprint("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33");
  ASSERT_TRUE(sha1);
  auto media_sha1 = to_media(*sha1);
  ASSERT_TRUE(media_sha1);
  EXPECT_EQ(media_sha1->hash(), media::HashFunction::Sha1);
}

// Browser → PBX, as the B2BUA runs it: the browser's offer, the PBX offer we derive, the PBX's
// answer, our answer to the browser and the media parameters of both sides.
TEST(MediaParams, BrowserToPbxOfferAnswer) {
  Config config = test_config();
  sdp::SessionDescription web_offer = corpus("chromium_audio_offer.sdp");

  auto bridge = plan_bridge_codecs(config.codecs, sdp::Leg::WebRtc, web_offer);
  ASSERT_TRUE(bridge) << bridge.error();
  sdp::LocalPolicy legacy = legacy_policy(config, 20010, bridge->codecs, sdp::SessionParams{});
  auto legacy_offer = sdp::create_offer(legacy);
  ASSERT_TRUE(legacy_offer) << legacy_offer.error().reason;
  std::string legacy_text = sdp::write(*legacy_offer);
  EXPECT_NE(legacy_text.find("m=audio 20010 RTP/AVP 0 8 101\r\n"), std::string::npos) << legacy_text;
  EXPECT_NE(legacy_text.find("c=IN IP4 198.51.100.7\r\n"), std::string::npos) << legacy_text;
  EXPECT_NE(legacy_text.find("a=ptime:20\r\n"), std::string::npos) << legacy_text;
  for (const char* webrtc_only :
       {"a=ice-", "a=fingerprint", "a=setup", "a=mid", "a=extmap", "a=ssrc", "a=msid"}) {
    EXPECT_EQ(legacy_text.find(webrtc_only), std::string::npos) << webrtc_only << " in\n" << legacy_text;
  }

  auto pbx_answer = sdp::parse(
      "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
      "m=audio 30000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
      "a=fmtp:101 0-16\r\na=ptime:20\r\n");
  ASSERT_TRUE(pbx_answer);
  auto legacy_media = sdp::process_answer(legacy, *legacy_offer, *pbx_answer);
  ASSERT_TRUE(legacy_media) << legacy_media.error().reason;
  ASSERT_TRUE((*legacy_media)[0].accepted);
  ASSERT_TRUE((*legacy_media)[0].codec);
  EXPECT_EQ((*legacy_media)[0].codec->name, "PCMA");

  auto answer_plan = answer_codecs(config.codecs, sdp::Leg::WebRtc, web_offer, *(*legacy_media)[0].codec);
  ASSERT_TRUE(answer_plan) << answer_plan.error();
  EXPECT_EQ(answer_plan->mode, BridgeMode::Passthrough);
  sdp::LocalPolicy web = web_policy(config, local_web(), answer_plan->codecs, sdp::SessionParams{});
  auto web_answer = sdp::answer_offer(web, web_offer);
  ASSERT_TRUE(web_answer) << web_answer.error().reason;
  const sdp::NegotiatedMedia& web_media = web_answer->media.at(0);
  ASSERT_TRUE(web_media.accepted) << sdp::to_string(web_media.reject_reason);
  ASSERT_TRUE(web_media.codec);
  EXPECT_EQ(web_media.codec->name, "PCMA");
  ASSERT_TRUE(web_media.telephone_event);
  EXPECT_EQ(web_media.telephone_event->clock_rate, 8000u);
  EXPECT_TRUE(same_codec(*web_media.codec, *(*legacy_media)[0].codec)) << "passthrough end to end";

  std::string web_text = sdp::write(web_answer->description);
  EXPECT_NE(web_text.find("UDP/TLS/RTP/SAVPF 8 126"), std::string::npos) << web_text;
  EXPECT_NE(web_text.find("a=ice-ufrag:gwuf\r\n"), std::string::npos) << web_text;
  EXPECT_NE(web_text.find(std::string("a=fingerprint:sha-256 ") + kLocalDigest), std::string::npos)
      << web_text;
  EXPECT_NE(web_text.find("a=setup:active\r\n"), std::string::npos) << web_text;
  EXPECT_NE(web_text.find("a=candidate:1 1 udp 2130706431 127.0.0.1 20002 typ host"), std::string::npos)
      << web_text;
  EXPECT_NE(web_text.find("a=end-of-candidates"), std::string::npos) << web_text;

  auto remote = remote_web_params(web_media);
  ASSERT_TRUE(remote) << remote.error();
  EXPECT_EQ(remote->credentials.ufrag, "igRY");
  EXPECT_EQ(remote->credentials.pwd, "nHES3V9dUUTu0fcGFbE3qadk");
  ASSERT_EQ(remote->candidates.size(), 1u);
  EXPECT_EQ(remote->candidates[0].port, 56942);
  EXPECT_EQ(remote->skipped_candidates, 1u) << "the TCP candidate";
  EXPECT_EQ(remote->dtls_role, media::DtlsRole::Client) << "we answered actpass with active";
  EXPECT_EQ(
      remote->fingerprint.to_sdp(),
      "sha-256 "
      "B9:56:41:DB:32:F3:65:F5:E8:CF:53:9E:20:05:54:04:AC:2E:1C:79:A2:E6:A3:76:59:30:CB:0B:EA:E3:DA:A6");
  EXPECT_FALSE(remote->lite);
}

TEST(MediaParams, EveryBrowserOfferYieldsMediaParameters) {
  Config config = test_config();
  for (const char* file :
       {"chromium_audio_offer.sdp", "firefox_audio_video_offer.sdp", "safari_audio_offer.sdp",
        "wrtc_audio_offer.sdp", "aiortc_audio_offer.sdp", "chromium_audio_video_offer.sdp"}) {
    sdp::SessionDescription offer = corpus(file);
    auto plan = plan_bridge_codecs(config.codecs, sdp::Leg::WebRtc, offer);
    ASSERT_TRUE(plan) << file;
    auto answer = sdp::answer_offer(web_policy(config, local_web(), plan->codecs, {}), offer);
    ASSERT_TRUE(answer) << file << ": " << answer.error().reason;
    ASSERT_TRUE(answer->media.at(0).accepted) << file;
    auto remote = remote_web_params(answer->media.at(0));
    ASSERT_TRUE(remote) << file << ": " << remote.error();
    EXPECT_FALSE(remote->credentials.ufrag.empty()) << file;
    EXPECT_LE(remote->candidates.size(), kMaxRemoteCandidates);
    for (std::size_t i = 1; i < answer->media.size(); ++i)
      EXPECT_FALSE(answer->media[i].accepted) << file << ": video is rejected";
  }
}

TEST(MediaParams, RemoteParamsNameWhatIsMissing) {
  sdp::NegotiatedMedia m;
  EXPECT_EQ(remote_web_params(m).error(), "the stream was rejected (none)");
  m.accepted = true;
  EXPECT_EQ(remote_web_params(m).error(), "the stream does not use DTLS-SRTP");
  m.security = sdp::Security::DtlsSrtp;
  EXPECT_EQ(remote_web_params(m).error(), "no ICE credentials");
  m.ice = sdp::RemoteIce{};
  EXPECT_EQ(remote_web_params(m).error(), "no a=fingerprint");
  m.remote_fingerprint = to_sdp(*media::Fingerprint::parse("sha-256", kLocalDigest));
  EXPECT_EQ(remote_web_params(m).error(), "no usable a=setup");
  m.dtls_role = sdp::DtlsRole::Server;
  for (int i = 0; i < 40; ++i)
    m.ice->candidates.push_back(
        sdp_candidate("1 1 udp 1 127.0.0.1 " + std::to_string(40000 + i) + " typ host"));
  auto remote = remote_web_params(m);
  ASSERT_TRUE(remote) << remote.error();
  EXPECT_EQ(remote->dtls_role, media::DtlsRole::Server);
  EXPECT_EQ(remote->candidates.size(), kMaxRemoteCandidates);
  EXPECT_EQ(remote->skipped_candidates, 40 - kMaxRemoteCandidates);
}

TEST(MediaParams, PoliciesCarryTheConfiguration) {
  Config config = test_config();
  config.media.ice_lite = true;
  config.codecs.ptime_ms = 30;
  LocalWebParams local = local_web();
  local.gathering_done = false;
  local.candidates.clear();
  sdp::LocalPolicy web = web_policy(config, local, leg_codecs(config.codecs, sdp::Leg::WebRtc), {});
  EXPECT_EQ(web.leg, sdp::Leg::WebRtc);
  EXPECT_TRUE(web.ice_lite);
  EXPECT_EQ(web.port, 9) << "no candidate yet: the trickle placeholder port";
  EXPECT_FALSE(web.end_of_candidates);
  EXPECT_EQ(web.session.address, "198.51.100.7");
  sdp::LocalPolicy legacy = legacy_policy(config, 20000, leg_codecs(config.codecs, sdp::Leg::Legacy), {});
  EXPECT_EQ(legacy.ptime_ms, 30u);
  EXPECT_EQ(legacy.port, 20000);
  config.media.public_address.clear();
  EXPECT_EQ(media_address(config), "127.0.0.1");
}

}  // namespace
}  // namespace rtcgate::gateway
