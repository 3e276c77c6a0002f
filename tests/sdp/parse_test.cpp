#include <gtest/gtest.h>

#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

#include <string>

namespace rtcgate::sdp {
namespace {

constexpr std::string_view kMinimal =
    "v=0\r\n"
    "o=- 123 2 IN IP4 192.0.2.1\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.1\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=sendrecv\r\n";

TEST(Parse, MinimalAudioOffer) {
  auto d = parse(kMinimal);
  ASSERT_TRUE(d) << d.error().reason;
  EXPECT_EQ(d->origin.session_id, "123");
  EXPECT_EQ(d->origin.session_version, "2");
  EXPECT_EQ(d->origin.address, "192.0.2.1");
  ASSERT_TRUE(d->connection);
  EXPECT_EQ(d->connection->address, "192.0.2.1");
  ASSERT_EQ(d->timings.size(), 1u);
  ASSERT_EQ(d->media.size(), 1u);
  const auto& m = d->media[0];
  EXPECT_EQ(m.media, "audio");
  EXPECT_EQ(m.port, 49170);
  EXPECT_EQ(m.proto, "RTP/AVP");
  EXPECT_EQ(m.formats, (std::vector<std::string>{"0", "8", "101"}));
  ASSERT_EQ(m.attributes.items.size(), 3u);
  EXPECT_EQ(m.attributes.value("fmtp"), "101 0-15");
  EXPECT_TRUE(m.attributes.has("sendrecv"));
  EXPECT_FALSE(m.attributes.find("sendrecv")->value.has_value());
}

TEST(Parse, LfOnlyEqualsCrlf) {
  std::string lf;
  for (char c : kMinimal) {
    if (c != '\r') lf.push_back(c);
  }
  auto a = parse(kMinimal);
  auto b = parse(lf);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
}

TEST(Parse, NoTrailingNewlineAndBlankLinesTolerated) {
  auto d = parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=x\nt=0 0\n\n\nm=audio 0 RTP/AVP 0");
  ASSERT_TRUE(d) << d.error().reason;
  EXPECT_EQ(d->media.at(0).port, 0);
}

TEST(Parse, AllSessionFieldsInOrder) {
  auto d = parse(
      "v=0\n"
      "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\n"
      "s=Call to John Smith\n"
      "i=SDP Offer #1\n"
      "u=http://www.jdoe.example.com/home.html\n"
      "e=Jane Doe <jane@jdoe.example.com>\n"
      "p=+1 617 555-6011\n"
      "c=IN IP4 198.51.100.1\n"
      "b=AS:64\n"
      "t=0 0\n"
      "r=7d 1h 0 25h\n"
      "z=2882844526 -1h 2898848070 0\n"
      "k=prompt\n"
      "a=recvonly\n"
      "m=audio 49170 RTP/AVP 0\n"
      "i=voice\n"
      "c=IN IP4 198.51.100.2\n"
      "b=TIAS:64000\n"
      "k=prompt\n"
      "a=ptime:20\n"
      "m=video 51372 RTP/AVP 99\n"
      "c=IN IP6 2001:db8::2\n"
      "a=rtpmap:99 h263-1998/90000\n");
  ASSERT_TRUE(d) << d.error().line << ": " << d.error().reason;
  EXPECT_EQ(d->information, "SDP Offer #1");
  EXPECT_EQ(d->emails.size(), 1u);
  EXPECT_EQ(d->phones.size(), 1u);
  EXPECT_EQ(d->bandwidths.at(0).type, "AS");
  EXPECT_EQ(d->bandwidths.at(0).value, 64u);
  EXPECT_EQ(d->timings.at(0).repeats.at(0), "7d 1h 0 25h");
  EXPECT_EQ(d->zone, "2882844526 -1h 2898848070 0");
  EXPECT_EQ(d->media.at(0).information, "voice");
  EXPECT_EQ(d->media.at(0).bandwidths.at(0).value, 64000u);
  EXPECT_EQ(d->media.at(1).connections.at(0).addr_type, "IP6");
  EXPECT_EQ(d->connection_for(d->media[0])->address, "198.51.100.2");
}

TEST(Parse, MulticastConnectionForms) {
  auto d = parse(
      "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nc=IN IP4 233.252.0.1/127/3\nt=0 0\n"
      "m=audio 49170/2 RTP/AVP 0\nc=IN IP6 ff15::101/3\n");
  ASSERT_TRUE(d) << d.error().reason;
  EXPECT_EQ(d->connection->ttl, 127u);
  EXPECT_EQ(d->connection->address_count, 3u);
  EXPECT_EQ(d->media[0].port_count, 2);
  EXPECT_FALSE(d->media[0].connections[0].ttl);
  EXPECT_EQ(d->media[0].connections[0].address_count, 3u);
}

TEST(Parse, UnknownLineTypeIsKeptInItsSection) {
  auto d =
      parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\ny=session extra\nm=audio 9 RTP/AVP 0\nx=media extra\n");
  ASSERT_TRUE(d) << d.error().reason;
  ASSERT_EQ(d->extra_lines.size(), 1u);
  EXPECT_EQ(d->extra_lines[0].type, 'y');
  ASSERT_EQ(d->media[0].extra_lines.size(), 1u);
  EXPECT_EQ(d->media[0].extra_lines[0].value, "media extra");
}

struct BadCase {
  const char* text;
  ParseErrc code;
  std::size_t line;
};

class ParseRejects : public testing::TestWithParam<BadCase> {};

TEST_P(ParseRejects, WithCodeAndLine) {
  auto d = parse(GetParam().text);
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, GetParam().code) << to_string(d.error().code) << ": " << d.error().reason;
  EXPECT_EQ(d.error().line, GetParam().line);
  EXPECT_FALSE(d.error().reason.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseRejects,
    testing::Values(
        BadCase{"", ParseErrc::Empty, 1}, BadCase{"\n\n", ParseErrc::Empty, 1},
        BadCase{"v=1\n", ParseErrc::BadVersion, 1},
        BadCase{"o=- 1 1 IN IP4 0.0.0.0\n", ParseErrc::UnexpectedLine, 1},
        BadCase{"v=0\nvv\n", ParseErrc::MalformedLine, 2},
        BadCase{"v=0\n o=x\n", ParseErrc::MalformedLine, 2},
        BadCase{"v=0\nO=x\n", ParseErrc::MalformedLine, 2},
        BadCase{"v=0\no=- 1 1 IN IP4\n", ParseErrc::BadOrigin, 2},
        BadCase{"v=0\no=- x 1 IN IP4 0.0.0.0\n", ParseErrc::BadOrigin, 2},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\n", ParseErrc::MissingLine, 2},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\n", ParseErrc::MissingLine, 3},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 1 RTP/AVP 0\n", ParseErrc::UnexpectedLine, 4},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0\n", ParseErrc::BadTiming, 4},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nc=IN IP4\nt=0 0\n", ParseErrc::BadConnection, 4},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nc=IN IP4 1.2.3.4/300\nt=0 0\n", ParseErrc::BadConnection,
                4},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nb=AS\nt=0 0\n", ParseErrc::BadBandwidth, 4},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 70000 RTP/AVP 0\n", ParseErrc::BadMedia, 5},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio x\n", ParseErrc::BadMedia, 5},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=:x\n", ParseErrc::BadAttribute, 5},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 1 RTP/AVP 0\nt=0 0\n",
                ParseErrc::UnexpectedLine, 6},
        BadCase{"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=x\nc=IN IP4 1.1.1.1\n", ParseErrc::UnexpectedLine,
                6}));

