// Every description in tests/sdp/corpus parses, and parse -> write -> parse is stable (RFC 8866
// lossless round trip: unknown lines and attributes survive in order). Files that arrive with
// CRLF line ends, as every real endpoint sends them, are written back byte for byte.
#include <gtest/gtest.h>

#include <rtcgate/sdp/fragment.hpp>
#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace rtcgate::sdp {
namespace {

namespace fs = std::filesystem;

const fs::path kCorpus = fs::path(RTCGATE_SOURCE_DIR) / "tests/sdp/corpus";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> files_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool all_lines_crlf(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) return false;
  }
  return !text.empty() && text.back() == '\n';
}

std::string test_name(const testing::TestParamInfo<std::string>& param) {
  std::string name = param.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

class CorpusSdp : public testing::TestWithParam<std::string> {};

TEST_P(CorpusSdp, ParsesAndRoundTrips) {
  const std::string text = read_file(kCorpus / "sdp" / GetParam());
  auto first = parse(text);
  ASSERT_TRUE(first) << "line " << first.error().line << ": " << first.error().reason;
  const std::string written = write(*first);
  auto second = parse(written);
  ASSERT_TRUE(second) << "line " << second.error().line << ": " << second.error().reason << "\n" << written;
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(write(*second), written);
  if (all_lines_crlf(text)) {
    EXPECT_EQ(written, text);
  }
}

INSTANTIATE_TEST_SUITE_P(Sdp, CorpusSdp, testing::ValuesIn(files_in(kCorpus / "sdp")), test_name);

class CorpusSdpFragment : public testing::TestWithParam<std::string> {};

TEST_P(CorpusSdpFragment, ParsesAndRoundTrips) {
  const std::string text = read_file(kCorpus / "sdpfrag" / GetParam());
  auto first = parse_fragment(text);
  ASSERT_TRUE(first) << "line " << first.error().line << ": " << first.error().reason;
  const std::string written = write(*first);
  auto second = parse_fragment(written);
  ASSERT_TRUE(second) << "line " << second.error().line << ": " << second.error().reason << "\n" << written;
  EXPECT_EQ(*second, *first);
  EXPECT_EQ(write(*second), written);
}

INSTANTIATE_TEST_SUITE_P(Sdp, CorpusSdpFragment, testing::ValuesIn(files_in(kCorpus / "sdpfrag")), test_name);

TEST(CorpusSet, HoldsTheLiveCapturesAndEnoughOthers) {
  const auto files = files_in(kCorpus / "sdp");
  for (const char* captured :
       {"chromium_audio_offer.sdp", "chromium_audio_video_offer.sdp", "wrtc_audio_offer.sdp",
        "wrtc_audio_video_offer.sdp", "aiortc_audio_offer.sdp", "aiortc_audio_video_offer.sdp"}) {
    EXPECT_TRUE(std::find(files.begin(), files.end(), captured) != files.end()) << captured;
  }
  EXPECT_GE(files.size(), 25u);
  EXPECT_GE(files_in(kCorpus / "sdpfrag").size(), 4u);
}

}  // namespace
}  // namespace rtcgate::sdp
