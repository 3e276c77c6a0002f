// Typed attribute parsers and writers: each parses the forms real endpoints send, writes them
// back byte for byte, and rejects malformed values with ParseErrc::BadAttribute.
#include <gtest/gtest.h>

#include <rtcgate/sdp/attributes/direction.hpp>
#include <rtcgate/sdp/attributes/extmap.hpp>
#include <rtcgate/sdp/attributes/fingerprint.hpp>
#include <rtcgate/sdp/attributes/fmtp.hpp>
#include <rtcgate/sdp/attributes/group.hpp>
#include <rtcgate/sdp/attributes/ice.hpp>
#include <rtcgate/sdp/attributes/msid.hpp>
#include <rtcgate/sdp/attributes/ptime.hpp>
#include <rtcgate/sdp/attributes/rtcp.hpp>
#include <rtcgate/sdp/attributes/rtcp_fb.hpp>
#include <rtcgate/sdp/attributes/rtpmap.hpp>
#include <rtcgate/sdp/attributes/setup.hpp>
#include <rtcgate/sdp/attributes/ssrc.hpp>
#include <rtcgate/sdp/parser.hpp>

namespace rtcgate::sdp {
namespace {

// Round-trip helper: parse succeeds and to_value() gives the input back.
template <typename Parse>
void expect_round_trip(Parse parse_fn, std::string_view value) {
  auto parsed = parse_fn(value);
  ASSERT_TRUE(parsed) << value << ": " << parsed.error().reason;
  EXPECT_EQ(to_value(*parsed), value);
}

template <typename Parse>
void expect_rejects(Parse parse_fn, std::string_view value) {
  auto parsed = parse_fn(value);
  ASSERT_FALSE(parsed) << value;
  EXPECT_EQ(parsed.error().code, ParseErrc::BadAttribute);
}

TEST(Rtpmap, ParsesAndWrites) {
  auto r = parse_rtpmap("111 opus/48000/2");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->payload_type, 111);
  EXPECT_EQ(r->encoding, "opus");
  EXPECT_EQ(r->clock_rate, 48000u);
  EXPECT_EQ(r->channels, 2);
  expect_round_trip(parse_rtpmap, "0 PCMU/8000");
  expect_round_trip(parse_rtpmap, "101 telephone-event/8000");
  for (auto bad : {"", "111", "128 opus/48000", "x opus/48000", "111 opus", "111 opus/0",
                   "111 opus/48000/0/1", "111 opus/abc", "111 opus/48000/x"}) {
    expect_rejects(parse_rtpmap, bad);
  }
}

TEST(Rtpmap, StaticPayloadTypes) {
  EXPECT_EQ(static_rtpmap(0)->encoding, "PCMU");
  EXPECT_EQ(static_rtpmap(8)->encoding, "PCMA");
  EXPECT_EQ(static_rtpmap(9)->clock_rate, 8000u);  // G.722's RTP clock is 8000 (RFC 3551 §4.5.2)
  EXPECT_EQ(static_rtpmap(18)->encoding, "G729");
  EXPECT_FALSE(static_rtpmap(96));
}

TEST(Fmtp, KeyValueAndNonKeyValue) {
  auto f = parse_fmtp("111 minptime=10;useinbandfec=1");
  ASSERT_TRUE(f);
  EXPECT_EQ(f->format, "111");
  ASSERT_EQ(f->params.size(), 2u);
  EXPECT_EQ(f->get("useinbandfec"), "1");
  EXPECT_EQ(f->get("MINPTIME"), "10");
  EXPECT_FALSE(f->get("stereo"));
  expect_round_trip(parse_fmtp, "111 minptime=10;useinbandfec=1");

  auto te = parse_fmtp("101 0-15");
  ASSERT_TRUE(te);
  ASSERT_EQ(te->params.size(), 1u);
  EXPECT_EQ(te->params[0].key, "0-15");
  EXPECT_FALSE(te->params[0].value);
  expect_round_trip(parse_fmtp, "101 0-15");
  expect_round_trip(parse_fmtp, "63 111/111");

  auto spaced = parse_fmtp("18 annexb=no; foo = bar");
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->get("foo"), "bar");
  EXPECT_EQ(to_value(*spaced), "18 annexb=no;foo=bar");
  expect_rejects(parse_fmtp, "");
  expect_rejects(parse_fmtp, " x=1");
}

