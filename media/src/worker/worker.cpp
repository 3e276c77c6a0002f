#include "rtcgate/media/worker/worker.hpp"

#include <time.h>

#include <string>

namespace rtcgate::media {

Worker::Worker(unsigned index, WorkerConfig config)
    : index_(index), config_(config), glib_(io_, config.agents_per_context), pool_(config.pool_packets) {}

Worker::~Worker() {
  stop();
}

void Worker::start() {
  if (thread_.joinable()) return;
  guard_.emplace(io_.get_executor());
  thread_ = std::thread([this] { run(); });
  native_ = thread_.native_handle();
}

void Worker::run() {
  thread_id_ = std::this_thread::get_id();
  const std::string name = "media-" + std::to_string(index_);
  pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
  // The first context is the thread default, so GIO objects libnice creates outside its own pushes
  // attach their sources here rather than to the global default context.
  GlibLoop& first = glib_.acquire();
  g_main_context_push_thread_default(first.context());
  io_.run();
  for (auto& hook : stop_hooks_)
    hook();
  stop_hooks_.clear();
  glib_.release(first);
  glib_.stop();
  g_main_context_pop_thread_default(first.context());
}

void Worker::stop() {
  if (!thread_.joinable()) return;
  post([this] {
    guard_.reset();
    io_.stop();
  });
  thread_.join();
}

double Worker::cpu_seconds() const noexcept {
  if (!thread_.joinable()) return 0.0;
  clockid_t clock;
  if (pthread_getcpuclockid(native_, &clock) != 0) return 0.0;
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace rtcgate::media
