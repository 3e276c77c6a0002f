// ServerNonInviteTransaction: RFC 3261 §17.2.2, Figure 8.
//
// Transition table (event / action). J = 64*T1 (0 if reliable).
//
//   State       Event                 Next        Action
//   (start)     request received      Trying      (the layer passes the request to the TU)
//   Trying      request               Trying      absorbed (no response to repeat yet)
//   Trying      1xx from TU           Proceeding  send it
//   Trying      200-699 from TU       Completed   send it; arm J
//   Proceeding  request               Proceeding  resend the last provisional response
//   Proceeding  1xx from TU           Proceeding  send it
//   Proceeding  200-699 from TU       Completed   send it; arm J
//   Proceeding  transport error       Terminated  inform TU: TransportError
//   Completed   request               Completed   resend the final response
//   Completed   transport error       Terminated  inform TU: TransportError
//   Completed   timer J               Terminated  -
//   any other (state, event)          unchanged   ignored (send_response() returns false)
//
// Ownership and threading: see transaction.hpp.
#pragma once

#include <optional>

#include "rtcgate/sip/transaction/transaction.hpp"

namespace rtcgate::sip {

class ServerNonInviteTransaction final : public Transaction {
 public:
  ServerNonInviteTransaction(const TransactionContext& context, Message request);

  // A retransmission of the request matched to this transaction (§17.2.3).
  void on_request(const Message& request);
  // A response from the TU. Returns false when the state does not allow it (it is not sent).
  bool send_response(const Message& response);
  // The transport failed to send one of our responses (§17.2.4).
  void on_transport_error();

  const std::optional<Message>& last_response() const { return last_response_; }

 private:
  static void on_timer_j(Transaction& self);

  std::optional<Message> last_response_;
};

}  // namespace rtcgate::sip