TEST(ParseLimits, EachLimitHasItsOwnCode) {
  const std::string head = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n";
  Limits tight;
  tight.max_lines = 6;
  auto lines = parse(head + "a=x\na=y\na=z\n", tight);
  ASSERT_FALSE(lines);
  EXPECT_EQ(lines.error().code, ParseErrc::TooManyLines);
  EXPECT_EQ(lines.error().line, 7u);

  tight = {};
  tight.max_line_length = 10;
  auto longline = parse(head + "a=0123456789\n", tight);
  ASSERT_FALSE(longline);
  EXPECT_EQ(longline.error().code, ParseErrc::LineTooLong);

  tight = {};
  tight.max_media = 1;
  auto media = parse(head + "m=audio 1 RTP/AVP 0\nm=audio 2 RTP/AVP 0\n", tight);
  ASSERT_FALSE(media);
  EXPECT_EQ(media.error().code, ParseErrc::TooManyMedia);
  EXPECT_EQ(media.error().line, 6u);

  tight = {};
  tight.max_attributes = 2;
  auto attrs = parse(head + "a=x\na=y\nm=audio 1 RTP/AVP 0\na=x\na=y\na=z\n", tight);
  ASSERT_FALSE(attrs);
  EXPECT_EQ(attrs.error().code, ParseErrc::TooManyAttributes);
  EXPECT_EQ(attrs.error().line, 10u);

  tight = {};
  tight.max_candidates = 1;
  auto cands = parse(head +
                         "m=audio 1 RTP/AVP 0\na=candidate:1 1 udp 1 1.2.3.4 5 typ host\n"
                         "a=candidate:2 1 udp 1 1.2.3.4 6 typ host\n",
                     tight);
  ASSERT_FALSE(cands);
  EXPECT_EQ(cands.error().code, ParseErrc::TooManyCandidates);

  tight = {};
  tight.max_body_size = 8;
  auto big = parse(head, tight);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ParseErrc::TooLarge);
}

