// Top-Via stamping, see via_stamp.hpp. Grammar (RFC 3261 §25.1):
//   Via = ( "Via" / "v" ) HCOLON via-parm *(COMMA via-parm)
//   via-parm = sent-protocol LWS sent-by *( SEMI via-params )
//   sent-protocol = protocol-name SLASH protocol-version SLASH transport
//   sent-by = host [ COLON port ]
#include "rtcgate/sip/asio/via_stamp.hpp"

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace rtcgate::sip::asio {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("-.!%*_+`'~").find(c) != std::string_view::npos;
}

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct ViaParam {
  Span whole;  // from the character after ';' to the end of the value
  Span name;
};

// End of the header that starts at `pos`: the end of its last (folded) line, before CRLF.
std::size_t header_end(const std::string& m, std::size_t pos) {
  for (;;) {
    std::size_t eol = m.find('\n', pos);
    if (eol == std::string::npos) return m.size();
    if (eol + 1 < m.size() && (m[eol + 1] == ' ' || m[eol + 1] == '\t')) {
      pos = eol + 1;
      continue;
    }
    return (eol > 0 && m[eol - 1] == '\r') ? eol - 1 : eol;
  }
}

// Finds the start of the first Via value (just after the colon) and the end of that header.
std::optional<Span> find_top_via(const std::string& m) {
  std::size_t pos = m.find('\n');
  while (pos != std::string::npos && ++pos < m.size()) {
    std::size_t eol = m.find('\n', pos);
    std::size_t content_end = eol == std::string::npos ? m.size() : eol;
    if (content_end > pos && m[content_end - 1] == '\r') --content_end;
    if (content_end == pos) return std::nullopt;  // blank line: end of the header section
    if (m[pos] != ' ' && m[pos] != '\t') {
      std::size_t colon = m.find(':', pos);
      if (colon != std::string::npos && colon < content_end) {
        std::string_view name = trim(std::string_view(m).substr(pos, colon - pos));
        if (iequal(name, "via") || iequal(name, "v")) return Span{colon + 1, header_end(m, pos)};
      }
    }
    pos = eol;
  }
  return std::nullopt;
}

class Scanner {
 public:
  Scanner(const std::string& m, Span span) : m_(m), pos_(span.begin), end_(span.end) {}
  void skip_space() {
    while (pos_ < end_ && is_space(m_[pos_]))
      ++pos_;
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < end_ && m_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  Span token() {
    skip_space();
    std::size_t start = pos_;
    while (pos_ < end_ && is_token_char(m_[pos_]))
      ++pos_;
    return {start, pos_};
  }
  // A host (token chars, or a bracketed IPv6 reference) or a received value (may hold ':').
  Span host_or_value(bool allow_colon) {
    skip_space();
    std::size_t start = pos_;
    if (pos_ < end_ && m_[pos_] == '[') {
      while (pos_ < end_ && m_[pos_] != ']')
        ++pos_;
      if (pos_ < end_) ++pos_;
      return {start, pos_};
    }
    if (pos_ < end_ && m_[pos_] == '"') {
      ++pos_;
      while (pos_ < end_ && m_[pos_] != '"')
        pos_ += m_[pos_] == '\\' ? 2 : 1;
      if (pos_ < end_) ++pos_;
      return {start, std::min(pos_, end_)};
    }
    if (allow_colon) {
      // A parameter value: whatever the parser let through, up to the next separator.
      while (pos_ < end_ && !is_space(m_[pos_]) && m_[pos_] != ';' && m_[pos_] != ',')
        ++pos_;
      return {start, pos_};
    }
    while (pos_ < end_ && is_token_char(m_[pos_]))
      ++pos_;
    return {start, pos_};
  }
  std::size_t pos() const { return pos_; }
  bool at(char c) const { return pos_ < end_ && m_[pos_] == c; }
  std::size_t end() const { return end_; }

 private:
  const std::string& m_;
  std::size_t pos_;
  std::size_t end_;
};

}  // namespace

ViaStamp stamp_via_received(std::string& m, const TransportAddress& source) {
  if (m.size() < 4 || m.starts_with("SIP/") || m.find('\n') == std::string::npos) return ViaStamp::NotRequest;
  const std::optional<Span> header = find_top_via(m);
  if (!header) return ViaStamp::NoVia;

  Scanner s(m, *header);
  // sent-protocol: three tokens separated by '/'.
  for (int i = 0; i < 2; ++i) {
    Span part = s.token();
    if (part.begin == part.end || !s.eat('/')) return ViaStamp::Malformed;
  }
  Span transport = s.token();
  if (transport.begin == transport.end) return ViaStamp::Malformed;
  Span host = s.host_or_value(false);
  if (host.begin == host.end) return ViaStamp::Malformed;
  if (s.eat(':')) s.token();  // port

  std::vector<ViaParam> params;
  bool has_rport = false;
  std::size_t params_end = s.pos();
  std::size_t params_begin = params_end;
  while (s.eat(';')) {
    if (params.empty()) params_begin = s.pos() - 1;
    ViaParam p;
    p.name = s.token();
    if (p.name.begin == p.name.end) return ViaStamp::Malformed;
    p.whole.begin = p.name.begin;
    if (s.eat('=')) s.host_or_value(true);
    p.whole.end = s.pos();
    params_end = s.pos();
    std::string_view name(m.data() + p.name.begin, p.name.end - p.name.begin);
    has_rport = has_rport || iequal(name, "rport");
    params.push_back(p);
  }

  // Only a comma (the next via-parm) or the end of the header may follow; anything else means we
  // did not understand the value, and rewriting it could break what the parser would accept.
  s.skip_space();
  if (!(s.pos() == s.end() || s.at(','))) return ViaStamp::Malformed;

  std::string_view host_text(m.data() + host.begin, host.end - host.begin);
  if (host_text.size() > 2 && host_text.front() == '[') host_text = host_text.substr(1, host_text.size() - 2);
  const bool needs_received = has_rport || !iequal(host_text, source.ip);
  if (!needs_received) return ViaStamp::Unchanged;

  // Rebuild the parameter list: received/rport get our values, everything else is kept verbatim.
  std::string rebuilt;
  bool has_received = false;
  for (const ViaParam& p : params) {
    std::string_view name(m.data() + p.name.begin, p.name.end - p.name.begin);
    rebuilt += ';';
    if (iequal(name, "rport")) {
      rebuilt += "rport=" + std::to_string(source.port);
    } else if (iequal(name, "received")) {
      rebuilt += "received=" + source.ip;
      has_received = true;
    } else {
      rebuilt.append(m, p.whole.begin, p.whole.end - p.whole.begin);
    }
  }
  if (!has_received) rebuilt += ";received=" + source.ip;
  m.replace(params_begin, params_end - params_begin, rebuilt);
  return ViaStamp::Stamped;
}

}  // namespace rtcgate::sip::asio
