// SendBatch: the datagrams a worker sends while it handles one round of ready sockets, sent when the
// round ends with one sendmmsg per run of datagrams for the same socket.
//
// Why: a worker that has fallen behind reads several packets of a call with one recvmmsg and relays
// each to the call's other socket; a sendto per packet then costs a system call per packet, which on
// this machine class is most of a relay's CPU (LIMITS.md §5: sendmmsg of 32 costs the sender about
// half of what 32 sendto calls do). When every read returns one packet, each run holds one datagram
// and the batch costs a copy of it (a few hundred bytes) over sending at once. Sends outside a round
// (timers, commands from the owner) go straight out.
//
// Ownership: the FdPoller owns one, opens it around each dispatch round, and flushes it before a
// descriptor is removed, so no queued datagram outlives its socket or the counters it reports to.
// Thread affinity: the worker. Never allocates.
#pragma once

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/packet/packet_buffer.hpp"

namespace rtcgate::media {

// One datagram straight out on a non-blocking socket; false (errno set) when the kernel refused it.
bool send_datagram(int fd, std::span<const std::byte> datagram, const SocketAddress& to) noexcept;

// Where a datagram's outcome is counted: sent packets and bytes, or a drop by reason.
struct SendAccounting {
  std::uint64_t* packets = nullptr;
  std::uint64_t* bytes = nullptr;
  DropCounters* drops = nullptr;
};

class SendBatch {
 public:
  static constexpr std::size_t kSlots = 32;
  static constexpr std::size_t kMaxDatagram = 1500;  // larger datagrams go straight out

  SendBatch() = default;
  SendBatch(const SendBatch&) = delete;
  SendBatch& operator=(const SendBatch&) = delete;

  // Sends (or queues, inside a round) one datagram from `fd` to `to`. False when it was dropped
  // at once; a queued datagram that fails later is counted as a drop when the round ends.
  bool send(int fd, std::span<const std::byte> datagram, const SocketAddress& to,
            SendAccounting account) noexcept;

  void open() noexcept { ++depth_; }
  void close() noexcept {
    if (depth_ > 0 && --depth_ == 0) flush();
  }
  void flush() noexcept;

  // For benchmarks: system calls made for queued datagrams, and the datagrams they carried.
  [[nodiscard]] std::uint64_t flush_calls() const noexcept { return flush_calls_; }
  [[nodiscard]] std::uint64_t flushed() const noexcept { return flushed_; }

 private:
  struct Slot {
    int fd = -1;
    SendAccounting account;
    SocketAddress to;
    std::size_t size = 0;
    std::array<std::byte, kMaxDatagram> bytes;
  };

  void flush_run(std::size_t first, std::size_t end) noexcept;

  std::array<Slot, kSlots> slots_;
  std::array<mmsghdr, kSlots> messages_{};
  std::array<iovec, kSlots> vectors_{};
  std::size_t count_ = 0;
  int depth_ = 0;
  std::uint64_t flush_calls_ = 0;
  std::uint64_t flushed_ = 0;
};

}  // namespace rtcgate::media
