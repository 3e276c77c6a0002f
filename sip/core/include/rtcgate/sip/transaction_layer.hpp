// TransactionLayer: owns every SIP transaction of one stack instance and routes messages between
// the transport, the four transaction state machines and the transaction user (TU: UA core,
// dialogs, registrar, B2BUA) — RFC 3261 §17, RFC 6026.
//
// Inputs: receive(message, flow) for every parsed message from the transport; send_request(),
// send_response(), cancel() and send_stateless() from the TU; timer expiries from the TimerService.
// Outputs: the SendFunction ("send this message to this destination, over this flow if given"),
// and the TransactionUser callbacks.
// Matching: responses to client transactions by top-Via branch + CSeq method (§17.1.3); requests
// to server transactions by branch + sent-by + method, ACK to its INVITE (§17.2.3), and for
// branches without the "z9hG4bK" cookie the RFC 2543 rules (Request-URI, tags, Call-ID, CSeq, top
// Via). A CANCEL gets its own server transaction; find_cancelled_invite() names the INVITE server
// transaction it targets (§9.2). Unmatched: requests other than ACK create a server transaction and
// go to on_request; an ACK goes to on_ack (the ACK for a 2xx belongs to the dialog, §13.3.1.4);
// a 2xx to INVITE goes to on_stray_2xx (retransmissions and forks after the client transaction
// ended); other responses are dropped and counted.
// Responses go where §18.2.2 says: back over the request's flow (reliable transports; the
// transport sender falls back to the Via's received/sent-by when the connection is gone), to
// received:rport (RFC 3581) or received:sent-by port over UDP, from the listener the request came
// in on. Send failures reach the owning transaction (§17.1.4, §17.2.4).
// Limits: at most Config::max_transactions live at once; a new request beyond that is answered
// 503 statelessly (and a new client transaction refused).
// Ownership: the layer owns the transactions; TimerService, SendFunction targets and the TU must
// outlive it. IDs handed to the TU stay valid until on_terminated; stale IDs are rejected, never UB.
// Re-entrancy: TU callbacks may call back into the layer (answer a request from on_request).
// Terminated transactions are destroyed once the outermost call returns.
// Thread affinity: the signaling thread; no locks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "rtcgate/sip/flow.hpp"
#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/timer_service.hpp"
#include "rtcgate/sip/transaction/transaction.hpp"
#include "rtcgate/sip/transport.hpp"

namespace rtcgate::sip {

enum class TransactionId : std::uint64_t {};

enum class TransactionLayerError {
  Ok = 0,
  UnknownTransaction = 1,   // no live transaction has this id (it may have terminated)
  WrongKind = 2,            // e.g. send_response() on a client transaction
  NotAllowedInState = 3,    // the machine refused (a 1xx after the final response, ...)
  TooManyTransactions = 4,  // Config::max_transactions reached
  InvalidRequest = 5,       // no Via/CSeq, or an ACK given to send_request()
  BranchInUse = 6,          // a live client transaction already uses this branch and method
};

const std::error_category& transaction_layer_category() noexcept;
inline std::error_code make_error_code(TransactionLayerError e) noexcept {
  return {static_cast<int>(e), transaction_layer_category()};
}

// Where a message goes: over `flow` when set (connection reuse, a WebSocket client's connection,
// the UDP listener a request arrived on), otherwise to `address` over a `kind` transport.
// `address` is also the fallback when the flow's connection has closed (§18.2.2).
struct Destination {
  TransportKind kind = TransportKind::Udp;
  TransportAddress address;
  std::optional<Flow> flow;

  bool reliable() const { return is_reliable(flow ? flow->kind : kind); }
};

// Completion of one send: a non-zero code is a transport error for the sending transaction.
using SendCompletion = std::function<void(std::error_code)>;
using SendFunction = std::function<void(const Message& message, const Destination& to, SendCompletion done)>;

// A SendFunction over a Transport: serialises, sends over the flow when one is given (falling
// back to send_to(address) when its connection is gone, §18.2.2), otherwise send_to().
SendFunction make_transport_sender(Transport& transport);

// The destination of responses to `request` received over `arrival` (RFC 3261 §18.2.2, RFC 3581).
Destination response_destination(const Message& request, const Flow& arrival);

struct TransactionUser {
  // A new request (not ACK) created server transaction `id`. Answer with send_response(id, ...).
  std::function<void(TransactionId id, const Message& request, const Flow& flow)> on_request;
  // An ACK for no transaction (the ACK of a 2xx), or one received in "Accepted" (RFC 6026 §7.1).
  std::function<void(const Message& ack, const Flow& flow)> on_ack;
  // A response for client transaction `id` (provisional, final, and 2xx retransmissions/forks in
  // "Accepted").
  std::function<void(TransactionId id, const Message& response)> on_response;
  // A 2xx to INVITE that matched no transaction (RFC 6026 §7.2 leaves it to the dialog layer).
  std::function<void(const Message& response, const Flow& flow)> on_stray_2xx;
  // Timeout or transport failure of transaction `id`.
  std::function<void(TransactionId id, TransactionFailure failure)> on_failure;
  // Transaction `id` ended; the id is no longer valid afterwards.
  std::function<void(TransactionId id)> on_terminated;
};

class TransactionLayer final : private TransactionOwner {
 public:
  struct Config {
    TransactionTimers timers;
    std::size_t max_transactions = 20000;
    // Fills in the Via sent-by ("host:port") for requests that come without a Via; when empty,
    // send_request() requires a Via from the TU.
    std::function<std::optional<std::string>(const Destination&)> via_sent_by;
  };

