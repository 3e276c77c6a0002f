// PortAllocator: hands out UDP ports of the configured media range ([media] port_min..port_max).
//
// A legacy leg needs an even RTP port and the next odd one for RTCP (RFC 3550 §11), or one port with
// rtcp-mux (RFC 5761). allocate() reserves ports in the allocator's books only; UdpEndpoint then binds
// them and asks for the next candidate if the kernel says the port is taken by someone else. A
// PortLease gives its ports back when destroyed, even if the allocator is gone by then (shared state).
//
// Thread affinity: any thread (a mutex guards the books; used at call setup and teardown only, never
// per packet).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace rtcgate::media {

class PortLease;

class PortAllocator {
 public:
  struct State;

  PortAllocator(std::uint16_t port_min, std::uint16_t port_max);

  // `count` consecutive ports, the first one even when `even` is set; nullopt when the range is full.
  // Successive calls continue after the last lease (round-robin), so a just-released port is not
  // handed out again at once and late packets of an old call do not reach a new one.
  [[nodiscard]] std::optional<PortLease> allocate(std::size_t count, bool even);

  [[nodiscard]] std::size_t in_use() const;
  [[nodiscard]] std::uint16_t port_min() const noexcept { return port_min_; }
  [[nodiscard]] std::uint16_t port_max() const noexcept { return port_max_; }

 private:
  std::uint16_t port_min_;
  std::uint16_t port_max_;
  std::shared_ptr<State> state_;
};

class PortLease {
 public:
  PortLease() = default;
  PortLease(PortLease&& other) noexcept;
  PortLease& operator=(PortLease&& other) noexcept;
  PortLease(const PortLease&) = delete;
  PortLease& operator=(const PortLease&) = delete;
  ~PortLease();

  [[nodiscard]] std::uint16_t first() const noexcept { return first_; }
  [[nodiscard]] std::size_t count() const noexcept { return count_; }
  [[nodiscard]] bool empty() const noexcept { return count_ == 0; }
  void release() noexcept;

 private:
  friend class PortAllocator;
  PortLease(std::shared_ptr<PortAllocator::State> state, std::uint16_t first, std::size_t count)
      : state_(std::move(state)), first_(first), count_(count) {}

  std::shared_ptr<PortAllocator::State> state_;
  std::uint16_t first_ = 0;
  std::size_t count_ = 0;
};

}  // namespace rtcgate::media
