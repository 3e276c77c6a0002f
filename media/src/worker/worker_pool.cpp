#include "rtcgate/media/worker/worker_pool.hpp"

#include <algorithm>
#include <cstdint>
#include <thread>

namespace rtcgate::media {

WorkerPool::WorkerPool(std::size_t count, WorkerConfig config) {
  if (count == 0) count = std::max(1u, std::thread::hardware_concurrency());
  workers_.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    workers_.push_back(std::make_unique<Worker>(static_cast<unsigned>(i), config));
}

WorkerPool::~WorkerPool() {
  stop();
}

void WorkerPool::start() {
  for (auto& worker : workers_)
    worker->start();
}

void WorkerPool::stop() {
  for (auto& worker : workers_)
    worker->stop();
}

Worker& WorkerPool::pick_least_loaded() noexcept {
  Worker* best = workers_.front().get();
  for (auto& worker : workers_)
    if (worker->load() < best->load()) best = worker.get();
  return *best;
}

// FNV-1a: stable across runs and platforms, so a call id always maps to the same worker index.
Worker& WorkerPool::pick_by_hash(std::string_view call_id) noexcept {
  std::uint64_t hash = 1469598103934665603ull;
  for (char c : call_id) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return *workers_[hash % workers_.size()];
}

}  // namespace rtcgate::media
