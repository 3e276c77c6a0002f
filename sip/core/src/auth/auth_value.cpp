// A single-pass scanner over the header value; each grammar element has its own small function.
#include "rtcgate/sip/auth/auth_value.hpp"

#include <optional>

namespace rtcgate::sip::auth {
namespace {

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// RFC 3261 §25.1 token characters.
bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  switch (c) {
    case '-':
    case '.':
    case '!':
    case '%':
    case '*':
    case '_':
    case '+':
    case '`':
    case '\'':
    case '~':
      return true;
    default:
      return false;
  }
}

// RFC 7235 §2.1 token68 characters (before the trailing '=' padding).
bool is_token68_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '+' || c == '/';
}

bool is_forbidden(char c) {
  return c == '\0' || c == '\r' || c == '\n';
}

// The lenient unquoted value: visible characters except separators of the list itself.
bool is_bare_value_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u > 0x20 && u != 0x7f && c != ',' && c != '"';
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  std::expected<AuthValue, AuthParseError> parse() {
    AuthValue out;
    skip_ws();
    const std::size_t scheme_start = pos_;
    while (pos_ < text_.size() && is_token_char(text_[pos_]))
      ++pos_;
    if (pos_ == scheme_start) return fail(AuthErrc::BadScheme);
    out.scheme = std::string(text_.substr(scheme_start, pos_ - scheme_start));
    const std::size_t after_scheme = pos_;
    skip_ws();
    if (at_end()) return out;
    if (pos_ == after_scheme) return fail(AuthErrc::BadScheme);  // "Digestrealm=…"
    if (auto token68 = try_token68()) {
      out.token68 = std::move(*token68);
      return out;
    }
    if (auto error = parse_params(out.params)) return std::unexpected(*error);
    return out;
  }

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  void skip_ws() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t'))
      ++pos_;
  }
  std::unexpected<AuthParseError> fail(AuthErrc code) const {
    return std::unexpected(AuthParseError{code, pos_});
  }
  std::optional<AuthParseError> error(AuthErrc code) const { return AuthParseError{code, pos_}; }

  // token68 only when it is the whole rest of the value: "Basic QWxhZGRpbjpvcGVu=".
  std::optional<std::string> try_token68() {
    std::size_t p = pos_;
    while (p < text_.size() && is_token68_char(text_[p]))
      ++p;
    if (p == pos_) return std::nullopt;
    while (p < text_.size() && text_[p] == '=')
      ++p;
    std::size_t end = p;
    while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t'))
      ++p;
    if (p != text_.size()) return std::nullopt;
    std::string token(text_.substr(pos_, end - pos_));
    pos_ = p;
    return token;
  }

  std::optional<AuthParseError> parse_params(std::vector<AuthParam>& params) {
    while (true) {
      skip_ws();
      if (at_end()) return std::nullopt;
      if (text_[pos_] == ',') {  // RFC 7230 §7: empty list elements are tolerated
        ++pos_;
        continue;
      }
      if (params.size() >= kMaxAuthParams) return error(AuthErrc::TooManyParams);
      const std::size_t param_start = pos_;
      AuthParam param;
      if (auto e = parse_param(param)) return e;
      for (const auto& existing : params) {
        if (iequals(existing.name, param.name)) return AuthParseError{AuthErrc::DuplicateParam, param_start};
      }
      params.push_back(std::move(param));
      skip_ws();
      if (at_end()) return std::nullopt;
      if (text_[pos_] != ',') return error(AuthErrc::ExpectedComma);
      ++pos_;
    }
  }

  std::optional<AuthParseError> parse_param(AuthParam& param) {
    const std::size_t name_start = pos_;
    while (pos_ < text_.size() && is_token_char(text_[pos_]))
      ++pos_;
    if (pos_ == name_start) return error(AuthErrc::BadParamName);
    param.name = std::string(text_.substr(name_start, pos_ - name_start));
    skip_ws();
    if (at_end() || text_[pos_] != '=') return error(AuthErrc::ExpectedEquals);
    ++pos_;
    skip_ws();
    if (at_end()) return error(AuthErrc::BadValue);
    if (text_[pos_] == '"') {
      param.quoted = true;
      return parse_quoted(param.value);
    }
    const std::size_t value_start = pos_;
    while (pos_ < text_.size() && is_bare_value_char(text_[pos_]))
      ++pos_;
    if (pos_ == value_start)
      return error(is_forbidden(text_[pos_]) ? AuthErrc::BadCharacter : AuthErrc::BadValue);
    param.value = std::string(text_.substr(value_start, pos_ - value_start));
    return std::nullopt;
  }

  // RFC 3261 §25.1: quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE; quoted-pair = "\" any
  // octet except CR and LF. NUL is refused as well, raw or escaped.
  std::optional<AuthParseError> parse_quoted(std::string& value) {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return std::nullopt;
      }
      if (c == '\\') {
        ++pos_;
        if (at_end()) break;
        if (is_forbidden(text_[pos_])) return error(AuthErrc::BadCharacter);
        value.push_back(text_[pos_++]);
        continue;
      }
      if (is_forbidden(c)) return error(AuthErrc::BadCharacter);
      value.push_back(c);
      ++pos_;
    }
    return error(AuthErrc::UnterminatedQuote);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

void append_quoted(std::string& out, std::string_view value) {
  out += '"';
  for (const char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

std::string_view to_string(AuthErrc code) {
  switch (code) {
    case AuthErrc::Empty:
      return "empty value";
    case AuthErrc::TooLong:
      return "value too long";
    case AuthErrc::BadScheme:
      return "bad auth-scheme";
    case AuthErrc::BadParamName:
      return "bad parameter name";
    case AuthErrc::ExpectedEquals:
      return "expected '='";
    case AuthErrc::BadValue:
      return "bad parameter value";
    case AuthErrc::UnterminatedQuote:
      return "unterminated quoted string";
    case AuthErrc::BadCharacter:
      return "forbidden character";
    case AuthErrc::TooManyParams:
      return "too many parameters";
    case AuthErrc::DuplicateParam:
      return "duplicate parameter";
    case AuthErrc::ExpectedComma:
      return "expected ','";
    case AuthErrc::NotDigest:
      return "scheme is not Digest";
    case AuthErrc::MissingParam:
      return "required parameter missing";
    case AuthErrc::BadParam:
      return "invalid parameter";
  }
  return "unknown";
}

const AuthParam* AuthValue::find(std::string_view name) const {
  for (const auto& param : params) {
    if (iequals(param.name, name)) return &param;
  }
  return nullptr;
}

std::expected<AuthValue, AuthParseError> parse_auth_value(std::string_view text) {
  if (text.size() > kMaxAuthValueSize)
    return std::unexpected(AuthParseError{AuthErrc::TooLong, kMaxAuthValueSize});
  std::size_t first = 0;
  while (first < text.size() && (text[first] == ' ' || text[first] == '\t'))
    ++first;
  if (first == text.size()) return std::unexpected(AuthParseError{AuthErrc::Empty, 0});
  return Scanner(text).parse();
}

std::string write_auth_value(const AuthValue& value) {
  std::string out = value.scheme;
  if (!value.token68.empty()) {
    out += ' ';
    out += value.token68;
    return out;
  }
  bool first = true;
  for (const auto& param : value.params) {
    out += first ? " " : ", ";
    first = false;
    out += param.name;
    out += '=';
    if (param.quoted || !is_token(param.value)) {
      append_quoted(out, param.value);
    } else {
      out += param.value;
    }
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (const char c : text) {
    if (!is_token_char(c)) return false;
  }
  return true;
}

}  // namespace rtcgate::sip::auth
