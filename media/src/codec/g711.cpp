#include "rtcgate/media/codec/g711.hpp"

#include <array>

namespace rtcgate::media::g711 {
namespace {

// Segment end points of the 14-bit (mu-law) and 13-bit (A-law) magnitudes.
constexpr std::array<int, 8> kUlawSegmentEnd{0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF};
constexpr std::array<int, 8> kAlawSegmentEnd{0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF};
constexpr int kUlawBias = 0x84;
constexpr int kUlawClip = 8159;

constexpr int segment(int value, const std::array<int, 8>& ends) {
  int seg = 0;
  while (seg < 8 && value > ends[static_cast<std::size_t>(seg)])
    ++seg;
  return seg;
}

// `value`: a 14-bit signed sample (the 16-bit sample >> 2).
constexpr std::uint8_t ulaw_reference(int value) {
  int mask = 0xFF;
  if (value < 0) {
    value = -value;
    mask = 0x7F;
  }
  if (value > kUlawClip) value = kUlawClip;
  value += kUlawBias >> 2;
  const int seg = segment(value, kUlawSegmentEnd);
  if (seg >= 8) return static_cast<std::uint8_t>(0x7F ^ mask);
  return static_cast<std::uint8_t>(((seg << 4) | ((value >> (seg + 1)) & 0x0F)) ^ mask);
}

// `value`: a 13-bit signed sample (the 16-bit sample >> 3).
constexpr std::uint8_t alaw_reference(int value) {
  int mask = 0xD5;
  if (value < 0) {
    mask = 0x55;
    value = -value - 1;
  }
  const int seg = segment(value, kAlawSegmentEnd);
  if (seg >= 8) return static_cast<std::uint8_t>(0x7F ^ mask);
  int code = seg << 4;
  code |= seg < 2 ? (value >> 1) & 0x0F : (value >> seg) & 0x0F;
  return static_cast<std::uint8_t>(code ^ mask);
}

constexpr std::int16_t ulaw_to_linear(std::uint8_t code) {
  const int u = ~code & 0xFF;
  int t = ((u & 0x0F) << 3) + kUlawBias;
  t <<= (u & 0x70) >> 4;
  return static_cast<std::int16_t>((u & 0x80) != 0 ? kUlawBias - t : t - kUlawBias);
}

constexpr std::int16_t alaw_to_linear(std::uint8_t code) {
  const int a = code ^ 0x55;
  int t = (a & 0x0F) << 4;
  const int seg = (a & 0x70) >> 4;
  if (seg == 0) {
    t += 8;
  } else {
    t += 0x108;
    if (seg > 1) t <<= seg - 1;
  }
  return static_cast<std::int16_t>((a & 0x80) != 0 ? t : -t);
}

// Indexed by the 14-bit (mu-law) or 13-bit (A-law) sample as an unsigned bit pattern.
constexpr auto kUlawEncode = [] {
  std::array<std::uint8_t, 1 << 14> table{};
  for (int i = 0; i < (1 << 14); ++i)
    table[static_cast<std::size_t>(i)] = ulaw_reference(i < (1 << 13) ? i : i - (1 << 14));
  return table;
}();
constexpr auto kAlawEncode = [] {
  std::array<std::uint8_t, 1 << 13> table{};
  for (int i = 0; i < (1 << 13); ++i)
    table[static_cast<std::size_t>(i)] = alaw_reference(i < (1 << 12) ? i : i - (1 << 13));
  return table;
}();
constexpr auto kUlawDecode = [] {
  std::array<std::int16_t, 256> table{};
  for (int i = 0; i < 256; ++i)
    table[static_cast<std::size_t>(i)] = ulaw_to_linear(static_cast<std::uint8_t>(i));
  return table;
}();
constexpr auto kAlawDecode = [] {
  std::array<std::int16_t, 256> table{};
  for (int i = 0; i < 256; ++i)
    table[static_cast<std::size_t>(i)] = alaw_to_linear(static_cast<std::uint8_t>(i));
  return table;
}();

static_assert(kUlawEncode[0] == 0xFF && kAlawEncode[0] == 0xD5);
static_assert(kUlawDecode[0x80] == 32124 && kAlawDecode[0xAA] == 32256);

}  // namespace

std::uint8_t ulaw_encode(std::int16_t sample) noexcept {
  return kUlawEncode[static_cast<std::uint16_t>(sample) >> 2];
}

std::int16_t ulaw_decode(std::uint8_t code) noexcept {
  return kUlawDecode[code];
}

std::uint8_t alaw_encode(std::int16_t sample) noexcept {
  return kAlawEncode[static_cast<std::uint16_t>(sample) >> 3];
}

std::int16_t alaw_decode(std::uint8_t code) noexcept {
  return kAlawDecode[code];
}

void ulaw_encode(std::span<const std::int16_t> in, std::span<std::byte> out) noexcept {
  for (std::size_t i = 0; i < in.size() && i < out.size(); ++i)
    out[i] = static_cast<std::byte>(ulaw_encode(in[i]));
}

void ulaw_decode(std::span<const std::byte> in, std::span<std::int16_t> out) noexcept {
  for (std::size_t i = 0; i < in.size() && i < out.size(); ++i)
    out[i] = ulaw_decode(static_cast<std::uint8_t>(in[i]));
}

void alaw_encode(std::span<const std::int16_t> in, std::span<std::byte> out) noexcept {
  for (std::size_t i = 0; i < in.size() && i < out.size(); ++i)
    out[i] = static_cast<std::byte>(alaw_encode(in[i]));
}

void alaw_decode(std::span<const std::byte> in, std::span<std::int16_t> out) noexcept {
  for (std::size_t i = 0; i < in.size() && i < out.size(); ++i)
    out[i] = alaw_decode(static_cast<std::uint8_t>(in[i]));
}

}  // namespace rtcgate::media::g711
