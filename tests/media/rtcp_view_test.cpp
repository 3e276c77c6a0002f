#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "rtcgate/media/rtp/rtcp_view.hpp"
#include "rtcgate/media/rtp/wire.hpp"

namespace rtcgate::media {
namespace {

class Builder {
 public:
  Builder& u8(std::uint32_t v) {
    out_.push_back(static_cast<std::byte>(v & 0xff));
    return *this;
  }
  Builder& u16(std::uint32_t v) { return u8(v >> 8).u8(v); }
  Builder& u32(std::uint32_t v) { return u16(v >> 16).u16(v); }
  Builder& header(std::uint32_t count, std::uint32_t type, std::uint32_t words, bool padding = false) {
    return u8(0x80 | (padding ? 0x20 : 0) | count).u8(type).u16(words);
  }
  std::vector<std::byte> take() { return std::move(out_); }

 private:
  std::vector<std::byte> out_;
};

// SR (1 block) + SDES (CNAME) + BYE, as a browser sends at the end of a call.
std::vector<std::byte> sr_sdes_bye() {
  Builder b;
  b.header(1, 200, 12).u32(0x11111111).u32(0xe0000000).u32(0x80000000).u32(48000).u32(10).u32(1600);
  b.u32(0x22222222).u8(5).u8(0xff).u16(0xfffe).u32(70000).u32(42).u32(0x12345678).u32(65536);
  b.header(1, 202, 3).u32(0x11111111).u8(1).u8(4).u8('a').u8('b').u8('c').u8('d').u8(0).u8(0);
  b.header(1, 203, 1).u32(0x11111111);
  return b.take();
}

TEST(RtcpCompound, WalksSrSdesBye) {
  const auto bytes = sr_sdes_bye();
  auto compound = RtcpCompound::parse(bytes);
  ASSERT_TRUE(compound.has_value()) << to_string(compound.error().code) << " @" << compound.error().offset;
  EXPECT_EQ(compound->packet_count(), 3U);
  std::vector<std::uint8_t> types;
  compound->for_each([&](const RtcpPacket& p) {
    types.push_back(p.type());
    EXPECT_EQ(p.sender_ssrc(), 0x11111111U);
    if (p.type() == rtcp_type::kSenderReport) {
      const auto info = p.sender_info();
      EXPECT_EQ(info.ntp_timestamp, 0xe000000080000000ULL);
      EXPECT_EQ(info.rtp_timestamp, 48000U);
      EXPECT_EQ(info.packet_count, 10U);
      EXPECT_EQ(info.octet_count, 1600U);
      ASSERT_EQ(p.count(), 1);
      const auto block = p.report_block(0);
      EXPECT_EQ(block.ssrc, 0x22222222U);
      EXPECT_EQ(block.fraction_lost, 5);
      EXPECT_EQ(block.cumulative_lost, -2) << "24-bit two's complement";
      EXPECT_EQ(block.extended_highest_sequence, 70000U);
      EXPECT_EQ(block.jitter, 42U);
      EXPECT_EQ(block.last_sr, 0x12345678U);
      EXPECT_EQ(block.delay_since_last_sr, 65536U);
    }
  });
  EXPECT_EQ(types, (std::vector<std::uint8_t>{200, 202, 203}));
}

TEST(RtcpCompound, ReducedSizeFeedbackAndRr) {
  Builder b;
  b.header(1, 205, 3).u32(0xaaaa).u32(0xbbbb).u16(100).u16(0x0003);  // generic NACK (RFC 4585 §6.2.1)
  auto nack = b.take();
  auto compound = RtcpCompound::parse(nack);
  ASSERT_TRUE(compound.has_value());
  compound->for_each([](const RtcpPacket& p) {
    EXPECT_EQ(p.feedback_format(), 1);
    EXPECT_EQ(p.media_ssrc(), 0xbbbbU);
    EXPECT_EQ(p.feedback_control_information().size(), 4U);
  });
  Builder rr;
  rr.header(0, 201, 1).u32(7);
  auto empty_rr = rr.take();
  EXPECT_TRUE(RtcpCompound::parse(empty_rr).has_value());
}

TEST(RtcpCompound, PaddingOnlyOnLast) {
  Builder ok;
  ok.header(0, 201, 2, true).u32(7).u8(0).u8(0).u8(0).u8(4);
  auto padded = ok.take();
  EXPECT_TRUE(RtcpCompound::parse(padded).has_value());
  Builder bad;
  bad.header(0, 201, 2, true).u32(7).u8(0).u8(0).u8(0).u8(4).header(0, 201, 1).u32(8);
  auto not_last = bad.take();
  EXPECT_EQ(RtcpCompound::parse(not_last).error().code, RtcpErrorCode::BadPadding);
  Builder zero;
  zero.header(0, 201, 2, true).u32(7).u32(0);
  auto zero_pad = zero.take();
  EXPECT_EQ(RtcpCompound::parse(zero_pad).error().code, RtcpErrorCode::BadPadding);
}

struct Bad {
  std::vector<std::byte> bytes;
  RtcpErrorCode code;
};

TEST(RtcpCompound, RejectsMalformed) {
  std::vector<Bad> cases;
  cases.push_back({Builder().header(0, 201, 0).take(), RtcpErrorCode::TooShort});
  cases.push_back({Builder().u8(0x40).u8(201).u16(1).u32(1).take(), RtcpErrorCode::BadVersion});
  cases.push_back({Builder().header(0, 201, 5).u32(1).take(), RtcpErrorCode::LengthOverflow});
  cases.push_back({Builder().header(0, 190, 1).u32(1).take(), RtcpErrorCode::BadPacketType});
  cases.push_back({Builder().header(1, 201, 1).u32(1).take(), RtcpErrorCode::BadBody});  // RC=1, no block
  cases.push_back({Builder().header(0, 200, 1).u32(1).take(), RtcpErrorCode::BadBody});  // SR w/o info
  cases.push_back({Builder().header(2, 203, 1).u32(1).take(), RtcpErrorCode::BadBody});  // BYE SC=2
  cases.push_back({Builder().header(1, 202, 2).u32(1).u8(1).u8(9).u16(0).take(), RtcpErrorCode::BadBody});
  cases.push_back({Builder().header(1, 206, 1).u32(1).take(), RtcpErrorCode::BadBody});  // PSFB w/o media
  cases.push_back({Builder().header(0, 201, 1).u32(1).u8(0x80).take(), RtcpErrorCode::TooShort});
  for (std::size_t i = 0; i < cases.size(); ++i) {
    auto parsed = RtcpCompound::parse(cases[i].bytes);
    ASSERT_FALSE(parsed.has_value()) << "case " << i;
    EXPECT_EQ(parsed.error().code, cases[i].code) << "case " << i << ": " << to_string(parsed.error().code);
  }
}

TEST(RtcpCompound, CapsPacketCount) {
  Builder b;
  for (std::size_t i = 0; i <= RtcpCompound::kMaxPackets; ++i)
    b.header(0, 201, 1).u32(1);
  auto many = b.take();
  EXPECT_EQ(RtcpCompound::parse(many).error().code, RtcpErrorCode::TooManyPackets);
}

TEST(RtcpRewrite, MapsSenderAndMediaSsrcs) {
  auto bytes = sr_sdes_bye();
  Builder fir;
  fir.header(4, 206, 4).u32(0x11111111).u32(0).u32(0x22222222).u8(7).u8(0).u16(0);  // FIR, RFC 5104
  auto tail = fir.take();
  bytes.insert(bytes.end(), tail.begin(), tail.end());
  auto changed = rewrite_rtcp_ssrcs(bytes, {0x11111111, 0xaaaaaaaa}, {0x22222222, 0xbbbbbbbb});
  ASSERT_TRUE(changed.has_value());
  // SR sender + block, SDES chunk, BYE, FIR sender + FCI SSRC.
  EXPECT_EQ(*changed, 6U);
  auto compound = RtcpCompound::parse(bytes);
  ASSERT_TRUE(compound.has_value());
  compound->for_each([](const RtcpPacket& p) {
    EXPECT_EQ(p.sender_ssrc(), 0xaaaaaaaaU);
    if (p.type() == rtcp_type::kSenderReport) {
      EXPECT_EQ(p.report_block(0).ssrc, 0xbbbbbbbbU);
    }
    if (p.type() == rtcp_type::kPayloadFeedback) {
      EXPECT_EQ(wire::be32(p.feedback_control_information(), 0), 0xbbbbbbbbU);
      EXPECT_EQ(p.media_ssrc(), 0U);
    }
  });
}

TEST(RtcpRewrite, MalformedIsLeftUntouched) {
  auto bytes = Builder().header(0, 201, 5).u32(0x11111111).take();
  const auto before = bytes;
  EXPECT_FALSE(rewrite_rtcp_ssrcs(bytes, {0x11111111, 1}, {}).has_value());
  EXPECT_EQ(bytes, before);
}

}  // namespace
}  // namespace rtcgate::media