TEST(RtcpFb, Forms) {
  expect_round_trip(parse_rtcp_fb, "111 transport-cc");
  expect_round_trip(parse_rtcp_fb, "* nack pli");
  auto fb = parse_rtcp_fb("96 ccm fir");
  ASSERT_TRUE(fb);
  EXPECT_EQ(fb->type, "ccm");
  EXPECT_EQ(fb->parameters, "fir");
  expect_rejects(parse_rtcp_fb, "111");
  expect_rejects(parse_rtcp_fb, "abc nack");
}

TEST(Ptime, IntegersAndZeroFractions) {
  EXPECT_EQ(parse_ptime("20").value(), 20u);
  EXPECT_EQ(parse_ptime("30.0").value(), 30u);
  for (auto bad : {"", "0", "20.5", "abc", "99999"})
    EXPECT_FALSE(parse_ptime(bad)) << bad;
}

TEST(Direction, MediaOverridesSessionAndDefaultIsSendrecv) {
  auto d = parse(
      "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=sendonly\nm=audio 1 RTP/AVP 0\na=inactive\n"
      "m=audio 2 RTP/AVP 0\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(effective_direction(*d, d->media[0]), Direction::Inactive);
  EXPECT_EQ(effective_direction(*d, d->media[1]), Direction::SendOnly);
  d->attributes.remove("sendonly");
  EXPECT_EQ(effective_direction(*d, d->media[1]), Direction::SendRecv);
}

TEST(Direction, AnswerAlgebra) {
  EXPECT_EQ(reverse(Direction::SendOnly), Direction::RecvOnly);
  EXPECT_EQ(reverse(Direction::RecvOnly), Direction::SendOnly);
  EXPECT_EQ(reverse(Direction::SendRecv), Direction::SendRecv);
  EXPECT_EQ(reverse(Direction::Inactive), Direction::Inactive);
  EXPECT_EQ(intersect(Direction::SendRecv, Direction::RecvOnly), Direction::RecvOnly);
  EXPECT_EQ(intersect(Direction::SendOnly, Direction::RecvOnly), Direction::Inactive);
  AttributeList attrs;
  attrs.add("rtcp-mux");
  attrs.add("sendrecv");
  attrs.add("sendonly");
  set_direction(attrs, Direction::RecvOnly);
  ASSERT_EQ(attrs.items.size(), 2u);
  EXPECT_EQ(attrs.items[1].name, "recvonly");
  set_direction(attrs, Direction::Inactive);
  EXPECT_EQ(find_direction(attrs), Direction::Inactive);
}

TEST(Rtcp, PortAndAddress) {
  auto r = parse_rtcp("53020 IN IP4 126.16.64.4");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->port, 53020);
  ASSERT_TRUE(r->address);
  EXPECT_EQ(r->address->address, "126.16.64.4");
  expect_round_trip(parse_rtcp, "53020 IN IP4 126.16.64.4");
  expect_round_trip(parse_rtcp, "9 IN IP4 0.0.0.0");
  expect_round_trip(parse_rtcp, "53020");
  expect_round_trip(parse_rtcp, "53020 IN IP6 2001:db8::1");
  for (auto bad : {"", "x", "70000", "53020 IN IP4", "1 IN IP4 224.0.0.1/4"})
    expect_rejects(parse_rtcp, bad);
}

