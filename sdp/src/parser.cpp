// RFC 8866 §5 parser: splits lines, drives the line-order state machine documented in
// parser.hpp, and fills the SessionDescription one small handler per line type.
#include <rtcgate/sdp/parser.hpp>

#include <array>
#include <string>

#include "line_fields.hpp"
#include "text.hpp"

namespace rtcgate::sdp {

namespace {

using S = LineState;
constexpr std::size_t kTypes = 15;  // columns of the table: kKnownLineTypes
constexpr std::optional<S> X = std::nullopt;

// Rows are in LineState order, columns in kKnownLineTypes order ("vosiuepcbtrzkam").
// This is the table in parser.hpp, verbatim; tests/sdp/line_state_test.cpp checks it.
// clang-format off
constexpr std::array<std::array<std::optional<S>, kTypes>, kLineStateCount> kTable{{
    //   v     o     s     i     u     e     p     c     b     t     r     z     k     a     m
    {S::V, X, X, X, X, X, X, X, X, X, X, X, X, X, X},                                  // Start
    {X, S::O, X, X, X, X, X, X, X, X, X, X, X, X, X},                                  // V
    {X, X, S::S, X, X, X, X, X, X, X, X, X, X, X, X},                                  // O
    {X, X, X, S::I, S::U, S::E, S::P, S::C, S::B, S::T, X, X, X, X, X},                // S
    {X, X, X, X, S::U, S::E, S::P, S::C, S::B, S::T, X, X, X, X, X},                   // I
    {X, X, X, X, X, S::E, S::P, S::C, S::B, S::T, X, X, X, X, X},                      // U
    {X, X, X, X, X, S::E, S::P, S::C, S::B, S::T, X, X, X, X, X},                      // E
    {X, X, X, X, X, X, S::P, S::C, S::B, S::T, X, X, X, X, X},                         // P
    {X, X, X, X, X, X, X, X, S::B, S::T, X, X, X, X, X},                               // C
    {X, X, X, X, X, X, X, X, S::B, S::T, X, X, X, X, X},                               // B
    {X, X, X, X, X, X, X, X, X, S::T, S::R, S::Z, S::K, S::A, S::M},                   // T
    {X, X, X, X, X, X, X, X, X, S::T, S::R, S::Z, S::K, S::A, S::M},                   // R
    {X, X, X, X, X, X, X, X, X, X, X, X, S::K, S::A, S::M},                            // Z
    {X, X, X, X, X, X, X, X, X, X, X, X, X, S::A, S::M},                               // K
    {X, X, X, X, X, X, X, X, X, X, X, X, X, S::A, S::M},                               // A
    {X, X, X, S::MI, X, X, X, S::MC, S::MB, X, X, X, S::MK, S::MA, S::M},              // M
    {X, X, X, X, X, X, X, S::MC, S::MB, X, X, X, S::MK, S::MA, S::M},                  // MI
    {X, X, X, X, X, X, X, S::MC, S::MB, X, X, X, S::MK, S::MA, S::M},                  // MC
    {X, X, X, X, X, X, X, X, S::MB, X, X, X, S::MK, S::MA, S::M},                      // MB
    {X, X, X, X, X, X, X, X, X, X, X, X, X, S::MA, S::M},                              // MK
    {X, X, X, X, X, X, X, X, X, X, X, X, X, S::MA, S::M},                              // MA
}};
// clang-format on

bool is_media_state(S s) {
  return static_cast<std::uint8_t>(s) >= static_cast<std::uint8_t>(S::M);
}

struct Builder {
  SessionDescription d;
  std::size_t candidates = 0;
  const Limits& limits;

