// RFC 3261 §17.2.2 (Figure 8). The transition table is in the header.
#include "rtcgate/sip/transaction/server_non_invite_transaction.hpp"

#include <utility>

namespace rtcgate::sip {

ServerNonInviteTransaction::ServerNonInviteTransaction(const TransactionContext& context, Message request)
    : Transaction(TransactionKind::ServerNonInvite, context, std::move(request), TransactionState::Trying) {}

void ServerNonInviteTransaction::on_request(const Message& /*request*/) {
  const TransactionState current = state();
  if ((current == TransactionState::Proceeding || current == TransactionState::Completed) && last_response_) {
    send(*last_response_);
  }
}

bool ServerNonInviteTransaction::send_response(const Message& response) {
  const TransactionState current = state();
  const int status = response.status();
  if (current != TransactionState::Trying && current != TransactionState::Proceeding) return false;
  if (status < 100 || status > 699) return false;
  last_response_ = response;
  if (is_provisional(status)) {
    enter(TransactionState::Proceeding);
    send(response);
    return true;
  }
  const Duration wait = config().timer_j_for(reliable());
  if (wait == Duration::zero()) {
    enter(TransactionState::Terminated);
  } else {
    enter(TransactionState::Completed);
    arm(Slot::Wait, wait, &on_timer_j);
  }
  send(response);
  return true;
}

void ServerNonInviteTransaction::on_transport_error() {
  const TransactionState current = state();
  if (current != TransactionState::Proceeding && current != TransactionState::Completed) return;
  enter(TransactionState::Terminated);
  fail(TransactionFailure::TransportError);
}

void ServerNonInviteTransaction::on_timer_j(Transaction& self) {
  static_cast<ServerNonInviteTransaction&>(self).enter(TransactionState::Terminated);
}

}  // namespace rtcgate::sip
