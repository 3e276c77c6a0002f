// GlibLoop: runs one GMainContext inside a worker's Boost.Asio io_context, for timers only.
//
// libnice keeps its connectivity-check pacing, retransmissions, keepalives and consent (RFC 7675)
// timers on the GMainContext given to nice_agent_new_full(). The data path does not go through that
// context: IceTransport polls the agents' sockets with FdPoller and reads them with
// nice_agent_recv_messages_nonblocking (LIMITS.md §1.5), so this context holds only timer sources and
// its wakeup descriptor. A pump is one GLib iteration without blocking (prepare, query, poll with a
// zero timeout, check, dispatch); an Asio steady_timer fires the next pump at the deadline GLib
// reports. libnice adds timer sources from inside our own calls without waking anyone, so the owner
// calls request_pump() after each libnice call that can change timers, and the wait is capped at
// kMaxSleep as a safety net.
//
// Ownership: owns the GMainContext (one reference). Thread affinity: constructed anywhere; start(),
// stop(), request_pump() and everything else on the io_context's thread. start() acquires the context
// for that thread; stop() releases it. (libnice pushes the agent's context as thread default itself
// around its asynchronous resolver calls; the worker pushes its first context for everything else.)
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include <glib.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace rtcgate::media {

class GlibLoop {
 public:
  static constexpr std::chrono::milliseconds kMaxSleep{200};

  explicit GlibLoop(boost::asio::io_context& io);
  ~GlibLoop();
  GlibLoop(const GlibLoop&) = delete;
  GlibLoop& operator=(const GlibLoop&) = delete;

  [[nodiscard]] GMainContext* context() const noexcept { return context_; }

  void start();
  void stop();
  // Schedule one pump soon (coalesced): call after any libnice call that may add or move a timer.
  void request_pump() noexcept;

  [[nodiscard]] std::uint64_t pumps() const noexcept { return pumps_; }

 private:
  void pump();
  void arm(std::chrono::milliseconds delay);

  boost::asio::io_context& io_;
  GMainContext* context_;
  boost::asio::steady_timer timer_;
  std::vector<GPollFD> fds_;
  bool started_ = false;
  bool pump_posted_ = false;
  std::uint64_t pumps_ = 0;
};

// GlibLoopSet: the GMainContexts of one worker, each holding at most `per_context` agents.
//
// GLib walks every source of a context on each iteration, so one context with a thousand agents'
// timers costs O(agents) per timer that fires (measured in bench/loop_bench.cpp). Sharding keeps each
// pump O(per_context) while all shards still run on the worker's one thread.
class GlibLoopSet {
 public:
  GlibLoopSet(boost::asio::io_context& io, std::size_t per_context);
  ~GlibLoopSet();
  GlibLoopSet(const GlibLoopSet&) = delete;
  GlibLoopSet& operator=(const GlibLoopSet&) = delete;

  // On the worker thread. acquire() picks the least used shard below the limit (or adds one).
  GlibLoop& acquire();
  void release(GlibLoop& loop) noexcept;
  void stop();

  [[nodiscard]] std::size_t contexts() const noexcept { return shards_.size(); }
  [[nodiscard]] std::uint64_t pumps() const noexcept;

 private:
  struct Shard {
    std::unique_ptr<GlibLoop> loop;
    std::size_t users = 0;
  };
  boost::asio::io_context& io_;
  std::size_t per_context_;
  std::vector<Shard> shards_;
};

}  // namespace rtcgate::media
