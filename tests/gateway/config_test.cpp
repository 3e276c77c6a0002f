#include "rtcgate/gateway/config_load.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

namespace rtcgate::gateway {
namespace {

const std::string kConfigs = std::string(RTCGATE_SOURCE_DIR) + "/tests/gateway/configs";

std::string joined(const std::vector<ConfigDiagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics)
    out += d.to_string() + "\n";
  return out;
}

LoadedConfig load_ok(std::string_view text) {
  auto result = load_config_text(text, "t.toml");
  EXPECT_TRUE(result) << (result ? "" : joined(result.error()));
  return result ? *result : LoadedConfig{};
}

std::vector<ConfigDiagnostic> load_bad(std::string_view text) {
  auto result = load_config_text(text, "t.toml");
  EXPECT_FALSE(result);
  return result ? std::vector<ConfigDiagnostic>{} : result.error();
}

TEST(Config, BuiltinDefaults) {
  Config c = default_config();
  EXPECT_TRUE(c.builtin);
  ASSERT_EQ(c.sip.listen.size(), 2u);
  EXPECT_EQ(c.sip.listen[0].to_string(), "udp:127.0.0.1:5060");
  EXPECT_EQ(c.sip.listen[1].to_string(), "ws:127.0.0.1:8080");
  ASSERT_TRUE(c.websocket_listener());
  EXPECT_EQ(c.websocket_listener()->address.port, 8080);
  EXPECT_EQ(c.sip.domain, "localhost");
  EXPECT_EQ(c.sip.drain_seconds, 10u);
  EXPECT_EQ(c.media.bind_address, "127.0.0.1");
  EXPECT_EQ(c.media.port_min, 20000);
  EXPECT_EQ(c.media.port_max, 20999);
  EXPECT_GE(c.media.workers, 1u);
  EXPECT_EQ(c.http.listen.to_string(), "127.0.0.1:8088");
  EXPECT_TRUE(c.test_endpoint.enabled);
  EXPECT_EQ(c.test_endpoint.listen.to_string(), "udp:127.0.0.1:5070");
  EXPECT_EQ(c.pbx.uri, "sip:127.0.0.1:5070");
  ASSERT_EQ(c.users.size(), 1u);
  EXPECT_EQ(c.users[0], (LocalUser{"demo", "demo"}));
  EXPECT_EQ(c.codecs.web, (std::vector<Codec>{Codec::Opus, Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent}));
  EXPECT_EQ(c.codecs.legacy, (std::vector<Codec>{Codec::Pcmu, Codec::Pcma, Codec::TelephoneEvent}));
  EXPECT_TRUE(c.codecs.transcode);
  EXPECT_EQ(c.codecs.ptime_ms, 20u);
  EXPECT_EQ(c.log.level, LogLevel::Info);
}

TEST(Config, MinimalFileKeepsDefaults) {
  auto result = load_config_file(kConfigs + "/good/minimal.toml");
  ASSERT_TRUE(result) << joined(result.error());
  const Config& c = result->config;
  Config d = default_config();
  EXPECT_FALSE(c.builtin);
  EXPECT_EQ(c.pbx.uri, "sip:10.0.0.5");
  EXPECT_EQ(c.sip.listen, d.sip.listen);
  EXPECT_EQ(c.http.listen, d.http.listen);
  EXPECT_EQ(c.media.port_min, d.media.port_min);
  EXPECT_TRUE(c.users.empty());
  EXPECT_FALSE(c.test_endpoint.enabled);
  EXPECT_FALSE(c.registration.relay);
  EXPECT_TRUE(result->notes.empty());
}

TEST(Config, EveryKeyIsRead) {
  auto result = load_config_file(kConfigs + "/good/full.toml");
  ASSERT_TRUE(result) << joined(result.error());
  const Config& c = result->config;
  ASSERT_EQ(c.sip.listen.size(), 5u);
  EXPECT_EQ(c.sip.listen[2].to_string(), "tls:[2001:db8::1]:5061");
  EXPECT_EQ(c.sip.listen[4].transport, SipTransport::Wss);
  EXPECT_EQ(c.websocket_listener()->to_string(), "ws:0.0.0.0:8081");
  EXPECT_EQ(c.sip.domain, "voice.example.com");
  EXPECT_EQ(c.sip.drain_seconds, 45u);
  EXPECT_EQ(c.sip.tls_cert, kConfigs + "/good/cert.pem");
  EXPECT_EQ(c.sip.tls_key, kConfigs + "/good/key.pem");
  EXPECT_EQ(c.media.bind_address, "192.0.2.10");
  EXPECT_EQ(c.media.public_address, "198.51.100.7");
  EXPECT_EQ(c.media.port_min, 30000);
  EXPECT_EQ(c.media.port_max, 30999);
  EXPECT_EQ(c.media.workers, 3u);
  EXPECT_TRUE(c.media.ice_lite);
  EXPECT_EQ(c.pbx.uri, "sip:pbx.example.com:5080;transport=tcp");
  EXPECT_EQ(c.pbx.username, "trunk1");
  EXPECT_EQ(c.pbx.password, "s3cret");
  EXPECT_EQ(c.users, (std::vector<LocalUser>{{"alice", "a-pass"}, {"bob", "b-pass"}}));
  EXPECT_TRUE(c.registration.relay);
  EXPECT_EQ(c.codecs.web, (std::vector<Codec>{Codec::Opus, Codec::Pcma, Codec::TelephoneEvent}));
  EXPECT_EQ(c.codecs.legacy, (std::vector<Codec>{Codec::Pcma, Codec::G722, Codec::Pcmu}));
  EXPECT_FALSE(c.codecs.transcode);
  EXPECT_EQ(c.codecs.ptime_ms, 40u);
  EXPECT_EQ(c.codecs.opus_complexity, 2);
  EXPECT_EQ(c.http.listen.to_string(), "[::1]:9090");
  EXPECT_EQ(c.http.web_root, kConfigs + "/good/web");
  EXPECT_EQ(c.http.jssip_bundle, "/opt/rtcgate/jssip.js");
  EXPECT_TRUE(c.test_endpoint.enabled);
  EXPECT_EQ(c.test_endpoint.listen.to_string(), "udp:127.0.0.1:5999");
  EXPECT_EQ(c.test_endpoint.port_min, 40000);
  EXPECT_EQ(c.test_endpoint.port_max, 40099);
  EXPECT_EQ(c.log.level, LogLevel::Debug);
  EXPECT_TRUE(result->notes.empty()) << joined(result->notes);
}

TEST(Config, TestEndpointBecomesThePbx) {
  auto result = load_config_file(kConfigs + "/good/test_endpoint_only.toml");
  ASSERT_TRUE(result) << joined(result.error());
  EXPECT_EQ(result->config.pbx.uri, "sip:127.0.0.1:5070");
  EXPECT_EQ(result->config.test_endpoint.port_min, 21000);
}

TEST(Config, ExampleFileIsValid) {
  auto result = load_config_file(std::string(RTCGATE_SOURCE_DIR) + "/gateway/rtcgate.example.toml");
  ASSERT_TRUE(result) << joined(result.error());
}

TEST(Config, SecureListenerWithoutCertificateIsANote) {
  LoadedConfig loaded = load_ok(
      "[sip]\nlisten = [\"udp:127.0.0.1:5060\", \"wss:127.0.0.1:8443\"]\n"
      "[pbx]\nuri = \"sip:pbx.example\"\n");
  ASSERT_EQ(loaded.notes.size(), 1u);
  EXPECT_EQ(loaded.notes[0].to_string(),
            "t.toml:2: key 'sip.listen': tls:/wss: listeners without tls_cert/tls_key use a self-signed "
            "certificate generated at start");
}

TEST(Config, CodecNamesAreCaseInsensitive) {
  LoadedConfig loaded = load_ok(
      "[codecs]\nweb = [\"OPUS\", \"Telephone-Event\"]\nlegacy = [\"pcmu\"]\n"
      "[pbx]\nuri = \"sips:[2001:db8::1]:5061\"\n");
  EXPECT_EQ(loaded.config.codecs.web, (std::vector<Codec>{Codec::Opus, Codec::TelephoneEvent}));
  EXPECT_EQ(loaded.config.codecs.legacy, (std::vector<Codec>{Codec::Pcmu}));
}

TEST(Config, ReportsEveryErrorWithKeyAndLine) {
  auto errors = load_bad("[media]\nport_min = \"x\"\nworkers = 0\n[pbx]\nuri = \"tel:123\"\nfoo = 1\n");
  ASSERT_EQ(errors.size(), 4u) << joined(errors);
  // In file order, schema errors and cross-field errors alike.
  EXPECT_EQ(errors[0].to_string(), "t.toml:2: key 'media.port_min': expected an integer, got a string");
  EXPECT_EQ(errors[1].to_string(), "t.toml:3: key 'media.workers': 0 is out of range 1..256");
  EXPECT_EQ(errors[2].to_string(), "t.toml:5: key 'pbx.uri': 'tel:123': must start with sip: or sips:");
  EXPECT_EQ(errors[3].to_string(),
            "t.toml:6: key 'pbx.foo': unknown key (known here: uri, username, password)");
}

TEST(Config, SyntaxErrorHasLineAndColumn) {
  auto errors = load_bad("[pbx]\nuri = sip:x\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].line, 2u);
  EXPECT_GT(errors[0].column, 0u);
  EXPECT_TRUE(errors[0].key.empty());
  EXPECT_TRUE(errors[0].to_string().starts_with("t.toml:2: TOML syntax: ")) << errors[0].to_string();
}

TEST(Config, RefusesOversizedInput) {
  std::string big(kMaxConfigBytes + 1, '#');
  auto errors = load_bad(big);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].reason.find("larger than"), std::string::npos);
}

