// G.711 (ITU-T G.711, RFC 3551 §4.5.14): PCMU (mu-law) and PCMA (A-law) at 8 kHz, one byte per
// sample, by table look-up.
//
// The tables are built at compile time from the reference segment algorithm (the one in the ITU
// software tools and Sun's g711.c), so encode and decode are a shift and one load each. Encoders take
// 16-bit linear samples and drop the bits G.711 does not carry (mu-law 14 bits, A-law 13 bits).
//
// Pure functions; no state, no thread affinity.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace rtcgate::media::g711 {

[[nodiscard]] std::uint8_t ulaw_encode(std::int16_t sample) noexcept;
[[nodiscard]] std::int16_t ulaw_decode(std::uint8_t code) noexcept;
[[nodiscard]] std::uint8_t alaw_encode(std::int16_t sample) noexcept;
[[nodiscard]] std::int16_t alaw_decode(std::uint8_t code) noexcept;

// Whole frames: `out` must be at least as long as `in`.
void ulaw_encode(std::span<const std::int16_t> in, std::span<std::byte> out) noexcept;
void ulaw_decode(std::span<const std::byte> in, std::span<std::int16_t> out) noexcept;
void alaw_encode(std::span<const std::int16_t> in, std::span<std::byte> out) noexcept;
void alaw_decode(std::span<const std::byte> in, std::span<std::int16_t> out) noexcept;

}  // namespace rtcgate::media::g711
