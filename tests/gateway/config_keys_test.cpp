// The configuration keys DESIGN.md ("What operators touch") promises from the first release:
// each one must be known to the loader (a value of the wrong type is reported against that very
// key, never as an unknown key) and must appear in the example file operators copy.
#include "rtcgate/gateway/config_load.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace rtcgate::gateway {
namespace {

struct ContractKey {
  const char* table;  // "users" is the [[users]] array of tables
  const char* key;
  const char* wrong_value;  // a value of the wrong TOML type for this key
  bool array_of_tables = false;
};

constexpr ContractKey kContract[] = {
    {"sip", "listen", "5060"},
    {"sip", "domain", "1"},
    {"sip", "tls_cert", "true"},
    {"sip", "tls_key", "true"},
    {"media", "bind_address", "1"},
    {"media", "public_address", "1"},
    {"media", "port_min", "\"x\""},
    {"media", "port_max", "\"x\""},
    {"media", "workers", "\"x\""},
    {"media", "ice_lite", "1"},
    {"pbx", "uri", "1"},
    {"pbx", "username", "1"},
    {"pbx", "password", "1"},
    {"users", "name", "1", true},
    {"users", "password", "1", true},
    {"registration", "relay", "\"yes\""},
    {"codecs", "web", "\"opus\""},
    {"codecs", "legacy", "\"PCMU\""},
    {"codecs", "transcode", "\"no\""},
    {"http", "listen", "8088"},
};

std::string joined(const std::vector<ConfigDiagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics)
    out += d.to_string() + "\n";
  return out;
}

TEST(ConfigContract, EveryDesignKeyIsKnownToTheLoader) {
  for (const ContractKey& k : kContract) {
    std::string header =
        k.array_of_tables ? "[[" + std::string(k.table) + "]]" : "[" + std::string(k.table) + "]";
    std::string text = "# line 1\n" + header + "\n" + k.key + " = " + k.wrong_value + "\n";
    auto result = load_config_text(text, "t.toml");
    ASSERT_FALSE(result) << text;
    std::string want_key =
        k.array_of_tables ? std::string(k.table) + "[0]." + k.key : std::string(k.table) + "." + k.key;
    bool found = false;
    for (const ConfigDiagnostic& d : result.error()) {
      EXPECT_EQ(d.reason.find("unknown key"), std::string::npos) << d.to_string();
      // Later cross-field checks may add more about the same key ("must not be empty").
      if (d.key == want_key && d.reason.starts_with("expected ")) {
        found = true;
        EXPECT_EQ(d.line, 3u) << d.to_string();
      }
    }
    EXPECT_TRUE(found) << "no type error for " << want_key << ":\n" << joined(result.error());
  }
}

TEST(ConfigContract, ExampleFileShowsEveryDesignKey) {
  std::ifstream in(std::string(RTCGATE_SOURCE_DIR) + "/gateway/rtcgate.example.toml");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  // Tables appear as headers; keys at the start of a line, possibly commented out ("# key = …").
  std::string example = "\n" + text.str();
  for (const ContractKey& k : kContract) {
    std::string header =
        k.array_of_tables ? "\n[[" + std::string(k.table) + "]]\n" : "\n[" + std::string(k.table) + "]\n";
    std::size_t table_at = example.find(header);
    ASSERT_NE(table_at, std::string::npos) << header;
    std::size_t next_table = example.find("\n[", table_at + header.size());
    std::string section = example.substr(table_at, next_table - table_at);
    bool shown = section.find("\n" + std::string(k.key) + " = ") != std::string::npos ||
                 section.find("\n# " + std::string(k.key) + " = ") != std::string::npos;
    EXPECT_TRUE(shown) << k.table << "." << k.key << " missing from rtcgate.example.toml";
  }
}

}  // namespace
}  // namespace rtcgate::gateway