TEST(Config, CapsTheNumberOfErrors) {
  std::string text = "[pbx]\nuri = \"sip:a\"\n";
  for (int i = 0; i < 200; ++i)
    text += "[[users]]\nname = \"u\"\npassword = \"p\"\nextra" + std::to_string(i) + " = 1\n";
  auto errors = load_bad(text);
  ASSERT_EQ(errors.size(), kMaxDiagnostics + 1);
  EXPECT_NE(errors.back().reason.find("more errors not shown"), std::string::npos);
}

TEST(Config, MissingFile) {
  auto result = load_config_file(kConfigs + "/no-such-file.toml");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error()[0].to_string(), kConfigs + "/no-such-file.toml: cannot open the file");
}

TEST(Config, PbxUriSyntax) {
  for (const char* uri : {"sip:pbx", "sip:10.0.0.1:5060", "sip:trunk@pbx.example.com;transport=tls",
                          "sips:[::1]:5061", "sip:[2001:db8::2]"}) {
    load_ok("[pbx]\nuri = \"" + std::string(uri) + "\"\n");
  }
  for (const char* uri :
       {"sip:", "sip:pbx:0", "sip:pbx:", "sip:[::1", "sip:bad host", "sip:a b@pbx", "sip:[::1]x"}) {
    auto errors = load_bad("[pbx]\nuri = \"" + std::string(uri) + "\"\n");
    ASSERT_FALSE(errors.empty()) << uri;
    EXPECT_EQ(errors[0].key, "pbx.uri") << uri;
  }
}

// Each file in configs/bad starts with "# expect: LINE: key 'x.y': reason…"; the loader must
// produce a diagnostic that begins exactly so (after the file name).
TEST(Config, BadFilesNameKeyAndLine) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kConfigs + "/bad")) {
    if (entry.path().extension() != ".toml") continue;
    ++files;
    std::ifstream in(entry.path());
    std::string first;
    std::getline(in, first);
    ASSERT_TRUE(first.starts_with("# expect: ")) << entry.path();
    std::string expect = first.substr(10);
    std::string path = entry.path().string();
    std::string needle = path + (std::isdigit(static_cast<unsigned char>(expect[0])) ? ":" : ": ") + expect;
    auto result = load_config_file(path);
    ASSERT_FALSE(result) << path;
    std::string all = joined(result.error());
    EXPECT_NE(all.find(needle), std::string::npos) << "want: " << needle << "\ngot:\n" << all;
  }
  EXPECT_GE(files, 30);
}

}  // namespace
}  // namespace rtcgate::gateway
