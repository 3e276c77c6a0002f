// ClientInviteTransaction: RFC 3261 §17.1.1, Figure 5, as updated by RFC 6026 §7.2 (Figure 3:
// the "Accepted" state and timer M).
//
// Transition table (event / action). A = T1 doubling, B = 64*T1, D = timer_d (0 if reliable),
// M = 64*T1. Timer A runs only on unreliable transports.
//
//   State       Event                 Next        Action
//   (start)     start()               Calling     send INVITE; arm A (unreliable), B
//   Calling     timer A               Calling     resend INVITE; A = 2*A (no cap for INVITE)
//   Calling     timer B               Terminated  inform TU: Timeout
//   Calling     transport error       Terminated  inform TU: TransportError
//   Calling     1xx                   Proceeding  1xx to TU; stop A and B
//   Calling     2xx                   Accepted    2xx to TU; arm M
//   Calling     300-699               Completed   send ACK; response to TU; arm D
//   Proceeding  1xx                   Proceeding  1xx to TU
//   Proceeding  2xx                   Accepted    2xx to TU; arm M
//   Proceeding  300-699               Completed   send ACK; response to TU; arm D
//   Proceeding  CANCEL sent           Proceeding  arm B (RFC 3261 §9.1: give up 64*T1 later)
//   Proceeding  timer B (after CANCEL) Terminated inform TU: Timeout
//   Completed   300-699               Completed   resend ACK (not to TU)
//   Completed   transport error       Terminated  inform TU: TransportError
//   Completed   timer D               Terminated  -
//   Accepted    2xx                   Accepted    2xx to TU (retransmission or another fork)
//   Accepted    timer M               Terminated  -
//   any other (state, event)          unchanged   ignored (e.g. 1xx in Completed, 3xx in Accepted)
//
// The ACK for a non-2xx final response is built here (§17.1.1.3, make_non2xx_ack); the ACK for a
// 2xx is the TU's (dialog's) business and is never sent by the transaction (§13.2.2.4).
// Ownership and threading: see transaction.hpp.
#pragma once

#include <optional>

#include "rtcgate/sip/transaction/transaction.hpp"

namespace rtcgate::sip {

class ClientInviteTransaction final : public Transaction {
 public:
  ClientInviteTransaction(const TransactionContext& context, Message invite);

  // Sends the INVITE and arms timers A (unreliable only) and B.
  void start();
  // A response whose top Via branch and CSeq method matched this transaction (§17.1.3).
  void on_response(const Message& response);
  // The transport failed to send the INVITE or an ACK (§17.1.4).
  void on_transport_error();
  // The TU sent a CANCEL for this INVITE: stop waiting forever in "Proceeding" (§9.1).
  void on_cancel_sent();

  // The ACK sent for the last non-2xx final response, if any (what retransmissions repeat).
  const std::optional<Message>& ack() const { return ack_; }
  // The current timer A interval (doubles on each retransmission).
  Duration retransmit_interval() const { return interval_; }

 private:
  static void on_timer_a(Transaction& self);
  static void on_timer_b(Transaction& self);
  static void on_timer_d_or_m(Transaction& self);

  void on_provisional(const Message& response);
  void on_success(const Message& response);
  void on_failure(const Message& response);

  Duration interval_;
  std::optional<Message> ack_;
};

// The ACK for a non-2xx final response to `invite` (RFC 3261 §17.1.1.3): Request-URI, Call-ID,
// From, top Via (only that one), CSeq number and Route headers of the INVITE; To of the response
// (with its tag); CSeq method ACK; no body.
Message make_non2xx_ack(const Message& invite, const Message& response);

// The CANCEL for `invite` (RFC 3261 §9.1): Request-URI, Call-ID, To, From, CSeq number, the top
// Via (same branch, so that the server matches it to the INVITE, §9.2) and Route headers of the
// INVITE; CSeq method CANCEL; no body.
Message make_cancel(const Message& invite);

}  // namespace rtcgate::sip
