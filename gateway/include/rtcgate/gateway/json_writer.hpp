// A small streaming JSON writer (RFC 8259) for the admin API. Strings are escaped (", \, control
// characters as \uXXXX or the short forms) and invalid UTF-8 from untrusted sources (SIP headers)
// is replaced by U+FFFD, so the output is always valid JSON. Non-finite numbers become null.
//
// Ownership: owns its output buffer. Thread affinity: one thread per writer. Misuse (a value
// where a key is needed, unbalanced ends) is a programmer error caught by assert in debug builds.
#pragma once

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::gateway {

class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(const std::string& text) { return value(std::string_view(text)); }
  JsonWriter& value(bool flag);
  JsonWriter& value(double number);
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonWriter& value(T number) {
    before_value();
    out_ += std::to_string(number);
    return *this;
  }
  JsonWriter& null();

  // key(name).value(v) in one call.
  template <typename T>
  JsonWriter& field(std::string_view name, const T& v) {
    return key(name).value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void before_value();

  std::string out_;
  std::vector<bool> has_items_;  // one per open container
  bool after_key_ = false;
};

// Appends `text` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

}  // namespace rtcgate::gateway
