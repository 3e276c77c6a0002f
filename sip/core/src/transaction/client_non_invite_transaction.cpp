// RFC 3261 §17.1.2 (Figure 6). The transition table is in the header.
#include "rtcgate/sip/transaction/client_non_invite_transaction.hpp"

#include <utility>

namespace rtcgate::sip {

ClientNonInviteTransaction::ClientNonInviteTransaction(const TransactionContext& context, Message request)
    : Transaction(TransactionKind::ClientNonInvite, context, std::move(request), TransactionState::Trying),
      interval_(context.config.t1) {}

void ClientNonInviteTransaction::start() {
  if (!reliable()) arm(Slot::Retransmit, interval_, &on_timer_e);
  arm(Slot::Timeout, config().timer_f(), &on_timer_f);
  send(request());
}

void ClientNonInviteTransaction::on_response(const Message& response) {
  const TransactionState current = state();
  if (current != TransactionState::Trying && current != TransactionState::Proceeding) return;
  const int status = response.status();
  if (is_provisional(status)) {
    enter(TransactionState::Proceeding);
    deliver(response);
    return;
  }
  if (status < 200 || status > 699) return;
  disarm(Slot::Retransmit);
  disarm(Slot::Timeout);
  enter(TransactionState::Completed);
  deliver(response);
  if (state() != TransactionState::Completed) return;
  const Duration wait = config().timer_k_for(reliable());
  if (wait == Duration::zero()) {
    enter(TransactionState::Terminated);
  } else {
    arm(Slot::Wait, wait, &on_timer_k);
  }
}

void ClientNonInviteTransaction::on_transport_error() {
  const TransactionState current = state();
  if (current != TransactionState::Trying && current != TransactionState::Proceeding) return;
  enter(TransactionState::Terminated);
  fail(TransactionFailure::TransportError);
}

void ClientNonInviteTransaction::on_timer_e(Transaction& self) {
  auto& t = static_cast<ClientNonInviteTransaction&>(self);
  const TransactionState current = t.state();
  if (current != TransactionState::Trying && current != TransactionState::Proceeding) return;
  // §17.1.2.2: in "Proceeding" the interval is T2; in "Trying" it doubles up to T2.
  t.interval_ = current == TransactionState::Proceeding ? t.config().t2 : t.config().next_capped(t.interval_);
  t.arm(Slot::Retransmit, t.interval_, &on_timer_e);
  t.send(t.request());
}

void ClientNonInviteTransaction::on_timer_f(Transaction& self) {
  auto& t = static_cast<ClientNonInviteTransaction&>(self);
  const TransactionState current = t.state();
  if (current != TransactionState::Trying && current != TransactionState::Proceeding) return;
  t.enter(TransactionState::Terminated);
  t.fail(TransactionFailure::Timeout);
}

void ClientNonInviteTransaction::on_timer_k(Transaction& self) {
  static_cast<ClientNonInviteTransaction&>(self).enter(TransactionState::Terminated);
}

}  // namespace rtcgate::sip
