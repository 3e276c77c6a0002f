// Golden offer/answer tests (rtpengine's style, as files): each directory under tests/sdp/golden
// names an offer from the corpus and a local policy in policy.txt, and holds what rtcgate must
// produce from it:
//   expected.sdp     the answer (mode answer) or the other leg's offer (mode bridge), byte for byte
//   negotiated.txt   describe() of every NegotiatedMedia (mode answer), or "error: <code>"
// Outputs are deterministic (session ids, keys and credentials come from the policy), so no field
// needs normalising. RTCGATE_UPDATE_GOLDEN=1 rewrites the expected files; review the diff.
#include <gtest/gtest.h>

#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace rtcgate::sdp {
namespace {

namespace fs = std::filesystem;

const fs::path kSdpDir = fs::path(RTCGATE_SOURCE_DIR) / "tests/sdp";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> split(const std::string& list, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(list);
  for (std::string item; std::getline(ss, item, sep);) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// "key = value" lines; '#' starts a comment line.
std::map<std::string, std::string> read_policy(const fs::path& path) {
  std::map<std::string, std::string> out;
  std::istringstream in(read_file(path));
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t\r") + 1);
      return s;
    };
    out[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
  }
  return out;
}

std::string get(const std::map<std::string, std::string>& kv, const std::string& key, std::string fallback) {
  auto it = kv.find(key);
  return it == kv.end() ? fallback : it->second;
}

Crypto sdes_key(std::uint32_t tag, const char* suite, std::uint8_t fill) {
  return Crypto{tag, suite, {CryptoKey{std::vector<std::uint8_t>(30, fill), {}, {}, {}}}, {}};
}

LocalPolicy make_policy(const std::map<std::string, std::string>& kv) {
  LocalPolicy p;
  p.leg = get(kv, "leg", "legacy") == "webrtc" ? Leg::WebRtc : Leg::Legacy;
  p.session.address = get(kv, "address", "192.0.2.10");
  p.session.session_id = "1700000000";
  p.session.session_version = "1";
  p.port = static_cast<std::uint16_t>(std::stoi(get(kv, "port", "40000")));
  p.codecs.clear();
  for (const auto& name : split(get(kv, "codecs", "PCMU,PCMA"), ',')) {
    auto codec = codec_by_name(name);
    EXPECT_TRUE(codec) << name;
    if (codec) p.codecs.push_back(*codec);
  }
  p.telephone_event = get(kv, "telephone-event", "yes") == "yes";
  p.media_types = split(get(kv, "media-types", "audio"), ',');
  p.max_streams = static_cast<std::size_t>(std::stoi(get(kv, "max-streams", "1")));
  p.direction = parse_direction(get(kv, "direction", "sendrecv")).value_or(Direction::SendRecv);
  p.rtcp_mux = get(kv, "rtcp-mux", "no") == "yes";
  p.allow_plain_rtp = get(kv, "plain-rtp", "yes") == "yes";
  if (get(kv, "sdes", "no") == "yes") {
    p.sdes = {sdes_key(1, "AES_CM_128_HMAC_SHA1_80", 0x11), sdes_key(2, "AES_CM_128_HMAC_SHA1_32", 0x22)};
  }
  if (p.leg == Leg::WebRtc) {
    p.ice = IceCredentials{"gAtE", "rtcgateicepassword0123"};
    p.candidates = {*parse_candidate("1 1 udp 2130706431 " + p.session.address + " " +
                                     std::to_string(p.port) + " typ host")};
    p.end_of_candidates = true;
    p.fingerprint = Fingerprint{HashFunction::Sha256, std::vector<std::uint8_t>(32, 0x5A)};
  }
  return p;
}

struct Produced {
  std::string sdp;
  std::string negotiated;
};

Produced produce(const std::map<std::string, std::string>& kv, const SessionDescription& offer) {
  const LocalPolicy policy = make_policy(kv);
  Produced out;
  if (get(kv, "mode", "answer") == "bridge") {
    auto d = bridge_offer(policy, offer);
    if (d)
      out.sdp = write(*d);
    else
      out.negotiated = "error: " + d.error().reason + "\n";
    return out;
  }
  auto answer = answer_offer(policy, offer);
  if (!answer) {
    out.negotiated = "error: " + answer.error().reason + "\n";
    return out;
  }
  out.sdp = write(answer->description);
  for (const auto& m : answer->media)
    out.negotiated += describe(m) + "\n";
  return out;
}

void check_or_update(const fs::path& path, const std::string& produced) {
  if (std::getenv("RTCGATE_UPDATE_GOLDEN") != nullptr) {
    if (produced.empty()) {
      fs::remove(path);
    } else {
      std::ofstream(path, std::ios::binary) << produced;
    }
    return;
  }
  if (produced.empty()) {
    EXPECT_FALSE(fs::exists(path)) << path << " exists but nothing was produced";
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path << " is missing; produced:\n" << produced;
  EXPECT_EQ(produced, read_file(path)) << "golden file " << path;
}

std::vector<std::string> golden_cases() {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(kSdpDir / "golden")) {
    if (entry.is_directory()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string case_name(const testing::TestParamInfo<std::string>& param) {
  std::string name = param.param;
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

class Golden : public testing::TestWithParam<std::string> {};

TEST_P(Golden, ProducesTheExpectedDescription) {
  const fs::path dir = kSdpDir / "golden" / GetParam();
  const auto kv = read_policy(dir / "policy.txt");
  ASSERT_TRUE(kv.contains("offer")) << dir << "/policy.txt names no offer";
  const std::string text = read_file(kSdpDir / "corpus/sdp" / kv.at("offer"));
  auto offer = parse(text);
  ASSERT_TRUE(offer) << offer.error().line << ": " << offer.error().reason;
  const Produced produced = produce(kv, *offer);
  check_or_update(dir / "expected.sdp", produced.sdp);
  check_or_update(dir / "negotiated.txt", produced.negotiated);
  if (!produced.sdp.empty()) {
    // What we send must itself be a description we accept, unchanged by a round trip.
    auto again = parse(produced.sdp);
    ASSERT_TRUE(again) << again.error().line << ": " << again.error().reason;
    EXPECT_EQ(write(*again), produced.sdp);
  }
}

TEST(GoldenSet, CoversEveryKindOfCorpusOffer) {
  // Guard against the directory walk silently finding nothing.
  EXPECT_GE(golden_cases().size(), 15u);
}

INSTANTIATE_TEST_SUITE_P(Sdp, Golden, testing::ValuesIn(golden_cases()), case_name);

}  // namespace
}  // namespace rtcgate::sdp
