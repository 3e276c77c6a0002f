// Worker: one media thread with its event loop, packet pool and the sessions pinned to it.
//
// The loop (measured in bench/loop_bench.cpp, see DESIGN.md "Process model"):
//   * one boost::asio::io_context, run by the worker's thread only;
//   * FdPoller: one level-triggered epoll set for every media socket (ICE and legacy UDP), woken through
//     the io_context; libnice agents are read with nice_agent_recv_messages_nonblocking from there until
//     ICE selects a plain UDP pair, then the ICE fast path reads that socket with recvmmsg itself;
//   * GlibLoopSet: GMainContexts that hold only libnice's timers, pumped from a steady_timer; the first
//     one is pushed as the thread-default context;
//   * PacketPool: the worker's preallocated buffers.
// Everything that touches a session runs on this thread. Other threads only call post(), which queues
// a value-carrying function on the io_context (thread-safe), and the const load counters.
//
// Ownership: the Worker owns its thread; stop() (or the destructor) drains nothing and joins.
// Objects created on the worker (sessions, transports) must be destroyed on it before stop() returns;
// on_stop hooks registered with at_stop() run on the worker thread just before the loop exits.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <pthread.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "rtcgate/media/ice/glib_loop.hpp"
#include "rtcgate/media/io/fd_poller.hpp"
#include "rtcgate/media/packet/packet_pool.hpp"

namespace rtcgate::media {

struct WorkerConfig {
  std::size_t pool_packets = 8192;      // buffers of PacketBuffer::kCapacity bytes each
  std::size_t agents_per_context = 64;  // libnice agents per GMainContext (see GlibLoopSet)
};

class Worker {
 public:
  Worker(unsigned index, WorkerConfig config);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  void stop();

  // Thread-safe: run `fn` on the worker thread. `fn` must capture values only.
  template <typename Fn>
  void post(Fn&& fn) {
    boost::asio::post(io_, std::forward<Fn>(fn));
  }

  [[nodiscard]] unsigned index() const noexcept { return index_; }
  [[nodiscard]] bool on_worker_thread() const noexcept { return std::this_thread::get_id() == thread_id_; }

  // Worker thread only.
  [[nodiscard]] boost::asio::io_context& io() noexcept { return io_; }
  [[nodiscard]] FdPoller& poller() noexcept { return poller_; }
  [[nodiscard]] GlibLoopSet& glib() noexcept { return glib_; }
  [[nodiscard]] PacketPool& pool() noexcept { return pool_; }
  void at_stop(std::function<void()> hook) { stop_hooks_.push_back(std::move(hook)); }

  // Any thread: sessions currently pinned here (maintained by whoever creates them).
  [[nodiscard]] std::size_t load() const noexcept { return load_.load(std::memory_order_relaxed); }
  void add_load(std::ptrdiff_t delta) noexcept {
    load_.fetch_add(static_cast<std::size_t>(delta), std::memory_order_relaxed);
  }
  // Any thread: this worker thread's CPU time so far, in seconds (0 before start).
  [[nodiscard]] double cpu_seconds() const noexcept;

 private:
  void run();

  unsigned index_;
  WorkerConfig config_;
  boost::asio::io_context io_{1};
  FdPoller poller_{io_};
  GlibLoopSet glib_;
  PacketPool pool_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard_;
  std::vector<std::function<void()>> stop_hooks_;
  std::thread thread_;
  pthread_t native_{};
  std::thread::id thread_id_;
  std::atomic<std::size_t> load_{0};
};

}  // namespace rtcgate::media
