// Character classes and small scanning helpers shared by the SIP message parsers (RFC 3261 §25.1).
// Internal to rtcgate_sip; not installed.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "rtcgate/sip/param.hpp"

namespace rtcgate::sip::detail {

enum CharClass : std::uint8_t {
  kToken = 1,          // RFC 3261 token: alphanum / "-.!%*_+`'~"
  kUnreserved = 2,     // alphanum / mark ("-_.!~*'()")
  kUserExtra = 4,      // user-unreserved "&=+$,;?/"
  kPasswordExtra = 8,  // "&=+$,"
  kParamExtra = 16,    // param-unreserved "[]/:&+$"
  kHeaderExtra = 32,   // hnv-unreserved "[]/?:+$"
  kHost = 64,          // alphanum / "-."
  kWord = 128,         // word: token chars plus "()<>:\\\"/[]?{}"
};

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  auto add = [&t](std::string_view chars, std::uint8_t cls) {
    for (char c : chars)
      t[static_cast<unsigned char>(c)] |= cls;
  };
  for (int c = 0; c < 256; ++c) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (alnum) t[c] = kToken | kUnreserved | kHost | kWord;
  }
  add("-.!%*_+`'~", kToken | kWord);
  add("-_.!~*'()", kUnreserved);
  add("&=+$,;?/", kUserExtra);
  add("&=+$,", kPasswordExtra);
  add("[]/:&+$", kParamExtra);
  add("[]/?:+$", kHeaderExtra);
  add("-.", kHost);
  add("()<>:\\\"/[]?{}", kWord);
  return t;
}

inline constexpr std::array<std::uint8_t, 256> kClasses = make_classes();

inline bool has_class(char c, std::uint8_t cls) {
  return (kClasses[static_cast<unsigned char>(c)] & cls) != 0;
}
inline bool is_token_char(char c) {
  return has_class(c, kToken);
}
inline bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}
inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
inline bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
inline char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
inline char to_upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Whitespace after unfolding is SP/HTAB; CR/LF can remain only in values built by hand.
inline bool is_lws(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_lws(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_lws(s.back()))
    s.remove_suffix(1);
  return s;
}
inline std::string_view trim_left(std::string_view s) {
  while (!s.empty() && is_lws(s.front()))
    s.remove_prefix(1);
  return s;
}

inline bool all_of_class(std::string_view s, std::uint8_t cls) {
  for (char c : s) {
    if (!has_class(c, cls)) return false;
  }
  return true;
}

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = to_lower(c);
  return out;
}

// Parses an unsigned decimal with at most `max` as value; leading zeros allowed (RFC 4475 wsinv).
template <typename T>
std::optional<T> parse_uint(std::string_view s, std::uint64_t max) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > max) return std::nullopt;
  }
  return static_cast<T>(v);
}

// An IPv6 address (RFC 4291 §2.2 text forms, with an optional dotted IPv4 tail; RFC 5118 §4.10:
// "2001:db8:::192.0.2.1" is not one). No brackets.
bool is_ipv6_address(std::string_view s);

// "[" IPv6 address "]".
inline bool is_ipv6_reference(std::string_view s) {
  return s.size() >= 4 && s.front() == '[' && s.back() == ']' && is_ipv6_address(s.substr(1, s.size() - 2));
}

// Finds `ch` outside quoted strings and outside <...>; npos when absent.
std::size_t find_unquoted(std::string_view s, char ch, std::size_t from = 0);

// Scans a quoted-string starting at s[pos] == '"'; returns the index after the closing quote, or
// npos if it is unterminated. Backslash escapes any byte (quoted-pair, RFC 3261 §25.1).
std::size_t skip_quoted(std::string_view s, std::size_t pos);

// The content of a quoted string (without quotes) with quoted-pairs resolved.
std::string unquote(std::string_view quoted_content);

// Appends `text` as a quoted-string, escaping '"' and '\'.
void append_quoted(std::string& out, std::string_view text);

inline bool is_param_value_char(char c) {
  return is_token_char(c) || c == '[' || c == ']' || c == ':';
}

// One header parameter as scanned: views into the scanned text. For a quoted value, `value` is the
// text between the quotes with its quoted-pairs not yet resolved (unquote() resolves them).
struct RawParam {
  std::string_view name;
  std::optional<std::string_view> value;
  bool quoted = false;
};

// Scans header parameters "*( SEMI name [ EQUAL value ] )" (RFC 3261 §25.1 generic-param; LWS
// allowed around ';' and '='). `text` must be empty or start with ';' after optional LWS. Values are
// tokens, hosts (IPv6 references included) or quoted strings. Calls `on_param(const RawParam&)` for
// each, which returns false to reject it. Returns false on bad syntax or a rejected parameter.
// Allocates nothing itself, so checking a header costs no allocation.
template <typename OnParam>
bool scan_header_params(std::string_view text, OnParam&& on_param) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto skip_lws = [&] {
    while (i < n && is_lws(text[i]))
      ++i;
  };
  skip_lws();
  while (i < n) {
    if (text[i] != ';') return false;
    ++i;
    skip_lws();
    const std::size_t name_start = i;
    while (i < n && is_token_char(text[i]))
      ++i;
    if (i == name_start) return false;
    RawParam param{text.substr(name_start, i - name_start), std::nullopt, false};
    skip_lws();
    if (i < n && text[i] == '=') {
      ++i;
      skip_lws();
      if (i < n && text[i] == '"') {
        const std::size_t end = skip_quoted(text, i);
        if (end == std::string_view::npos) return false;
        param.value = text.substr(i + 1, end - i - 2);
        param.quoted = true;
        i = end;
      } else {
        const std::size_t value_start = i;
        while (i < n && is_param_value_char(text[i]))
          ++i;
        if (i == value_start) return false;
        param.value = text.substr(value_start, i - value_start);
      }
      skip_lws();
    }
    if (!on_param(param)) return false;
  }
  return true;
}

// scan_header_params() storing each parameter in `out` (quoted values unquoted).
bool parse_header_params(std::string_view text, Params& out);

// Appends a scanned parameter to `out`.
void append_raw_param(Params& out, const RawParam& param);

}  // namespace rtcgate::sip::detail
