// From negotiated legs to the media engine's session parameters: a PBX → browser call run through
// sdp/'s offer/answer with a real phone's offer (tests/sdp/corpus), then the edge cases.
#include "rtcgate/gateway/session_params.hpp"

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
  return local;
}

// What a browser answers to our PBX → browser offer with PCMU and telephone-event/8000 (101).
const char* kBrowserAnswer =
    "v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
    "m=audio 51000 UDP/TLS/RTP/SAVPF 0 101\r\nc=IN IP4 127.0.0.1\r\n"
    "a=candidate:1 1 udp 2122260223 127.0.0.1 51000 typ host generation 0\r\n"
    "a=ice-ufrag:brUF\r\na=ice-pwd:browser-ice-password-0001\r\n"
    "a=fingerprint:sha-256 "
    "B9:56:41:DB:32:F3:65:F5:E8:CF:53:9E:20:05:54:04:AC:2E:1C:79:A2:E6:A3:76:59:30:CB:0B:EA:E3:DA:A6\r\n"
    "a=setup:active\r\na=mid:0\r\na=sendrecv\r\na=rtcp-mux\r\n"
    "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n";

std::vector<std::pair<int, int>> mappings(const media::RoutePlan& plan) {
  std::vector<std::pair<int, int>> out;
  for (const media::PayloadMapping& m : plan.payloads)
    out.emplace_back(m.from, m.to);
  return out;
}

