// AnswerRetransmitter: the UAS core's retransmission of a 2xx to INVITE until the ACK arrives
// (RFC 3261 §13.3.1.4; RFC 6026 §7.1 lets these retransmissions pass through the server
// transaction in its "Accepted" state).
//
// After start(), `resend` runs at T1, then at intervals doubling up to T2; on_ack() stops it. If no
// ACK has come 64*T1 after start(), `give_up` runs once: the UAS should then end the dialog with a
// BYE (§13.3.1.4). The retransmission happens on every transport: the 2xx crosses proxies that
// may use UDP even when our hop is reliable (§13.3.1.4 does not depend on the transport).
// Ownership: the callbacks are owned; they must not destroy this object (destroy it afterwards,
// e.g. from a posted task). Destruction cancels the timers. Thread affinity: the TimerService's.
#pragma once

#include <functional>

#include "rtcgate/sip/timer_service.hpp"
#include "rtcgate/sip/transaction/timers.hpp"

namespace rtcgate::sip {

class AnswerRetransmitter {
 public:
  AnswerRetransmitter(TimerService& timers, const TransactionTimers& config, std::function<void()> resend,
                      std::function<void()> give_up);
  ~AnswerRetransmitter();
  AnswerRetransmitter(const AnswerRetransmitter&) = delete;
  AnswerRetransmitter& operator=(const AnswerRetransmitter&) = delete;

  // The first 2xx has just been sent.
  void start();
  // The ACK arrived (or the dialog ended): no more retransmissions.
  void on_ack() { stop(); }
  bool active() const { return static_cast<bool>(give_up_timer_); }
  // The wait before the next retransmission.
  Duration interval() const { return interval_; }

 private:
  void stop();
  void on_retransmit();
  void on_give_up();

  TimerService& timers_;
  TransactionTimers config_;
  std::function<void()> resend_;
  std::function<void()> give_up_;
  Duration interval_;
  TimerHandle retransmit_timer_;
  TimerHandle give_up_timer_;
};

}  // namespace rtcgate::sip
