// `rtcgate policy explain`: the codec decision for real offers (tests/sdp/corpus) under a
// configuration file.
#include "rtcgate/gateway/cli.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace rtcgate::gateway {
namespace {

const std::string kCorpus = std::string(RTCGATE_SOURCE_DIR) + "/tests/sdp/corpus/sdp/";

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

Outcome explain(std::vector<std::string> args) {
  std::vector<std::string_view> views{"policy", "explain"};
  for (const std::string& a : args)
    views.push_back(a);
  std::ostringstream out, err;
  int code = run_cli(views, out, err);
  return {code, out.str(), err.str()};
}

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

std::string config(bool transcode) {
  const std::string pbx = "[pbx]\nuri = \"sip:127.0.0.1:5070\"\n";
  if (transcode) {
    return write_temp("explain_on.toml",
                      pbx +
                          "[codecs]\nweb = [\"opus\", \"telephone-event\"]\nlegacy = [\"PCMU\", \"PCMA\", "
                          "\"telephone-event\"]\ntranscode = true\nopus_complexity = 2\n");
  }
  return write_temp(
      "explain_off.toml",
      pbx + "[codecs]\nweb = [\"opus\", \"PCMA\"]\nlegacy = [\"PCMU\", \"PCMA\"]\ntranscode = false\n");
}

// Chromium's offer with Opus and telephone-event/48000 only.
std::string opus_only_offer() {
  std::ifstream in(kCorpus + "chromium_audio_offer.sdp");
  std::stringstream text;
  text << in.rdbuf();
  std::string sdp = text.str();
  const std::string from = "UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126";
  sdp.replace(sdp.find(from), from.size(), "UDP/TLS/RTP/SAVPF 111 110");
  return write_temp("opus_only.sdp", sdp);
}

TEST(PolicyExplain, BrowserOpusToG711PbxIsTranscoded) {
  Outcome r = explain({"--config", config(true), kCorpus + "chromium_audio_offer.sdp"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("from the web leg (a browser)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("decision:  transcode"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("offered to the legacy leg: PCMU/8000, PCMA/8000, telephone-event"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("the web leg is answered with opus/48000, telephone-event"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("complexity 2"), std::string::npos) << r.out;
}

TEST(PolicyExplain, WithoutTranscodingTheSameOfferIsRefused) {
  Outcome r = explain({"--config=" + config(false), opus_only_offer()});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("decision:  refused with 488"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("transcode = false"), std::string::npos) << r.out;
}

TEST(PolicyExplain, PbxOfferWithG711IsPassthroughOnlyWhenTheWebLegAllowsIt) {
  // The built-in configuration allows PCMU on both legs: a phone's PCMU passes through.
  Outcome r = explain({kCorpus + "polycom_vvx_offer.sdp"});
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_NE(r.out.find("from the legacy leg (a PBX)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("decision:  passthrough"), std::string::npos) << r.out;
  // With Opus only on the web leg it is transcoded.
  r = explain({"--config", config(true), kCorpus + "polycom_vvx_offer.sdp"});
  EXPECT_NE(r.out.find("decision:  transcode"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("offered to the web leg: opus/48000, telephone-event"), std::string::npos) << r.out;
}

TEST(PolicyExplain, BadInputIsAClearError) {
  EXPECT_EQ(explain({}).code, kExitUsage);
  EXPECT_EQ(explain({kCorpus + "no_such_file.sdp"}).code, kExitUsage);
  Outcome r = explain({write_temp("garbage.sdp", "this is not sdp\n")});
  EXPECT_EQ(r.code, kExitBadConfig);
  EXPECT_NE(r.err.find("not a session description"), std::string::npos) << r.err;
  std::vector<std::string_view> wrong{"policy", "describe"};
  std::ostringstream out, err;
  EXPECT_EQ(run_cli(wrong, out, err), kExitUsage);
}

}  // namespace
}  // namespace rtcgate::gateway
