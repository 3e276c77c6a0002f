// RFC 3261 §17.1.1 (Figure 5) with RFC 6026 §7.2 (Figure 3). The transition table is in the header.
#include "rtcgate/sip/transaction/client_invite_transaction.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace rtcgate::sip {

ClientInviteTransaction::ClientInviteTransaction(const TransactionContext& context, Message invite)
    : Transaction(TransactionKind::ClientInvite, context, std::move(invite), TransactionState::Calling),
      interval_(context.config.t1) {}

void ClientInviteTransaction::start() {
  if (!reliable()) arm(Slot::Retransmit, interval_, &on_timer_a);
  arm(Slot::Timeout, config().timer_b(), &on_timer_b);
  send(request());
}

void ClientInviteTransaction::on_response(const Message& response) {
  const int status = response.status();
  if (is_provisional(status)) {
    on_provisional(response);
  } else if (is_success(status)) {
    on_success(response);
  } else if (is_final_failure(status)) {
    on_failure(response);
  }
}

void ClientInviteTransaction::on_provisional(const Message& response) {
  if (state() == TransactionState::Calling) {
    disarm(Slot::Retransmit);
    disarm(Slot::Timeout);
    enter(TransactionState::Proceeding);
  }
  if (state() == TransactionState::Proceeding) deliver(response);
}

void ClientInviteTransaction::on_success(const Message& response) {
  const TransactionState current = state();
  if (current == TransactionState::Calling || current == TransactionState::Proceeding) {
    disarm(Slot::Retransmit);
    disarm(Slot::Timeout);
    enter(TransactionState::Accepted);
    arm(Slot::Wait, config().timer_m(), &on_timer_d_or_m);
    deliver(response);
  } else if (current == TransactionState::Accepted) {
    deliver(response);
  }
}

void ClientInviteTransaction::on_failure(const Message& response) {
  const TransactionState current = state();
  if (current == TransactionState::Completed) {
    // A retransmitted final response: our ACK was lost (§17.1.1.2).
    if (ack_) send(*ack_);
    return;
  }
  if (current != TransactionState::Calling && current != TransactionState::Proceeding) return;
  disarm(Slot::Retransmit);
  disarm(Slot::Timeout);
  ack_ = make_non2xx_ack(request(), response);
  // Figure 5: "send ACK, resp. to TU", in that order. A request the TU sends in reaction (the
  // INVITE again with credentials, §22.2) must not overtake the ACK on the wire.
  send(*ack_);
  const Duration wait = config().timer_d_for(reliable());
  if (wait == Duration::zero()) {
    enter(TransactionState::Terminated);
  } else {
    enter(TransactionState::Completed);
    arm(Slot::Wait, wait, &on_timer_d_or_m);
  }
  deliver(response);
}

void ClientInviteTransaction::on_transport_error() {
  const TransactionState current = state();
  if (current != TransactionState::Calling && current != TransactionState::Completed) return;
  enter(TransactionState::Terminated);
  fail(TransactionFailure::TransportError);
}

void ClientInviteTransaction::on_cancel_sent() {
  if (state() == TransactionState::Proceeding && !armed(Slot::Timeout)) {
    arm(Slot::Timeout, config().timer_b(), &on_timer_b);
  }
}

void ClientInviteTransaction::on_timer_a(Transaction& self) {
  auto& t = static_cast<ClientInviteTransaction&>(self);
  if (t.state() != TransactionState::Calling) return;
  t.interval_ = TransactionTimers::next_timer_a(t.interval_);
  t.arm(Slot::Retransmit, t.interval_, &on_timer_a);
  t.send(t.request());
}

void ClientInviteTransaction::on_timer_b(Transaction& self) {
  auto& t = static_cast<ClientInviteTransaction&>(self);
  const TransactionState current = t.state();
  if (current != TransactionState::Calling && current != TransactionState::Proceeding) return;
  t.enter(TransactionState::Terminated);
  t.fail(TransactionFailure::Timeout);
}

void ClientInviteTransaction::on_timer_d_or_m(Transaction& self) {
  static_cast<ClientInviteTransaction&>(self).enter(TransactionState::Terminated);
}

namespace {

// The request both the non-2xx ACK and the CANCEL are: the INVITE's Request-URI, top Via, Route
// set, From, Call-ID and CSeq number, with `to` as the To header.
Message copy_of_invite(Method method, const Message& invite, std::string_view to) {
  Message out = Message::request(method, invite.request_uri());
  if (const auto via = invite.first(HeaderId::Via)) out.add("Via", *via);
  out.add("Max-Forwards", invite.first(HeaderId::MaxForwards).value_or("70"));
  for (const Header& header : invite.headers()) {
    if (header.id == HeaderId::Route) out.add("Route", header.value);
  }
  if (const auto from = invite.first(HeaderId::From)) out.add("From", *from);
  out.add("To", to);
  if (const auto call_id = invite.call_id()) out.add("Call-ID", *call_id);
  const std::uint32_t number = invite.cseq() ? invite.cseq()->number : 0;
  out.add("CSeq", make_cseq(number, method).to_string());
  return out;
}

}  // namespace

Message make_non2xx_ack(const Message& invite, const Message& response) {
  return copy_of_invite(Method::Ack, invite, response.first(HeaderId::To).value_or(""));
}

Message make_cancel(const Message& invite) {
  return copy_of_invite(Method::Cancel, invite, invite.first(HeaderId::To).value_or(""));
}

}  // namespace rtcgate::sip