  MediaDescription* media() { return d.media.empty() ? nullptr : &d.media.back(); }
};

using Result = std::expected<void, ParseError>;

std::unexpected<ParseError> fail(ParseErrc code, std::string reason) {
  return std::unexpected(ParseError{code, 0, std::move(reason)});
}

template <typename T>
Result store(std::expected<T, ParseError> parsed, T& into) {
  if (!parsed) return std::unexpected(std::move(parsed.error()));
  into = std::move(*parsed);
  return {};
}

Result on_version(Builder& b, std::string_view v) {
  if (v != "0") return fail(ParseErrc::BadVersion, "v= must be 0");
  b.d.version = 0;
  return {};
}

Result on_attribute(Builder& b, std::string_view v) {
  auto attr = detail::parse_attribute(v);
  if (!attr) return std::unexpected(std::move(attr.error()));
  AttributeList& list = b.media() ? b.media()->attributes : b.d.attributes;
  if (list.items.size() >= b.limits.max_attributes) {
    return fail(ParseErrc::TooManyAttributes, "too many attributes in one section");
  }
  if (attr->name == "candidate" && ++b.candidates > b.limits.max_candidates) {
    return fail(ParseErrc::TooManyCandidates, "too many candidates");
  }
  list.items.push_back(std::move(*attr));
  return {};
}

Result on_media(Builder& b, std::string_view v) {
  if (b.d.media.size() >= b.limits.max_media) return fail(ParseErrc::TooManyMedia, "too many m= sections");
  auto m = detail::parse_media_line(v);
  if (!m) return std::unexpected(std::move(m.error()));
  b.d.media.push_back(std::move(*m));
  return {};
}

Result on_connection(Builder& b, std::string_view v) {
  auto c = detail::parse_connection(v);
  if (!c) return std::unexpected(std::move(c.error()));
  if (b.media()) {
    b.media()->connections.push_back(std::move(*c));
  } else {
    b.d.connection = std::move(*c);
  }
  return {};
}

Result on_bandwidth(Builder& b, std::string_view v) {
  auto bw = detail::parse_bandwidth(v);
  if (!bw) return std::unexpected(std::move(bw.error()));
  (b.media() ? b.media()->bandwidths : b.d.bandwidths).push_back(std::move(*bw));
  return {};
}

Result on_timing(Builder& b, std::string_view v) {
  auto t = detail::parse_timing(v);
  if (!t) return std::unexpected(std::move(t.error()));
  b.d.timings.push_back(std::move(*t));
  return {};
}

Result on_text(Builder& b, char type, std::string_view v) {
  std::string value(v);
  MediaDescription* m = b.media();
  switch (type) {
    case 's':
      b.d.session_name = std::move(value);
      break;
    case 'i':
      (m ? m->information : b.d.information) = std::move(value);
      break;
    case 'u':
      b.d.uri = std::move(value);
      break;
    case 'e':
      b.d.emails.push_back(std::move(value));
      break;
    case 'p':
      b.d.phones.push_back(std::move(value));
      break;
    case 'r':
      b.d.timings.back().repeats.push_back(std::move(value));
      break;
    case 'z':
      b.d.zone = std::move(value);
      break;
    case 'k':
      (m ? m->key : b.d.key) = std::move(value);
      break;
    default:
      (m ? m->extra_lines : b.d.extra_lines).push_back({type, std::move(value)});
      break;
  }
  return {};
}

Result on_line(Builder& b, char type, std::string_view v) {
  switch (type) {
    case 'v':
      return on_version(b, v);
    case 'o':
      return store(detail::parse_origin(v), b.d.origin);
    case 'c':
      return on_connection(b, v);
    case 'b':
      return on_bandwidth(b, v);
    case 't':
      return on_timing(b, v);
    case 'm':
      return on_media(b, v);
    case 'a':
      return on_attribute(b, v);
    default:
      return on_text(b, type, v);
  }
}

std::string_view missing_reason(S state) {
  switch (state) {
    case S::Start:
      return "no v= line";
    case S::V:
      return "missing o= line";
    case S::O:
      return "missing s= line";
    default:
      return "missing t= line";
  }
}

}  // namespace

std::optional<LineState> next_line_state(LineState from, char type) {
  const auto column = kKnownLineTypes.find(type);
  if (column == std::string_view::npos) {
    if (from == S::Start) return std::nullopt;
    return from;
  }
  return kTable[static_cast<std::size_t>(from)][column];
}

bool is_accepting(LineState state) {
  switch (state) {
    case S::T:
    case S::R:
    case S::Z:
    case S::K:
    case S::A:
      return true;
    default:
      return is_media_state(state);
  }
}

std::expected<SessionDescription, ParseError> parse(std::string_view text, const Limits& limits) {
  if (text.size() > limits.max_body_size) {
    return std::unexpected(ParseError{ParseErrc::TooLarge, 1, "body larger than the size limit"});
  }
  Builder b{{}, 0, limits};
  b.d.timings.clear();
  S state = S::Start;
  std::size_t line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t end = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    auto err = [&](ParseErrc code, std::string reason) {
      return std::unexpected(ParseError{code, line_no, std::move(reason)});
    };
    if (line_no > limits.max_lines) return err(ParseErrc::TooManyLines, "too many lines");
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > limits.max_line_length) return err(ParseErrc::LineTooLong, "line too long");
    if (line.empty()) continue;  // tolerated: trailing blank lines after SIP bodies
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
      return err(ParseErrc::MalformedLine, "expected <type>=<value>");
    }
    const char type = line[0];
    const auto next = next_line_state(state, type);
    if (!next) return err(ParseErrc::UnexpectedLine, std::string("unexpected ") + type + "= line here");
    if (auto r = on_line(b, type, line.substr(2)); !r) {
      r.error().line = line_no;
      return std::unexpected(std::move(r.error()));
    }
    state = *next;
  }
  if (line_no == 0 || state == S::Start)
    return std::unexpected(ParseError{ParseErrc::Empty, 1, "no SDP lines"});
  if (!is_accepting(state)) {
    return std::unexpected(ParseError{ParseErrc::MissingLine, line_no, std::string(missing_reason(state))});
  }
  return std::move(b.d);
}

}  // namespace rtcgate::sdp
