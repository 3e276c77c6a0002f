// OpusDecoder8k: libopus decoding straight to 8 kHz mono (RFC 6716; LIMITS.md §4.1: the decoder
// outputs any of 8/12/16/24/48 kHz itself, so Opus ⇄ G.711 needs no resampler).
//
// Loss handling (LIMITS.md §4.3): conceal() runs the decoder's packet loss concealment for one
// missing packet; recover() decodes the in-band FEC (LBRR) that the packet after a gap carries for
// the packet before it, and falls back to concealment inside libopus when there is none.
//
// The decoder state is allocated once in create(); decode calls never allocate.
// Thread affinity: one thread at a time (the owning worker). Units: samples at 8 kHz.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <span>
#include <string>

struct OpusDecoder;

namespace rtcgate::media {

class OpusDecoder8k {
 public:
  static constexpr int kSampleRate = 8000;
  static constexpr std::size_t kMaxFrameSamples = 960;  // 120 ms, the longest Opus packet

  static std::expected<OpusDecoder8k, std::string> create();

  // Samples a packet decodes to at 8 kHz, or a negative libopus error for a malformed packet.
  [[nodiscard]] static int packet_samples(std::span<const std::byte> packet) noexcept;

  // Each returns the samples written to `pcm` or a negative libopus error.
  int decode(std::span<const std::byte> packet, std::span<std::int16_t> pcm) noexcept;
  // `samples` must be a multiple of 2.5 ms (20 at 8 kHz) and fit `pcm`.
  int conceal(std::span<std::int16_t> pcm, std::size_t samples) noexcept;
  int recover(std::span<const std::byte> next_packet, std::span<std::int16_t> pcm,
              std::size_t samples) noexcept;

 private:
  struct Free {
    void operator()(::OpusDecoder* decoder) const noexcept;
  };
  explicit OpusDecoder8k(::OpusDecoder* decoder) noexcept : decoder_(decoder) {}
  std::unique_ptr<::OpusDecoder, Free> decoder_;
};

}  // namespace rtcgate::media
