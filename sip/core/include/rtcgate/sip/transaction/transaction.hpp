// Transaction: what the four RFC 3261 §17 state machines share (not a state machine itself).
//
// Purpose: each FSM (ClientInviteTransaction, ClientNonInviteTransaction, ServerInviteTransaction,
// ServerNonInviteTransaction, one per file) is sans-I/O. It is fed messages, TU actions and timer
// expiries; it asks its TransactionOwner to send messages, to pass messages up to the transaction
// user (TU), to report failures, and it announces when it has reached "Terminated".
// Ownership: the owner (normally TransactionLayer) owns the transaction and must keep itself and the
// TimerService alive while the transaction lives. A transaction must not be destroyed from inside
// one of its own owner callbacks; the owner destroys it afterwards (TransactionLayer reaps
// terminated transactions once the current event has been handled). Destruction cancels every timer.
// Thread affinity: the signaling thread (the TimerService's thread).
// Reliability (RFC 3261 §17.1.1.2): on a reliable transport (TCP, TLS, WS, WSS) nothing is
// retransmitted and timers D, I, J and K are zero, so the machine passes straight through
// "Completed"/"Confirmed" to "Terminated".
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "rtcgate/sip/message.hpp"
#include "rtcgate/sip/timer_service.hpp"
#include "rtcgate/sip/transaction/timers.hpp"

namespace rtcgate::sip {

enum class TransactionState : std::uint8_t {
  Calling,     // client INVITE: request sent, no response yet
  Trying,      // non-INVITE: request sent (client) or received (server), no response yet
  Proceeding,  // a provisional response was received (client) or the request awaits a final one
  Completed,   // a final (non-2xx for INVITE) response was received / sent
  Confirmed,   // server INVITE: ACK for the non-2xx final response received
  Accepted,    // INVITE with a 2xx final response (RFC 6026 §7.1, §7.2)
  Terminated,  // done; the owner destroys the transaction
};

std::string_view to_string(TransactionState state);

enum class TransactionKind : std::uint8_t { ClientInvite, ClientNonInvite, ServerInvite, ServerNonInvite };

// Why a transaction failed, as reported to the TU (RFC 3261 §17.1.4, §17.2.4).
enum class TransactionFailure : std::uint8_t {
  Timeout,         // timer B, F (client) or H (server: no ACK) fired
  TransportError,  // the transport could not send one of the transaction's messages
};

std::string_view to_string(TransactionFailure failure);

class Transaction;

// The callbacks a transaction makes, synchronously, from inside its entry points and timers.
class TransactionOwner {
 public:
  // Hand `message` to the transport (to the transaction's destination).
  virtual void send(Transaction& transaction, const Message& message) = 0;
  // Pass `message` up to the TU: responses (client transactions), an ACK received in the
  // "Accepted" state (server INVITE, RFC 6026 §7.1).
  virtual void deliver(Transaction& transaction, const Message& message) = 0;
  // Inform the TU of a timeout or transport failure.
  virtual void failed(Transaction& transaction, TransactionFailure failure) = 0;
  // The transaction entered "Terminated" and may be destroyed once the current call returns.
  virtual void terminated(Transaction& transaction) = 0;

 protected:
  ~TransactionOwner() = default;
};

// Everything an FSM is built with.
struct TransactionContext {
  TimerService& timers;
  TransactionOwner& owner;
  TransactionTimers config;
  bool reliable = false;  // the transport under the transaction is reliable (not UDP)
  std::uint64_t id = 0;   // the owner's name for the transaction (opaque to the FSM)
};

class Transaction {
 public:
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  virtual ~Transaction();

  TransactionKind kind() const { return kind_; }
  TransactionState state() const { return state_; }
  bool terminated() const { return state_ == TransactionState::Terminated; }
  bool reliable() const { return reliable_; }
  std::uint64_t id() const { return id_; }
  // The request that created the transaction (as sent for client transactions, as received for
  // server transactions).
  const Message& request() const { return request_; }

 protected:
  // Timer slots: at most three timers of one machine run at once.
  enum class Slot : std::uint8_t { Retransmit, Timeout, Wait };

  Transaction(TransactionKind kind, const TransactionContext& context, Message request,
              TransactionState initial);

  const TransactionTimers& config() const { return config_; }
  TransactionOwner& owner() { return owner_; }
  TimePoint now() const { return timers_.now(); }

  // Changes state; entering Terminated cancels every timer and tells the owner. Terminated is final.
  void enter(TransactionState state);

  // Arms `slot` (cancelling what it held) to call `on_fire` after `delay`.
  void arm(Slot slot, Duration delay, void (*on_fire)(Transaction&));
  void disarm(Slot slot);
  bool armed(Slot slot) const { return static_cast<bool>(handles_[index(slot)]); }

  void send(const Message& message) { owner_.send(*this, message); }
  void deliver(const Message& message) { owner_.deliver(*this, message); }
  void fail(TransactionFailure failure) { owner_.failed(*this, failure); }

 private:
  static std::size_t index(Slot slot) { return static_cast<std::size_t>(slot); }

  TransactionKind kind_;
  TransactionState state_;
  bool reliable_;
  std::uint64_t id_;
  TimerService& timers_;
  TransactionOwner& owner_;
  TransactionTimers config_;
  Message request_;
  std::array<TimerHandle, 3> handles_{};
};

// Status classes used by all four machines.
inline bool is_provisional(int status) {
  return status >= 100 && status <= 199;
}
inline bool is_success(int status) {
  return status >= 200 && status <= 299;
}
inline bool is_final_failure(int status) {
  return status >= 300 && status <= 699;
}

}  // namespace rtcgate::sip
