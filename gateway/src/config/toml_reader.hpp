// Schema-checked access to a parsed TOML document for the configuration loader: every read names
// the dotted key, checks its type and range, and records its line so later cross-field checks can
// point at it. Problems accumulate as ConfigDiagnostic values; nothing throws.
//
// Thread affinity: one loader call. Ownership: borrows the toml::table it reads.
#pragma once

#include "rtcgate/gateway/config_load.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::gateway::detail {

inline constexpr std::size_t kMaxStringBytes = 4096;

struct StringItem {
  std::string value;
  unsigned line = 0;
};

class TomlReader {
 public:
  TomlReader(std::string_view source, std::string_view base_dir);

  void error(std::string key, unsigned line, std::string reason);
  void note(std::string key, unsigned line, std::string reason);
  // Line where `key` was read (0 if it was not in the file).
  unsigned line_of(const std::string& key) const;
  bool has(const std::string& key) const { return line_of(key) != 0; }

  // Reports keys of `table` that are not in `allowed` (prefix is the table's dotted path).
  void check_keys(const toml::table& table, std::string_view prefix,
                  std::initializer_list<std::string_view> allowed);
  // A sub-table, or nullptr if absent (an error if present with another type).
  const toml::table* table(const toml::table& parent, std::string_view prefix, std::string_view name);

  // Each read leaves `out` unchanged when the key is absent or invalid; returns true if it set it.
  bool read(const toml::table& table, std::string_view prefix, std::string_view name, std::string& out);
  bool read(const toml::table& table, std::string_view prefix, std::string_view name, bool& out);
  bool read(const toml::table& table, std::string_view prefix, std::string_view name, std::int64_t min,
            std::int64_t max, std::int64_t& out);
  std::optional<std::vector<StringItem>> read_strings(const toml::table& table, std::string_view prefix,
                                                      std::string_view name, std::size_t max_items);

  // Makes a path from the file relative to the configuration file's directory.
  std::string resolve_path(const std::string& path) const;

  std::vector<ConfigDiagnostic> take_errors();
  std::vector<ConfigDiagnostic> take_notes() { return std::move(notes_); }
  bool ok() const { return errors_.empty(); }

 private:
  const toml::node* lookup(const toml::table& table, std::string_view prefix, std::string_view name,
                           std::string& key);
  void wrong_type(const std::string& key, const toml::node& node, std::string_view expected);

  std::string source_;
  std::string base_dir_;
  std::vector<ConfigDiagnostic> errors_;
  std::vector<ConfigDiagnostic> notes_;
  std::size_t dropped_errors_ = 0;
  std::map<std::string, unsigned, std::less<>> lines_;
};

std::string join_key(std::string_view prefix, std::string_view name);
unsigned line_of(const toml::node& node);

}  // namespace rtcgate::gateway::detail
