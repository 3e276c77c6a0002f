#include "rtcgate/sip/asio/asio_timer_service.hpp"

#include <utility>

namespace rtcgate::sip::asio {

AsioTimerService::~AsioTimerService() {
  for (auto& [id, entry] : timers_)
    entry->timer.cancel();
}

TimerHandle AsioTimerService::schedule(Duration delay, Callback callback) {
  if (delay < Duration::zero()) delay = Duration::zero();
  const std::uint64_t id = next_id_++;
  auto entry = std::make_unique<Entry>(io_);
  entry->callback = std::move(callback);
  entry->timer.expires_after(delay);
  // The completion never touches the entry: the table is the truth about what is still armed.
  entry->timer.async_wait([this, id, alive = std::weak_ptr<char>(alive_)](const boost::system::error_code&) {
    if (alive.expired()) return;
    fire(id);
  });
  timers_.emplace(id, std::move(entry));
  return TimerHandle{id};
}

void AsioTimerService::cancel(TimerHandle handle) {
  const auto it = timers_.find(handle.id);
  if (it == timers_.end()) return;
  it->second->timer.cancel();
  timers_.erase(it);
}

void AsioTimerService::fire(std::uint64_t id) {
  const auto it = timers_.find(id);
  if (it == timers_.end()) return;  // cancelled after expiry was queued
  Callback callback = std::move(it->second->callback);
  timers_.erase(it);
  if (callback) callback();
}

}  // namespace rtcgate::sip::asio
