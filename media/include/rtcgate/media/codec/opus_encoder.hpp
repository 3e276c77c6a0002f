// OpusEncoder8k: libopus encoding from 8 kHz mono (narrowband SILK, OPUS_APPLICATION_VOIP, variable
// bitrate chosen by libopus: about 10 kbps), with in-band FEC so a browser can recover a lost packet
// from the next one.
//
// Complexity (0-10) is the capacity knob (LIMITS.md §4.2: 24-30 µs per 20 ms frame at 0, 55-68 µs
// at 5, 102-120 µs at 10 on this machine class).
//
// The encoder state is allocated once in create(); encode() never allocates.
// Thread affinity: one thread at a time (the owning worker). Units: samples at 8 kHz.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <span>
#include <string>

struct OpusEncoder;

namespace rtcgate::media {

class OpusEncoder8k {
 public:
  static constexpr int kSampleRate = 8000;
  // RFC 6716 §3.2.1: the longest frame payload.
  static constexpr std::size_t kMaxPacketBytes = 1275;

  static std::expected<OpusEncoder8k, std::string> create(int complexity);

  // Encodes one frame (2.5, 5, 10, 20, 40 or 60 ms of samples). Returns the bytes written to `out`
  // or a negative libopus error.
  int encode(std::span<const std::int16_t> pcm, std::span<std::byte> out) noexcept;

 private:
  struct Free {
    void operator()(::OpusEncoder* encoder) const noexcept;
  };
  explicit OpusEncoder8k(::OpusEncoder* encoder) noexcept : encoder_(encoder) {}
  std::unique_ptr<::OpusEncoder, Free> encoder_;
};

}  // namespace rtcgate::media
