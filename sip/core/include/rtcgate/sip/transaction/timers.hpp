// TransactionTimers: the RFC 3261 §17 timer values (Table 4) and RFC 6026 timers L and M.
//
// Purpose: one place that turns the configurable base values T1, T2 and T4 into every timer
// duration the four transaction state machines use, so that an operator (or a test) changes T1 and
// every derived timer follows. Units: Duration (see clock.hpp). Thread affinity: none (value type).
//
//   Timer  Value                          Meaning (RFC 3261 §17, RFC 6026 §8.4)
//   A      T1, doubling                   INVITE request retransmit interval (unreliable only)
//   B      64*T1                          INVITE transaction timeout
//   D      timer_d (>= 32 s) / 0          wait time for response retransmits (0 when reliable)
//   E      T1, doubling up to T2          non-INVITE request retransmit (unreliable only)
//   F      64*T1                          non-INVITE transaction timeout
//   G      T1, doubling up to T2          INVITE response retransmit interval (unreliable only)
//   H      64*T1                          wait time for ACK receipt
//   I      T4 / 0                         wait time for ACK retransmits (0 when reliable)
//   J      64*T1 / 0                      wait time for non-INVITE request retransmits
//   K      T4 / 0                         wait time for response retransmits (0 when reliable)
//   L      64*T1                          wait time for accepted INVITE request retransmits
//   M      64*T1                          wait time for retransmission of 2xx to INVITE
//   100    trying_delay (200 ms)          §17.2.1: send 100 Trying if the TU has not answered
#pragma once

#include <chrono>

#include "rtcgate/sip/clock.hpp"

namespace rtcgate::sip {

struct TransactionTimers {
  Duration t1 = std::chrono::milliseconds(500);
  Duration t2 = std::chrono::seconds(4);
  Duration t4 = std::chrono::seconds(5);
  Duration timer_d = std::chrono::seconds(32);
  Duration trying_delay = std::chrono::milliseconds(200);

  // T1, T2, T4 and timer D positive, T2 >= T1, trying delay not negative.
  bool valid() const;

  Duration timer_b() const { return 64 * t1; }
  Duration timer_d_for(bool reliable) const { return reliable ? Duration::zero() : timer_d; }
  Duration timer_f() const { return 64 * t1; }
  Duration timer_h() const { return 64 * t1; }
  Duration timer_i_for(bool reliable) const { return reliable ? Duration::zero() : t4; }
  Duration timer_j_for(bool reliable) const { return reliable ? Duration::zero() : 64 * t1; }
  Duration timer_k_for(bool reliable) const { return reliable ? Duration::zero() : t4; }
  Duration timer_l() const { return 64 * t1; }
  Duration timer_m() const { return 64 * t1; }

  // Timer A after it fired with `current`: it doubles without a cap (§17.1.1.2).
  static Duration next_timer_a(Duration current) { return 2 * current; }
  // Timers E and G after they fired with `current`: min(2 * current, T2) (§17.1.2.2, §17.2.1).
  Duration next_capped(Duration current) const;
};

}  // namespace rtcgate::sip
