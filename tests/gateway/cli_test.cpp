#include "rtcgate/gateway/cli.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <vector>

namespace rtcgate::gateway {
namespace {

const std::string kConfigs = std::string(RTCGATE_SOURCE_DIR) + "/tests/gateway/configs";

std::expected<CliOptions, std::string> parse(std::vector<std::string_view> args) {
  return parse_cli(args);
}

TEST(Cli, ParsesOptions) {
  auto options = parse({"--config", "a.toml", "--check", "--log-level=debug"});
  ASSERT_TRUE(options) << options.error();
  EXPECT_EQ(options->config_path, "a.toml");
  EXPECT_TRUE(options->check);
  EXPECT_EQ(options->log_level, LogLevel::Debug);
  options = parse({"-c=b.toml", "--log-level", "warn", "--version", "--help"});
  ASSERT_TRUE(options) << options.error();
  EXPECT_EQ(options->config_path, "b.toml");
  EXPECT_EQ(options->log_level, LogLevel::Warn);
  EXPECT_TRUE(options->version);
  EXPECT_TRUE(options->help);
  options = parse({});
  ASSERT_TRUE(options);
  EXPECT_TRUE(options->config_path.empty());
  EXPECT_FALSE(options->check);
}

TEST(Cli, RejectsBadUsage) {
  struct Case {
    std::vector<std::string_view> args;
    const char* reason;
  };
  for (const Case& c :
       {Case{{"--config"}, "--config needs a value"}, Case{{"--config="}, "--config needs a file name"},
        Case{{"--config", "a", "--config", "b"}, "--config given twice"},
        Case{{"--check"}, "--check needs --config FILE"},
        Case{{"--log-level", "loud"}, "'loud' is not one of"},
        Case{{"--check=yes", "--config", "a"}, "--check takes no value"},
        Case{{"a.toml"}, "unknown argument 'a.toml'"},
        Case{{"--frobnicate"}, "unknown argument '--frobnicate'"}}) {
    auto options = parse(c.args);
    ASSERT_FALSE(options) << c.reason;
    EXPECT_NE(options.error().find(c.reason), std::string::npos) << options.error();
  }
}

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

CliRun run(std::vector<std::string_view> args) {
  std::ostringstream out;
  std::ostringstream err;
  int code = run_cli(args, out, err);
  return CliRun{code, out.str(), err.str()};
}

TEST(Cli, CheckGoodFilePrintsOk) {
  std::string path = kConfigs + "/good/full.toml";
  CliRun r = run({"--check", "--config", path});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out, "ok\n");
  EXPECT_EQ(r.err, "");
}

TEST(Cli, CheckBadFileNamesKeyAndLine) {
  std::string path = kConfigs + "/bad/workers_zero.toml";
  CliRun r = run({"--check", "--config", path});
  EXPECT_EQ(r.code, kExitBadConfig);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, path + ":3: key 'media.workers': 0 is out of range 1..256\n");
}

TEST(Cli, CheckPrintsNotesButPasses) {
  std::string path = kConfigs + "/good/self_signed.toml";
  CliRun r = run({"--check", "--config", path});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_EQ(r.out, "ok\n");
  EXPECT_EQ(r.err, path +
                       ":2: key 'sip.listen': note: tls:/wss: listeners without tls_cert/tls_key use a "
                       "self-signed certificate generated at start\n");
}

TEST(Cli, UsageErrorsExit64) {
  CliRun r = run({"--nope"});
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_NE(r.err.find("rtcgate: unknown argument '--nope'"), std::string::npos);
  EXPECT_NE(r.err.find("usage: rtcgate"), std::string::npos);
}

TEST(Cli, HelpAndVersion) {
  CliRun help = run({"--help"});
  EXPECT_EQ(help.code, kExitOk);
  EXPECT_TRUE(help.out.starts_with("usage: rtcgate")) << help.out;
  CliRun version = run({"--version"});
  EXPECT_EQ(version.code, kExitOk);
  EXPECT_TRUE(version.out.starts_with("rtcgate ")) << version.out;
}

TEST(Cli, LogLevelOverridesTheFile) {
  CliOptions options;
  options.config_path = kConfigs + "/good/full.toml";  // level = "debug"
  options.log_level = LogLevel::Error;
  std::ostringstream out;
  std::ostringstream err;
  Config config;
  EXPECT_EQ(load_config_for_cli(options, out, err, config), kExitOk);
  EXPECT_EQ(config.log.level, LogLevel::Error);
  options.config_path.clear();
  EXPECT_EQ(load_config_for_cli(options, out, err, config), kExitOk);
  EXPECT_TRUE(config.builtin);
}

TEST(Cli, StartupFailureExits1) {
  CliRun r = run({"--config", kConfigs + "/good/unbindable.toml"});
  EXPECT_EQ(r.code, kExitStartupFailed);
  EXPECT_NE(r.err.find("rtcgate: admin HTTP server: bind 192.0.2.1:8088: Cannot assign requested address"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace rtcgate::gateway
