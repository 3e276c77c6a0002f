// AsioTimerService: sip::TimerService on the signaling io_context (one steady_timer per scheduled
// timer), the production clock of the transaction layer (RFC 3261 §17 timers A–M), dialogs and
// registrations.
//
// Contract (timer_service.hpp): callbacks run on the io_context's thread, never inside
// schedule(); after cancel(handle) returns the callback will not run, even when its timer already
// expired and the completion is queued. Destroying the service cancels every pending timer.
// Ownership: the service owns the callbacks until they run or are cancelled.
// Thread: the thread running the io_context; not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "rtcgate/sip/timer_service.hpp"

namespace rtcgate::sip::asio {

class AsioTimerService final : public sip::TimerService {
 public:
  explicit AsioTimerService(boost::asio::io_context& io) : io_(io) {}
  ~AsioTimerService() override;
  AsioTimerService(const AsioTimerService&) = delete;
  AsioTimerService& operator=(const AsioTimerService&) = delete;

  TimerHandle schedule(Duration delay, Callback callback) override;
  void cancel(TimerHandle handle) override;
  TimePoint now() const override { return Clock::now(); }

  // Timers scheduled and not yet fired or cancelled.
  std::size_t pending() const { return timers_.size(); }

 private:
  struct Entry {
    explicit Entry(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    Callback callback;
  };
  void fire(std::uint64_t id);

  boost::asio::io_context& io_;
  std::uint64_t next_id_ = 1;
  std::unordered_map<std::uint64_t, std::unique_ptr<Entry>> timers_;
  // Completions check this to know the service still exists.
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace rtcgate::sip::asio
