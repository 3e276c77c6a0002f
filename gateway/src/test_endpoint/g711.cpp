#include "rtcgate/gateway/test_endpoint/g711.hpp"

namespace rtcgate::gateway::test_endpoint {
namespace {

constexpr int kBias = 0x84;  // 132: shifts the segment boundaries to powers of two
constexpr int kClip = 32635;

}  // namespace

std::uint8_t ulaw_encode(std::int16_t sample) {
  int value = sample;
  int sign = 0;
  if (value < 0) {
    value = -value;
    sign = 0x80;
  }
  if (value > kClip) value = kClip;
  value += kBias;
  int exponent = 7;
  for (int mask = 0x4000; (value & mask) == 0 && exponent > 0; mask >>= 1)
    --exponent;
  int mantissa = (value >> (exponent + 3)) & 0x0F;
  // Transmitted inverted (G.711 §A.2), so silence is 0xFF rather than a run of zero bits.
  return static_cast<std::uint8_t>(~(sign | (exponent << 4) | mantissa));
}

std::int16_t ulaw_decode(std::uint8_t code) {
  int inverted = ~code & 0xFF;
  int exponent = (inverted >> 4) & 0x07;
  int mantissa = inverted & 0x0F;
  int magnitude = (((mantissa << 3) + kBias) << exponent) - kBias;
  return static_cast<std::int16_t>((inverted & 0x80) != 0 ? -magnitude : magnitude);
}

}  // namespace rtcgate::gateway::test_endpoint
