// RFC 3261 §13.3.1.4: the UAS core retransmits its 2xx to INVITE until the ACK arrives.
#include "rtcgate/sip/dialog/answer_retransmitter.hpp"

#include <utility>

namespace rtcgate::sip {

AnswerRetransmitter::AnswerRetransmitter(TimerService& timers, const TransactionTimers& config,
                                         std::function<void()> resend, std::function<void()> give_up)
    : timers_(timers),
      config_(config),
      resend_(std::move(resend)),
      give_up_(std::move(give_up)),
      interval_(config.t1) {}

AnswerRetransmitter::~AnswerRetransmitter() {
  stop();
}

void AnswerRetransmitter::start() {
  stop();
  interval_ = config_.t1;
  retransmit_timer_ = timers_.schedule(interval_, [this] { on_retransmit(); });
  give_up_timer_ = timers_.schedule(64 * config_.t1, [this] { on_give_up(); });
}

void AnswerRetransmitter::stop() {
  timers_.cancel(std::exchange(retransmit_timer_, TimerHandle{}));
  timers_.cancel(std::exchange(give_up_timer_, TimerHandle{}));
}

void AnswerRetransmitter::on_retransmit() {
  retransmit_timer_ = TimerHandle{};
  interval_ = config_.next_capped(interval_);
  retransmit_timer_ = timers_.schedule(interval_, [this] { on_retransmit(); });
  if (resend_) resend_();
}

void AnswerRetransmitter::on_give_up() {
  give_up_timer_ = TimerHandle{};
  timers_.cancel(std::exchange(retransmit_timer_, TimerHandle{}));
  if (give_up_) give_up_();
}

}  // namespace rtcgate::sip
