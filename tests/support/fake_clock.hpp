// FakeTimerService: a deterministic sip::TimerService for tests.
//
// Purpose: drive RFC 3261 timers (and any other TimerService user) without sleeping. Time only
// moves when the test calls advance(); due timers then fire in deadline order (equal deadlines in
// the order they were scheduled), each seeing now() equal to its own deadline. Timers that
// callbacks schedule fire within the same advance() when they fall due inside the window.
// Ownership: owns the pending callbacks. Thread affinity: single-threaded, like the real service.
// Header-only so any test target can use it without linking anything but sip/core's headers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <utility>

#include "rtcgate/sip/timer_service.hpp"

namespace rtcgate::testing {

class FakeTimerService final : public sip::TimerService {
 public:
  // Starts at an arbitrary non-zero point so code that treats TimePoint{} as "unset" still works.
  explicit FakeTimerService(sip::TimePoint start = sip::TimePoint{} + std::chrono::hours(1)) : now_(start) {}

  sip::TimerHandle schedule(sip::Duration delay, Callback callback) override {
    if (delay < sip::Duration::zero()) delay = sip::Duration::zero();
    const std::uint64_t id = ++last_id_;
    const Key key{now_ + delay, id};
    timers_.emplace(key, std::move(callback));
    index_.emplace(id, key.first);
    ++scheduled_total_;
    return sip::TimerHandle{id};
  }

  void cancel(sip::TimerHandle handle) override {
    const auto found = index_.find(handle.id);
    if (found == index_.end()) return;
    timers_.erase(Key{found->second, handle.id});
    index_.erase(found);
  }

  sip::TimePoint now() const override { return now_; }

  // Moves time forward by `by` and fires every timer due on the way. Returns how many fired.
  std::size_t advance(sip::Duration by) { return advance_to(now_ + by); }

  // Fires timers due at the current time (zero-delay timers) without moving time.
  std::size_t run_due() { return advance_to(now_); }

  std::size_t advance_to(sip::TimePoint until) {
    std::size_t fired = 0;
    while (!timers_.empty() && timers_.begin()->first.first <= until) {
      auto node = timers_.extract(timers_.begin());
      index_.erase(node.key().second);
      now_ = node.key().first;
      ++fired;
      node.mapped()();
    }
    if (until > now_) now_ = until;
    return fired;
  }

  // Advances exactly to the next deadline and fires what is due there; returns the time moved.
  std::optional<sip::Duration> fire_next() {
    const auto next = next_deadline();
    if (!next) return std::nullopt;
    const sip::Duration moved = *next - now_;
    advance_to(*next);
    return moved;
  }

  std::size_t pending() const { return timers_.size(); }
  std::uint64_t scheduled_total() const { return scheduled_total_; }

  std::optional<sip::TimePoint> next_deadline() const {
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->first.first;
  }

  // Time from now until the next timer is due, if any.
  std::optional<sip::Duration> next_delay() const {
    const auto next = next_deadline();
    if (!next) return std::nullopt;
    return *next - now_;
  }

 private:
  using Key = std::pair<sip::TimePoint, std::uint64_t>;

  sip::TimePoint now_;
  std::uint64_t last_id_ = 0;
  std::uint64_t scheduled_total_ = 0;
  std::map<Key, Callback> timers_;
  std::unordered_map<std::uint64_t, sip::TimePoint> index_;
};

}  // namespace rtcgate::testing