// The defaults stop hostile input at the first line past each limit and name that line.
TEST(ParseLimits, DefaultsNameTheOffendingLine) {
  const std::string head = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nt=0 0\r\n";
  const Limits defaults;

  std::string many_lines = head + "m=audio 4000 RTP/AVP 0\r\n";
  for (std::size_t i = 0; i < defaults.max_lines; ++i)
    many_lines += "b=AS:1\r\n";
  auto lines = parse(many_lines);
  ASSERT_FALSE(lines);
  EXPECT_EQ(lines.error().code, ParseErrc::TooManyLines);
  EXPECT_EQ(lines.error().line, defaults.max_lines + 1);

  auto longline = parse(head + "a=x-long:" + std::string(defaults.max_line_length, 'x') + "\r\n");
  ASSERT_FALSE(longline);
  EXPECT_EQ(longline.error().code, ParseErrc::LineTooLong);
  EXPECT_EQ(longline.error().line, 5u);

  std::string many_media = head;
  for (std::size_t i = 0; i <= defaults.max_media; ++i)
    many_media += "m=audio 4000 RTP/AVP 0\r\n";
  auto media = parse(many_media);
  ASSERT_FALSE(media);
  EXPECT_EQ(media.error().code, ParseErrc::TooManyMedia);
  EXPECT_EQ(media.error().line, 4 + defaults.max_media + 1);

  std::string many_attrs = head + "m=audio 4000 RTP/AVP 0\r\n";
  for (std::size_t i = 0; i <= defaults.max_attributes; ++i)
    many_attrs += "a=sendrecv\r\n";
  auto attrs = parse(many_attrs);
  ASSERT_FALSE(attrs);
  EXPECT_EQ(attrs.error().code, ParseErrc::TooManyAttributes);
  EXPECT_EQ(attrs.error().line, 5 + defaults.max_attributes + 1);

  // Candidates are capped over the whole description, not per section.
  std::string many_candidates = head;
  std::size_t line = 4;
  for (std::size_t i = 0; i <= defaults.max_candidates; ++i) {
    if (i % 100 == 0) {
      many_candidates += "m=audio 4000 RTP/AVP 0\r\n";
      ++line;
    }
    many_candidates += "a=candidate:" + std::to_string(i) + " 1 udp 1 192.0.2.1 " + std::to_string(1000 + i) +
                       " typ host\r\n";
    ++line;
  }
  auto cands = parse(many_candidates);
  ASSERT_FALSE(cands);
  EXPECT_EQ(cands.error().code, ParseErrc::TooManyCandidates);
  EXPECT_EQ(cands.error().line, line);

  auto big = parse(head + "a=x-big:" + std::string(defaults.max_body_size, 'x') + "\r\n");
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, ParseErrc::TooLarge);
  EXPECT_EQ(big.error().line, 1u);  // checked before any line is read; the CLI still prints "line 1: ..."
}

}  // namespace
}  // namespace rtcgate::sdp
