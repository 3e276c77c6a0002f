// RFC 8840 application/trickle-ice-sdpfrag bodies.
#include <gtest/gtest.h>

#include <rtcgate/sdp/fragment.hpp>

namespace rtcgate::sdp {
namespace {

// The shape of the INFO body in RFC 8840 §4.4 / §9: credentials, then m= with mid and candidates.
constexpr std::string_view kInfoBody =
    "a=ice-ufrag:8hhY\r\n"
    "a=ice-pwd:asd88fgpdd777uzjYhagZg\r\n"
    "a=ice-options:trickle\r\n"
    "m=audio 9 RTP/AVP 0\r\n"
    "a=mid:1\r\n"
    "a=candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host\r\n"
    "a=candidate:2 1 UDP 1694498815 192.0.2.3 45664 typ srflx raddr 10.0.1.1 rport 8998\r\n"
    "a=end-of-candidates\r\n";

TEST(Fragment, ParsesAnInfoBodyAndRoundTrips) {
  auto f = parse_fragment(kInfoBody);
  ASSERT_TRUE(f) << f.error().line << ": " << f.error().reason;
  ASSERT_TRUE(f->credentials);
  EXPECT_EQ(f->credentials->ufrag, "8hhY");
  EXPECT_EQ(f->ice_options, (std::vector<std::string>{"trickle"}));
  ASSERT_EQ(f->media.size(), 1u);
  EXPECT_EQ(f->media[0].mid, "1");
  ASSERT_EQ(f->media[0].candidates.size(), 2u);
  EXPECT_EQ(f->media[0].candidates[1].related_port, 8998);
  EXPECT_TRUE(f->media[0].end_of_candidates);
  EXPECT_EQ(write(*f), kInfoBody);
}

TEST(Fragment, MultipleMediaLfOnlyAndMediaLevelCredentials) {
  auto f = parse_fragment(
      "a=ice-ufrag:aaaa\na=ice-pwd:0123456789012345678901\nm=audio 9 UDP/TLS/RTP/SAVPF 111\na=mid:0\n"
      "a=ice-ufrag:bbbb\na=ice-pwd:abcdefghijabcdefghijab\n"
      "a=candidate:1 1 udp 1 2cf0b2c0-0842-4fe3-aaa0-4556a2dfbadc.local 5000 typ host\n"
      "m=video 9 UDP/TLS/RTP/SAVPF 96\na=mid:1\na=x-unknown:kept\na=end-of-candidates\n");
  ASSERT_TRUE(f) << f.error().reason;
  ASSERT_EQ(f->media.size(), 2u);
  ASSERT_TRUE(f->media[0].credentials);
  EXPECT_EQ(f->media[0].credentials->ufrag, "bbbb");
  EXPECT_TRUE(f->media[0].candidates[0].is_mdns());
  EXPECT_FALSE(f->media[1].credentials);
  EXPECT_EQ(f->media[1].other.at(0).name, "x-unknown");
  auto again = parse_fragment(write(*f));
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *f);
}

TEST(Fragment, RejectsWithLineNumbers) {
  struct Case {
    const char* text;
    ParseErrc code;
    std::size_t line;
  };
  for (const Case& c : {
           Case{"", ParseErrc::Empty, 1},
           Case{"a=candidate:1 1 UDP 1 10.0.1.1 8998 typ host\n", ParseErrc::BadAttribute, 1},
           Case{"m=audio 9 RTP/AVP 0\na=candidate:1 1 UDP 1 10.0.1.1 8998 typ\n", ParseErrc::BadAttribute, 2},
           Case{"a=ice-ufrag:8hhY\nv=0\n", ParseErrc::UnexpectedLine, 2},
           Case{"a=ice-ufrag:8hhY\nnonsense\n", ParseErrc::MalformedLine, 2},
           Case{"a=ice-pwd:short\n", ParseErrc::BadAttribute, 1},
           Case{"m=audio x RTP/AVP 0\n", ParseErrc::BadMedia, 1},
           // A lone credential (found by fuzz_sdp_fragment: it was dropped, so nothing was written back).
           Case{"a=ice-ufrag:asd88fgpdd777uzjYhagZg\r\n", ParseErrc::BadAttribute, 1},
           Case{"a=ice-options:trickle\na=ice-pwd:asd88fgpdd777uzjYhagZg\nm=audio 9 RTP/AVP 0\n",
                ParseErrc::BadAttribute, 2},
           Case{"m=audio 9 RTP/AVP 0\na=mid:0\na=ice-ufrag:8hhY\nm=video 9 RTP/AVP 96\n",
                ParseErrc::BadAttribute, 3},
           Case{"m=audio 9 RTP/AVP 0\na=ice-pwd:asd88fgpdd777uzjYhagZg\na=mid:0\n", ParseErrc::BadAttribute,
                2},
       }) {
    auto f = parse_fragment(c.text);
    ASSERT_FALSE(f) << c.text;
    EXPECT_EQ(f.error().code, c.code) << c.text;
    EXPECT_EQ(f.error().line, c.line) << c.text;
  }
  Limits tight;
  tight.max_candidates = 1;
  auto many = parse_fragment(
      "m=audio 9 RTP/AVP 0\na=candidate:1 1 UDP 1 10.0.1.1 1 typ host\na=candidate:2 1 UDP 1 10.0.1.1 2 typ "
      "host\n",
      tight);
  ASSERT_FALSE(many);
  EXPECT_EQ(many.error().code, ParseErrc::TooManyCandidates);
  EXPECT_EQ(many.error().line, 3u);
}

TEST(Fragment, EveryLimitStopsAtTheLineThatCrossesIt) {
  struct Case {
    Limits limits;
    std::string text;
    ParseErrc code;
    std::size_t line;
  };
  Limits lines;
  lines.max_lines = 3;
  Limits length;
  length.max_line_length = 20;
  Limits media;
  media.max_media = 1;
  Limits attrs;
  attrs.max_attributes = 2;
  Limits size;
  size.max_body_size = 16;
  for (const Case& c : {
           Case{lines, "a=ice-options:trickle\nm=audio 9 RTP/AVP 0\na=mid:0\na=end-of-candidates\n",
                ParseErrc::TooManyLines, 4},
           Case{length, "a=ice-ufrag:8hhY\na=ice-pwd:asd88fgpdd777uzjYhagZg\n", ParseErrc::LineTooLong, 2},
           Case{media, "m=audio 9 RTP/AVP 0\na=mid:0\nm=video 9 RTP/AVP 96\n", ParseErrc::TooManyMedia, 3},
           Case{attrs, "m=audio 9 RTP/AVP 0\na=x-a\na=x-b\na=x-c\n", ParseErrc::TooManyAttributes, 4},
           Case{attrs, "a=x-a\na=x-b\na=x-c\n", ParseErrc::TooManyAttributes, 3},
           Case{size, "a=ice-options:trickle\n", ParseErrc::TooLarge, 1},  // whole body: reported on line 1
       }) {
    auto f = parse_fragment(c.text, c.limits);
    ASSERT_FALSE(f) << c.text;
    EXPECT_EQ(f.error().code, c.code) << c.text;
    EXPECT_EQ(f.error().line, c.line) << c.text;
  }
}

}  // namespace
}  // namespace rtcgate::sdp
