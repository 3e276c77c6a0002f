// PcmFifo: a fixed-capacity FIFO of 8 kHz linear samples between a decoder and an encoder whose
// frame sizes differ (ptime adaptation: a 60 ms packet in, three 20 ms packets out, or the reverse).
//
// No allocation: the storage is inline. Thread affinity: the owning worker.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace rtcgate::media {

class PcmFifo {
 public:
  static constexpr std::size_t kCapacity = 4096;  // 512 ms at 8 kHz

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t free() const noexcept { return kCapacity - size_; }

  // Appends what fits; returns how many samples were taken.
  std::size_t push(std::span<const std::int16_t> samples) noexcept;
  // Appends `count` zero samples (or what fits); returns how many.
  std::size_t push_silence(std::size_t count) noexcept;
  // Moves the oldest out.size() samples to `out`; false (and nothing moved) when fewer are held.
  bool pop(std::span<std::int16_t> out) noexcept;
  void clear() noexcept { head_ = size_ = 0; }

 private:
  std::array<std::int16_t, kCapacity> samples_{};
  std::size_t head_ = 0;
  std::size_t size_ = 0;
};

}  // namespace rtcgate::media
