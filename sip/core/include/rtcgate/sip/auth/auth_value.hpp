// Parser and writer for the values of WWW-Authenticate, Proxy-Authenticate, Authorization and
// Proxy-Authorization: `scheme [ token68 | auth-param *("," auth-param) ]` with quoted strings and
// backslash escapes (RFC 3261 §25.1 LWS/quoted-string, RFC 7235 §2.1 auth-param and token68).
//
// Untrusted input: parse_auth_value() never throws and enforces kMaxAuthValueSize and
// kMaxAuthParams; errors carry the byte offset. Parameter names are matched case-insensitively
// and may appear only once (RFC 7235 §2.2). Unquoted values are accepted with any visible
// character except comma and quote, because deployed clients send `uri=sip:x@y` unquoted.
// Thread affinity: none. The result owns its strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <string>
#include <string_view>
#include <vector>

namespace rtcgate::sip::auth {

inline constexpr std::size_t kMaxAuthValueSize = 8192;
inline constexpr std::size_t kMaxAuthParams = 32;

enum class AuthErrc : std::uint8_t {
  Empty,
  TooLong,
  BadScheme,
  BadParamName,
  ExpectedEquals,
  BadValue,
  UnterminatedQuote,
  BadCharacter,
  TooManyParams,
  DuplicateParam,
  ExpectedComma,
  // Typed views (challenge/credentials) on top of a syntactically valid value:
  NotDigest,
  MissingParam,
  BadParam,
};

struct AuthParseError {
  AuthErrc code = AuthErrc::Empty;
  std::size_t offset = 0;  // byte offset into the header value
};

std::string_view to_string(AuthErrc code);

struct AuthParam {
  std::string name;   // as received; compare with iequals()
  std::string value;  // unquoted and unescaped
  bool quoted = false;
};

struct AuthValue {
  std::string scheme;
  std::string token68;  // set only for the token68 form (then params is empty)
  std::vector<AuthParam> params;

  // Case-insensitive lookup; nullptr when absent.
  const AuthParam* find(std::string_view name) const;
};

std::expected<AuthValue, AuthParseError> parse_auth_value(std::string_view text);

// Writes `scheme p1=v1, p2="v2"`. A value is quoted when `quoted` is set or it is not a token;
// quotes and backslashes inside are escaped, so parse_auth_value(write_auth_value(v)) gives back
// the same names and values.
std::string write_auth_value(const AuthValue& value);

bool iequals(std::string_view a, std::string_view b);
bool is_token(std::string_view text);

}  // namespace rtcgate::sip::auth
