#include "rtcgate/gateway/cli.hpp"

#include "rtcgate/gateway/app.hpp"
#include "rtcgate/gateway/config_load.hpp"
#include "rtcgate/gateway/log.hpp"

#include <rtcgate/media/srtp/srtp_backend.hpp>

#include <exception>
#include <ostream>

#ifndef RTCGATE_VERSION
#define RTCGATE_VERSION "0"
#endif

namespace rtcgate::gateway {
namespace {

// Splits "--name=value"; value is empty when there is no '='.
std::pair<std::string_view, std::optional<std::string_view>> split_option(std::string_view arg) {
  std::size_t eq = arg.find('=');
  if (eq == std::string_view::npos) return {arg, std::nullopt};
  return {arg.substr(0, eq), arg.substr(eq + 1)};
}

}  // namespace

std::expected<CliOptions, std::string> parse_cli(std::span<const std::string_view> args) {
  CliOptions options;
  bool have_config = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    // Plain locals, not a structured binding: clang's -Wshadow rejects capturing bindings by name.
    const auto option = split_option(args[i]);
    const std::string_view name = option.first;
    const std::optional<std::string_view> inline_value = option.second;
    auto take_value = [&]() -> std::expected<std::string_view, std::string> {
      if (inline_value) return *inline_value;
      if (i + 1 >= args.size()) return std::unexpected(std::string(name) + " needs a value");
      return args[++i];
    };
    if (name == "--config" || name == "-c") {
      auto value = take_value();
      if (!value) return std::unexpected(value.error());
      if (value->empty()) return std::unexpected("--config needs a file name");
      if (have_config) return std::unexpected("--config given twice");
      options.config_path = std::string(*value);
      have_config = true;
    } else if (name == "--log-level") {
      auto value = take_value();
      if (!value) return std::unexpected(value.error());
      options.log_level = parse_log_level(*value);
      if (!options.log_level) {
        return std::unexpected("--log-level: '" + std::string(*value) +
                               "' is not one of error, warn, info, debug");
      }
    } else if (inline_value) {
      return std::unexpected(std::string(name) + " takes no value");
    } else if (name == "--check") {
      options.check = true;
    } else if (name == "--version" || name == "-V") {
      options.version = true;
    } else if (name == "--help" || name == "-h") {
      options.help = true;
    } else {
      return std::unexpected("unknown argument '" + std::string(args[i]) + "'");
    }
  }
  if (options.check && !have_config) return std::unexpected("--check needs --config FILE");
  return options;
}

std::string usage_text() {
  return "usage: rtcgate [--config FILE] [--check] [--log-level LEVEL] [--version] [--help]\n"
         "       rtcgate policy explain [--config FILE] OFFER.sdp\n"
         "\n"
         "  --config FILE      read the TOML configuration FILE; without it a built-in configuration\n"
         "                     serves the demo web phone on http://127.0.0.1:8088/\n"
         "  --check            validate --config FILE, print 'ok' or each problem as\n"
         "                     FILE:LINE: key 'table.key': reason; exit 0 or 2\n"
         "  --log-level LEVEL  error, warn, info or debug (overrides [log] level)\n"
         "  --version          print the version, and libsrtp2's with its crypto library\n"
         "  --help             print this text\n"
         "\n"
         "exit codes: 0 ok, 1 startup failed, 2 invalid configuration, 64 bad usage\n";
}

int load_config_for_cli(const CliOptions& options, std::ostream& out, std::ostream& err, Config& config) {
  if (options.config_path.empty()) {
    config = default_config();
  } else {
    ConfigResult result = load_config_file(options.config_path);
    if (!result) {
      for (const ConfigDiagnostic& d : result.error())
        err << d.to_string() << '\n';
      return kExitBadConfig;
    }
    for (ConfigDiagnostic note : result->notes) {
      note.reason = "note: " + note.reason;
      err << note.to_string() << '\n';
    }
    config = std::move(result->config);
  }
  if (options.log_level) config.log.level = *options.log_level;
  if (options.check) out << "ok\n";
  return kExitOk;
}

int run_cli(std::span<const std::string_view> args, std::ostream& out, std::ostream& err) {
  if (!args.empty() && args[0] == "policy") return run_policy_explain(args.subspan(1), out, err);
  auto options = parse_cli(args);
  if (!options) {
    err << "rtcgate: " << options.error() << "\n" << usage_text();
    return kExitUsage;
  }
  if (options->help) {
    out << usage_text();
    return kExitOk;
  }
  if (options->version) {
    out << "rtcgate " << RTCGATE_VERSION << '\n'
        << media::srtp_library_version() << " (" << media::to_string(media::srtp_crypto_backend()) << ")\n";
    return kExitOk;
  }
  Config config;
  if (int code = load_config_for_cli(*options, out, err, config); code != kExitOk || options->check)
    return code;
  Logger::global().set_level(config.log.level);
  try {
    App app(std::move(config));
    app.start();
    app.run();
  } catch (const std::exception& e) {
    err << "rtcgate: " << e.what() << '\n';
    return kExitStartupFailed;
  }
  return kExitOk;
}

}  // namespace rtcgate::gateway
