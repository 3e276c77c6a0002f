#include "rtcgate/media/codec/g711.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace rtcgate::media {
namespace {

// Reference values from the ITU/Sun reference implementation (as in CPython's audioop
// lin2ulaw/lin2alaw/ulaw2lin/alaw2lin).
struct EncodeCase {
  std::int16_t linear;
  std::uint8_t ulaw;
  std::uint8_t alaw;
};
constexpr EncodeCase kEncode[] = {
    {0, 255, 213},     {1, 255, 213},    {-1, 126, 85},     {8, 254, 213},    {-8, 126, 85},
    {100, 242, 211},   {-100, 114, 83},  {1000, 206, 250},  {-1000, 78, 122}, {4000, 175, 154},
    {12345, 151, 189}, {-12345, 23, 61}, {32767, 128, 170}, {-32768, 0, 42},
};

struct DecodeCase {
  std::uint8_t code;
  std::int16_t ulaw;
  std::int16_t alaw;
};
constexpr DecodeCase kDecode[] = {
    {0x00, -32124, -5504}, {0x0f, -16764, -6784}, {0x7f, 0, -848}, {0x80, 32124, 5504},
    {0xff, 0, 848},        {0x55, -716, -8},      {0xd5, 716, 8},  {0x2a, -5372, -32256},
    {0xaa, 5372, 32256},   {0x13, -14460, -2880},
};

TEST(G711, EncodesLikeTheReference) {
  for (const EncodeCase& c : kEncode) {
    EXPECT_EQ(g711::ulaw_encode(c.linear), c.ulaw) << c.linear;
    EXPECT_EQ(g711::alaw_encode(c.linear), c.alaw) << c.linear;
  }
}

TEST(G711, DecodesLikeTheReference) {
  for (const DecodeCase& c : kDecode) {
    EXPECT_EQ(g711::ulaw_decode(c.code), c.ulaw) << int{c.code};
    EXPECT_EQ(g711::alaw_decode(c.code), c.alaw) << int{c.code};
  }
}

TEST(G711, EveryCodeRoundTrips) {
  for (int code = 0; code < 256; ++code) {
    const auto c = static_cast<std::uint8_t>(code);
    EXPECT_EQ(g711::alaw_encode(g711::alaw_decode(c)), c) << code;
    // 0x7F is mu-law's "negative zero": it decodes to 0, which encodes as 0xFF.
    if (c != 0x7F) {
      EXPECT_EQ(g711::ulaw_encode(g711::ulaw_decode(c)), c) << code;
    }
  }
}

TEST(G711, QuantisationErrorStaysWithinTheSegmentStep) {
  for (int x = -32768; x <= 32767; x += 7) {
    const auto s = static_cast<std::int16_t>(x);
    const int mag = x < 0 ? -x : x;
    // The largest step of either law is 1024 (top segment); small values have steps of 2-16.
    const int bound = mag < 64 ? 16 : mag / 16 + 16;
    EXPECT_LE(std::abs(g711::ulaw_decode(g711::ulaw_encode(s)) - x), bound + (mag > 32000 ? 800 : 0)) << x;
    EXPECT_LE(std::abs(g711::alaw_decode(g711::alaw_encode(s)) - x), bound) << x;
  }
}

TEST(G711, SpansMatchTheScalarFunctions) {
  const std::int16_t in[] = {0, 1000, -1000, 32767};
  std::byte out[4];
  std::int16_t back[4];
  g711::ulaw_encode(in, out);
  g711::ulaw_decode(out, back);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(static_cast<std::uint8_t>(out[i]), g711::ulaw_encode(in[i]));
    EXPECT_EQ(back[i], g711::ulaw_decode(g711::ulaw_encode(in[i])));
  }
}

}  // namespace
}  // namespace rtcgate::media
