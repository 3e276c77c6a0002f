// Reads the configuration from TOML text or a file, checks it against the schema (unknown keys
// and wrong types are errors) and validates values. Every problem names its key and line.
//
// Ownership: results are plain values. Thread affinity: none. Never throws: the configuration is
// untrusted input (STYLE.md "Error handling" 2); the TOML library's own exceptions are caught at
// this boundary. Inputs over kMaxConfigBytes are refused before parsing.
#pragma once

#include "rtcgate/gateway/config.hpp"

#include <cstddef>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::gateway {

inline constexpr std::size_t kMaxConfigBytes = 1024 * 1024;
inline constexpr std::size_t kMaxListeners = 16;
inline constexpr std::size_t kMaxUsers = 10000;
inline constexpr std::size_t kMaxCodecsPerLeg = 8;
// Errors reported per load; the rest are summarised in one line.
inline constexpr std::size_t kMaxDiagnostics = 50;

struct ConfigDiagnostic {
  std::string source;  // file name as given, or "<config>"
  std::string key;     // dotted path: "media.port_min", "users[1].name"; empty for syntax errors
  unsigned line = 0;   // 1-based; 0 when unknown
  unsigned column = 0;
  std::string reason;

  // "FILE:LINE: key 'x.y': reason" (the --check output format).
  std::string to_string() const;
};

struct LoadedConfig {
  Config config;
  // Accepted but worth saying (e.g. a TLS listener without a certificate).
  std::vector<ConfigDiagnostic> notes;
};

using ConfigResult = std::expected<LoadedConfig, std::vector<ConfigDiagnostic>>;

// source_name appears in diagnostics; base_dir resolves relative file paths in the config
// (tls_cert, tls_key, web_root, jssip_bundle); empty means the current directory.
ConfigResult load_config_text(std::string_view toml_text, std::string_view source_name,
                              std::string_view base_dir = {});

// Reads the file (at most kMaxConfigBytes) and loads it with base_dir = the file's directory.
ConfigResult load_config_file(const std::string& path);

}  // namespace rtcgate::gateway
