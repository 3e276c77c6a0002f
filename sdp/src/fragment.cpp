// RFC 8840 §9 trickle-ice-sdpfrag: a flat list of a= lines, optionally grouped under m= lines.
#include <rtcgate/sdp/fragment.hpp>

#include "line_fields.hpp"
#include "text.hpp"

namespace rtcgate::sdp {

namespace {

struct FragmentBuilder {
  SdpFragment f;
  std::optional<std::string> ufrag, pwd;              // session level
  std::optional<std::string> media_ufrag, media_pwd;  // current m= line
  std::size_t credential_line = 0;                    // last session-level ice-ufrag/ice-pwd
  std::size_t media_credential_line = 0;              // last ice-ufrag/ice-pwd of the current m= line
  std::size_t line = 0;                               // the line being parsed
  std::size_t candidates = 0;
};

using Result = std::expected<void, ParseError>;

std::unexpected<ParseError> bad(std::string reason) {
  return std::unexpected(ParseError{ParseErrc::BadAttribute, 0, std::move(reason)});
}

// RFC 8839 §5.4: ice-ufrag and ice-pwd come as a pair; one alone cannot be used and would be
// lost on writing, so it is an error naming the line of the lone attribute.
Result close_credentials(std::optional<IceCredentials>& into, std::optional<std::string>& u,
                         std::optional<std::string>& p, std::size_t line) {
  if (u.has_value() != p.has_value()) {
    return std::unexpected(ParseError{ParseErrc::BadAttribute, line,
                                      u ? "a=ice-ufrag without a=ice-pwd" : "a=ice-pwd without a=ice-ufrag"});
  }
  if (u && p) into = IceCredentials{std::move(*u), std::move(*p)};
  u.reset();
  p.reset();
  return {};
}

Result on_session_attribute(FragmentBuilder& b, const Attribute& a) {
  if (a.name == "ice-options" && a.value) {
    auto opts = parse_ice_options(*a.value);
    if (!opts) return std::unexpected(opts.error());
    b.f.ice_options = std::move(*opts);
  } else if (a.name == "end-of-candidates") {
    b.f.end_of_candidates = true;
  } else {
    b.f.other.push_back(a);
  }
  return {};
}

Result on_media_attribute(FragmentMedia& m, const Attribute& a) {
  if (a.name == "mid" && a.value) {
    m.mid = *a.value;
  } else if (a.name == "candidate" && a.value) {
    auto c = parse_candidate(*a.value);
    if (!c) return std::unexpected(c.error());
    m.candidates.push_back(std::move(*c));
  } else if (a.name == "end-of-candidates") {
    m.end_of_candidates = true;
  } else {
    m.other.push_back(a);
  }
  return {};
}

Result on_attribute(FragmentBuilder& b, const Attribute& a, const Limits& limits) {
  if (a.name == "candidate" && ++b.candidates > limits.max_candidates) {
    return std::unexpected(ParseError{ParseErrc::TooManyCandidates, 0, "too many candidates"});
  }
  const bool in_media = !b.f.media.empty();
  if (a.name == "ice-ufrag" || a.name == "ice-pwd") {
    if (!a.value) return bad("ice credential without a value");
    auto v = a.name == "ice-ufrag" ? parse_ice_ufrag(*a.value) : parse_ice_pwd(*a.value);
    if (!v) return std::unexpected(v.error());
    auto& slot =
        a.name == "ice-ufrag" ? (in_media ? b.media_ufrag : b.ufrag) : (in_media ? b.media_pwd : b.pwd);
    slot = std::move(*v);
    (in_media ? b.media_credential_line : b.credential_line) = b.line;
    return {};
  }
  if (in_media) {
    if (b.f.media.back().other.size() + b.f.media.back().candidates.size() >= limits.max_attributes) {
      return std::unexpected(ParseError{ParseErrc::TooManyAttributes, 0, "too many attributes"});
    }
    return on_media_attribute(b.f.media.back(), a);
  }
  if (b.f.other.size() >= limits.max_attributes) {
    return std::unexpected(ParseError{ParseErrc::TooManyAttributes, 0, "too many attributes"});
  }
  // RFC 8840 §9: a candidate outside any m= line has no media to apply to.
  if (a.name == "candidate") return bad("a=candidate must follow an m= line");
  return on_session_attribute(b, a);
}

Result on_media_line(FragmentBuilder& b, std::string_view value, const Limits& limits) {
  if (b.f.media.size() >= limits.max_media) {
    return std::unexpected(ParseError{ParseErrc::TooManyMedia, 0, "too many m= lines"});
  }
  auto m = detail::parse_media_line(value);
  if (!m) return std::unexpected(m.error());
  if (!b.f.media.empty()) {
    auto closed =
        close_credentials(b.f.media.back().credentials, b.media_ufrag, b.media_pwd, b.media_credential_line);
    if (!closed) return closed;
  }
  FragmentMedia fm;
  fm.media = std::move(m->media);
  fm.port = m->port;
  fm.proto = std::move(m->proto);
  fm.formats = std::move(m->formats);
  b.f.media.push_back(std::move(fm));
  return {};
}

Result on_line(FragmentBuilder& b, std::string_view line, const Limits& limits) {
  if (line.size() < 2 || line[1] != '=') {
    return std::unexpected(ParseError{ParseErrc::MalformedLine, 0, "expected <type>=<value>"});
  }
  if (line[0] == 'm') return on_media_line(b, line.substr(2), limits);
  if (line[0] != 'a')
    return std::unexpected(ParseError{ParseErrc::UnexpectedLine, 0, "only a= and m= lines"});
  auto a = detail::parse_attribute(line.substr(2));
  if (!a) return std::unexpected(a.error());
  return on_attribute(b, *a, limits);
}

void write_attribute(std::string& out, std::string_view name, const std::optional<std::string>& value) {
  out += "a=";
  out += name;
  if (value) out += ':' + *value;
  out += "\r\n";
}

}  // namespace

std::expected<SdpFragment, ParseError> parse_fragment(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_body_size) {
    return std::unexpected(ParseError{ParseErrc::TooLarge, 1, "body larger than the size limit"});
  }
  FragmentBuilder b;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  bool any = false;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    if (line_no > limits.max_lines)
      return std::unexpected(ParseError{ParseErrc::TooManyLines, line_no, "too many lines"});
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > limits.max_line_length) {
      return std::unexpected(ParseError{ParseErrc::LineTooLong, line_no, "line too long"});
    }
    if (line.empty()) continue;
    b.line = line_no;
    if (auto r = on_line(b, line, limits); !r) {
      if (r.error().line == 0) r.error().line = line_no;
      return std::unexpected(std::move(r.error()));
    }
    any = true;
  }
  if (!any) return std::unexpected(ParseError{ParseErrc::Empty, 1, "empty sdpfrag"});
  if (auto r = close_credentials(b.f.credentials, b.ufrag, b.pwd, b.credential_line); !r) {
    return std::unexpected(std::move(r.error()));
  }
  if (!b.f.media.empty()) {
    auto r =
        close_credentials(b.f.media.back().credentials, b.media_ufrag, b.media_pwd, b.media_credential_line);
    if (!r) return std::unexpected(std::move(r.error()));
  }
  return std::move(b.f);
}