  struct Stats {
    std::uint64_t responses_dropped = 0;  // matched nothing and were not a 2xx to INVITE
    std::uint64_t requests_dropped = 0;   // no usable top Via / CSeq
    std::uint64_t overload_rejected = 0;  // answered 503 because of max_transactions
    std::uint64_t retransmissions_absorbed = 0;
  };

  TransactionLayer(TimerService& timers, SendFunction send, TransactionUser user, Config config);
  TransactionLayer(TimerService& timers, SendFunction send, TransactionUser user);
  ~TransactionLayer();
  TransactionLayer(const TransactionLayer&) = delete;
  TransactionLayer& operator=(const TransactionLayer&) = delete;

  // ----- from the transport -----
  void receive(const Message& message, const Flow& flow);
  // Client transactions bound to a closed connection fail with TransportError (§17.1.4).
  void on_flow_closed(const Flow& flow);

  // ----- from the TU -----
  // Starts a client transaction (INVITE or non-INVITE; not ACK). Adds a branch to the top Via when
  // it has none, or a Via (Config::via_sent_by) when there is none. A send that fails at once is
  // reported (on_failure, on_terminated) before this returns the id.
  std::expected<TransactionId, std::error_code> send_request(Message request, const Destination& to);
  // Hands a response to server transaction `id`.
  std::expected<void, std::error_code> send_response(TransactionId id, const Message& response);
  // Sends a CANCEL for client INVITE transaction `id` (§9.1) as a new non-INVITE client
  // transaction to the same destination. Before any provisional response the CANCEL waits for one
  // (and is dropped if a final response comes first). The CANCEL's transaction is the layer's own:
  // the TU sees none of its responses, failures or its end; the INVITE's final response (487 when
  // the cancel worked) is the outcome.
  std::expected<void, std::error_code> cancel(TransactionId invite);
  // Sends without a transaction: the ACK of a 2xx (§13.2.2.4), stateless responses. A request
  // without a Via gets one (Config::via_sent_by, new branch); it is dropped when none can be made.
  void send_stateless(const Message& message, const Destination& to);
  // The INVITE server transaction a received CANCEL targets (§9.2), if it is still alive.
  std::optional<TransactionId> find_cancelled_invite(const Message& cancel) const;

  // ----- introspection -----
  std::size_t size() const { return entries_.size(); }
  std::optional<TransactionState> state(TransactionId id) const;
  const Message* request(TransactionId id) const;
  const Stats& stats() const { return stats_; }

 private:
  struct Entry;
  class Timers;
  class Scope;

  // TransactionOwner
  void send(Transaction& transaction, const Message& message) override;
  void deliver(Transaction& transaction, const Message& message) override;
  void failed(Transaction& transaction, TransactionFailure failure) override;
  void terminated(Transaction& transaction) override;

  void receive_request(const Message& request, const Flow& flow);
  void receive_response(const Message& response, const Flow& flow);
  Entry* match_request(const Message& request, bool as_ack, std::string_view method_token) const;
  void create_server(const Message& request, const Flow& flow);
  Entry* find(TransactionId id) const;
  TransactionContext context(std::uint64_t id, bool reliable);
  void send_pending_cancel(Entry& invite);
  void report_transport_error(std::uint64_t id);
  void transport_error_to(Transaction& transaction);
  void reap(std::uint64_t id);
  void flush();

  std::unique_ptr<Timers> timers_;
  SendFunction send_;
  TransactionUser user_;
  Config config_;
  Stats stats_;
  std::shared_ptr<TransactionLayer*> self_;  // send completions hold a weak_ptr to it
  const Flow* receiving_flow_ = nullptr;     // the flow of the message being received
  std::uint64_t next_id_ = 1;
  int depth_ = 0;
  std::unordered_map<std::uint64_t, std::unique_ptr<Entry>> entries_;
  std::unordered_map<std::string, std::uint64_t> client_index_;
  std::unordered_map<std::string, std::uint64_t> server_index_;
  std::unordered_multimap<std::string, std::uint64_t> legacy_index_;
  std::vector<std::uint64_t> dead_;
  std::vector<std::uint64_t> errored_;
};

}  // namespace rtcgate::sip

template <>
struct std::is_error_code_enum<rtcgate::sip::TransactionLayerError> : std::true_type {};