TEST(SessionParams, PbxToBrowserCall) {
  Config config = default_config();
  sdp::SessionDescription pbx_offer = corpus("polycom_vvx_offer.sdp");  // G722 9, PCMU 0, PCMA 8, te 127

  // The PBX's offer becomes our offer to the browser.
  auto bridge = plan_bridge_codecs(config.codecs, sdp::Leg::Legacy, pbx_offer);
  ASSERT_TRUE(bridge) << bridge.error();
  sdp::LocalPolicy web = web_policy(config, local_web(), bridge->codecs, {});
  auto web_offer = sdp::create_offer(web);
  ASSERT_TRUE(web_offer) << web_offer.error().reason;
  EXPECT_NE(sdp::write(*web_offer).find("a=setup:actpass"), std::string::npos);

  // The browser answers PCMU; we answer the PBX with the same codec.
  auto browser_answer = sdp::parse(kBrowserAnswer);
  ASSERT_TRUE(browser_answer);
  auto web_media = sdp::process_answer(web, *web_offer, *browser_answer);
  ASSERT_TRUE(web_media) << web_media.error().reason;
  ASSERT_TRUE(web_media->at(0).accepted) << sdp::to_string(web_media->at(0).reject_reason);
  auto answer_plan = answer_codecs(config.codecs, sdp::Leg::Legacy, pbx_offer, *web_media->at(0).codec);
  ASSERT_TRUE(answer_plan) << answer_plan.error();
  EXPECT_EQ(answer_plan->mode, BridgeMode::Passthrough);
  auto legacy_answer = sdp::answer_offer(legacy_policy(config, 20010, answer_plan->codecs, {}), pbx_offer);
  ASSERT_TRUE(legacy_answer) << legacy_answer.error().reason;
  const sdp::NegotiatedMedia& legacy_media = legacy_answer->media.at(0);
  ASSERT_TRUE(legacy_media.accepted);
  EXPECT_NE(sdp::write(legacy_answer->description).find("m=audio 20010 RTP/AVP 0 127\r\n"), std::string::npos)
      << sdp::write(legacy_answer->description);

  // Relay plans: PCMU keeps 0; telephone-event is 101 towards the browser, 127 towards the phone.
  auto plans = passthrough_plans(web_media->at(0), legacy_media);
  ASSERT_TRUE(plans) << plans.error();
  using Map = std::vector<std::pair<int, int>>;
  EXPECT_EQ(mappings(plans->web_to_legacy), (Map{{0, 0}, {101, 127}}));
  EXPECT_EQ(mappings(plans->legacy_to_web), (Map{{0, 0}, {127, 101}}));
  EXPECT_EQ(plans->web_to_legacy.clock_rate, 8000u);
  EXPECT_TRUE(plans->web_to_legacy.enabled);
  EXPECT_TRUE(plans->legacy_to_web.enabled);
  EXPECT_FALSE(plans->web_to_legacy.ssrc) << "passthrough keeps the sender's SSRC";

  auto remote = legacy_remote(legacy_media);
  ASSERT_TRUE(remote) << remote.error();
  EXPECT_EQ(remote->address, "10.20.30.41");
  EXPECT_EQ(remote->rtp_port, 2222);
  EXPECT_EQ(remote->rtcp_port, 2223);

  auto browser = remote_web_params(web_media->at(0));
  ASSERT_TRUE(browser) << browser.error();
  EXPECT_EQ(browser->dtls_role, media::DtlsRole::Server) << "the browser answered active";
  SessionSetup setup;
  setup.dtls_role = browser->dtls_role;
  setup.we_offer_web = true;
  setup.remote_fingerprint = browser->fingerprint;
  media::MediaSessionConfig session = session_config(config, setup);
  EXPECT_EQ(session.ice.role, media::IceRole::Controlling) << "the offerer controls (RFC 8445 §6.1.1)";
  EXPECT_EQ(session.dtls_role, media::DtlsRole::Server);
  ASSERT_TRUE(session.remote_fingerprint);
  EXPECT_EQ(*session.remote_fingerprint, browser->fingerprint);
  EXPECT_EQ(session.ice.bind_addresses, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(session.legacy.bind_address, "127.0.0.1");
  EXPECT_FALSE(session.legacy.rtcp_mux);
}

sdp::NegotiatedMedia stream(std::string codec, std::uint8_t pt, std::uint8_t local_pt,
                            sdp::Direction direction) {
  sdp::NegotiatedMedia m;
  m.accepted = true;
  m.codec = sdp::NegotiatedCodec{pt, local_pt, std::move(codec), 8000, 1, {}};
  m.direction = direction;
  m.remote_rtp = {"192.0.2.5", 4000};
  m.remote_rtcp = {"192.0.2.5", 4001};
  return m;
}

TEST(SessionParams, HoldDisablesOneDirection) {
  // The browser put the call on hold (it sends only): we receive from it but do not send to it.
  sdp::NegotiatedMedia web = stream("PCMU", 0, 0, sdp::Direction::RecvOnly);
  sdp::NegotiatedMedia legacy = stream("PCMU", 0, 0, sdp::Direction::SendRecv);
  auto plans = passthrough_plans(web, legacy);
  ASSERT_TRUE(plans);
  EXPECT_TRUE(plans->web_to_legacy.enabled);
  EXPECT_FALSE(plans->legacy_to_web.enabled);
  web.direction = sdp::Direction::Inactive;
  plans = passthrough_plans(web, legacy);
  ASSERT_TRUE(plans);
  EXPECT_FALSE(plans->web_to_legacy.enabled);
  EXPECT_FALSE(plans->legacy_to_web.enabled);
}

TEST(SessionParams, TelephoneEventNeedsBothLegsAtTheSameRate) {
  sdp::NegotiatedMedia web = stream("PCMU", 0, 0, sdp::Direction::SendRecv);
  sdp::NegotiatedMedia legacy = stream("PCMU", 0, 0, sdp::Direction::SendRecv);
  web.telephone_event = sdp::NegotiatedCodec{126, 126, "telephone-event", 8000, 1, {}};
  auto plans = passthrough_plans(web, legacy);
  ASSERT_TRUE(plans);
  EXPECT_EQ(plans->web_to_legacy.payloads.size(), 1u) << "the legacy leg has no telephone-event";
  legacy.telephone_event = sdp::NegotiatedCodec{101, 101, "telephone-event", 48000, 1, {}};
  plans = passthrough_plans(web, legacy);
  ASSERT_TRUE(plans);
  EXPECT_EQ(plans->legacy_to_web.payloads.size(), 1u) << "clock rates differ";
}

TEST(SessionParams, PayloadTypesFollowRfc3264) {
  // Each peer sends with the payload types of the description it received: the browser with ours
  // on the web leg (local), the PBX with ours on the legacy leg; we send with theirs (remote).
  sdp::NegotiatedMedia web = stream("PCMU", 0, 0, sdp::Direction::SendRecv);
  sdp::NegotiatedMedia legacy = stream("PCMU", 0, 0, sdp::Direction::SendRecv);
  web.telephone_event = sdp::NegotiatedCodec{110, 126, "telephone-event", 8000, 1, {}};
  legacy.telephone_event = sdp::NegotiatedCodec{96, 101, "telephone-event", 8000, 1, {}};
  auto plans = passthrough_plans(web, legacy);
  ASSERT_TRUE(plans);
  using Map = std::vector<std::pair<int, int>>;
  EXPECT_EQ(mappings(plans->web_to_legacy), (Map{{0, 0}, {126, 96}}));
  EXPECT_EQ(mappings(plans->legacy_to_web), (Map{{0, 0}, {101, 110}}));
}

TEST(SessionParams, WhatPassthroughCannotCarry) {
  sdp::NegotiatedMedia web = stream("opus", 111, 111, sdp::Direction::SendRecv);
  web.codec->clock_rate = 48000;
  web.codec->channels = 2;
  sdp::NegotiatedMedia legacy = stream("PCMU", 0, 0, sdp::Direction::SendRecv);
  auto plans = passthrough_plans(web, legacy);
  ASSERT_FALSE(plans);
  EXPECT_EQ(plans.error(),
            "the legs carry different codecs (opus/48000 and PCMU/8000): the call needs transcoding");
  legacy.accepted = false;
  EXPECT_EQ(passthrough_plans(web, legacy).error(), "a leg's stream was rejected");
  web = stream("PCMU", 0, 0, sdp::Direction::SendRecv);
  legacy = web;
  legacy.codec.reset();
  EXPECT_EQ(passthrough_plans(web, legacy).error(), "a leg has no codec");
}

TEST(SessionParams, LegacyRemoteAddress) {
  sdp::NegotiatedMedia legacy = stream("PCMU", 0, 0, sdp::Direction::SendRecv);
  legacy.rtcp_mux = true;
  auto remote = legacy_remote(legacy);
  ASSERT_TRUE(remote);
  EXPECT_EQ(remote->rtcp_port, 4000) << "rtcp-mux";
  legacy.remote_rtp.address = "pbx.example.com";
  EXPECT_EQ(legacy_remote(legacy).error(), "the legacy media address 'pbx.example.com' is not an IP address");
  legacy.remote_rtp = {"2001:db8::5", 0};
  EXPECT_EQ(legacy_remote(legacy).error(), "the legacy media port is 0");
}

TEST(SessionParams, IceRoles) {
  Config config = default_config();
  SessionSetup setup;
  EXPECT_EQ(session_config(config, setup).ice.role, media::IceRole::Controlled) << "the browser offered";
  setup.remote_ice_lite = true;
  EXPECT_EQ(session_config(config, setup).ice.role, media::IceRole::Controlling)
      << "a lite peer never controls";
  config.media.ice_lite = true;
  setup.we_offer_web = true;
  media::MediaSessionConfig lite = session_config(config, setup);
  EXPECT_TRUE(lite.ice.lite);
  EXPECT_EQ(lite.ice.role, media::IceRole::Controlled) << "a lite agent is always controlled";
  config.media.public_address = "198.51.100.7";
  setup.legacy_rtcp_mux = true;
  media::MediaSessionConfig nat = session_config(config, setup);
  EXPECT_EQ(nat.ice.public_address, "198.51.100.7");
  EXPECT_TRUE(nat.legacy.rtcp_mux);
  EXPECT_TRUE(nat.ice.consent_freshness);
  EXPECT_LE(nat.ice.consent_timeout, std::chrono::seconds(25))
      << "a vanished browser must be noticed well within 30 s";
}

}  // namespace
}  // namespace rtcgate::gateway
