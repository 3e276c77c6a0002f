// Time units of the SIP stack.
//
// Purpose: one definition of "time" for timers, transactions, dialogs and registrations, so that
// production code runs on std::chrono::steady_clock and tests on a fake clock without conversions.
// Units: Duration is steady_clock's native tick (nanoseconds on Linux); RFC 3261 timers are written
// in milliseconds and convert implicitly. Monotonic: wall-clock jumps never move SIP timers.
// Thread affinity: none (types only).
#pragma once

#include <chrono>

namespace rtcgate::sip {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;

}  // namespace rtcgate::sip
