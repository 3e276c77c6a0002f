#include "toml_reader.hpp"

#include <algorithm>

namespace rtcgate::gateway::detail {
namespace {

std::string_view type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date/time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

}  // namespace

std::string join_key(std::string_view prefix, std::string_view name) {
  if (prefix.empty()) return std::string(name);
  return std::string(prefix) + "." + std::string(name);
}

unsigned line_of(const toml::node& node) {
  return node.source().begin.line;
}

TomlReader::TomlReader(std::string_view source, std::string_view base_dir)
    : source_(source), base_dir_(base_dir) {}

void TomlReader::error(std::string key, unsigned line, std::string reason) {
  if (errors_.size() >= kMaxDiagnostics) {
    ++dropped_errors_;
    return;
  }
  errors_.push_back(ConfigDiagnostic{source_, std::move(key), line, 0, std::move(reason)});
}

void TomlReader::note(std::string key, unsigned line, std::string reason) {
  notes_.push_back(ConfigDiagnostic{source_, std::move(key), line, 0, std::move(reason)});
}

unsigned TomlReader::line_of(const std::string& key) const {
  auto it = lines_.find(key);
  return it == lines_.end() ? 0 : it->second;
}

void TomlReader::check_keys(const toml::table& table, std::string_view prefix,
                            std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, node] : table) {
    std::string_view name = key.str();
    if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) continue;
    std::string known;
    for (std::string_view candidate : allowed) {
      known += known.empty() ? "" : ", ";
      known += candidate;
    }
    error(join_key(prefix, name), key.source().begin.line, "unknown key (known here: " + known + ")");
  }
}

const toml::node* TomlReader::lookup(const toml::table& table, std::string_view prefix, std::string_view name,
                                     std::string& key) {
  key = join_key(prefix, name);
  const toml::node* node = table.get(name);
  if (node != nullptr) lines_[key] = detail::line_of(*node);
  return node;
}

void TomlReader::wrong_type(const std::string& key, const toml::node& node, std::string_view expected) {
  error(key, detail::line_of(node),
        "expected " + std::string(expected) + ", got " + std::string(type_name(node)));
}

const toml::table* TomlReader::table(const toml::table& parent, std::string_view prefix,
                                     std::string_view name) {
  std::string key;
  const toml::node* node = lookup(parent, prefix, name, key);
  if (node == nullptr) return nullptr;
  if (!node->is_table()) {
    wrong_type(key, *node, "a table");
    return nullptr;
  }
  return node->as_table();
}

bool TomlReader::read(const toml::table& table, std::string_view prefix, std::string_view name,
                      std::string& out) {
  std::string key;
  const toml::node* node = lookup(table, prefix, name, key);
  if (node == nullptr) return false;
  const auto* value = node->as_string();
  if (value == nullptr) {
    wrong_type(key, *node, "a string");
    return false;
  }
  if (value->get().size() > kMaxStringBytes) {
    error(key, detail::line_of(*node), "longer than " + std::to_string(kMaxStringBytes) + " bytes");
    return false;
  }
  out = value->get();
  return true;
}

bool TomlReader::read(const toml::table& table, std::string_view prefix, std::string_view name, bool& out) {
  std::string key;
  const toml::node* node = lookup(table, prefix, name, key);
  if (node == nullptr) return false;
  const auto* value = node->as_boolean();
  if (value == nullptr) {
    wrong_type(key, *node, "true or false");
    return false;
  }
  out = value->get();
  return true;
}

bool TomlReader::read(const toml::table& table, std::string_view prefix, std::string_view name,
                      std::int64_t min, std::int64_t max, std::int64_t& out) {
  std::string key;
  const toml::node* node = lookup(table, prefix, name, key);
  if (node == nullptr) return false;
  const auto* value = node->as_integer();
  if (value == nullptr) {
    wrong_type(key, *node, "an integer");
    return false;
  }
  std::int64_t v = value->get();
  if (v < min || v > max) {
    error(key, detail::line_of(*node),
          std::to_string(v) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    return false;
  }
  out = v;
  return true;
}

std::optional<std::vector<StringItem>> TomlReader::read_strings(const toml::table& table,
                                                                std::string_view prefix,
                                                                std::string_view name,
                                                                std::size_t max_items) {
  std::string key;
  const toml::node* node = lookup(table, prefix, name, key);
  if (node == nullptr) return std::nullopt;
  const auto* array = node->as_array();
  if (array == nullptr) {
    wrong_type(key, *node, "an array of strings");
    return std::nullopt;
  }
  if (array->size() > max_items) {
    error(key, detail::line_of(*node), "more than " + std::to_string(max_items) + " entries");
    return std::nullopt;
  }
  std::vector<StringItem> items;
  bool ok = true;
  for (const toml::node& element : *array) {
    const auto* text = element.as_string();
    if (text == nullptr) {
      wrong_type(key, element, "a string");
      ok = false;
    } else if (text->get().size() > kMaxStringBytes) {
      error(key, detail::line_of(element), "longer than " + std::to_string(kMaxStringBytes) + " bytes");
      ok = false;
    } else {
      items.push_back(StringItem{text->get(), detail::line_of(element)});
    }
  }
  if (!ok) return std::nullopt;
  return items;
}

std::vector<ConfigDiagnostic> TomlReader::take_errors() {
  // Report in file order: reads and cross-field checks run section by section.
  std::stable_sort(errors_.begin(), errors_.end(),
                   [](const ConfigDiagnostic& a, const ConfigDiagnostic& b) { return a.line < b.line; });
  if (dropped_errors_ > 0) {
    errors_.push_back(
        ConfigDiagnostic{source_, "", 0, 0, std::to_string(dropped_errors_) + " more errors not shown"});
    dropped_errors_ = 0;
  }
  return std::move(errors_);
}

std::string TomlReader::resolve_path(const std::string& path) const {
  if (path.empty() || path.front() == '/' || base_dir_.empty()) return path;
  return base_dir_ + "/" + path;
}

}  // namespace rtcgate::gateway::detail
