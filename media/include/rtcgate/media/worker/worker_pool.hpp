// WorkerPool: N media workers (default: one per hardware thread) and the rule that pins a session.
//
// A session is pinned once, at creation, either to the least-loaded worker or by a hash of the call
// id (stable, so every leg of a call lands on the same worker), and never moves (DESIGN.md "Process
// model"). Thread affinity: construct, start() and stop() from the owner's thread; pick_*() and at()
// from any thread (they read atomic load counters only).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "rtcgate/media/worker/worker.hpp"

namespace rtcgate::media {

class WorkerPool {
 public:
  // count == 0 means std::thread::hardware_concurrency() (at least 1).
  explicit WorkerPool(std::size_t count = 0, WorkerConfig config = {});
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void start();
  void stop();

  [[nodiscard]] std::size_t size() const noexcept { return workers_.size(); }
  [[nodiscard]] Worker& at(std::size_t index) noexcept { return *workers_[index]; }
  [[nodiscard]] Worker& pick_least_loaded() noexcept;
  [[nodiscard]] Worker& pick_by_hash(std::string_view call_id) noexcept;

 private:
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace rtcgate::media
