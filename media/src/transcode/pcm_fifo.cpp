#include "rtcgate/media/transcode/pcm_fifo.hpp"

namespace rtcgate::media {

std::size_t PcmFifo::push(std::span<const std::int16_t> samples) noexcept {
  std::size_t n = samples.size() < free() ? samples.size() : free();
  for (std::size_t i = 0; i < n; ++i)
    samples_[(head_ + size_ + i) % kCapacity] = samples[i];
  size_ += n;
  return n;
}

std::size_t PcmFifo::push_silence(std::size_t count) noexcept {
  std::size_t n = count < free() ? count : free();
  for (std::size_t i = 0; i < n; ++i)
    samples_[(head_ + size_ + i) % kCapacity] = 0;
  size_ += n;
  return n;
}

bool PcmFifo::pop(std::span<std::int16_t> out) noexcept {
  if (out.size() > size_) return false;
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = samples_[(head_ + i) % kCapacity];
  head_ = (head_ + out.size()) % kCapacity;
  size_ -= out.size();
  return true;
}

}  // namespace rtcgate::media
