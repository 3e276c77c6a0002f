// TransactionLayer: ownership, TU entry points and the TransactionOwner callbacks. Matching of
// incoming messages is in transaction_layer_receive.cpp, routing helpers in
// transaction_layer_routing.cpp.
#include "rtcgate/sip/transaction_layer.hpp"

#include <utility>

#include "rtcgate/sip/identifiers.hpp"
#include "rtcgate/sip/transaction/client_invite_transaction.hpp"
#include "rtcgate/sip/transaction/client_non_invite_transaction.hpp"
#include "rtcgate/sip/transaction/server_invite_transaction.hpp"
#include "rtcgate/sip/transaction/server_non_invite_transaction.hpp"
#include "transaction/layer_internal.hpp"
#include "transaction/matching.hpp"

namespace rtcgate::sip {

namespace {

std::error_code error(TransactionLayerError e) {
  return make_error_code(e);
}

// Makes sure the top Via carries an RFC 3261 branch; adds a Via when there is none and the
// configuration can name our sent-by. Returns the branch, or nullopt when no Via can be had.
std::optional<std::string> prepare_via(Message& request, const Destination& to,
                                       const TransactionLayer::Config& config) {
  for (Header& header : request.headers()) {
    if (header.id != HeaderId::Via) continue;
    auto via = parse_via(header.value);
    if (!via) return std::nullopt;
    if (!via->has_rfc3261_branch()) {
      via->set_branch(make_branch());
      header.value = via->to_string();
    }
    return std::string(via->branch());
  }
  const auto sent_by = config.via_sent_by ? config.via_sent_by(to) : std::nullopt;
  if (!sent_by) return std::nullopt;
  std::string branch = make_branch();
  const TransportKind kind = to.flow ? to.flow->kind : to.kind;
  request.add_front(
      "Via", "SIP/2.0/" + std::string(via_token(kind)) + " " + *sent_by + ";branch=" + branch + ";rport");
  return branch;
}

}  // namespace

TransactionLayer::TransactionLayer(TimerService& timers, SendFunction send, TransactionUser user,
                                   Config config)
    : timers_(std::make_unique<Timers>(timers, *this)),
      send_(std::move(send)),
      user_(std::move(user)),
      config_(std::move(config)),
      self_(std::make_shared<TransactionLayer*>(this)) {}

TransactionLayer::TransactionLayer(TimerService& timers, SendFunction send, TransactionUser user)
    : TransactionLayer(timers, std::move(send), std::move(user), Config{}) {}

TransactionLayer::~TransactionLayer() {
  self_.reset();     // late send completions find the layer gone
  entries_.clear();  // cancels every timer while timers_ is still alive
}

TransactionContext TransactionLayer::context(std::uint64_t id, bool reliable) {
  return TransactionContext{*timers_, *this, config_.timers, reliable, id};
}

TransactionLayer::Entry* TransactionLayer::find(TransactionId id) const {
  const auto found = entries_.find(static_cast<std::uint64_t>(id));
  return found == entries_.end() ? nullptr : found->second.get();
}

std::expected<TransactionId, std::error_code> TransactionLayer::send_request(Message request,
                                                                             const Destination& to) {
  Scope scope(*this);
  if (!request.is_request() || request.method() == Method::Ack)
    return std::unexpected(error(TransactionLayerError::InvalidRequest));
  if (entries_.size() >= config_.max_transactions) {
    return std::unexpected(error(TransactionLayerError::TooManyTransactions));
  }
  const auto branch = prepare_via(request, to, config_);
  const auto cseq = request.cseq();
  if (!branch || !cseq) return std::unexpected(error(TransactionLayerError::InvalidRequest));
  std::string key = matching::client_key(*branch, cseq->method_token);
  if (client_index_.contains(key)) return std::unexpected(error(TransactionLayerError::BranchInUse));

  const std::uint64_t id = next_id_++;
  auto entry = std::make_unique<Entry>();
  entry->destination = to;
  entry->key = key;
  if (request.method() == Method::Invite) {
    entry->transaction =
        std::make_unique<ClientInviteTransaction>(context(id, to.reliable()), std::move(request));
  } else {
    entry->transaction =
        std::make_unique<ClientNonInviteTransaction>(context(id, to.reliable()), std::move(request));
  }
  Transaction& transaction = *entry->transaction;
  client_index_.emplace(std::move(key), id);
  entries_.emplace(id, std::move(entry));
  if (transaction.kind() == TransactionKind::ClientInvite) {
    static_cast<ClientInviteTransaction&>(transaction).start();
  } else {
    static_cast<ClientNonInviteTransaction&>(transaction).start();
  }
  return TransactionId{id};
}

std::expected<void, std::error_code> TransactionLayer::send_response(TransactionId id,
                                                                     const Message& response) {
  Scope scope(*this);
  Entry* entry = find(id);
  if (entry == nullptr || entry->transaction->terminated()) {
    return std::unexpected(error(TransactionLayerError::UnknownTransaction));
  }
  bool sent = false;
  switch (entry->transaction->kind()) {
    case TransactionKind::ServerInvite:
      sent = static_cast<ServerInviteTransaction&>(*entry->transaction).send_response(response);
      break;
    case TransactionKind::ServerNonInvite:
      sent = static_cast<ServerNonInviteTransaction&>(*entry->transaction).send_response(response);
      break;
    default:
      return std::unexpected(error(TransactionLayerError::WrongKind));
  }
  if (!sent) return std::unexpected(error(TransactionLayerError::NotAllowedInState));
  return {};
}

std::expected<void, std::error_code> TransactionLayer::cancel(TransactionId invite) {
  Scope scope(*this);
  Entry* entry = find(invite);
  if (entry == nullptr) return std::unexpected(error(TransactionLayerError::UnknownTransaction));
  if (entry->transaction->kind() != TransactionKind::ClientInvite) {
    return std::unexpected(error(TransactionLayerError::WrongKind));
  }
  switch (entry->transaction->state()) {
    case TransactionState::Calling:
      // §9.1: a CANCEL must not be sent before a provisional response; send it on the first one.
      entry->cancel_wanted = true;
      return {};
    case TransactionState::Proceeding:
      send_pending_cancel(*entry);
      return {};
    default:
      return std::unexpected(error(TransactionLayerError::NotAllowedInState));
  }
}

void TransactionLayer::send_pending_cancel(Entry& invite) {
  invite.cancel_wanted = false;
  auto& transaction = static_cast<ClientInviteTransaction&>(*invite.transaction);
  Message cancel = make_cancel(transaction.request());
  const auto via = cancel.top_via();
  if (!via || entries_.size() >= config_.max_transactions) return;
  std::string key = matching::client_key(via->branch(), "CANCEL");
  if (client_index_.contains(key)) return;  // already cancelled
  const std::uint64_t id = next_id_++;
  auto entry = std::make_unique<Entry>();
  entry->destination = invite.destination;
  entry->key = key;
  entry->internal = true;
  entry->transaction = std::make_unique<ClientNonInviteTransaction>(
      context(id, invite.destination.reliable()), std::move(cancel));
  auto& cancel_transaction = static_cast<ClientNonInviteTransaction&>(*entry->transaction);
  client_index_.emplace(std::move(key), id);
  entries_.emplace(id, std::move(entry));
  transaction.on_cancel_sent();
  cancel_transaction.start();
}

void TransactionLayer::send_stateless(const Message& message, const Destination& to) {
  if (!send_) return;
  if (message.is_request() && !message.has("Via")) {
    // The ACK of a 2xx is a transaction of its own (§17.1.1.3): it gets a fresh branch.
    Message copy = message;
    if (prepare_via(copy, to, config_)) send_(copy, to, {});
    return;
  }
  send_(message, to, {});
}

std::optional<TransactionState> TransactionLayer::state(TransactionId id) const {
  const Entry* entry = find(id);
  if (entry == nullptr) return std::nullopt;
  return entry->transaction->state();
}

const Message* TransactionLayer::request(TransactionId id) const {
  const Entry* entry = find(id);
  return entry == nullptr ? nullptr : &entry->transaction->request();
}

void TransactionLayer::on_flow_closed(const Flow& flow) {
  Scope scope(*this);
  for (const auto& [id, entry] : entries_) {
    const TransactionKind kind = entry->transaction->kind();
    const bool client = kind == TransactionKind::ClientInvite || kind == TransactionKind::ClientNonInvite;
    if (client && entry->destination.flow && *entry->destination.flow == flow) errored_.push_back(id);
  }
}

// ----- TransactionOwner -----

void TransactionLayer::send(Transaction& transaction, const Message& message) {
  const Entry* entry = find(TransactionId{transaction.id()});
  if (entry == nullptr || !send_) return;
  std::weak_ptr<TransactionLayer*> weak = self_;
  const std::uint64_t id = transaction.id();
  send_(message, entry->destination, [weak, id](std::error_code ec) {
    if (!ec) return;
    if (const auto layer = weak.lock()) (*layer)->report_transport_error(id);
  });
}

void TransactionLayer::deliver(Transaction& transaction, const Message& message) {
  Entry* entry = find(TransactionId{transaction.id()});
  if (entry == nullptr) return;
  const TransactionId id{transaction.id()};
  if (transaction.kind() == TransactionKind::ServerInvite) {
    if (user_.on_ack) user_.on_ack(message, receiving_flow_ ? *receiving_flow_ : Flow{});
    return;
  }
  if (!entry->internal && user_.on_response) user_.on_response(id, message);
  if (transaction.kind() != TransactionKind::ClientInvite || !entry->cancel_wanted) return;
  entry = find(id);  // the TU may have called back into the layer
  if (entry == nullptr) return;
  if (is_provisional(message.status())) {
    send_pending_cancel(*entry);
  } else {
    entry->cancel_wanted = false;  // a final response came first: nothing left to cancel
  }
}

void TransactionLayer::failed(Transaction& transaction, TransactionFailure failure) {
  const Entry* entry = find(TransactionId{transaction.id()});
  if (entry == nullptr || entry->internal || !user_.on_failure) return;
  user_.on_failure(TransactionId{transaction.id()}, failure);
}

void TransactionLayer::terminated(Transaction& transaction) {
  dead_.push_back(transaction.id());
}

void TransactionLayer::report_transport_error(std::uint64_t id) {
  Scope scope(*this);
  errored_.push_back(id);
}

void TransactionLayer::flush() {
  ++depth_;
  while (!errored_.empty() || !dead_.empty()) {
    const std::vector<std::uint64_t> errored = std::exchange(errored_, {});
    for (const std::uint64_t id : errored) {
      Entry* entry = find(TransactionId{id});
      if (entry != nullptr) transport_error_to(*entry->transaction);
    }
    const std::vector<std::uint64_t> dead = std::exchange(dead_, {});
    for (const std::uint64_t id : dead)
      reap(id);
  }
  --depth_;
}

void TransactionLayer::transport_error_to(Transaction& transaction) {
  switch (transaction.kind()) {
    case TransactionKind::ClientInvite:
      return static_cast<ClientInviteTransaction&>(transaction).on_transport_error();
    case TransactionKind::ClientNonInvite:
      return static_cast<ClientNonInviteTransaction&>(transaction).on_transport_error();
    case TransactionKind::ServerInvite:
      return static_cast<ServerInviteTransaction&>(transaction).on_transport_error();
    case TransactionKind::ServerNonInvite:
      return static_cast<ServerNonInviteTransaction&>(transaction).on_transport_error();
  }
}

void TransactionLayer::reap(std::uint64_t id) {
  const auto found = entries_.find(id);
  if (found == entries_.end()) return;
  Entry& entry = *found->second;
  const TransactionKind kind = entry.transaction->kind();
  const bool client = kind == TransactionKind::ClientInvite || kind == TransactionKind::ClientNonInvite;
  auto& index = client ? client_index_ : server_index_;
  if (const auto it = index.find(entry.key); it != index.end() && it->second == id) index.erase(it);
  for (auto [it, end] = legacy_index_.equal_range(entry.legacy_key); it != end; ++it) {
    if (it->second == id) {
      legacy_index_.erase(it);
      break;
    }
  }
  const bool internal = entry.internal;
  entries_.erase(found);
  if (!internal && user_.on_terminated) user_.on_terminated(TransactionId{id});
}

}  // namespace rtcgate::sip
