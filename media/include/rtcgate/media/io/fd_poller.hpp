// FdPoller: a level-triggered epoll set of datagram sockets, driven by one Boost.Asio io_context.
//
// Why: libnice's GMainContext wakes in O(number of agents) (LIMITS.md §1.5), and Asio's own reactor
// is edge-triggered, so a handler that stops reading early would never be woken again. The poller
// keeps its own level-triggered epoll descriptor and registers only that one descriptor with the
// io_context. When it becomes readable the poller asks the kernel which sockets are ready
// (epoll_wait with a zero timeout) and calls each socket's FdHandler. A handler reads until the
// socket would block or its batch budget is spent; in the second case it returns false and the poller
// comes back to it after other queued Asio work (fairness), without waiting for a new edge.
//
// Sends made while handlers run go through the poller's SendBatch (send_batch.hpp), which is flushed
// when the round ends, so packets relayed from one read leave with one sendmmsg.
//
// Ownership: the caller owns the sockets and handlers; remove() before closing a descriptor or
// destroying its handler (it also flushes the SendBatch, which may hold datagrams for that socket). A handler
// may remove itself or others during dispatch (tokens carry a generation, so a stale event of the same batch
// is ignored). Thread affinity: the io_context's single thread (the worker). Registration allocates; dispatch
// never.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <system_error>
#include <vector>

#include <sys/epoll.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include "rtcgate/media/io/send_batch.hpp"

namespace rtcgate::media {

class FdHandler {
 public:
  // Read what is there. Return true when the socket was drained (read until EAGAIN), false when the
  // budget ran out and data may remain.
  virtual bool on_readable() noexcept = 0;

 protected:
  ~FdHandler() = default;
};

class FdPoller {
 public:
  using Token = std::uint64_t;
  static constexpr std::size_t kMaxEventsPerWait = 64;

  // Throws std::system_error if epoll_create1 fails (startup only).
  explicit FdPoller(boost::asio::io_context& io);
  ~FdPoller();
  FdPoller(const FdPoller&) = delete;
  FdPoller& operator=(const FdPoller&) = delete;

  std::expected<Token, std::error_code> add(int fd, FdHandler& handler);
  void remove(Token token) noexcept;

  [[nodiscard]] std::size_t size() const noexcept { return slots_.size() - free_.size(); }
  [[nodiscard]] boost::asio::io_context& io() const noexcept { return io_; }
  // Where the worker's sockets send from (batched while handlers run).
  [[nodiscard]] SendBatch& sends() noexcept { return sends_; }
  // Number of wakeups from the io_context and handler calls, for benchmarks.
  [[nodiscard]] std::uint64_t wakeups() const noexcept { return wakeups_; }
  [[nodiscard]] std::uint64_t dispatches() const noexcept { return dispatches_; }

 private:
  struct Slot {
    FdHandler* handler = nullptr;
    int fd = -1;
    std::uint32_t generation = 0;
  };

  void arm();
  void run_ready();

  boost::asio::io_context& io_;
  boost::asio::posix::stream_descriptor epoll_;
  std::vector<Slot> slots_;
  std::vector<std::uint32_t> free_;
  std::array<epoll_event, kMaxEventsPerWait> events_{};
  SendBatch sends_;
  bool closing_ = false;
  bool scheduled_ = false;
  bool waiting_ = false;
  std::uint64_t wakeups_ = 0;
  std::uint64_t dispatches_ = 0;
};

}  // namespace rtcgate::media