std::string write(const SdpFragment& f) {
  std::string out;
  if (f.credentials) {
    write_attribute(out, "ice-ufrag", f.credentials->ufrag);
    write_attribute(out, "ice-pwd", f.credentials->pwd);
  }
  if (!f.ice_options.empty()) {
    std::string opts;
    for (const auto& o : f.ice_options)
      opts += (opts.empty() ? "" : " ") + o;
    write_attribute(out, "ice-options", opts);
  }
  for (const auto& a : f.other)
    write_attribute(out, a.name, a.value);
  if (f.end_of_candidates) write_attribute(out, "end-of-candidates", std::nullopt);
  for (const auto& m : f.media) {
    out += "m=" + m.media + ' ';
    detail::append_uint(out, m.port);
    out += ' ' + m.proto;
    for (const auto& fmt : m.formats)
      out += ' ' + fmt;
    out += "\r\n";
    if (m.mid) write_attribute(out, "mid", m.mid);
    if (m.credentials) {
      write_attribute(out, "ice-ufrag", m.credentials->ufrag);
      write_attribute(out, "ice-pwd", m.credentials->pwd);
    }
    for (const auto& c : m.candidates)
      write_attribute(out, "candidate", to_value(c));
    for (const auto& a : m.other)
      write_attribute(out, a.name, a.value);
    if (m.end_of_candidates) write_attribute(out, "end-of-candidates", std::nullopt);
  }
  return out;
}

}  // namespace rtcgate::sdp
