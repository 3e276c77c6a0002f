// ServerInviteTransaction: RFC 3261 §17.2.1, Figure 7, as updated by RFC 6026 §7.1 (Figure 5:
// the "Accepted" state, timer L, and transport errors that no longer end the transaction).
//
// Transition table (event / action). 100 = trying_delay (200 ms), G = T1 doubling up to T2
// (unreliable only), H = 64*T1, I = T4 (0 if reliable), L = 64*T1.
//
//   State       Event                 Next        Action
//   (start)     start()               Proceeding  arm the 100 Trying timer (INVITE already to TU)
//   Proceeding  100 timer             Proceeding  send 100 Trying (the TU has not answered yet)
//   Proceeding  INVITE                Proceeding  resend the last provisional response, if any
//   Proceeding  1xx from TU           Proceeding  send it; stop the 100 timer
//   Proceeding  2xx from TU           Accepted    send it; arm L
//   Proceeding  300-699 from TU       Completed   send it; arm G (unreliable), H
//   Proceeding  transport error       Proceeding  inform TU: TransportError (RFC 6026 §7.1), once
//   Completed   INVITE                Completed   resend the final response
//   Completed   timer G               Completed   resend the final response; G = min(2*G, T2)
//   Completed   ACK                   Confirmed   stop G, H; arm I
//   Completed   timer H               Terminated  inform TU: Timeout (no ACK)
//   Completed   transport error       Completed   inform TU: TransportError (RFC 6026 §7.1)
//   Confirmed   ACK or INVITE         Confirmed   absorbed
//   Confirmed   timer I               Terminated  -
//   Accepted    INVITE                Accepted    absorbed (RFC 6026 §7.1: not a new request)
//   Accepted    ACK                   Accepted    ACK to TU
//   Accepted    2xx from TU           Accepted    send it (the TU retransmits 2xx, §13.3.1.4)
//   Accepted    transport error       Accepted    inform TU: TransportError
//   Accepted    timer L               Terminated  -
//   any other (state, event)          unchanged   ignored (send_response() returns false)
//
// Ownership and threading: see transaction.hpp.
#pragma once

#include <optional>

#include "rtcgate/sip/transaction/transaction.hpp"

namespace rtcgate::sip {

class ServerInviteTransaction final : public Transaction {
 public:
  ServerInviteTransaction(const TransactionContext& context, Message invite);

  // Arms the 100 Trying timer (sends 100 Trying at once when trying_delay is zero).
  void start();
  // A retransmitted INVITE or an ACK matched to this transaction (§17.2.3).
  void on_request(const Message& request);
  // A response from the TU. Returns false when the state does not allow it (it is not sent).
  bool send_response(const Message& response);
  // The transport failed to send one of our responses (§17.2.4, RFC 6026 §7.1).
  void on_transport_error();

  // The last response handed to the transport (what retransmissions repeat).
  const std::optional<Message>& last_response() const { return last_response_; }
  // The current timer G interval.
  Duration retransmit_interval() const { return interval_; }

 private:
  static void on_trying_timer(Transaction& self);
  static void on_timer_g(Transaction& self);
  static void on_timer_h(Transaction& self);
  static void on_timer_i_or_l(Transaction& self);

  void on_ack(const Message& ack);

  Duration interval_;
  std::optional<Message> last_response_;
  bool transport_error_reported_ = false;
};

}  // namespace rtcgate::sip
