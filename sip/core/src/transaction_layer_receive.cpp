// TransactionLayer: messages from the transport — matching (RFC 3261 §17.1.3, §17.2.3 with the
// RFC 2543 fallback), server transaction creation, stray responses, CANCEL lookup (§9.2).
#include <utility>

#include "rtcgate/sip/response.hpp"
#include "rtcgate/sip/transaction/client_invite_transaction.hpp"
#include "rtcgate/sip/transaction/client_non_invite_transaction.hpp"
#include "rtcgate/sip/transaction/server_invite_transaction.hpp"
#include "rtcgate/sip/transaction/server_non_invite_transaction.hpp"
#include "rtcgate/sip/transaction_layer.hpp"
#include "transaction/layer_internal.hpp"
#include "transaction/matching.hpp"

namespace rtcgate::sip {

void TransactionLayer::receive(const Message& message, const Flow& flow) {
  Scope scope(*this);
  const Flow* outer = std::exchange(receiving_flow_, &flow);
  if (message.is_request()) {
    receive_request(message, flow);
  } else {
    receive_response(message, flow);
  }
  receiving_flow_ = outer;
}

void TransactionLayer::receive_response(const Message& response, const Flow& flow) {
  const auto via = response.top_via();
  const auto cseq = response.cseq();
  if (!via || !cseq) {
    ++stats_.responses_dropped;
    return;
  }
  const auto found = client_index_.find(matching::client_key(via->branch(), cseq->method_token));
  Entry* entry = found == client_index_.end() ? nullptr : find(TransactionId{found->second});
  if (entry != nullptr) {
    Transaction& transaction = *entry->transaction;
    if (transaction.kind() == TransactionKind::ClientInvite) {
      static_cast<ClientInviteTransaction&>(transaction).on_response(response);
    } else {
      static_cast<ClientNonInviteTransaction&>(transaction).on_response(response);
    }
    return;
  }
  // A 2xx to INVITE outside any transaction is a retransmission (or another fork) for the
  // dialog layer, which must ACK it (§13.2.2.4); anything else is dropped (RFC 6026 §7.2).
  if (is_success(response.status()) && cseq->method == Method::Invite && user_.on_stray_2xx) {
    user_.on_stray_2xx(response, flow);
    return;
  }
  ++stats_.responses_dropped;
}

TransactionLayer::Entry* TransactionLayer::match_request(const Message& request, bool as_ack,
                                                         std::string_view method_token) const {
  const auto via = request.top_via();
  if (!via) return nullptr;
  if (via->has_rfc3261_branch()) {
    const auto key = matching::server_key(request, method_token);
    const auto found = key ? server_index_.find(*key) : server_index_.end();
    return found == server_index_.end() ? nullptr : find(TransactionId{found->second});
  }
  // RFC 2543 (§17.2.3): same Request-URI, From tag, Call-ID, CSeq number and top Via; then the
  // method must be the same (INVITE for an ACK or a CANCEL's target) and the To tag must equal the
  // original request's, or for an ACK the tag of the response we sent.
  const auto key = matching::legacy_key(request);
  if (!key) return nullptr;
  const std::string tag = matching::to_tag(request);
  for (auto [it, end] = legacy_index_.equal_range(*key); it != end; ++it) {
    Entry* entry = find(TransactionId{it->second});
    if (entry == nullptr || entry->transaction->request().method_token() != method_token) continue;
    if (as_ack) {
      if (entry->transaction->kind() != TransactionKind::ServerInvite) continue;
      const auto& sent = static_cast<const ServerInviteTransaction&>(*entry->transaction).last_response();
      if (sent && matching::to_tag(*sent) == tag) return entry;
    } else if (matching::to_tag(entry->transaction->request()) == tag) {
      return entry;
    }
  }
  return nullptr;
}

void TransactionLayer::receive_request(const Message& request, const Flow& flow) {
  if (!request.top_via() || !request.cseq()) {
    ++stats_.requests_dropped;
    return;
  }
  const bool ack = request.method() == Method::Ack;
  if (Entry* entry = match_request(request, ack, ack ? std::string_view("INVITE") : request.method_token())) {
    Transaction& transaction = *entry->transaction;
    if (!ack) ++stats_.retransmissions_absorbed;
    if (transaction.kind() == TransactionKind::ServerInvite) {
      static_cast<ServerInviteTransaction&>(transaction).on_request(request);
    } else if (transaction.kind() == TransactionKind::ServerNonInvite) {
      static_cast<ServerNonInviteTransaction&>(transaction).on_request(request);
    }
    return;
  }
  if (ack) {
    // No INVITE server transaction: the ACK of a 2xx, for the dialog (§13.3.1.4, §17.2.3).
    if (user_.on_ack) user_.on_ack(request, flow);
    return;
  }
  if (entries_.size() >= config_.max_transactions) {
    ++stats_.overload_rejected;
    Message busy = make_response(request, 503, "Service Unavailable");
    busy.add("Retry-After", "5");
    send_stateless(busy, response_destination(request, flow));
    return;
  }
  create_server(request, flow);
}

void TransactionLayer::create_server(const Message& request, const Flow& flow) {
  const std::uint64_t id = next_id_++;
  auto entry = std::make_unique<Entry>();
  entry->destination = response_destination(request, flow);
  const bool reliable = entry->destination.reliable();
  const bool rfc3261 = request.top_via()->has_rfc3261_branch();
  if (rfc3261) {
    entry->key = matching::server_key(request, request.method_token()).value_or(std::string{});
  } else {
    entry->legacy_key = matching::legacy_key(request).value_or(std::string{});
  }
  const bool invite = request.method() == Method::Invite;
  if (invite) {
    entry->transaction = std::make_unique<ServerInviteTransaction>(context(id, reliable), request);
  } else {
    entry->transaction = std::make_unique<ServerNonInviteTransaction>(context(id, reliable), request);
  }
  Transaction& transaction = *entry->transaction;
  if (rfc3261) {
    server_index_.emplace(entry->key, id);
  } else {
    legacy_index_.emplace(entry->legacy_key, id);
  }
  entries_.emplace(id, std::move(entry));
  if (invite) static_cast<ServerInviteTransaction&>(transaction).start();
  if (user_.on_request) user_.on_request(TransactionId{id}, request, flow);
}

std::optional<TransactionId> TransactionLayer::find_cancelled_invite(const Message& cancel) const {
  if (cancel.method() != Method::Cancel) return std::nullopt;
  const Entry* entry = match_request(cancel, false, "INVITE");
  if (entry == nullptr || entry->transaction->kind() != TransactionKind::ServerInvite) return std::nullopt;
  return TransactionId{entry->transaction->id()};
}

}  // namespace rtcgate::sip
