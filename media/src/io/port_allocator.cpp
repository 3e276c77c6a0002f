#include "rtcgate/media/io/port_allocator.hpp"

#include <algorithm>

namespace rtcgate::media {

struct PortAllocator::State {
  std::mutex mutex;
  std::uint16_t base = 0;
  std::vector<bool> used;
  std::size_t next = 0;
  std::size_t in_use = 0;
};

PortAllocator::PortAllocator(std::uint16_t port_min, std::uint16_t port_max)
    : port_min_(std::min(port_min, port_max)),
      port_max_(std::max(port_min, port_max)),
      state_(std::make_shared<State>()) {
  state_->base = port_min_;
  state_->used.assign(static_cast<std::size_t>(port_max_ - port_min_) + 1, false);
}

std::optional<PortLease> PortAllocator::allocate(std::size_t count, bool even) {
  if (count == 0) return std::nullopt;
  std::lock_guard lock(state_->mutex);
  const std::size_t size = state_->used.size();
  if (count > size) return std::nullopt;
  for (std::size_t step = 0; step < size; ++step) {
    const std::size_t index = (state_->next + step) % size;
    if (index + count > size) continue;
    if (even && ((state_->base + index) % 2) != 0) continue;
    bool free = true;
    for (std::size_t i = 0; i < count && free; ++i)
      free = !state_->used[index + i];
    if (!free) continue;
    for (std::size_t i = 0; i < count; ++i)
      state_->used[index + i] = true;
    state_->in_use += count;
    state_->next = (index + count) % size;
    return PortLease(state_, static_cast<std::uint16_t>(state_->base + index), count);
  }
  return std::nullopt;
}

std::size_t PortAllocator::in_use() const {
  std::lock_guard lock(state_->mutex);
  return state_->in_use;
}

PortLease::PortLease(PortLease&& other) noexcept
    : state_(std::move(other.state_)), first_(other.first_), count_(other.count_) {
  other.count_ = 0;
}

PortLease& PortLease::operator=(PortLease&& other) noexcept {
  if (this != &other) {
    release();
    state_ = std::move(other.state_);
    first_ = other.first_;
    count_ = other.count_;
    other.count_ = 0;
  }
  return *this;
}

PortLease::~PortLease() {
  release();
}

void PortLease::release() noexcept {
  if (count_ == 0 || !state_) return;
  const std::shared_ptr<PortAllocator::State> state = std::move(state_);
  std::lock_guard lock(state->mutex);
  const std::size_t index = first_ - state->base;
  for (std::size_t i = 0; i < count_; ++i)
    state->used[index + i] = false;
  state->in_use -= count_;
  count_ = 0;
}

}  // namespace rtcgate::media