TEST(Group, BundleAndMid) {
  auto g = parse_group("BUNDLE 0 1 audio");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->semantics, "BUNDLE");
  EXPECT_EQ(g->mids, (std::vector<std::string>{"0", "1", "audio"}));
  expect_round_trip(parse_group, "BUNDLE 0 1 audio");
  expect_round_trip(parse_group, "BUNDLE");
  expect_rejects(parse_group, "");
  EXPECT_EQ(parse_mid("audio").value(), "audio");
  EXPECT_FALSE(parse_mid(""));
  EXPECT_FALSE(parse_mid("a b"));
}

TEST(Msid, StreamAndTrack) {
  auto m = parse_msid("f8772b40-269f-4960-876b-eba0df6a08d4 0cd9b963-2115-40a1-8bf8-1390d78cc82f");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->track_id, "0cd9b963-2115-40a1-8bf8-1390d78cc82f");
  expect_round_trip(parse_msid, "- track");
  expect_round_trip(parse_msid, "stream");
  expect_rejects(parse_msid, "");
  expect_rejects(parse_msid, "a b c");
  expect_rejects(parse_msid, std::string(65, 'x'));
}

TEST(Ssrc, AttributeAndGroup) {
  auto s = parse_ssrc("2000568005 msid:396e50f3 f0ab0b06");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->ssrc, 2000568005u);
  EXPECT_EQ(s->attribute, "msid");
  EXPECT_EQ(s->value, "396e50f3 f0ab0b06");
  expect_round_trip(parse_ssrc, "1778286740 cname:185fd298-2f59-4357-b06a-059964602677");
  expect_round_trip(parse_ssrc, "4294967295 label");
  for (auto bad : {"", "12", "4294967296 cname:x", "x cname:y"})
    expect_rejects(parse_ssrc, bad);
  auto g = parse_ssrc_group("FID 1 2");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->ssrcs, (std::vector<std::uint32_t>{1, 2}));
  expect_round_trip(parse_ssrc_group, "SIM 1 2 3");
  expect_rejects(parse_ssrc_group, "FID");
  expect_rejects(parse_ssrc_group, "FID 1 x");
}

