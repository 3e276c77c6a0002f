// RFC 4475 (torture) and RFC 5118 (IPv6) messages as data: every file listed in a manifest is
// parsed; valid and semantic ones must parse and survive serialize → parse unchanged, invalid ones
// must fail with the manifest's error code.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
#include <vector>

#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/serialize.hpp"

namespace rtcgate::sip {
namespace {

struct Case {
  std::string dir;
  std::string file;
  std::string cls;     // valid | invalid | semantic
  std::string error;   // ParseErrorCode name for invalid ones
  std::string answer;  // invalid ones: the status make_bad_request answers with, or "none"
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The manifests hold one entry per line: "name": {"class": "...", "error": "...", "answer": "..."}.
std::vector<Case> load_manifest(const std::string& dir) {
  const std::string text = read_file(std::filesystem::path(RTCGATE_SOURCE_DIR) / dir / "manifest.json");
  static const std::regex entry(
      R"re("([^"]+)":\s*\{"class":\s*"(\w+)"(?:,\s*"error":\s*"(\w+)",\s*"answer":\s*"(\w+)")?\})re");
  std::vector<Case> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), entry); it != std::sregex_iterator(); ++it) {
    out.push_back(Case{dir, (*it)[1], (*it)[2], (*it)[3], (*it)[4]});
  }
  return out;
}

std::vector<Case> all_cases() {
  std::vector<Case> cases = load_manifest("tests/sip/rfc4475");
  std::vector<Case> ipv6 = load_manifest("tests/sip/rfc5118");
  cases.insert(cases.end(), ipv6.begin(), ipv6.end());
  return cases;
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.dir << '/' << c.file << " (" << c.cls << ')';
}

// An invalid request gets the manifest's status from make_bad_request, with the error code in the
// Warning and the request's top Via and CSeq echoed; "none" means it must not be answered.
void check_answer(const Case& c, const std::string& text, const ParseError& error) {
  const auto answer = make_bad_request(text, error, "gw.example.com");
  if (c.answer == "none") {
    EXPECT_FALSE(answer) << c.file << " must not be answered";
    return;
  }
  ASSERT_TRUE(answer) << c.file << " must be answered with " << c.answer;
  EXPECT_EQ(std::to_string(answer->status()), c.answer);
  EXPECT_FALSE(answer->reason().empty());
  const auto warning = answer->first("Warning");
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find(to_string(error.code)), std::string_view::npos) << *warning;
  ASSERT_TRUE(answer->top_via());
  EXPECT_NE(text.find(answer->top_via()->branch()), std::string::npos);
  EXPECT_TRUE(answer->first("CSeq"));
  const std::string wire = serialize(*answer);
  EXPECT_EQ(wire.find("\r\n\r\n"), wire.size() - 4) << wire;  // no body, no stray line end
}

class TortureTest : public testing::TestWithParam<Case> {};

TEST_P(TortureTest, ParsesAsTheManifestSays) {
  const Case& c = GetParam();
  const std::string text = read_file(std::filesystem::path(RTCGATE_SOURCE_DIR) / c.dir / c.file);
  ASSERT_FALSE(text.empty()) << c.file;
  const auto parsed = parse_message(text);
  if (c.cls == "invalid") {
    ASSERT_FALSE(parsed) << c.file << " parsed but must be rejected";
    EXPECT_EQ(to_string(parsed.error().code), c.error) << parsed.error().reason;
    check_answer(c, text, parsed.error());
    return;
  }
  ASSERT_TRUE(parsed) << c.file << ": " << to_string(parsed.error().code) << ": " << parsed.error().reason;
  const std::string wire = serialize(*parsed);
  const auto again = parse_message(wire);
  ASSERT_TRUE(again) << wire;
  EXPECT_EQ(serialize(*again), wire);
  // Every header comes back in order with the same name and value; Content-Length is recomputed
  // (and added when the original had none, as in inv2543), so it is compared through body().
  auto without_length = [](const Message& m) {
    std::vector<Header> out;
    for (const Header& h : m.headers()) {
      if (h.id != HeaderId::ContentLength) out.push_back(h);
    }
    return out;
  };
  const auto before = without_length(*parsed);
  const auto after = without_length(*again);
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i].name, before[i].name);
    EXPECT_EQ(after[i].value, before[i].value);
  }
  EXPECT_EQ(again->body(), parsed->body());
  EXPECT_EQ(again->is_request(), parsed->is_request());
  if (parsed->is_request()) {
    EXPECT_EQ(again->method_token(), parsed->method_token());
    EXPECT_TRUE(again->request_uri() == parsed->request_uri());
  } else {
    EXPECT_EQ(again->status(), parsed->status());
    EXPECT_EQ(again->reason(), parsed->reason());
  }
}

INSTANTIATE_TEST_SUITE_P(Rfc4475AndRfc5118, TortureTest, testing::ValuesIn(all_cases()),
                         [](const testing::TestParamInfo<Case>& param_info) {
                           std::string name =
                               param_info.param.file.substr(0, param_info.param.file.find('.'));
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name;
                         });

TEST(TortureManifest, ListsEveryMessage) {
  // 49 messages in RFC 4475 §3, 12 in RFC 5118 §4; a lost manifest line must not go unnoticed.
  EXPECT_EQ(load_manifest("tests/sip/rfc4475").size(), 49u);
  EXPECT_EQ(load_manifest("tests/sip/rfc5118").size(), 12u);
  for (const Case& c : all_cases()) {
    if (c.cls == "invalid") {
      EXPECT_FALSE(c.error.empty() || c.answer.empty()) << c.file << " needs an error and an answer";
    }
  }
}

