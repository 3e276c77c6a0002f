// Enforces the RFC 8866 §5 line-order table documented in rtcgate/sdp/parser.hpp: the expected
// table below is written out independently, row by row, and compared with next_line_state() for
// every (state, line type) pair, plus unknown letters and the accepting states.
#include <gtest/gtest.h>

#include <rtcgate/sdp/parser.hpp>

#include <array>
#include <string>

namespace rtcgate::sdp {
namespace {

struct Row {
  LineState from;
  const char* name;
  // One entry per kKnownLineTypes letter: the next state's name, or "-" for UnexpectedLine.
  std::array<const char*, 15> next;
  bool accepting;
};

constexpr std::array<const char*, kLineStateCount> kNames = {"Start", "V", "O",  "S",  "I",  "U",  "E",
                                                             "P",     "C", "B",  "T",  "R",  "Z",  "K",
                                                             "A",     "M", "MI", "MC", "MB", "MK", "MA"};

using L = LineState;
// clang-format off
const Row kExpected[] = {
  //                         v    o    s    i     u    e    p    c     b     t    r    z    k     a     m
  {L::Start, "Start", {{"V", "-", "-", "-",  "-", "-", "-", "-",  "-",  "-", "-", "-", "-",  "-",  "-"}}, false},
  {L::V,     "V",     {{"-", "O", "-", "-",  "-", "-", "-", "-",  "-",  "-", "-", "-", "-",  "-",  "-"}}, false},
  {L::O,     "O",     {{"-", "-", "S", "-",  "-", "-", "-", "-",  "-",  "-", "-", "-", "-",  "-",  "-"}}, false},
  {L::S,     "S",     {{"-", "-", "-", "I",  "U", "E", "P", "C",  "B",  "T", "-", "-", "-",  "-",  "-"}}, false},
  {L::I,     "I",     {{"-", "-", "-", "-",  "U", "E", "P", "C",  "B",  "T", "-", "-", "-",  "-",  "-"}}, false},
  {L::U,     "U",     {{"-", "-", "-", "-",  "-", "E", "P", "C",  "B",  "T", "-", "-", "-",  "-",  "-"}}, false},
  {L::E,     "E",     {{"-", "-", "-", "-",  "-", "E", "P", "C",  "B",  "T", "-", "-", "-",  "-",  "-"}}, false},
  {L::P,     "P",     {{"-", "-", "-", "-",  "-", "-", "P", "C",  "B",  "T", "-", "-", "-",  "-",  "-"}}, false},
  {L::C,     "C",     {{"-", "-", "-", "-",  "-", "-", "-", "-",  "B",  "T", "-", "-", "-",  "-",  "-"}}, false},
  {L::B,     "B",     {{"-", "-", "-", "-",  "-", "-", "-", "-",  "B",  "T", "-", "-", "-",  "-",  "-"}}, false},
  {L::T,     "T",     {{"-", "-", "-", "-",  "-", "-", "-", "-",  "-",  "T", "R", "Z", "K",  "A",  "M"}}, true},
  {L::R,     "R",     {{"-", "-", "-", "-",  "-", "-", "-", "-",  "-",  "T", "R", "Z", "K",  "A",  "M"}}, true},
  {L::Z,     "Z",     {{"-", "-", "-", "-",  "-", "-", "-", "-",  "-",  "-", "-", "-", "K",  "A",  "M"}}, true},
  {L::K,     "K",     {{"-", "-", "-", "-",  "-", "-", "-", "-",  "-",  "-", "-", "-", "-",  "A",  "M"}}, true},
  {L::A,     "A",     {{"-", "-", "-", "-",  "-", "-", "-", "-",  "-",  "-", "-", "-", "-",  "A",  "M"}}, true},
  {L::M,     "M",     {{"-", "-", "-", "MI", "-", "-", "-", "MC", "MB", "-", "-", "-", "MK", "MA", "M"}}, true},
  {L::MI,    "MI",    {{"-", "-", "-", "-",  "-", "-", "-", "MC", "MB", "-", "-", "-", "MK", "MA", "M"}}, true},
  {L::MC,    "MC",    {{"-", "-", "-", "-",  "-", "-", "-", "MC", "MB", "-", "-", "-", "MK", "MA", "M"}}, true},
  {L::MB,    "MB",    {{"-", "-", "-", "-",  "-", "-", "-", "-",  "MB", "-", "-", "-", "MK", "MA", "M"}}, true},
  {L::MK,    "MK",    {{"-", "-", "-", "-",  "-", "-", "-", "-",  "-",  "-", "-", "-", "-",  "MA", "M"}}, true},
  {L::MA,    "MA",    {{"-", "-", "-", "-",  "-", "-", "-", "-",  "-",  "-", "-", "-", "-",  "MA", "M"}}, true},
};
// clang-format on

std::string name_of(std::optional<LineState> s) {
  return s ? kNames[static_cast<std::size_t>(*s)] : "-";
}

TEST(LineStateTable, MatchesRfc8866Order) {
  ASSERT_EQ(std::size(kExpected), kLineStateCount);
  for (const Row& row : kExpected) {
    for (std::size_t col = 0; col < kKnownLineTypes.size(); ++col) {
      const char type = kKnownLineTypes[col];
      EXPECT_EQ(name_of(next_line_state(row.from, type)), row.next[col])
          << "from " << row.name << " on " << type << "=";
    }
    EXPECT_EQ(is_accepting(row.from), row.accepting) << row.name;
  }
}

TEST(LineStateTable, UnknownTypesKeepTheStateExceptAtStart) {
  for (const Row& row : kExpected) {
    for (char type : std::string("dfghjlnqswxy")) {
      if (kKnownLineTypes.find(type) != std::string_view::npos) continue;
      const auto next = next_line_state(row.from, type);
      if (row.from == LineState::Start) {
        EXPECT_FALSE(next) << type;
      } else {
        EXPECT_EQ(next, row.from) << row.name << " " << type;
      }
    }
  }
}

}  // namespace
}  // namespace rtcgate::sdp
