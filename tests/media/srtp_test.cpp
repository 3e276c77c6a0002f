#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "rtcgate/media/packet/packet_pool.hpp"
#include "rtcgate/media/srtp/sdes.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"

namespace rtcgate::media {
namespace {

SrtpMasterKey key_for(SrtpProfile profile, std::uint8_t seed) {
  std::vector<std::byte> material(srtp_master_length(profile));
  for (std::size_t i = 0; i < material.size(); ++i)
    material[i] = static_cast<std::byte>(seed + i);
  return *SrtpMasterKey::from_concatenated(profile, material);
}

// 12-byte header (PT 111, given seq, SSRC 0x11223344) + 160 payload bytes.
void fill_rtp(PacketBuffer& buffer, std::uint16_t seq) {
  std::vector<std::byte> bytes(172, std::byte{0x42});
  const std::uint8_t header[12] = {0x80,
                                   111,
                                   static_cast<std::uint8_t>(seq >> 8),
                                   static_cast<std::uint8_t>(seq),
                                   0,
                                   0,
                                   0x03,
                                   0xc0,
                                   0x11,
                                   0x22,
                                   0x33,
                                   0x44};
  std::memcpy(bytes.data(), header, sizeof(header));
  ASSERT_TRUE(buffer.assign(bytes));
}

void fill_rtcp(PacketBuffer& buffer) {
  // Receiver report with one report block (RFC 3550 §6.4.2).
  std::vector<std::byte> bytes(32, std::byte{0});
  const std::uint8_t header[8] = {0x81, 201, 0, 7, 0x11, 0x22, 0x33, 0x44};
  std::memcpy(bytes.data(), header, sizeof(header));
  ASSERT_TRUE(buffer.assign(bytes));
}

class SrtpRoundTrip : public ::testing::TestWithParam<SrtpProfile> {};

TEST_P(SrtpRoundTrip, RtpProtectThenUnprotect) {
  const SrtpProfile profile = GetParam();
  auto out = SrtpOutbound::create(key_for(profile, 1));
  auto in = SrtpInbound::create(key_for(profile, 1));
  ASSERT_TRUE(out && in);
  PacketPool pool(2);
  for (std::uint16_t seq = 65530; seq != 10; ++seq) {  // across the 16-bit wrap (ROC 0 -> 1)
    PacketPtr packet = pool.acquire();
    fill_rtp(*packet, seq);
    const std::vector<std::byte> plain(packet->data().begin(), packet->data().end());
    ASSERT_EQ(out->protect_rtp(*packet), SrtpStatus::Ok);
    EXPECT_EQ(packet->size(), plain.size() + srtp_rtp_trailer(profile));
    EXPECT_NE(std::memcmp(packet->data().data() + 12, plain.data() + 12, 160), 0) << "payload encrypted";
    ASSERT_EQ(in->unprotect_rtp(*packet), SrtpStatus::Ok) << "seq " << seq;
    ASSERT_EQ(packet->size(), plain.size());
    EXPECT_EQ(std::memcmp(packet->data().data(), plain.data(), plain.size()), 0);
  }
}

TEST_P(SrtpRoundTrip, RtcpProtectThenUnprotect) {
  const SrtpProfile profile = GetParam();
  auto out = SrtpOutbound::create(key_for(profile, 9));
  auto in = SrtpInbound::create(key_for(profile, 9));
  ASSERT_TRUE(out && in);
  for (int i = 0; i < 5; ++i) {
    PacketBuffer packet;
    fill_rtcp(packet);
    ASSERT_EQ(out->protect_rtcp(packet), SrtpStatus::Ok);
    // SRTCP: E|index word + tag (80-bit for AES-CM, also for the _32 profile; 128-bit for GCM).
    EXPECT_EQ(packet.size(), 32U + 4 + (srtp_rtp_trailer(profile) == 16 ? 16 : 10));
    ASSERT_EQ(in->unprotect_rtcp(packet), SrtpStatus::Ok);
    EXPECT_EQ(packet.size(), 32U);
    EXPECT_EQ(packet.data()[1], std::byte{201});
  }
}

TEST_P(SrtpRoundTrip, TamperedPacketIsRejected) {
  const SrtpProfile profile = GetParam();
  auto out = SrtpOutbound::create(key_for(profile, 3));
  auto in = SrtpInbound::create(key_for(profile, 3));
  ASSERT_TRUE(out && in);
  for (std::size_t flip : {std::size_t{2}, std::size_t{20}, std::size_t{171}}) {
    PacketBuffer packet;
    fill_rtp(packet, static_cast<std::uint16_t>(100 + flip));
    ASSERT_EQ(out->protect_rtp(packet), SrtpStatus::Ok);
    packet.data()[flip] ^= std::byte{0x01};
    EXPECT_EQ(in->unprotect_rtp(packet), SrtpStatus::AuthFail) << "byte " << flip;
  }
  PacketBuffer rtcp;
  fill_rtcp(rtcp);
  ASSERT_EQ(out->protect_rtcp(rtcp), SrtpStatus::Ok);
  rtcp.data()[12] ^= std::byte{0x80};
  EXPECT_EQ(in->unprotect_rtcp(rtcp), SrtpStatus::AuthFail);
}

TEST_P(SrtpRoundTrip, WrongKeyIsRejected) {
  const SrtpProfile profile = GetParam();
  auto out = SrtpOutbound::create(key_for(profile, 3));
  auto in = SrtpInbound::create(key_for(profile, 4));
  ASSERT_TRUE(out && in);
  PacketBuffer packet;
  fill_rtp(packet, 1);
  ASSERT_EQ(out->protect_rtp(packet), SrtpStatus::Ok);
  EXPECT_EQ(in->unprotect_rtp(packet), SrtpStatus::AuthFail);
}

TEST_P(SrtpRoundTrip, ReplayIsRejected) {
  const SrtpProfile profile = GetParam();
  auto out = SrtpOutbound::create(key_for(profile, 5));
  auto in = SrtpInbound::create(key_for(profile, 5), SrtpOptions{.replay_window = 128});
  ASSERT_TRUE(out && in);
  std::vector<std::vector<std::byte>> wire;
  for (std::uint16_t seq = 1000; seq < 1200; ++seq) {
    PacketBuffer packet;
    fill_rtp(packet, seq);
    ASSERT_EQ(out->protect_rtp(packet), SrtpStatus::Ok);
    wire.emplace_back(packet.data().begin(), packet.data().end());
  }
  auto deliver = [&](std::size_t i) {
    PacketBuffer packet;
    EXPECT_TRUE(packet.assign(wire[i]));
    return in->unprotect_rtp(packet);
  };
  EXPECT_EQ(deliver(150), SrtpStatus::Ok);
  EXPECT_EQ(deliver(150), SrtpStatus::ReplayFail) << "exact duplicate";
  EXPECT_EQ(deliver(149), SrtpStatus::Ok) << "late but inside the window";
  EXPECT_EQ(deliver(149), SrtpStatus::ReplayFail);
  EXPECT_EQ(deliver(199), SrtpStatus::Ok);
  EXPECT_EQ(deliver(10), SrtpStatus::ReplayOld) << "left of the 128-packet window";
}

INSTANTIATE_TEST_SUITE_P(AllProfiles, SrtpRoundTrip,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm,
                                           SrtpProfile::AesCm128HmacSha1_80,
                                           SrtpProfile::AesCm128HmacSha1_32),
                         [](const auto& param_info) { return std::string(to_string(param_info.param)); });

TEST(SrtpSession, ProtectNeedsTailroom) {
  auto out = SrtpOutbound::create(key_for(SrtpProfile::AeadAes128Gcm, 1));
  ASSERT_TRUE(out);
  std::vector<std::byte> buffer(172 + kSrtpMaxTrailer - 1, std::byte{0});
  buffer[0] = std::byte{0x80};
  auto result = out->protect_rtp(buffer, 172);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error(), SrtpStatus::NoTailroom);
  buffer.push_back(std::byte{0});
  auto ok = out->protect_rtp(buffer, 172);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 188U);
  // A PacketBuffer with all of its data capacity used still has room for the largest trailer.
  PacketBuffer full;
  ASSERT_TRUE(full.set_size(kPacketDataCapacity));
  full.data()[0] = std::byte{0x80};
  full.data()[3] = std::byte{0x01};  // a new sequence number (the sender keeps a replay database)
  EXPECT_EQ(out->protect_rtp(full), SrtpStatus::Ok);
}

