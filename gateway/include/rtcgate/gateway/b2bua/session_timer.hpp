// Session timers (RFC 4028) for one leg of a call: the negotiation as UAS and as UAC, and the
// per-leg timer that says when to send a refresh and when the session has expired.
//
// Sans-I/O: every function takes header values and the current time and returns values; the
// B2BUA owns the real timers, sends the requests and ends the call. The B2BUA's only hooks are
// "a refresh succeeded on this leg" (SessionTimer::refreshed) and the action poll() returns when a
// deadline passes: send a refresh (UPDATE without a body, RFC 4028 §9, or re-INVITE) or end the call
// with BYE on both legs.
//
// Timing (RFC 4028 §10): the refresher refreshes at half the interval; the session expires, and the
// side that is not the refresher sends BYE, at interval - min(32 s, interval / 3). A refresher whose
// refresh has not succeeded by then ends the call too.
//
// State table of SessionTimer (what the table-driven test enforces):
//   state      event                          next       action
//   Off        start(interval, Us)            Running    refresh due at interval/2
//   Off        start(interval, Peer)          Running    expiry at interval - min(32, interval/3)
//   Running    poll() at refresh due (Us)     Refreshing SendRefresh (once)
//   Refreshing refreshed(now[, new interval]) Running    both deadlines move from `now`
//   Running    refreshed(now)                 Running    deadlines move from `now`
//   Refreshing retry_refresh(at)              Running    SendRefresh again at `at` (expiry unchanged)
//   Running/Refreshing poll() at expiry       Expired    Expire (once)
//   any        stop()                         Off        none
// Thread affinity: none (plain values); the B2BUA uses it on the signaling thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rtcgate::gateway::b2bua {

// RFC 4028 §4: Min-SE never below 90 s; our default interval as a UAC (§4 recommends 1800 s).
inline constexpr std::uint32_t kMinSessionExpires = 90;
inline constexpr std::uint32_t kDefaultSessionExpires = 1800;

enum class Refresher : std::uint8_t { Uac, Uas };

// Session-Expires: delta-seconds [;refresher=uac|uas] (RFC 4028 §4).
struct SessionExpires {
  std::uint32_t seconds = 0;
  std::optional<Refresher> refresher;
};

// nullopt when the value is not a delta-seconds with optional parameters (a bad header is ignored,
// as if absent; §4 gives no error for it).
std::optional<SessionExpires> parse_session_expires(std::string_view value);
std::optional<std::uint32_t> parse_min_se(std::string_view value);
std::string to_string(const SessionExpires& value);

// What a request asked for, read from its headers.
struct TimerRequest {
  std::optional<SessionExpires> session_expires;
  std::optional<std::uint32_t> min_se;
  bool supports_timer = false;  // Supported: timer
};

// As UAS of an INVITE (RFC 4028 §9): refuse with 422 and our Min-SE, accept without a timer, or
// accept with the interval and refresher to put in the 2xx (with Require: timer when the UAC
// supports timers).
struct UasDecision {
  enum class Kind : std::uint8_t { NoTimer, Timer, Reject422 } kind = Kind::NoTimer;
  SessionExpires response;  // Timer: the 2xx's Session-Expires (refresher always set)
  bool require_timer = false;
  std::uint32_t min_se = kMinSessionExpires;  // Reject422: the Min-SE header
};
UasDecision negotiate_as_uas(const TimerRequest& request, std::uint32_t local_min_se = kMinSessionExpires);

// As UAC, from the 2xx (RFC 4028 §7.2): the interval and who refreshes, or nullopt (no timer).
// A refresher the UAS left out is the UAC's when we asked for timers (§7.2 defaults it to uac).
std::optional<SessionExpires> negotiate_as_uac(std::optional<SessionExpires> response);

// As UAC, after a 422 (§7.1): the Session-Expires of the retried request, never below its Min-SE;
// nullopt when the 422 carries no usable Min-SE or asks for more than `max_seconds`.
std::optional<std::uint32_t> interval_after_422(std::optional<std::uint32_t> min_se, std::uint32_t requested,
                                                std::uint32_t max_seconds = 7200);

// One leg's running timer. `us` says whether we are this leg's refresher.
class SessionTimer {
 public:
  using Clock = std::chrono::steady_clock;
  enum class State : std::uint8_t { Off, Running, Refreshing, Expired };
  enum class Action : std::uint8_t { None, SendRefresh, Expire };

  void start(Clock::time_point now, std::uint32_t interval_seconds, bool we_refresh);
  // A refresh (2xx to re-INVITE/UPDATE, sent or received) succeeded at `now`; it may have
  // renegotiated the interval and the refresher.
  void refreshed(Clock::time_point now, std::optional<std::uint32_t> interval_seconds = std::nullopt,
                 std::optional<bool> we_refresh = std::nullopt);
  void stop() { state_ = State::Off; }
  // The refresh we sent could not get through yet (491, or another offer in progress): send one
  // again at `at`. The session still expires when it would have; nothing happens unless Refreshing.
  void retry_refresh(Clock::time_point at);

  // The action due at `now`, each given once per deadline.
  Action poll(Clock::time_point now);
  // The next time poll() may have something to do; nullopt when Off or Expired.
  std::optional<Clock::time_point> next_deadline() const;

  State state() const { return state_; }
  bool we_refresh() const { return we_refresh_; }
  std::uint32_t interval() const { return interval_; }

  static std::chrono::seconds refresh_after(std::uint32_t interval_seconds);
  static std::chrono::seconds expire_after(std::uint32_t interval_seconds);

 private:
  void arm(Clock::time_point from);

  State state_ = State::Off;
  bool we_refresh_ = false;
  std::uint32_t interval_ = 0;
  Clock::time_point refresh_at_{};
  Clock::time_point expire_at_{};
};

}  // namespace rtcgate::gateway::b2bua
