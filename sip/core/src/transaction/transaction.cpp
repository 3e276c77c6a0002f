#include "rtcgate/sip/transaction/transaction.hpp"

#include <utility>

namespace rtcgate::sip {

std::string_view to_string(TransactionState state) {
  switch (state) {
    case TransactionState::Calling:
      return "Calling";
    case TransactionState::Trying:
      return "Trying";
    case TransactionState::Proceeding:
      return "Proceeding";
    case TransactionState::Completed:
      return "Completed";
    case TransactionState::Confirmed:
      return "Confirmed";
    case TransactionState::Accepted:
      return "Accepted";
    case TransactionState::Terminated:
      return "Terminated";
  }
  return "?";
}

std::string_view to_string(TransactionFailure failure) {
  switch (failure) {
    case TransactionFailure::Timeout:
      return "Timeout";
    case TransactionFailure::TransportError:
      return "TransportError";
  }
  return "?";
}

Transaction::Transaction(TransactionKind kind, const TransactionContext& context, Message request,
                         TransactionState initial)
    : kind_(kind),
      state_(initial),
      reliable_(context.reliable),
      id_(context.id),
      timers_(context.timers),
      owner_(context.owner),
      config_(context.config),
      request_(std::move(request)) {}

Transaction::~Transaction() {
  for (TimerHandle& handle : handles_)
    timers_.cancel(std::exchange(handle, TimerHandle{}));
}

void Transaction::enter(TransactionState state) {
  if (state_ == TransactionState::Terminated) return;
  state_ = state;
  if (state != TransactionState::Terminated) return;
  for (TimerHandle& handle : handles_)
    timers_.cancel(std::exchange(handle, TimerHandle{}));
  owner_.terminated(*this);
}

void Transaction::arm(Slot slot, Duration delay, void (*on_fire)(Transaction&)) {
  TimerHandle& handle = handles_[index(slot)];
  timers_.cancel(handle);
  handle = timers_.schedule(delay, [this, slot, on_fire] {
    handles_[index(slot)] = TimerHandle{};
    on_fire(*this);
  });
}

void Transaction::disarm(Slot slot) {
  timers_.cancel(std::exchange(handles_[index(slot)], TimerHandle{}));
}

}  // namespace rtcgate::sip
