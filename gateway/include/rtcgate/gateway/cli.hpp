// The rtcgate command line:
//   rtcgate [--config FILE] [--check] [--log-level error|warn|info|debug] [--version] [--help]
//   rtcgate policy explain [--config FILE] OFFER.sdp   (what the codec policy makes of an offer)
// Exit codes: 0 ok; 2 configuration invalid (each problem printed as "FILE:LINE: key 'x.y':
// reason" on stderr); 1 startup failure (e.g. a port in use); 64 bad usage (EX_USAGE).
//
// Thread affinity: the main thread. run_cli() runs the gateway until SIGINT/SIGTERM unless
// --check, --version or --help ask for something else.
#pragma once

#include "rtcgate/gateway/config.hpp"

#include <expected>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace rtcgate::gateway {

inline constexpr int kExitOk = 0;
inline constexpr int kExitStartupFailed = 1;
inline constexpr int kExitBadConfig = 2;
inline constexpr int kExitUsage = 64;

struct CliOptions {
  std::string config_path;  // empty: the built-in configuration
  bool check = false;
  bool version = false;
  bool help = false;
  std::optional<LogLevel> log_level;
};

// Parses the arguments after argv[0]; "--opt=value" and "--opt value" both work.
std::expected<CliOptions, std::string> parse_cli(std::span<const std::string_view> args);

std::string usage_text();

// Loads the configuration (the file, or the built-in one) into `config`, applies --log-level,
// prints errors and notes to `err`, and "ok" to `out` when options.check. Returns kExitOk or
// kExitBadConfig.
int load_config_for_cli(const CliOptions& options, std::ostream& out, std::ostream& err, Config& config);

// `rtcgate policy explain ...` (the arguments after "policy"): prints the codec decision for an
// offer and why. Returns kExitOk, kExitBadConfig (bad configuration or SDP) or kExitUsage.
int run_policy_explain(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

// The whole command: parse, then help/version/check, or run the gateway. Returns the exit code.
int run_cli(std::span<const std::string_view> args, std::ostream& out, std::ostream& err);

}  // namespace rtcgate::gateway
