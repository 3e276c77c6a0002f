// rtcgate::sdp::parse — RFC 8866 session description parser.
//
// Purpose: turn untrusted SDP text into a SessionDescription, or a ParseError naming the 1-based
// line and the reason. Never throws, never reads past the input, enforces Limits. Accepts CRLF and
// LF-only line ends; ignores blank lines; keeps unknown attributes and unknown line types in order.
// Ownership: the result owns copies; the input view may die afterwards. Thread affinity: none.
//
// Line order is an explicit state machine over RFC 8866 §5:
//
//   session-description = v= o= s= [i=] [u=] *e= *p= [c=] *b= 1*(t= *r=) [z=] [k=] *a= *(media)
//   media-description   = m= [i=] *c= *b= [k=] *a=
//
// Transition table (state after the line; "-" = UnexpectedLine). States: Start, V, O, S, I, U,
// E, P, C, B, T, R, Z, K, A (session) and M, MI, MC, MB, MK, MA (media). A line with an unknown
// type letter is kept and leaves the state unchanged (RFC 8866 §5: unknown types are ignored by
// receivers; we keep them for lossless round-trip) — except in Start, where it is an error.
//
//   from \ line  v  o  s  i  u  e  p  c  b  t  r  z  k  a  m
//   Start        V  -  -  -  -  -  -  -  -  -  -  -  -  -  -
//   V            -  O  -  -  -  -  -  -  -  -  -  -  -  -  -
//   O            -  -  S  -  -  -  -  -  -  -  -  -  -  -  -
//   S            -  -  -  I  U  E  P  C  B  T  -  -  -  -  -
//   I            -  -  -  -  U  E  P  C  B  T  -  -  -  -  -
//   U            -  -  -  -  -  E  P  C  B  T  -  -  -  -  -
//   E            -  -  -  -  -  E  P  C  B  T  -  -  -  -  -
//   P            -  -  -  -  -  -  P  C  B  T  -  -  -  -  -
//   C            -  -  -  -  -  -  -  -  B  T  -  -  -  -  -
//   B            -  -  -  -  -  -  -  -  B  T  -  -  -  -  -
//   T            -  -  -  -  -  -  -  -  -  T  R  Z  K  A  M
//   R            -  -  -  -  -  -  -  -  -  T  R  Z  K  A  M
//   Z            -  -  -  -  -  -  -  -  -  -  -  -  K  A  M
//   K            -  -  -  -  -  -  -  -  -  -  -  -  -  A  M
//   A            -  -  -  -  -  -  -  -  -  -  -  -  -  A  M
//   M            -  -  -  MI -  -  -  MC MB -  -  -  MK MA M
//   MI           -  -  -  -  -  -  -  MC MB -  -  -  MK MA M
//   MC           -  -  -  -  -  -  -  MC MB -  -  -  MK MA M
//   MB           -  -  -  -  -  -  -  -  MB -  -  -  MK MA M
//   MK           -  -  -  -  -  -  -  -  -  -  -  -  -  MA M
//   MA           -  -  -  -  -  -  -  -  -  -  -  -  -  MA M
//
// Accepting states: T, R, Z, K, A and every media state (v=, o=, s= and one t= are mandatory).
#pragma once

#include <array>
#include <cstdint>
#include <expected>
#include <optional>
#include <string_view>

#include <rtcgate/sdp/parse_error.hpp>
#include <rtcgate/sdp/session_description.hpp>

namespace rtcgate::sdp {

enum class LineState : std::uint8_t {
  Start,
  V,
  O,
  S,
  I,
  U,
  E,
  P,
  C,
  B,
  T,
  R,
  Z,
  K,
  A,
  M,
  MI,
  MC,
  MB,
  MK,
  MA,
};
inline constexpr std::size_t kLineStateCount = 21;
/// The line types RFC 8866 §5 defines, in the column order of the table above.
inline constexpr std::string_view kKnownLineTypes = "vosiuepcbtrzkam";

/// The transition table above as data: the state after a `type` line in `from`, or nullopt when
/// the line is out of order. Unknown type letters return `from` (kept, state unchanged) except in
/// Start.
std::optional<LineState> next_line_state(LineState from, char type);
/// Whether a description may end in `state`.
bool is_accepting(LineState state);

std::expected<SessionDescription, ParseError> parse(std::string_view text, const Limits& limits = {});

}  // namespace rtcgate::sdp
