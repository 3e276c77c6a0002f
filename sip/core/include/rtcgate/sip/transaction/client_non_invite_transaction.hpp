// ClientNonInviteTransaction: RFC 3261 §17.1.2, Figure 6.
//
// Transition table (event / action). E = T1 doubling up to T2 (unreliable only), F = 64*T1,
// K = T4 (0 if reliable).
//
//   State       Event                 Next        Action
//   (start)     start()               Trying      send request; arm E (unreliable), F
//   Trying      timer E               Trying      resend request; E = min(2*E, T2)
//   Trying      timer F               Terminated  inform TU: Timeout
//   Trying      transport error       Terminated  inform TU: TransportError
//   Trying      1xx                   Proceeding  1xx to TU
//   Trying      200-699               Completed   response to TU; stop E, F; arm K
//   Proceeding  timer E               Proceeding  resend request; E = T2 (§17.1.2.2)
//   Proceeding  timer F               Terminated  inform TU: Timeout
//   Proceeding  transport error       Terminated  inform TU: TransportError
//   Proceeding  1xx                   Proceeding  1xx to TU
//   Proceeding  200-699               Completed   response to TU; stop E, F; arm K
//   Completed   200-699 or 1xx        Completed   absorbed (retransmissions)
//   Completed   timer K               Terminated  -
//   any other (state, event)          unchanged   ignored
//
// Ownership and threading: see transaction.hpp.
#pragma once

#include "rtcgate/sip/transaction/transaction.hpp"

namespace rtcgate::sip {

class ClientNonInviteTransaction final : public Transaction {
 public:
  ClientNonInviteTransaction(const TransactionContext& context, Message request);

  // Sends the request and arms timers E (unreliable only) and F.
  void start();
  // A response whose top Via branch and CSeq method matched this transaction (§17.1.3).
  void on_response(const Message& response);
  // The transport failed to send the request (§17.1.4).
  void on_transport_error();

  // The current timer E interval.
  Duration retransmit_interval() const { return interval_; }

 private:
  static void on_timer_e(Transaction& self);
  static void on_timer_f(Transaction& self);
  static void on_timer_k(Transaction& self);

  Duration interval_;
};

}  // namespace rtcgate::sip
