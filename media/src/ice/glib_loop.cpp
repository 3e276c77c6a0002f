#include "rtcgate/media/ice/glib_loop.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

namespace rtcgate::media {

GlibLoop::GlibLoop(boost::asio::io_context& io) : io_(io), context_(g_main_context_new()), timer_(io) {
  fds_.resize(8);
}

GlibLoop::~GlibLoop() {
  timer_.cancel();
  g_main_context_unref(context_);
}

void GlibLoop::start() {
  if (started_) return;
  started_ = true;
  g_main_context_acquire(context_);
  pump();
}

void GlibLoop::stop() {
  if (!started_) return;
  started_ = false;
  timer_.cancel();
  g_main_context_release(context_);
}

void GlibLoop::request_pump() noexcept {
  if (pump_posted_ || !started_) return;
  pump_posted_ = true;
  boost::asio::post(io_, [this] {
    pump_posted_ = false;
    if (started_) pump();
  });
}

void GlibLoop::pump() {
  ++pumps_;
  gint max_priority = 0;
  g_main_context_prepare(context_, &max_priority);
  gint timeout_ms = -1;
  gint n = 0;
  while ((n = g_main_context_query(context_, max_priority, &timeout_ms, fds_.data(),
                                   static_cast<gint>(fds_.size()))) > static_cast<gint>(fds_.size())) {
    fds_.resize(static_cast<std::size_t>(n));
  }
  // Only the context's wakeup descriptor (and rare non-socket sources) are here: a zero-timeout
  // poll lets check() see them without blocking the worker.
  if (n > 0) g_poll(fds_.data(), static_cast<guint>(n), 0);
  const bool ready = g_main_context_check(context_, max_priority, fds_.data(), n) != 0;
  if (ready) g_main_context_dispatch(context_);
  // A dispatch can add or move timers: look again right away rather than trusting the old deadline.
  if (ready || timeout_ms == 0) {
    request_pump();
    return;
  }
  const auto cap = std::chrono::milliseconds(kMaxSleep);
  arm(timeout_ms < 0 ? cap : std::min(cap, std::chrono::milliseconds(timeout_ms)));
}

void GlibLoop::arm(std::chrono::milliseconds delay) {
  timer_.expires_after(delay);
  timer_.async_wait([this](boost::system::error_code ec) {
    if (ec || !started_) return;
    pump();
  });
}

GlibLoopSet::GlibLoopSet(boost::asio::io_context& io, std::size_t per_context)
    : io_(io), per_context_(std::max<std::size_t>(1, per_context)) {}

GlibLoopSet::~GlibLoopSet() {
  stop();
}

GlibLoop& GlibLoopSet::acquire() {
  Shard* best = nullptr;
  for (Shard& shard : shards_)
    if (shard.users < per_context_ && (best == nullptr || shard.users < best->users)) best = &shard;
  if (best == nullptr) {
    shards_.push_back(Shard{std::make_unique<GlibLoop>(io_), 0});
    best = &shards_.back();
    best->loop->start();
  }
  ++best->users;
  return *best->loop;
}

void GlibLoopSet::release(GlibLoop& loop) noexcept {
  for (Shard& shard : shards_)
    if (shard.loop.get() == &loop && shard.users > 0) --shard.users;
}

void GlibLoopSet::stop() {
  for (Shard& shard : shards_)
    shard.loop->stop();
}

std::uint64_t GlibLoopSet::pumps() const noexcept {
  std::uint64_t total = 0;
  for (const Shard& shard : shards_)
    total += shard.loop->pumps();
  return total;
}

}  // namespace rtcgate::media