TEST(SrtpSession, ShortPacketsAreBadPackets) {
  auto out = SrtpOutbound::create(key_for(SrtpProfile::AesCm128HmacSha1_80, 1));
  auto in = SrtpInbound::create(key_for(SrtpProfile::AesCm128HmacSha1_80, 1));
  ASSERT_TRUE(out && in);
  PacketBuffer packet;
  std::vector<std::byte> tiny(11, std::byte{0x80});
  ASSERT_TRUE(packet.assign(tiny));
  EXPECT_EQ(out->protect_rtp(packet), SrtpStatus::BadPacket);
  EXPECT_EQ(in->unprotect_rtp(packet), SrtpStatus::BadPacket);
  std::vector<std::byte> seven(7, std::byte{0x80});
  ASSERT_TRUE(packet.assign(seven));
  EXPECT_EQ(in->unprotect_rtcp(packet), SrtpStatus::BadPacket);
}

TEST(SrtpSession, RepeatedSequenceOnSendNeedsOptIn) {
  // LIMITS.md §2: libsrtp2 keeps a replay database on the sending side too.
  const SrtpMasterKey key = key_for(SrtpProfile::AeadAes128Gcm, 7);
  auto strict = SrtpOutbound::create(key);
  auto lenient = SrtpOutbound::create(key, SrtpOptions{.allow_repeat_tx = true});
  ASSERT_TRUE(strict && lenient);
  for (auto* out : {&*strict, &*lenient}) {
    PacketBuffer packet;
    fill_rtp(packet, 9);
    ASSERT_EQ(out->protect_rtp(packet), SrtpStatus::Ok);
  }
  PacketBuffer again;
  fill_rtp(again, 9);
  EXPECT_EQ(strict->protect_rtp(again), SrtpStatus::ReplayFail);
  fill_rtp(again, 9);
  EXPECT_EQ(lenient->protect_rtp(again), SrtpStatus::Ok);
}