// Spot checks of what the RFC says each valid message means.
const std::string kDir = std::string(RTCGATE_SOURCE_DIR) + "/tests/sip/rfc4475/";

TEST(TortureDetails, WsinvUnfoldsAndSplits) {
  const auto m = parse_message(read_file(kDir + "wsinv.sip"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to()->tag(), "1918181833n");
  EXPECT_EQ(m->from()->display_name, "J Rosenberg \\\"");
  EXPECT_EQ(m->from()->tag(), "98asjd8");
  EXPECT_EQ(*m->max_forwards(), 68u);
  EXPECT_EQ(m->cseq()->number, 9u);
  const auto vias = m->vias();
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0].branch(), "390skdjuw");
  EXPECT_EQ(vias[1].transport, "TCP");
  EXPECT_EQ(vias[1].host, "spindle.example.com");
  EXPECT_EQ(vias[2].branch(), "z9hG4bK30239");
  EXPECT_EQ(*m->first("Subject"), "");
  EXPECT_EQ(*m->first("NewFangledHeader"), "newfangled value continued newfangled value");
  EXPECT_EQ(*m->first("UnknownHeaderWithUnusualValue"), ";;,,;;,;");
  const auto contacts = m->contacts();
  ASSERT_TRUE(contacts);
  ASSERT_EQ(contacts->contacts.size(), 1u);
  EXPECT_EQ(contacts->contacts[0].display_name, "Quoted string \"\"");
  EXPECT_EQ(*contacts->contacts[0].param("q"), "0.33");
  EXPECT_EQ(*contacts->contacts[0].param("secondparam"), "");
  EXPECT_EQ(m->body().size(), 150u);
}

TEST(TortureDetails, IntmethKeepsUnusualTokens) {
  const auto m = parse_message(read_file(kDir + "intmeth.sip"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method(), Method::Extension);
  EXPECT_EQ(m->method_token(), "!interesting-Method0123456789_*+`.%indeed'~");
  EXPECT_EQ(m->request_uri().user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(*m->request_uri().password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(m->to()->display_name, std::string("BEL:\x07 NUL:\0 DEL:\x7F", 17));
  EXPECT_EQ(m->from()->tag(), "_token~1'+`*%!-.");
  EXPECT_EQ(*m->call_id(), "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
}

TEST(TortureDetails, Esc02PercentIsNotAnEscapeOutsideUris) {
  const auto m = parse_message(read_file(kDir + "esc02.sip"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method(), Method::Extension);
  EXPECT_EQ(m->contacts()->contacts.size(), 2u);
  EXPECT_EQ(m->count("C%6Fntact"), 1u);
  EXPECT_EQ(m->to()->display_name, "%Z%45");
}

TEST(TortureDetails, DblreqIgnoresTrailingOctets) {
  const auto m = parse_message(read_file(kDir + "dblreq.sip"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->method(), Method::Register);
  EXPECT_TRUE(m->body().empty());
}

TEST(TortureDetails, SemiuriUserPartKeepsItsSemicolon) {
  const auto m = parse_message(read_file(kDir + "semiuri.sip"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->request_uri().user, "user;par=u%40example.net");
  EXPECT_EQ(unescape(m->request_uri().user), "user;par=u@example.net");
  EXPECT_EQ(m->all("Accept").size(), 6u);
}

TEST(TortureDetails, EscnullUnescapesToDistinctUsers) {
  const auto m = parse_message(read_file(kDir + "escnull.sip"));
  ASSERT_TRUE(m);
  const auto contacts = m->contacts();
  ASSERT_EQ(contacts->contacts.size(), 2u);
  EXPECT_EQ(unescape(contacts->contacts[0].uri.user), std::string(1, '\0'));
  EXPECT_EQ(unescape(contacts->contacts[1].uri.user), std::string(2, '\0'));
  EXPECT_FALSE(contacts->contacts[0].uri == contacts->contacts[1].uri);
}

TEST(TortureDetails, Mpart01BinaryBodyKept) {
  const auto m = parse_message(read_file(kDir + "mpart01.sip"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->body().size(), 553u);
  EXPECT_TRUE(m->top_via()->has_rport());
  EXPECT_FALSE(m->top_via()->rport());
}

TEST(TortureDetails, Inv2543AcceptedWithoutBranchOrContentLength) {
  const auto m = parse_message(read_file(kDir + "inv2543.sip"));
  ASSERT_TRUE(m);
  EXPECT_FALSE(m->top_via()->has_rfc3261_branch());
  EXPECT_FALSE(m->content_length());
  EXPECT_EQ(*m->to()->param("user"), "phone");  // addr-spec: ;user=phone is a header parameter
  EXPECT_TRUE(m->body().starts_with("v=0"));
}

TEST(TortureDetails, UnknownSchemesParseOpaque) {
  const auto m = parse_message(read_file(kDir + "unksm2.sip"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to()->uri.scheme, UriScheme::Other);
  EXPECT_EQ(m->to()->uri.opaque, "2983792873");
  EXPECT_EQ(m->from()->uri.scheme_name, "http");
}

}  // namespace
}  // namespace rtcgate::sip
