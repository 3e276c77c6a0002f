// Reads each section of the TOML document into Config (schema: gateway/docs/configuration.md), then runs
// the cross-field checks of config_validate.cpp.
#include "rtcgate/gateway/config_load.hpp"

#include "config_validate.hpp"
#include "toml_reader.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <sstream>

namespace rtcgate::gateway {
namespace {

using detail::TomlReader;

constexpr std::array<std::pair<std::string_view, Codec>, 5> kCodecNames{{
    {"opus", Codec::Opus},
    {"pcmu", Codec::Pcmu},
    {"pcma", Codec::Pcma},
    {"g722", Codec::G722},
    {"telephone-event", Codec::TelephoneEvent},
}};

constexpr std::array<std::pair<std::string_view, LogLevel>, 4> kLogLevels{{
    {"error", LogLevel::Error},
    {"warn", LogLevel::Warn},
    {"info", LogLevel::Info},
    {"debug", LogLevel::Debug},
}};

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::uint16_t to_port(std::int64_t value) {
  return static_cast<std::uint16_t>(value);
}

void read_sip(TomlReader& in, const toml::table& root, SipConfig& sip) {
  const toml::table* t = in.table(root, "", "sip");
  if (t == nullptr) return;
  in.check_keys(*t, "sip", {"listen", "domain", "tls_cert", "tls_key", "drain_seconds"});
  if (auto items = in.read_strings(*t, "sip", "listen", kMaxListeners)) {
    sip.listen.clear();
    for (const detail::StringItem& item : *items) {
      auto listener = parse_listen_address(item.value);
      if (!listener) {
        in.error("sip.listen", item.line, "'" + item.value + "': " + listener.error());
      } else {
        sip.listen.push_back(std::move(*listener));
      }
    }
  }
  in.read(*t, "sip", "domain", sip.domain);
  if (in.read(*t, "sip", "tls_cert", sip.tls_cert)) sip.tls_cert = in.resolve_path(sip.tls_cert);
  if (in.read(*t, "sip", "tls_key", sip.tls_key)) sip.tls_key = in.resolve_path(sip.tls_key);
  if (std::int64_t seconds = 0; in.read(*t, "sip", "drain_seconds", 0, 3600, seconds))
    sip.drain_seconds = static_cast<std::uint32_t>(seconds);
}

void read_media(TomlReader& in, const toml::table& root, MediaConfig& media) {
  const toml::table* t = in.table(root, "", "media");
  if (t == nullptr) return;
  in.check_keys(*t, "media",
                {"bind_address", "public_address", "port_min", "port_max", "workers", "ice_lite"});
  in.read(*t, "media", "bind_address", media.bind_address);
  in.read(*t, "media", "public_address", media.public_address);
  std::int64_t value = 0;
  if (in.read(*t, "media", "port_min", 1024, 65535, value)) media.port_min = to_port(value);
  if (in.read(*t, "media", "port_max", 1024, 65535, value)) media.port_max = to_port(value);
  if (in.read(*t, "media", "workers", 1, 256, value)) media.workers = static_cast<unsigned>(value);
  in.read(*t, "media", "ice_lite", media.ice_lite);
}

void read_pbx(TomlReader& in, const toml::table& root, PbxConfig& pbx) {
  const toml::table* t = in.table(root, "", "pbx");
  if (t == nullptr) return;
  in.check_keys(*t, "pbx", {"uri", "username", "password"});
  in.read(*t, "pbx", "uri", pbx.uri);
  in.read(*t, "pbx", "username", pbx.username);
  in.read(*t, "pbx", "password", pbx.password);
}

void read_users(TomlReader& in, const toml::table& root, std::vector<LocalUser>& users) {
  const toml::node* node = root.get("users");
  if (node == nullptr) return;
  const toml::array* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    in.error("users", detail::line_of(*node), "expected [[users]] tables with name and password");
    return;
  }
  if (array->size() > kMaxUsers) {
    in.error("users", detail::line_of(*node), "more than " + std::to_string(kMaxUsers) + " users");
    return;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::table& t = *array->get(i)->as_table();
    std::string prefix = "users[" + std::to_string(i) + "]";
    in.check_keys(t, prefix, {"name", "password"});
    LocalUser user;
    bool has_name = in.read(t, prefix, "name", user.name);
    bool has_password = in.read(t, prefix, "password", user.password);
    unsigned line = detail::line_of(t);
    if (!has_name && !in.has(prefix + ".name")) in.error(prefix + ".name", line, "missing");
    if (!has_password && !in.has(prefix + ".password")) in.error(prefix + ".password", line, "missing");
    users.push_back(std::move(user));
  }
}

void read_registration(TomlReader& in, const toml::table& root, RegistrationConfig& registration) {
  const toml::table* t = in.table(root, "", "registration");
  if (t == nullptr) return;
  in.check_keys(*t, "registration", {"relay"});
  in.read(*t, "registration", "relay", registration.relay);
}

void read_codec_list(TomlReader& in, const toml::table& t, std::string_view name, std::vector<Codec>& out) {
  std::string key = detail::join_key("codecs", name);
  auto items = in.read_strings(t, "codecs", name, kMaxCodecsPerLeg);
  if (!items) return;
  std::vector<Codec> codecs;
  for (const detail::StringItem& item : *items) {
    std::string wanted = lower(item.value);
    auto it = std::find_if(kCodecNames.begin(), kCodecNames.end(),
                           [&](const auto& entry) { return entry.first == wanted; });
    if (it == kCodecNames.end()) {
      in.error(key, item.line,
               "unknown codec '" + item.value + "' (known: opus, PCMU, PCMA, G722, telephone-event)");
    } else if (std::find(codecs.begin(), codecs.end(), it->second) != codecs.end()) {
      in.error(key, item.line, "codec '" + item.value + "' is listed twice");
    } else {
      codecs.push_back(it->second);
    }
  }
  out = std::move(codecs);
}

void read_codecs(TomlReader& in, const toml::table& root, CodecConfig& codecs) {
  const toml::table* t = in.table(root, "", "codecs");
  if (t == nullptr) return;
  in.check_keys(*t, "codecs", {"web", "legacy", "transcode", "ptime", "opus_complexity"});
  read_codec_list(in, *t, "web", codecs.web);
  read_codec_list(in, *t, "legacy", codecs.legacy);
  in.read(*t, "codecs", "transcode", codecs.transcode);
  std::int64_t value = 0;
  if (in.read(*t, "codecs", "ptime", 10, 60, value)) {
    if (value % 10 != 0 || value == 50) {
      in.error("codecs.ptime", in.line_of("codecs.ptime"), "must be 10, 20, 30, 40 or 60 ms");
    } else {
      codecs.ptime_ms = static_cast<unsigned>(value);
    }
  }
  if (in.read(*t, "codecs", "opus_complexity", 0, 10, value))
    codecs.opus_complexity = static_cast<int>(value);
}

void read_http(TomlReader& in, const toml::table& root, HttpConfig& http) {
  const toml::table* t = in.table(root, "", "http");
  if (t == nullptr) return;
  in.check_keys(*t, "http", {"listen", "web_root", "jssip_bundle"});
  std::string text;
  if (in.read(*t, "http", "listen", text)) {
    auto address = parse_socket_address(text, true);
    if (!address) {
      in.error("http.listen", in.line_of("http.listen"), "'" + text + "': " + address.error());
    } else {
      http.listen = std::move(*address);
    }
  }
  if (in.read(*t, "http", "web_root", http.web_root)) http.web_root = in.resolve_path(http.web_root);
  if (in.read(*t, "http", "jssip_bundle", http.jssip_bundle)) {
    http.jssip_bundle = in.resolve_path(http.jssip_bundle);
  }
}

void read_test_endpoint(TomlReader& in, const toml::table& root, TestEndpointConfig& endpoint) {
  const toml::table* t = in.table(root, "", "test_endpoint");
  if (t == nullptr) return;
  in.check_keys(*t, "test_endpoint", {"enabled", "listen", "port_min", "port_max"});
  in.read(*t, "test_endpoint", "enabled", endpoint.enabled);
  std::string text;
  if (in.read(*t, "test_endpoint", "listen", text)) {
    auto listener = parse_listen_address(text);
    if (!listener) {
      in.error("test_endpoint.listen", in.line_of("test_endpoint.listen"),
               "'" + text + "': " + listener.error());
    } else if (listener->transport != SipTransport::Udp) {
      in.error("test_endpoint.listen", in.line_of("test_endpoint.listen"),
               "the test endpoint listens on udp only");
    } else {
      endpoint.listen = std::move(*listener);
    }
  }
  std::int64_t value = 0;
  if (in.read(*t, "test_endpoint", "port_min", 1024, 65535, value)) endpoint.port_min = to_port(value);
  if (in.read(*t, "test_endpoint", "port_max", 1024, 65535, value)) endpoint.port_max = to_port(value);
}

void read_log(TomlReader& in, const toml::table& root, LogConfig& log) {
  const toml::table* t = in.table(root, "", "log");
  if (t == nullptr) return;
  in.check_keys(*t, "log", {"level"});
  std::string text;
  if (!in.read(*t, "log", "level", text)) return;
  auto level = parse_log_level(text);
  if (!level) {
    in.error("log.level", in.line_of("log.level"), "'" + text + "' is not one of error, warn, info, debug");
  } else {
    log.level = *level;
  }
}

// Defaults for a file: those of the built-in configuration, except that a file names its own
// PBX and users and does not start the test endpoint unless it asks for it.
Config file_defaults() {
  Config config = default_config();
  config.pbx = PbxConfig{};
  config.users.clear();
  config.test_endpoint.enabled = false;
  config.builtin = false;
  return config;
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (const auto& [name, level] : kLogLevels) {
    if (name == text) return level;
  }
  return std::nullopt;
}

std::string ConfigDiagnostic::to_string() const {
  std::string out = source.empty() ? "<config>" : source;
  if (line != 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!key.empty()) out += "key '" + key + "': ";
  return out + reason;
}

ConfigResult load_config_text(std::string_view toml_text, std::string_view source_name,
                              std::string_view base_dir) {
  std::string source = source_name.empty() ? "<config>" : std::string(source_name);
  if (toml_text.size() > kMaxConfigBytes) {
    return std::unexpected(std::vector<ConfigDiagnostic>{
        {source, "", 0, 0, "larger than " + std::to_string(kMaxConfigBytes) + " bytes"}});
  }
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    const toml::source_region& where = e.source();
    return std::unexpected(std::vector<ConfigDiagnostic>{
        {source, "", where.begin.line, where.begin.column, "TOML syntax: " + std::string(e.description())}});
  }
  TomlReader in(source, base_dir);
  in.check_keys(root, "",
                {"sip", "media", "pbx", "users", "registration", "codecs", "http", "test_endpoint", "log"});
  LoadedConfig loaded{file_defaults(), {}};
  Config& config = loaded.config;
  read_sip(in, root, config.sip);
  read_media(in, root, config.media);
  read_pbx(in, root, config.pbx);
  read_users(in, root, config.users);
  read_registration(in, root, config.registration);
  read_codecs(in, root, config.codecs);
  read_http(in, root, config.http);
  read_test_endpoint(in, root, config.test_endpoint);
  read_log(in, root, config.log);
  detail::validate_config(in, config);
  if (!in.ok()) return std::unexpected(in.take_errors());
  loaded.notes = in.take_notes();
  return loaded;
}

ConfigResult load_config_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::unexpected(std::vector<ConfigDiagnostic>{{path, "", 0, 0, "cannot open the file"}});
  std::string text(kMaxConfigBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(file.gcount()));
  std::size_t slash = path.rfind('/');
  std::string base_dir = slash == std::string::npos ? "" : path.substr(0, slash == 0 ? 1 : slash);
  return load_config_text(text, path, base_dir);
}

}  // namespace rtcgate::gateway
