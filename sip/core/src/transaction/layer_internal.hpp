// TransactionLayer's private pieces, shared by its .cpp files. Internal.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "rtcgate/sip/transaction_layer.hpp"

namespace rtcgate::sip {

// One live transaction and what the layer knows about it.
struct TransactionLayer::Entry {
  std::unique_ptr<Transaction> transaction;
  Destination destination;     // where its messages go
  std::string key;             // in client_index_ or server_index_ ("" when only in legacy_index_)
  std::string legacy_key;      // in legacy_index_ (RFC 2543 server transactions)
  bool internal = false;       // a CANCEL sent by cancel(): the TU does not see it
  bool cancel_wanted = false;  // client INVITE: cancel() was called before any 1xx
};

// Marks "inside the layer": when the outermost scope ends, transport errors queued meanwhile are
// delivered and terminated transactions destroyed (never from inside their own callbacks).
class TransactionLayer::Scope {
 public:
  explicit Scope(TransactionLayer& layer) : layer_(layer) { ++layer_.depth_; }
  ~Scope() {
    if (--layer_.depth_ == 0) layer_.flush();
  }
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  TransactionLayer& layer_;
};

// The TimerService the transactions see: the real one, with every expiry run inside a Scope.
class TransactionLayer::Timers final : public TimerService {
 public:
  Timers(TimerService& inner, TransactionLayer& layer) : inner_(inner), layer_(layer) {}

  TimerHandle schedule(Duration delay, Callback callback) override {
    return inner_.schedule(delay, [this, callback = std::move(callback)] {
      Scope scope(layer_);
      callback();
    });
  }
  void cancel(TimerHandle handle) override { inner_.cancel(handle); }
  TimePoint now() const override { return inner_.now(); }

 private:
  TimerService& inner_;
  TransactionLayer& layer_;
};

}  // namespace rtcgate::sip
