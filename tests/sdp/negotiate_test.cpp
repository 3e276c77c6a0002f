// RFC 3264 offer/answer on both legs: codec choice, telephone-event pairing, direction and hold,
// rejected m= lines, BUNDLE, DTLS role, SDES, and the offerer side.
#include <gtest/gtest.h>

#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace rtcgate::sdp {
namespace {

SessionDescription load(const std::string& name) {
  std::ifstream in(std::filesystem::path(RTCGATE_SOURCE_DIR) / "tests/sdp/corpus/sdp" / name,
                   std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  auto d = parse(ss.str());
  EXPECT_TRUE(d) << name;
  return d ? *d : SessionDescription{};
}

SessionDescription sdp(std::string_view text) {
  auto d = parse(text);
  EXPECT_TRUE(d) << (d ? "" : d.error().reason);
  return d ? *d : SessionDescription{};
}

Fingerprint our_fingerprint() {
  return Fingerprint{HashFunction::Sha256, std::vector<std::uint8_t>(32, 0x5A)};
}

LocalPolicy webrtc_policy() {
  LocalPolicy p;
  p.leg = Leg::WebRtc;
  p.session.address = "192.0.2.10";
  p.session.session_id = "42";
  p.port = 40000;
  p.codecs = {opus_codec(), pcmu_codec(), pcma_codec()};
  p.ice = IceCredentials{"gAtE", "rtcgateicepassword0123"};
  p.candidates = {*parse_candidate("1 1 udp 2130706431 192.0.2.10 40000 typ host")};
  p.end_of_candidates = true;
  p.fingerprint = our_fingerprint();
  return p;
}

LocalPolicy legacy_policy() {
  LocalPolicy p;
  p.leg = Leg::Legacy;
  p.session.address = "192.0.2.20";
  p.session.session_id = "43";
  p.port = 30000;
  p.codecs = {pcmu_codec(), pcma_codec()};
  return p;
}

constexpr std::string_view kPbxOffer =
    "v=0\r\n"
    "o=pbx 1000 1000 IN IP4 198.51.100.5\r\n"
    "s=call\r\n"
    "c=IN IP4 198.51.100.5\r\n"
    "t=0 0\r\n"
    "m=audio 12000 RTP/AVP 8 0 101\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:30\r\n"
    "a=sendrecv\r\n";

bool has_line(const SessionDescription& d, std::string_view line) {
  return write(d).find(std::string(line) + "\r\n") != std::string::npos;
}

TEST(AnswerWebRtc, ChromiumOfferGetsOpusActiveBundle) {
  const auto offer = load("chromium_audio_offer.sdp");
  auto a = answer_offer(webrtc_policy(), offer);
  ASSERT_TRUE(a) << a.error().reason;
  ASSERT_EQ(a->media.size(), 1u);
  const NegotiatedMedia& m = a->media[0];
  ASSERT_TRUE(m.accepted) << to_string(m.reject_reason);
  EXPECT_EQ(m.codec->name, "opus");
  EXPECT_EQ(m.codec->payload_type, 111);
  EXPECT_EQ(m.codec->channels, 2);
  ASSERT_TRUE(m.telephone_event);
  EXPECT_EQ(m.telephone_event->clock_rate, 48000u);
  EXPECT_EQ(m.telephone_event->payload_type, 110);
  EXPECT_EQ(m.payload_types.size(), 2u);
  EXPECT_EQ(m.security, Security::DtlsSrtp);
  EXPECT_EQ(m.dtls_role, DtlsRole::Client);
  ASSERT_TRUE(m.remote_fingerprint);
  EXPECT_EQ(m.remote_fingerprint->hash, HashFunction::Sha256);
  ASSERT_TRUE(m.ice);
  EXPECT_EQ(m.ice->credentials.ufrag, offer.media[0].attributes.value("ice-ufrag"));
  EXPECT_EQ(m.ice->candidates.size(), offer.media[0].attributes.count("candidate"));
  EXPECT_GE(m.ice->candidates.size(), 1u);
  EXPECT_TRUE(m.ice->trickle);
  EXPECT_TRUE(m.rtcp_mux);
  EXPECT_EQ(m.mid, "0");
  EXPECT_EQ(m.bundle, (std::vector<std::string>{"0"}));
  EXPECT_EQ(m.direction, Direction::SendRecv);
  EXPECT_FALSE(m.srtp_profiles.empty());

  const auto& d = a->description;
  EXPECT_TRUE(has_line(d, "a=setup:active"));
  EXPECT_TRUE(has_line(d, "a=group:BUNDLE 0"));
  EXPECT_TRUE(has_line(d, "a=mid:0"));
  EXPECT_TRUE(has_line(d, "a=ice-ufrag:gAtE"));
  EXPECT_TRUE(has_line(d, "a=rtcp-mux"));
  EXPECT_TRUE(has_line(d, "m=audio 40000 UDP/TLS/RTP/SAVPF 111 110"));
  EXPECT_TRUE(has_line(d, "a=candidate:1 1 udp 2130706431 192.0.2.10 40000 typ host"));
  auto reparsed = parse(write(d));
  ASSERT_TRUE(reparsed);
}

TEST(AnswerLegacy, LocalPreferenceDecidesAndTelephoneEventPairs) {
  LocalPolicy p = legacy_policy();
  auto a = answer_offer(p, sdp(kPbxOffer));
  ASSERT_TRUE(a);
  const NegotiatedMedia& m = a->media[0];
  ASSERT_TRUE(m.accepted);
  EXPECT_EQ(m.codec->name, "PCMU");  // our preference, although the PBX listed PCMA first
  EXPECT_EQ(m.telephone_event->payload_type, 101);
  EXPECT_EQ(m.telephone_event->fmtp.at(0).key, "0-16");
  EXPECT_EQ(m.ptime_ms, 30u);
  EXPECT_EQ(m.remote_rtp, (Endpoint{"198.51.100.5", 12000}));
  EXPECT_EQ(m.remote_rtcp, (Endpoint{"198.51.100.5", 12001}));
  EXPECT_FALSE(m.rtcp_mux);
  EXPECT_EQ(m.security, Security::None);
  const std::string text = write(a->description);
  EXPECT_NE(text.find("m=audio 30000 RTP/AVP 0 101\r\n"), std::string::npos) << text;
  EXPECT_NE(text.find("c=IN IP4 192.0.2.20\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=rtcp:30001\r\n"), std::string::npos);
  EXPECT_NE(text.find("a=ptime:30\r\n"), std::string::npos);
  for (auto forbidden : {"a=ice", "a=candidate", "a=fingerprint", "a=setup", "a=mid", "a=group", "a=msid",
                         "a=ssrc", "a=extmap"}) {
    EXPECT_EQ(text.find(forbidden), std::string::npos) << forbidden;
  }

  p.codecs = {pcma_codec(), pcmu_codec()};
  EXPECT_EQ(answer_offer(p, sdp(kPbxOffer))->media[0].codec->name, "PCMA");
  p.telephone_event = false;
  auto no_te = answer_offer(p, sdp(kPbxOffer));
  EXPECT_FALSE(no_te->media[0].telephone_event);
  EXPECT_EQ(write(no_te->description).find("telephone-event"), std::string::npos);
}

TEST(AnswerLegacy, TelephoneEventFollowsTheChosenCodecsClock) {
  constexpr std::string_view offer =
      "v=0\r\no=- 1 1 IN IP4 198.51.100.5\r\ns=-\r\nc=IN IP4 198.51.100.5\r\nt=0 0\r\n"
      "m=audio 12000 RTP/AVP 111 0 110 126\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:110 "
      "telephone-event/48000\r\n"
      "a=rtpmap:126 telephone-event/8000\r\n";
  LocalPolicy p = legacy_policy();
  auto g711 = answer_offer(p, sdp(offer));
  EXPECT_EQ(g711->media[0].codec->name, "PCMU");
  EXPECT_EQ(g711->media[0].telephone_event->clock_rate, 8000u);
  EXPECT_EQ(g711->media[0].telephone_event->payload_type, 126);
  p.codecs = {opus_codec(), pcmu_codec()};
  auto opus = answer_offer(p, sdp(offer));
  EXPECT_EQ(opus->media[0].codec->name, "opus");
  EXPECT_EQ(opus->media[0].telephone_event->clock_rate, 48000u);
  EXPECT_EQ(opus->media[0].telephone_event->payload_type, 110);
}

struct HoldCase {
  const char* direction_line;  // "" for none
  const char* address;
  Direction expected;
  bool remote_hold;
};

class AnswerDirection : public testing::TestWithParam<HoldCase> {};

TEST_P(AnswerDirection, ReversesOfferAndRecognisesHold) {
  std::string offer = "v=0\r\no=- 1 2 IN IP4 198.51.100.5\r\ns=-\r\nc=IN IP4 " +
                      std::string(GetParam().address) + "\r\nt=0 0\r\nm=audio 12000 RTP/AVP 0\r\n" +
                      GetParam().direction_line;
  auto a = answer_offer(legacy_policy(), sdp(offer));
  ASSERT_TRUE(a);
  EXPECT_EQ(a->media[0].direction, GetParam().expected);
  EXPECT_EQ(a->media[0].remote_hold, GetParam().remote_hold);
  EXPECT_EQ(find_direction(a->description.media[0].attributes), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc3264, AnswerDirection,
    testing::Values(HoldCase{"", "198.51.100.5", Direction::SendRecv, false},
                    HoldCase{"a=sendrecv\r\n", "198.51.100.5", Direction::SendRecv, false},
                    HoldCase{"a=sendonly\r\n", "198.51.100.5", Direction::RecvOnly, true},
                    HoldCase{"a=recvonly\r\n", "198.51.100.5", Direction::SendOnly, false},
                    HoldCase{"a=inactive\r\n", "198.51.100.5", Direction::Inactive, true},
                    HoldCase{"", "0.0.0.0", Direction::RecvOnly, true},  // RFC 3264 §8.4 old-style hold
                    HoldCase{"a=recvonly\r\n", "0.0.0.0", Direction::Inactive, true}));

TEST(AnswerDirection, SessionLevelDirectionAndLocalHold) {
  auto offer =
      sdp("v=0\r\no=- 1 2 IN IP4 198.51.100.5\r\ns=-\r\nc=IN IP4 198.51.100.5\r\nt=0 0\r\na=sendonly\r\n"
          "m=audio 12000 RTP/AVP 0\r\n");
  EXPECT_EQ(answer_offer(legacy_policy(), offer)->media[0].direction, Direction::RecvOnly);
  LocalPolicy holding = legacy_policy();
  holding.direction = Direction::SendOnly;  // we hold the remote
  auto plain = sdp(kPbxOffer);
  EXPECT_EQ(answer_offer(holding, plain)->media[0].direction, Direction::SendOnly);
}

TEST(AnswerRejects, EachLineGetsPortZeroAndAReason) {
  constexpr std::string_view offer =
      "v=0\r\no=- 1 1 IN IP4 198.51.100.5\r\ns=-\r\nc=IN IP4 198.51.100.5\r\nt=0 0\r\n"
      "m=video 12002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"  // not audio
      "m=audio 0 RTP/AVP 0\r\n"                                 // already disabled
      "m=audio 12004 RTP/AVP 18\r\n"                            // G.729 only
      "m=audio 12006 RTP/SAVP 0\r\n"                            // SDES not allowed by policy
      "m=audio 12008 RTP/AVP 8\r\n"                             // accepted
      "m=audio 12010 RTP/AVP 0\r\n"                             // surplus
      "m=application 12012 UDP/BFCP *\r\n";
  auto a = answer_offer(legacy_policy(), sdp(offer));
  ASSERT_TRUE(a);
  ASSERT_EQ(a->media.size(), 7u);
  const RejectReason expected[] = {
      RejectReason::UnsupportedMedia, RejectReason::PortZero, RejectReason::NoCommonCodec,
      RejectReason::UnsupportedProto, RejectReason::None,     RejectReason::Surplus,
      RejectReason::UnsupportedMedia};
  ASSERT_EQ(a->description.media.size(), 7u);
  for (std::size_t i = 0; i < 7; ++i) {
    EXPECT_EQ(a->media[i].reject_reason, expected[i]) << i;
    EXPECT_EQ(a->media[i].accepted, expected[i] == RejectReason::None) << i;
    EXPECT_EQ(a->description.media[i].port == 0, expected[i] != RejectReason::None) << i;
    EXPECT_EQ(a->description.media[i].media, a->media[i].media);
  }
  EXPECT_EQ(a->description.media[0].formats, (std::vector<std::string>{"96"}));
  EXPECT_EQ(a->description.media[3].proto, "RTP/SAVP");
  EXPECT_TRUE(a->any_accepted());
  EXPECT_EQ(a->media[4].codec->name, "PCMA");
}

TEST(AnswerRejects, NoCommonCodecAnywhereStillAnswers) {
  auto a = answer_offer(legacy_policy(),
                        sdp("v=0\r\no=- 1 1 IN IP4 198.51.100.5\r\ns=-\r\nc=IN IP4 198.51.100.5\r\n"
                            "t=0 0\r\nm=audio 12000 RTP/AVP 18 9\r\n"));
  ASSERT_TRUE(a);
  EXPECT_FALSE(a->any_accepted());
  EXPECT_EQ(a->media[0].reject_reason, RejectReason::NoCommonCodec);
  EXPECT_EQ(a->description.media[0].port, 0);
  EXPECT_FALSE(answer_offer(legacy_policy(), sdp("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n")));
}

TEST(AnswerWebRtc, MissingIceOrFingerprintRejectsTheLine) {
  const auto chromium = load("chromium_audio_offer.sdp");
  auto no_fp = chromium;
  no_fp.media[0].attributes.remove("fingerprint");
  EXPECT_EQ(answer_offer(webrtc_policy(), no_fp)->media[0].reject_reason, RejectReason::MissingFingerprint);
  auto no_ice = chromium;
  no_ice.media[0].attributes.remove("ice-pwd");
  EXPECT_EQ(answer_offer(webrtc_policy(), no_ice)->media[0].reject_reason, RejectReason::MissingIce);
  auto bad_fp = chromium;
  bad_fp.media[0].attributes.remove("fingerprint");
  bad_fp.media[0].attributes.add("fingerprint", "sha-256 AB:CD");
  EXPECT_EQ(answer_offer(webrtc_policy(), bad_fp)->media[0].reject_reason, RejectReason::BadAttribute);
  // A plain RTP offer is not WebRTC.
  EXPECT_EQ(answer_offer(webrtc_policy(), sdp(kPbxOffer))->media[0].reject_reason,
            RejectReason::UnsupportedProto);
  LocalPolicy incomplete = webrtc_policy();
  incomplete.fingerprint.reset();
  auto err = answer_offer(incomplete, chromium);
  ASSERT_FALSE(err);
  EXPECT_EQ(err.error().code, NegotiationErrc::MissingLocalParams);
}

TEST(AnswerWebRtc, BundledLinesShareTheTagTransportAndVideoLeavesTheGroup) {
  constexpr std::string_view offer =
      "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE a v b\r\n"
      "a=fingerprint:sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01\r\n"
      "m=audio 5000 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 192.0.2.7\r\na=mid:a\r\na=ice-ufrag:8hhY\r\n"
      "a=ice-pwd:asd88fgpdd777uzjYhagZg\r\na=setup:passive\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n"
      "a=candidate:1 1 UDP 2130706431 192.0.2.7 5000 typ host\r\n"
      "m=video 5000 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 192.0.2.7\r\na=mid:v\r\na=rtpmap:96 VP8/90000\r\n"
      "m=audio 5000 UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 192.0.2.7\r\na=mid:b\r\na=bundle-only\r\n";
  LocalPolicy p = webrtc_policy();
  p.max_streams = 2;
  auto a = answer_offer(p, sdp(offer));
  ASSERT_TRUE(a);
  ASSERT_TRUE(a->media[0].accepted);
  EXPECT_EQ(a->media[1].reject_reason, RejectReason::UnsupportedMedia);
  ASSERT_TRUE(a->media[2].accepted) << to_string(a->media[2].reject_reason);
  EXPECT_EQ(a->media[2].ice->credentials.ufrag, "8hhY");  // from the tag line "a"
  EXPECT_EQ(a->media[2].ice->candidates.size(), 1u);
  EXPECT_EQ(a->media[2].dtls_role, DtlsRole::Client);  // passive remote → we are active
  EXPECT_EQ(a->media[0].bundle, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(has_line(a->description, "a=group:BUNDLE a b"));
  EXPECT_TRUE(has_line(a->description, "m=video 0 UDP/TLS/RTP/SAVPF 96"));
  EXPECT_TRUE(has_line(a->description, "a=mid:v"));
}

TEST(AnswerSdes, PicksAnAllowedSuiteAndKeepsTheTag) {
  constexpr std::string_view offer =
      "v=0\r\no=- 1 1 IN IP4 198.51.100.5\r\ns=-\r\nc=IN IP4 198.51.100.5\r\nt=0 0\r\n"
      "m=audio 12000 RTP/SAVP 0\r\n"
      "a=crypto:1 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32\r\n"
      "a=crypto:2 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4\r\n";
  LocalPolicy p = legacy_policy();
  Crypto ours{9, "AES_CM_128_HMAC_SHA1_80", {CryptoKey{std::vector<std::uint8_t>(30, 0x11), {}, {}, {}}}, {}};
  p.sdes = {ours};
  auto a = answer_offer(p, sdp(offer));
  ASSERT_TRUE(a);
  const auto& m = a->media[0];
  ASSERT_TRUE(m.accepted) << to_string(m.reject_reason);
  EXPECT_EQ(m.security, Security::Sdes);
  EXPECT_EQ(m.remote_crypto->tag, 2u);
  EXPECT_EQ(m.remote_crypto->keys.at(0).key_salt.size(), 30u);
  EXPECT_EQ(m.local_crypto->tag, 2u);
  EXPECT_EQ(m.local_crypto->keys.at(0).key_salt, ours.keys[0].key_salt);
  EXPECT_TRUE(has_line(a->description, "m=audio 30000 RTP/SAVP 0 101") ||
              has_line(a->description, "m=audio 30000 RTP/SAVP 0"));
  EXPECT_EQ(a->description.media[0].attributes.count("crypto"), 1u);

  p.sdes = {Crypto{1, "AEAD_AES_128_GCM", {CryptoKey{std::vector<std::uint8_t>(28, 1), {}, {}, {}}}, {}}};
  EXPECT_EQ(answer_offer(p, sdp(offer))->media[0].reject_reason, RejectReason::NoCryptoMatch);
  p.allow_plain_rtp = false;
  EXPECT_EQ(answer_offer(p, sdp(kPbxOffer))->media[0].reject_reason, RejectReason::UnsupportedProto);
}

std::set<std::string> attribute_names(const SessionDescription& d) {
  std::set<std::string> names;
  for (const auto& a : d.attributes.items)
    names.insert(a.name);
  for (const auto& m : d.media) {
    for (const auto& a : m.attributes.items)
      names.insert(a.name);
  }
  return names;
}

TEST(CreateOffer, WebRtcHasTheBrowserProfile) {
  LocalPolicy p = webrtc_policy();
  p.ssrc = 12345;
  p.cname = "rtcgate";
  auto offer = create_offer(p);
  ASSERT_TRUE(offer);
  const auto names = attribute_names(*offer);
  for (auto required :
       {"group", "mid", "ice-ufrag", "ice-pwd", "ice-options", "candidate", "end-of-candidates",
        "fingerprint", "setup", "rtcp-mux", "rtcp-rsize", "rtpmap", "fmtp", "ssrc", "sendrecv"}) {
    EXPECT_TRUE(names.count(required)) << required;
  }
  EXPECT_TRUE(has_line(*offer, "a=setup:actpass"));
  EXPECT_TRUE(has_line(*offer, "m=audio 40000 UDP/TLS/RTP/SAVPF 111 0 8 110 101"));
  EXPECT_TRUE(has_line(*offer, "a=rtpmap:110 telephone-event/48000"));
  EXPECT_TRUE(has_line(*offer, "a=rtpmap:101 telephone-event/8000"));
  EXPECT_TRUE(has_line(*offer, "a=fmtp:111 minptime=10;useinbandfec=1"));
  EXPECT_TRUE(has_line(*offer, "a=ice-options:trickle"));
}

TEST(CreateOffer, LegacyHasNoWebRtcLines) {
  LocalPolicy p = legacy_policy();
  auto offer = create_offer(p);
  ASSERT_TRUE(offer);
  const auto names = attribute_names(*offer);
  for (auto forbidden : {"ice-ufrag", "ice-pwd", "ice-options", "candidate", "fingerprint", "setup", "extmap",
                         "msid", "ssrc", "mid", "group", "rtcp-mux"}) {
    EXPECT_FALSE(names.count(forbidden)) << forbidden;
  }
  EXPECT_TRUE(has_line(*offer, "m=audio 30000 RTP/AVP 0 8 101"));
  EXPECT_TRUE(has_line(*offer, "a=rtcp:30001"));
  EXPECT_TRUE(has_line(*offer, "a=ptime:20"));
  EXPECT_TRUE(has_line(*offer, "a=fmtp:101 0-15"));
  p.rtcp_mux = true;
  EXPECT_TRUE(has_line(*create_offer(p), "a=rtcp-mux"));
  EXPECT_FALSE(has_line(*create_offer(p), "a=rtcp:30001"));
  p.allow_plain_rtp = false;
  p.sdes = {
      Crypto{1, "AES_CM_128_HMAC_SHA1_80", {CryptoKey{std::vector<std::uint8_t>(30, 3), {}, {}, {}}}, {}}};
  auto savp = create_offer(p);
  EXPECT_TRUE(has_line(*savp, "m=audio 30000 RTP/SAVP 0 8 101"));
  EXPECT_EQ(savp->media[0].attributes.count("crypto"), 1u);
}

TEST(OfferCodecs, ExplicitStaticAndDynamicPayloadTypes) {
  LocalPolicy p = legacy_policy();
  Codec custom{"L16", 16000, 1, {}, std::nullopt};
  Codec clash = pcma_codec();
  clash.payload_type = 0;  // taken by PCMU: falls back to a dynamic type
  p.codecs = {pcmu_codec(), clash, custom};
  const auto codecs = offer_codecs(p);
  ASSERT_EQ(codecs.size(), 5u);  // + telephone-event at 8000 and at 16000
  EXPECT_EQ(codecs[0].payload_type, 0);
  EXPECT_EQ(codecs[1].payload_type, 96);
  EXPECT_EQ(codecs[2].payload_type, 97);
  EXPECT_EQ(codecs[3].payload_type, 101);
  EXPECT_EQ(codecs[3].clock_rate, 8000u);
  EXPECT_EQ(codecs[4].clock_rate, 16000u);
  EXPECT_EQ(codecs[4].payload_type, 98);
}

TEST(ProcessAnswer, DeskPhoneAnswerToOurLegacyOffer) {
  LocalPolicy p = legacy_policy();
  auto offer = create_offer(p);
  ASSERT_TRUE(offer);
  auto answer =
      sdp("v=0\r\no=phone 5 6 IN IP4 198.51.100.40\r\ns=-\r\nc=IN IP4 198.51.100.40\r\nt=0 0\r\n"
          "m=audio 2224 RTP/AVP 8 100\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:100 telephone-event/8000\r\n"
          "a=rtcp:2300 IN IP4 198.51.100.41\r\na=ptime:20\r\na=sendrecv\r\n");
  auto media = process_answer(p, *offer, answer);
  ASSERT_TRUE(media);
  const auto& m = media->at(0);
  ASSERT_TRUE(m.accepted);
  EXPECT_EQ(m.codec->name, "PCMA");
  EXPECT_EQ(m.codec->payload_type, 8);
  EXPECT_EQ(m.codec->local_payload_type, 8);
  EXPECT_EQ(m.telephone_event->payload_type, 100);  // we send DTMF with the phone's PT
  EXPECT_EQ(m.telephone_event->local_payload_type, 101);
  EXPECT_EQ(m.remote_rtp, (Endpoint{"198.51.100.40", 2224}));
  EXPECT_EQ(m.remote_rtcp, (Endpoint{"198.51.100.41", 2300}));
  EXPECT_EQ(m.direction, Direction::SendRecv);

  auto held = answer;
  set_direction(held.media[0].attributes, Direction::RecvOnly);
  EXPECT_EQ(process_answer(p, *offer, held)->at(0).direction, Direction::SendOnly);
  auto rejected = answer;
  rejected.media[0].port = 0;
  EXPECT_EQ(process_answer(p, *offer, rejected)->at(0).reject_reason, RejectReason::PortZero);
  auto unknown = answer;
  unknown.media[0].formats = {"18"};
  EXPECT_EQ(process_answer(p, *offer, unknown)->at(0).reject_reason, RejectReason::NoCommonCodec);
  auto extra = answer;
  extra.media.push_back(extra.media[0]);
  auto mismatch = process_answer(p, *offer, extra);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, NegotiationErrc::MediaCountMismatch);
}

TEST(ProcessAnswer, BrowserAnswerDecidesOurDtlsRole) {
  LocalPolicy p = webrtc_policy();
  auto offer = create_offer(p);
  ASSERT_TRUE(offer);
  // A browser answering our actpass offer; its answer is what answer_offer would write for it.
  LocalPolicy browser = webrtc_policy();
  browser.ice = IceCredentials{"brws", "browserpassword0123456"};
  browser.port = 50000;
  auto a = answer_offer(browser, *offer);
  ASSERT_TRUE(a);
  auto media = process_answer(p, *offer, a->description);
  ASSERT_TRUE(media);
  ASSERT_TRUE(media->at(0).accepted) << to_string(media->at(0).reject_reason);
  EXPECT_EQ(media->at(0).dtls_role, DtlsRole::Server);  // the browser took setup:active
  EXPECT_EQ(media->at(0).ice->credentials.ufrag, "brws");
  EXPECT_EQ(media->at(0).codec->name, "opus");
  EXPECT_EQ(media->at(0).bundle, (std::vector<std::string>{"0"}));
  EXPECT_TRUE(media->at(0).rtcp_mux);
}

TEST(BridgeOffer, HoldPropagatesAcrossLegs) {
  auto web = load("chromium_audio_offer.sdp");
  LocalPolicy legacy = legacy_policy();
  auto plain = bridge_offer(legacy, web);
  ASSERT_TRUE(plain);
  EXPECT_EQ(find_direction(plain->media[0].attributes), Direction::SendRecv);
  set_direction(web.media[0].attributes, Direction::SendOnly);
  auto hold = bridge_offer(legacy, web);
  EXPECT_EQ(find_direction(hold->media[0].attributes), Direction::SendOnly);
}

TEST(BridgeOffer, AnOfferWithoutLiveAudioHasNothingToBridge) {
  auto web = load("chromium_audio_offer.sdp");
  web.media[0].port = 0;
  auto none = bridge_offer(legacy_policy(), web);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, NegotiationErrc::NoMedia);
  web.media.clear();
  EXPECT_FALSE(bridge_offer(legacy_policy(), web));
}

TEST(Describe, ListsTheNegotiatedFacts) {
  auto a = answer_offer(legacy_policy(), sdp(kPbxOffer));
  const std::string text = describe(a->media[0]);
  EXPECT_NE(text.find("codec: PCMU/8000 pt 0 local-pt 0"), std::string::npos) << text;
  EXPECT_NE(text.find("telephone-event: telephone-event/8000 pt 101"), std::string::npos) << text;
  EXPECT_NE(text.find("remote-rtcp: 198.51.100.5 12001"), std::string::npos) << text;
  NegotiatedMedia rejected;
  rejected.media = "video";
  rejected.reject_reason = RejectReason::UnsupportedMedia;
  EXPECT_EQ(describe(rejected), "m-line 0: video\nrejected: unsupported-media\n");
}

}  // namespace
}  // namespace rtcgate::sdp
