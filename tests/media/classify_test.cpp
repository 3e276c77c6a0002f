#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "rtcgate/media/packet/classify.hpp"

namespace rtcgate::media {
namespace {

std::vector<std::byte> datagram(std::uint8_t first, std::uint8_t second, std::size_t size) {
  std::vector<std::byte> bytes(size, std::byte{0});
  if (size > 0) bytes[0] = std::byte{first};
  if (size > 1) bytes[1] = std::byte{second};
  return bytes;
}

// Every first-byte value against RFC 7983 §7's table, with enough bytes for every kind.
TEST(Classify, FirstByteRangesOfRfc7983) {
  for (int first = 0; first < 256; ++first) {
    const auto kind = classify(datagram(static_cast<std::uint8_t>(first), 0, 64));
    PacketKind expected = PacketKind::Unknown;
    if (first <= 3)
      expected = PacketKind::Stun;
    else if (first >= 20 && first <= 63)
      expected = PacketKind::Dtls;
    else if (first >= 64 && first <= 79)
      expected = PacketKind::TurnChannel;
    else if (first >= 128 && first <= 191)
      expected = PacketKind::Rtp;
    EXPECT_EQ(kind, expected) << "first byte " << first;
  }
}

// RFC 5761 §4: RTCP packet types 192..223, with or without the marker bit position set.
TEST(Classify, RtcpByPacketTypeRfc5761) {
  for (int type = 0; type < 256; ++type) {
    const auto kind = classify(datagram(0x80, static_cast<std::uint8_t>(type), 64));
    const int low7 = type & 0x7f;
    const bool rtcp = low7 >= 64 && low7 <= 95;
    EXPECT_EQ(kind, rtcp ? PacketKind::Rtcp : PacketKind::Rtp) << "second byte " << type;
  }
  EXPECT_EQ(classify(datagram(0x81, 200, 28)), PacketKind::Rtcp);  // SR
  EXPECT_EQ(classify(datagram(0x81, 201, 8)), PacketKind::Rtcp);   // empty RR
  EXPECT_EQ(classify(datagram(0x80, 111, 12)), PacketKind::Rtp);   // Opus
  EXPECT_EQ(classify(datagram(0x80, 0xe4, 12)), PacketKind::Rtp);  // marker + PT 100
}

TEST(Classify, TooShortIsUnknown) {
  EXPECT_EQ(classify({}), PacketKind::Unknown);
  EXPECT_EQ(classify(datagram(0x00, 0x01, 19)), PacketKind::Unknown);
  EXPECT_EQ(classify(datagram(0x00, 0x01, 20)), PacketKind::Stun);
  EXPECT_EQ(classify(datagram(22, 0xfe, 12)), PacketKind::Unknown);
  EXPECT_EQ(classify(datagram(22, 0xfe, 13)), PacketKind::Dtls);
  EXPECT_EQ(classify(datagram(0x40, 0x00, 3)), PacketKind::Unknown);
  EXPECT_EQ(classify(datagram(0x40, 0x00, 4)), PacketKind::TurnChannel);
  EXPECT_EQ(classify(datagram(0x80, 0x00, 11)), PacketKind::Unknown);
  EXPECT_EQ(classify(datagram(0x80, 0x00, 12)), PacketKind::Rtp);
  EXPECT_EQ(classify(datagram(0x80, 200, 7)), PacketKind::Unknown);
  EXPECT_EQ(classify(datagram(0x80, 200, 8)), PacketKind::Rtcp);
  EXPECT_EQ(classify(datagram(0x80, 0, 1)), PacketKind::Unknown);
}

TEST(Classify, NamesAreStable) {
  EXPECT_EQ(to_string(PacketKind::Stun), "stun");
  EXPECT_EQ(to_string(PacketKind::Dtls), "dtls");
  EXPECT_EQ(to_string(PacketKind::Rtp), "rtp");
  EXPECT_EQ(to_string(PacketKind::Rtcp), "rtcp");
  EXPECT_EQ(to_string(PacketKind::TurnChannel), "turn_channel");
  EXPECT_EQ(to_string(PacketKind::Unknown), "unknown");
}

}  // namespace
}  // namespace rtcgate::media
