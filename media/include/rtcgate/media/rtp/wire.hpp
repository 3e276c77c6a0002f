// Big-endian loads and stores on byte spans (network byte order, RFC 1700 / RFC 3550 §5.1).
//
// Wire formats are read with these explicit loads, never by laying structs or bitfields over a buffer
// (endianness- and aliasing-safe). Callers guarantee the bounds (views validate lengths once, then
// use these unchecked helpers). Header-only, no state, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace rtcgate::media::wire {

[[nodiscard]] inline std::uint8_t u8(std::span<const std::byte> b, std::size_t at) noexcept {
  return static_cast<std::uint8_t>(b[at]);
}
[[nodiscard]] inline std::uint16_t be16(std::span<const std::byte> b, std::size_t at) noexcept {
  return static_cast<std::uint16_t>((static_cast<unsigned>(b[at]) << 8) | static_cast<unsigned>(b[at + 1]));
}
[[nodiscard]] inline std::uint32_t be24(std::span<const std::byte> b, std::size_t at) noexcept {
  return (static_cast<std::uint32_t>(b[at]) << 16) | (static_cast<std::uint32_t>(b[at + 1]) << 8) |
         static_cast<std::uint32_t>(b[at + 2]);
}
[[nodiscard]] inline std::uint32_t be32(std::span<const std::byte> b, std::size_t at) noexcept {
  return (static_cast<std::uint32_t>(b[at]) << 24) | (static_cast<std::uint32_t>(b[at + 1]) << 16) |
         (static_cast<std::uint32_t>(b[at + 2]) << 8) | static_cast<std::uint32_t>(b[at + 3]);
}
[[nodiscard]] inline std::uint64_t be64(std::span<const std::byte> b, std::size_t at) noexcept {
  return (static_cast<std::uint64_t>(be32(b, at)) << 32) | be32(b, at + 4);
}
inline void put8(std::span<std::byte> b, std::size_t at, std::uint8_t v) noexcept {
  b[at] = std::byte{v};
}
inline void put16(std::span<std::byte> b, std::size_t at, std::uint16_t v) noexcept {
  b[at] = static_cast<std::byte>(v >> 8);
  b[at + 1] = static_cast<std::byte>(v & 0xffU);
}
inline void put32(std::span<std::byte> b, std::size_t at, std::uint32_t v) noexcept {
  b[at] = static_cast<std::byte>(v >> 24);
  b[at + 1] = static_cast<std::byte>((v >> 16) & 0xffU);
  b[at + 2] = static_cast<std::byte>((v >> 8) & 0xffU);
  b[at + 3] = static_cast<std::byte>(v & 0xffU);
}

}  // namespace rtcgate::media::wire
