// TimerService: the one-shot timer interface the sans-I/O SIP stack schedules its timers on.
//
// Purpose: RFC 3261 §17 transactions (timers A-M), dialogs and registrations need one-shot timers
// and the current time, but sip/core performs no I/O. The signaling loop provides an implementation
// (on an Asio io_context); tests provide a deterministic fake (tests/support/fake_clock.hpp).
// Contract:
//   - schedule(delay, callback) arms a one-shot timer; a negative delay counts as zero. The callback
//     runs later, never from inside schedule(), on the service's thread.
//   - cancel(handle) guarantees the callback will not run once cancel() returns. Cancelling an
//     empty handle, a handle that has fired or one already cancelled is a no-op, so owners may cancel
//     unconditionally in their destructors, and a callback may cancel its own handle.
//   - Callbacks may schedule and cancel other timers.
//   - now() is monotonic (Clock is steady_clock).
// Ownership: the service owns the callbacks until they run or are cancelled. Whoever captures a
// pointer in a callback must cancel the timer before that pointer dies.
// Thread affinity: single-threaded; every call and every callback happens on the signaling thread.
#pragma once

#include <cstdint>
#include <functional>

#include "rtcgate/sip/clock.hpp"

namespace rtcgate::sip {

// Identifies one scheduled timer. Value zero means "no timer".
struct TimerHandle {
  std::uint64_t id = 0;

  constexpr explicit operator bool() const { return id != 0; }
  friend constexpr bool operator==(TimerHandle, TimerHandle) = default;
};

class TimerService {
 public:
  using Callback = std::function<void()>;

  virtual ~TimerService() = default;

  virtual TimerHandle schedule(Duration delay, Callback callback) = 0;
  virtual void cancel(TimerHandle handle) = 0;
  virtual TimePoint now() const = 0;
};

}  // namespace rtcgate::sip