TEST(Extmap, IdDirectionUriAndAllowMixed) {
  auto e = parse_extmap("3/recvonly urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->id, 3);
  EXPECT_EQ(e->direction, Direction::RecvOnly);
  EXPECT_EQ(e->attributes, "vad=on");
  expect_round_trip(parse_extmap, "3/recvonly urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on");
  expect_round_trip(parse_extmap, "1 urn:ietf:params:rtp-hdrext:sdes:mid");
  expect_round_trip(parse_extmap, "200 urn:x");
  for (auto bad : {"", "1", "0 urn:x", "15 urn:x", "256 urn:x", "1/sideways urn:x"})
    expect_rejects(parse_extmap, bad);

  auto d = parse(
      "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=extmap-allow-mixed\nm=audio 1 RTP/AVP 0\n"
      "m=audio 2 RTP/AVP 0\n");
  ASSERT_TRUE(d);
  EXPECT_TRUE(extmap_allow_mixed(*d, d->media[0]));
  d->attributes.remove("extmap-allow-mixed");
  EXPECT_FALSE(extmap_allow_mixed(*d, d->media[0]));
  d->media[1].attributes.add("extmap-allow-mixed");
  EXPECT_TRUE(extmap_allow_mixed(*d, d->media[1]));
}

TEST(Ice, CredentialsOptionsAndLite) {
  auto d = parse(
      "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=ice-lite\na=ice-ufrag:8hhY\n"
      "a=ice-pwd:asd88fgpdd777uzjYhagZg\na=ice-options:trickle\nm=audio 1 RTP/AVP 0\n"
      "m=audio 2 RTP/AVP 0\na=ice-ufrag:L06B\na=ice-pwd:xwu98LFYmlaHBVFNlGG44IkH\n"
      "a=ice-options:trickle renomination\n");
  ASSERT_TRUE(d);
  EXPECT_TRUE(ice_lite(*d));
  auto session = ice_credentials(*d, d->media[0]);
  ASSERT_TRUE(session && *session);
  EXPECT_EQ((*session)->ufrag, "8hhY");
  auto media = ice_credentials(*d, d->media[1]);
  ASSERT_TRUE(media && *media);
  EXPECT_EQ((*media)->pwd, "xwu98LFYmlaHBVFNlGG44IkH");
  EXPECT_EQ(ice_options(*d, d->media[0]), (std::vector<std::string>{"trickle"}));
  EXPECT_EQ(ice_options(*d, d->media[1]).size(), 2u);
  EXPECT_FALSE(parse_ice_ufrag("abc"));                  // shorter than 4
  EXPECT_FALSE(parse_ice_pwd("tooshort"));               // shorter than 22
  EXPECT_FALSE(parse_ice_ufrag(std::string(257, 'a')));  // longer than 256
  EXPECT_FALSE(parse_ice_ufrag("ab cd"));
  EXPECT_FALSE(parse_ice_options(""));

  d->media[1].attributes.remove("ice-pwd");
  d->attributes.remove("ice-pwd");
  auto missing = ice_credentials(*d, d->media[1]);
  ASSERT_TRUE(missing);
  EXPECT_FALSE(*missing);
  d->attributes.add("ice-pwd", "short");
  EXPECT_FALSE(ice_credentials(*d, d->media[1]));
}

TEST(Fingerprint, EveryHashLengthIsChecked) {
  const std::string sha256 =
      "sha-256 "
      "8C:A5:9C:CE:ED:BA:DE:0F:10:7C:FE:49:A7:47:F9:D7:9D:5A:44:C7:F5:FC:F9:A8:06:15:FA:67:82:C7:13:C1";
  auto f = parse_fingerprint(sha256);
  ASSERT_TRUE(f);
  EXPECT_EQ(f->hash, HashFunction::Sha256);
  EXPECT_EQ(f->digest.size(), 32u);
  EXPECT_EQ(f->digest[0], 0x8C);
  expect_round_trip(parse_fingerprint, sha256);
  for (auto h : {HashFunction::Sha1, HashFunction::Sha224, HashFunction::Sha256, HashFunction::Sha384,
                 HashFunction::Sha512}) {
    Fingerprint fp{h, std::vector<std::uint8_t>(digest_size(h), 0xAB)};
    expect_round_trip(parse_fingerprint, to_value(fp));
    Fingerprint short_fp{h, std::vector<std::uint8_t>(digest_size(h) - 1, 0xAB)};
    expect_rejects(parse_fingerprint, to_value(short_fp));
  }
  auto lower = parse_fingerprint("SHA-1 ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01");
  ASSERT_TRUE(lower);
  EXPECT_EQ(to_value(*lower), "sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01");
  for (auto bad :
       {"", "sha-256", "md5 AB:CD", "sha-1 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:0G",
        "sha-1 ABC:D:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01"}) {
    expect_rejects(parse_fingerprint, bad);
  }
}

TEST(Setup, RolesAndAnswers) {
  EXPECT_EQ(parse_setup("actpass").value(), Setup::ActPass);
  EXPECT_EQ(answer_setup(Setup::ActPass), Setup::Active);
  EXPECT_EQ(answer_setup(Setup::Active), Setup::Passive);
  EXPECT_EQ(answer_setup(Setup::Passive), Setup::Active);
  EXPECT_FALSE(answer_setup(Setup::HoldConn));
  EXPECT_FALSE(parse_setup("ACTPASS"));
  EXPECT_FALSE(parse_setup(""));
  EXPECT_TRUE(parse_tls_id("abcdefghij0123456789+/-_"));
  EXPECT_FALSE(parse_tls_id("short"));
  EXPECT_FALSE(parse_tls_id("abcdefghij0123456789!!"));
}

}  // namespace
}  // namespace rtcgate::sdp
