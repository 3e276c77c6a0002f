// RFC 3261 §17.2.1 (Figure 7) with RFC 6026 §7.1 (Figure 5). The transition table is in the header.
#include "rtcgate/sip/transaction/server_invite_transaction.hpp"

#include <utility>

#include "rtcgate/sip/response.hpp"

namespace rtcgate::sip {

ServerInviteTransaction::ServerInviteTransaction(const TransactionContext& context, Message invite)
    : Transaction(TransactionKind::ServerInvite, context, std::move(invite), TransactionState::Proceeding),
      interval_(context.config.t1) {}

void ServerInviteTransaction::start() {
  if (config().trying_delay == Duration::zero()) {
    on_trying_timer(*this);
  } else {
    arm(Slot::Retransmit, config().trying_delay, &on_trying_timer);
  }
}

void ServerInviteTransaction::on_request(const Message& request) {
  if (request.method() == Method::Ack) {
    on_ack(request);
    return;
  }
  // A retransmitted INVITE: repeat the last response in Proceeding and Completed (§17.2.1);
  // absorb it in Confirmed and Accepted (RFC 6026 §7.1).
  const TransactionState current = state();
  if ((current == TransactionState::Proceeding || current == TransactionState::Completed) && last_response_) {
    send(*last_response_);
  }
}

void ServerInviteTransaction::on_ack(const Message& ack) {
  switch (state()) {
    case TransactionState::Completed: {
      disarm(Slot::Retransmit);
      disarm(Slot::Timeout);
      const Duration wait = config().timer_i_for(reliable());
      if (wait == Duration::zero()) {
        enter(TransactionState::Terminated);
      } else {
        enter(TransactionState::Confirmed);
        arm(Slot::Wait, wait, &on_timer_i_or_l);
      }
      break;
    }
    case TransactionState::Accepted:
      deliver(ack);
      break;
    default:
      break;
  }
}

bool ServerInviteTransaction::send_response(const Message& response) {
  const int status = response.status();
  const TransactionState current = state();
  if (current == TransactionState::Accepted) {
    if (!is_success(status)) return false;
    send(response);
    return true;
  }
  if (current != TransactionState::Proceeding || status < 100 || status > 699) return false;
  disarm(Slot::Retransmit);  // the 100 Trying timer: the TU answered
  last_response_ = response;
  if (is_success(status)) {
    enter(TransactionState::Accepted);
    arm(Slot::Wait, config().timer_l(), &on_timer_i_or_l);
  } else if (is_final_failure(status)) {
    enter(TransactionState::Completed);
    if (!reliable()) arm(Slot::Retransmit, interval_, &on_timer_g);
    arm(Slot::Timeout, config().timer_h(), &on_timer_h);
  }
  send(response);
  return true;
}

void ServerInviteTransaction::on_transport_error() {
  // RFC 6026 §7.1: the machine stays where it is; timers will end it. The TU hears of it once,
  // not once per failed retransmission.
  if (state() == TransactionState::Terminated || transport_error_reported_) return;
  transport_error_reported_ = true;
  fail(TransactionFailure::TransportError);
}

void ServerInviteTransaction::on_trying_timer(Transaction& self) {
  auto& t = static_cast<ServerInviteTransaction&>(self);
  if (t.state() != TransactionState::Proceeding || t.last_response_) return;
  t.last_response_ = make_response(t.request(), 100, "Trying");
  t.send(*t.last_response_);
}

void ServerInviteTransaction::on_timer_g(Transaction& self) {
  auto& t = static_cast<ServerInviteTransaction&>(self);
  if (t.state() != TransactionState::Completed || !t.last_response_) return;
  t.interval_ = t.config().next_capped(t.interval_);
  t.arm(Slot::Retransmit, t.interval_, &on_timer_g);
  t.send(*t.last_response_);
}

void ServerInviteTransaction::on_timer_h(Transaction& self) {
  auto& t = static_cast<ServerInviteTransaction&>(self);
  if (t.state() != TransactionState::Completed) return;
  t.enter(TransactionState::Terminated);
  t.fail(TransactionFailure::Timeout);
}

void ServerInviteTransaction::on_timer_i_or_l(Transaction& self) {
  static_cast<ServerInviteTransaction&>(self).enter(TransactionState::Terminated);
}

}  // namespace rtcgate::sip