TEST(SrtpSession, StatusMapsToDropReasons) {
  EXPECT_EQ(to_drop(SrtpStatus::AuthFail), Drop::SrtpAuth);
  EXPECT_EQ(to_drop(SrtpStatus::ReplayFail), Drop::SrtpReplay);
  EXPECT_EQ(to_drop(SrtpStatus::ReplayOld), Drop::SrtpReplay);
  EXPECT_EQ(to_drop(SrtpStatus::NoTailroom), Drop::TooLarge);
  EXPECT_EQ(to_drop(SrtpStatus::BadPacket), Drop::Malformed);
  EXPECT_EQ(to_drop(SrtpStatus::Failure), Drop::SrtpError);
  EXPECT_EQ(srtp_library_initialise(), SrtpStatus::Ok);
}

// A keyed peer that keeps inventing SSRCs must not grow the inbound session without bound: the
// first kMaxSsrcs sources are admitted, one more is refused (and its libsrtp2 stream removed), and the
// admitted ones keep working.
TEST(SrtpSession, InboundCapsTheNumberOfSsrcs) {
  auto out = SrtpOutbound::create(key_for(SrtpProfile::AeadAes128Gcm, 5));
  auto in = SrtpInbound::create(key_for(SrtpProfile::AeadAes128Gcm, 5));
  ASSERT_TRUE(out && in);
  const auto send = [&](std::uint32_t ssrc, std::uint16_t seq) {
    PacketBuffer packet;
    fill_rtp(packet, seq);
    packet.data()[8] = static_cast<std::byte>(ssrc >> 24);
    packet.data()[9] = static_cast<std::byte>(ssrc >> 16);
    packet.data()[10] = static_cast<std::byte>(ssrc >> 8);
    packet.data()[11] = static_cast<std::byte>(ssrc);
    EXPECT_EQ(out->protect_rtp(packet), SrtpStatus::Ok);
    return in->unprotect_rtp(packet);
  };
  for (std::uint32_t i = 0; i < SrtpInbound::kMaxSsrcs; ++i)
    ASSERT_EQ(send(0x1000 + i, 1), SrtpStatus::Ok) << "ssrc " << i;
  EXPECT_EQ(in->ssrc_count(), SrtpInbound::kMaxSsrcs);
  EXPECT_EQ(send(0x2000, 1), SrtpStatus::TooManySsrcs);
  EXPECT_EQ(send(0x2000, 2), SrtpStatus::TooManySsrcs) << "refused again, not admitted by the retry";
  EXPECT_EQ(to_drop(SrtpStatus::TooManySsrcs), Drop::UnknownSsrc);
  EXPECT_EQ(in->ssrc_count(), SrtpInbound::kMaxSsrcs);
  for (std::uint32_t i = 0; i < SrtpInbound::kMaxSsrcs; ++i)
    EXPECT_EQ(send(0x1000 + i, 2), SrtpStatus::Ok) << "admitted ssrc " << i << " still flows";
  // SRTCP from an unknown sender SSRC is held to the same cap.
  PacketBuffer rtcp;
  fill_rtcp(rtcp);
  rtcp.data()[4] = std::byte{0x7f};
  ASSERT_EQ(out->protect_rtcp(rtcp), SrtpStatus::Ok);
  EXPECT_EQ(in->unprotect_rtcp(rtcp), SrtpStatus::TooManySsrcs);
}

