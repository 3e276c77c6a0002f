#include <gtest/gtest.h>

#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace rtcgate::sdp {
namespace {

TEST(Write, UsesCrlfAndRfcOrder) {
  auto d = parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=x:1\nm=audio 9 RTP/AVP 0\na=rtcp-mux\n");
  ASSERT_TRUE(d);
  EXPECT_EQ(
      write(*d),
      "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=x:1\r\nm=audio 9 RTP/AVP 0\r\na=rtcp-mux\r\n");
}

TEST(Write, EmptyValueAttributeDiffersFromProperty) {
  auto d = parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\na=flag\na=empty:\n");
  ASSERT_TRUE(d);
  EXPECT_NE(write(*d).find("a=flag\r\na=empty:\r\n"), std::string::npos);
}

TEST(Write, DefaultDescriptionIsParseable) {
  SessionDescription d;
  MediaDescription m;
  m.port = 4000;
  m.formats = {"0"};
  d.media.push_back(m);
  auto back = parse(write(d));
  ASSERT_TRUE(back) << back.error().reason;
  EXPECT_EQ(back->media.at(0).port, 4000);
}

TEST(Write, MultipleSpacesNormaliseAndStayStable) {
  auto d = parse("v=0\no=-  1 1 IN  IP4 0.0.0.0\ns=-\nt=0  0\nm=audio  9 RTP/AVP  0   8\n");
  ASSERT_TRUE(d);
  const std::string once = write(*d);
  EXPECT_NE(once.find("m=audio 9 RTP/AVP 0 8\r\n"), std::string::npos);
  auto again = parse(once);
  ASSERT_TRUE(again);
  EXPECT_EQ(write(*again), once);
  EXPECT_EQ(*again, *d);
}

// Every description in the corpus round-trips: parse → write → parse is equal, write is stable.
TEST(Write, CorpusRoundTrip) {
  const std::filesystem::path dir = std::filesystem::path(RTCGATE_SOURCE_DIR) / "tests/sdp/corpus/sdp";
  std::size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".sdp") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto first = parse(ss.str());
    ASSERT_TRUE(first) << entry.path().filename() << " line " << first.error().line << ": "
                       << first.error().reason;
    const std::string text = write(*first);
    auto second = parse(text);
    ASSERT_TRUE(second) << entry.path().filename();
    EXPECT_EQ(*first, *second) << entry.path().filename();
    EXPECT_EQ(write(*second), text) << entry.path().filename();
    ++n;
  }
  EXPECT_GE(n, 3u);
}

}  // namespace
}  // namespace rtcgate::sdp