TEST(SrtpKeys, LengthsNamesAndIds) {
  EXPECT_EQ(srtp_master_length(SrtpProfile::AeadAes128Gcm), 28U);
  EXPECT_EQ(srtp_master_length(SrtpProfile::AeadAes256Gcm), 44U);
  EXPECT_EQ(srtp_master_length(SrtpProfile::AesCm128HmacSha1_80), 30U);
  EXPECT_EQ(srtp_master_length(SrtpProfile::AesCm128HmacSha1_32), 30U);
  for (const SrtpProfile profile : kSrtpProfilesByPreference) {
    EXPECT_EQ(srtp_profile_from_name(to_string(profile)), profile);
    EXPECT_EQ(srtp_profile_from_dtls_id(dtls_srtp_profile_id(profile)), profile);
  }
  EXPECT_EQ(dtls_srtp_profile_id(SrtpProfile::AeadAes128Gcm), 0x0007);
  EXPECT_EQ(dtls_srtp_profile_id(SrtpProfile::AesCm128HmacSha1_80), 0x0001);
  EXPECT_FALSE(srtp_profile_from_name("F8_128_HMAC_SHA1_80").has_value());
  std::vector<std::byte> key(16), salt(13);
  EXPECT_EQ(SrtpMasterKey::from(SrtpProfile::AesCm128HmacSha1_80, key, salt).error(),
            SrtpKeyError::BadLength);
  salt.resize(12);
  auto gcm = SrtpMasterKey::from(SrtpProfile::AeadAes128Gcm, key, salt);
  ASSERT_TRUE(gcm.has_value());
  EXPECT_EQ(gcm->key().size(), 16U);
  EXPECT_EQ(gcm->salt().size(), 12U);
}

TEST(SrtpKeys, GeneratedKeysDiffer) {
  auto a = SrtpMasterKey::generate(SrtpProfile::AesCm128HmacSha1_80);
  auto b = SrtpMasterKey::generate(SrtpProfile::AesCm128HmacSha1_80);
  ASSERT_TRUE(a && b);
  EXPECT_FALSE(*a == *b);
  EXPECT_EQ(a->material().size(), 30U);
}

// RFC 4568 §6.1 inline key-params. The key below is the example of RFC 4568 §6.1 / §8.1.
TEST(Sdes, ParsesInlineKeyParams) {
  const std::string_view example = "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32";
  EXPECT_EQ(parse_sdes_inline(SrtpProfile::AesCm128HmacSha1_80, example).error(), SrtpKeyError::Unsupported)
      << "an MKI is refused";
  auto key = parse_sdes_inline(SrtpProfile::AesCm128HmacSha1_80,
                               "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20");
  ASSERT_TRUE(key.has_value());
  EXPECT_EQ(key->material()[0], std::byte{0x3d});  // 'P','S' -> 0x3d ...
  EXPECT_EQ(format_sdes_inline(*key), "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR");
  EXPECT_EQ(parse_sdes_inline(SrtpProfile::AeadAes128Gcm, "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")
                .error(),
            SrtpKeyError::BadLength);
  EXPECT_EQ(
      parse_sdes_inline(SrtpProfile::AesCm128HmacSha1_80, "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR").error(),
      SrtpKeyError::BadEncoding);
  EXPECT_EQ(
      parse_sdes_inline(SrtpProfile::AesCm128HmacSha1_80, "inline:PS1u*CVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")
          .error(),
      SrtpKeyError::BadEncoding);
  EXPECT_EQ(
      parse_sdes_inline(SrtpProfile::AesCm128HmacSha1_80, "inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVB")
          .error(),
      SrtpKeyError::BadEncoding);
}

TEST(Sdes, RoundTripsEveryProfileAndKeysTheSession) {
  for (const SrtpProfile profile : kSrtpProfilesByPreference) {
    auto key = SrtpMasterKey::generate(profile);
    ASSERT_TRUE(key.has_value());
    const std::string text = format_sdes_inline(*key);
    auto parsed = parse_sdes_inline(profile, text);
    ASSERT_TRUE(parsed.has_value()) << text;
    EXPECT_TRUE(*parsed == *key) << text;
    auto out = SrtpOutbound::create(*key);
    auto in = SrtpInbound::create(*parsed);
    ASSERT_TRUE(out && in);
    PacketBuffer packet;
    fill_rtp(packet, 77);
    ASSERT_EQ(out->protect_rtp(packet), SrtpStatus::Ok);
    EXPECT_EQ(in->unprotect_rtp(packet), SrtpStatus::Ok);
  }
}

}  // namespace
}  // namespace rtcgate::media
