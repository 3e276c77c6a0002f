// The relay's packet path makes no C++ heap allocation per packet (DESIGN.md "packet path";
// STYLE.md error-handling rule 1). This binary replaces the global operator new to count calls and
// runs thousands of packets through the same steps as MediaSession, in memory:
//   SRTP -> classify -> unprotect in place -> RtpView -> SequenceTracker/JitterEstimator -> RouteState
//   RTP  -> RtpView -> RouteState -> protect in place into the tail room
//   SRTCP -> unprotect -> rewrite_rtcp_ssrcs, and RTCP -> rewrite -> protect
// expecting zero operator new calls once a stream is warm (libsrtp2 allocates once per new SSRC).
// Allocations inside C libraries (malloc in libsrtp2's crypto: NSS allocates per packet, OpenSSL 3.0's
// HMAC-SHA1 twice per AES-CM packet) are outside what this counts; bench/media_packet_path_bench
// reports those too. Counting is not timing: nothing here is timed.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "rtcgate/media/packet/classify.hpp"
#include "rtcgate/media/packet/packet_pool.hpp"
#include "rtcgate/media/rtp/rtcp_view.hpp"
#include "rtcgate/media/rtp/rtp_view.hpp"
#include "rtcgate/media/rtp/sequence.hpp"
#include "rtcgate/media/rtp/wire.hpp"
#include "rtcgate/media/session/route_plan.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"
#include "support/operator_new_counter.hpp"

namespace rtcgate::media {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kWebSsrc = 0x11223344;
constexpr std::uint32_t kToLegacySsrc = 0x0badcafe;
constexpr std::uint32_t kLegacySsrc = 0x55667788;
constexpr std::uint32_t kToWebSsrc = 0x600dbeef;
constexpr std::size_t kPackets = 3000;  // wraps the 16-bit sequence from 64000: the ROC path runs
constexpr std::size_t kSlot = 384;      // a packet plus kSrtpMaxTrailer

SrtpMasterKey key_for(SrtpProfile profile) {
  std::array<std::byte, SrtpMasterKey::kMaxLength> material{};
  for (std::size_t i = 0; i < material.size(); ++i)
    material[i] = static_cast<std::byte>(0x40 + 3 * i);
  return *SrtpMasterKey::from_concatenated(profile, std::span(material).first(srtp_master_length(profile)));
}

RouteState make_route(std::uint8_t from, std::uint8_t to, std::uint32_t ssrc) {
  RoutePlan plan;
  plan.payloads = {{from, to}, {126, 101}};
  plan.ssrc = ssrc;
  RouteState route;
  route.set_plan(plan);
  return route;
}

// 12-byte header, RFC 8285 one-byte extension block (audio level, mid), 160 payload bytes.
std::size_t write_rtp(std::span<std::byte> out, std::uint8_t pt, std::uint16_t seq, std::uint32_t ssrc) {
  static constexpr std::array<std::uint8_t, 12> kExtension = {0xbe, 0xde, 0x00, 0x02, 0x10, 0x85,
                                                              0x31, 0x30, 0x00, 0x00, 0x00, 0x00};
  wire::put8(out, 0, 0x90);
  wire::put8(out, 1, pt);
  wire::put16(out, 2, seq);
  wire::put32(out, 4, 160U * seq);
  wire::put32(out, 8, ssrc);
  std::memcpy(out.data() + 12, kExtension.data(), kExtension.size());
  std::memset(out.data() + 24, 0x5a, 160);
  return 24 + 160;
}

// SR with one report block about `media`, then SDES with a 4-byte CNAME.
std::size_t write_sr_sdes(std::span<std::byte> out, std::uint32_t sender, std::uint32_t media) {
  const std::array<std::uint32_t, 17> words = {
      0x81c8000c, sender, 1, 2, 3, 4, 5, media, 0, 0, 0, 0, 0, 0x81ca0003, sender, 0x01046162, 0x63640000};
  for (std::size_t i = 0; i < words.size(); ++i)
    wire::put32(out, 4 * i, words[i]);
  return 4 * words.size();
}

class PacketPathAllocations : public ::testing::TestWithParam<SrtpProfile> {
 protected:
  SrtpMasterKey key_ = key_for(GetParam());
  PacketPool pool_{16};
  std::vector<std::byte> storage_ = std::vector<std::byte>(kPackets * kSlot);
  std::array<std::size_t, kPackets> sizes_{};

  std::span<std::byte> slot(std::size_t i) { return std::span(storage_).subspan(i * kSlot, kSlot); }
  std::span<const std::byte> datagram(std::size_t i) { return slot(i).first(sizes_[i]); }
  PacketPtr receive(std::span<const std::byte> bytes) {
    PacketPtr packet = pool_.acquire();
    if (packet) packet->assign(bytes);
    return packet;
  }
};

TEST_P(PacketPathAllocations, SrtpToRtpWebToLegacy) {
  auto browser = SrtpOutbound::create(key_);
  auto inbound = SrtpInbound::create(key_);
  ASSERT_TRUE(browser && inbound);
  for (std::size_t i = 0; i < kPackets; ++i) {
    const std::size_t size = write_rtp(slot(i), 111, static_cast<std::uint16_t>(64000 + i), kWebSsrc);
    const auto protected_size = browser->protect_rtp(slot(i), size);
    ASSERT_TRUE(protected_size.has_value());
    sizes_[i] = *protected_size;
  }
  RouteState route = make_route(111, 0, kToLegacySsrc);
  SequenceTracker sequence;
  JitterEstimator jitter(48000);
  Clock::time_point arrival = Clock::now();
  std::size_t relayed = 0;
  std::uint64_t before = 0;
  for (std::size_t i = 0; i < kPackets; ++i) {
    if (i == 1)
      before = rtcgate::test::operator_new_count();  // packet 0 warmed libsrtp2's stream for this SSRC
    arrival += std::chrono::milliseconds(20);
    PacketPtr packet = receive(datagram(i));
    if (!packet || classify(packet->data()) != PacketKind::Rtp) continue;
    if (inbound->unprotect_rtp(*packet) != SrtpStatus::Ok) continue;
    const auto view = RtpView::parse(packet->data());
    if (!view) continue;
    sequence.update(view->sequence());
    jitter.update(arrival, view->timestamp());
    if (route.apply(packet->data(), arrival)) continue;
    if (wire::be32(packet->data(), 8) == kToLegacySsrc && wire::u8(packet->data(), 1) == 0) ++relayed;
  }
  EXPECT_EQ(rtcgate::test::operator_new_count() - before, 0U)
      << "operator new calls on the web->legacy RTP path";
  EXPECT_EQ(relayed, kPackets);
}

TEST_P(PacketPathAllocations, RtpToSrtpLegacyToWeb) {
  auto outbound = SrtpOutbound::create(key_);
  auto browser = SrtpInbound::create(key_);
  ASSERT_TRUE(outbound && browser);
  RouteState route = make_route(0, 111, kToWebSsrc);
  SequenceTracker sequence;
  std::array<std::byte, kSlot> source{};
  std::size_t relayed = 0;
  std::uint64_t before = 0;
  for (std::size_t i = 0; i < kPackets; ++i) {
    if (i == 1) before = rtcgate::test::operator_new_count();
    const std::size_t size = write_rtp(source, 0, static_cast<std::uint16_t>(64000 + i), kLegacySsrc);
    PacketPtr packet = receive(std::span(source).first(size));
    if (!packet) continue;
    const auto view = RtpView::parse(packet->data());
    if (!view) continue;
    sequence.update(view->sequence());
    if (route.apply(packet->data(), Clock::now())) continue;
    if (outbound->protect_rtp(*packet) != SrtpStatus::Ok) continue;
    std::memcpy(slot(i).data(), packet->data().data(), packet->size());  // what the browser gets
    sizes_[i] = packet->size();
    ++relayed;
  }
  EXPECT_EQ(rtcgate::test::operator_new_count() - before, 0U)
      << "operator new calls on the legacy->web RTP path";
  ASSERT_EQ(relayed, kPackets);
  // The browser authenticates every packet and sees our payload type and SSRC.
  for (std::size_t i = 0; i < kPackets; ++i) {
    PacketBuffer packet;
    packet.assign(datagram(i));
    ASSERT_EQ(browser->unprotect_rtp(packet), SrtpStatus::Ok) << i;
    ASSERT_EQ(wire::be32(packet.data(), 8), kToWebSsrc);
    ASSERT_EQ(wire::u8(packet.data(), 1) & 0x7f, 111);
  }
}

TEST_P(PacketPathAllocations, SrtcpAndRtcpBothWays) {
  auto browser = SrtpOutbound::create(key_);
  auto inbound = SrtpInbound::create(key_);
  auto outbound = SrtpOutbound::create(key_);
  ASSERT_TRUE(browser && inbound && outbound);
  for (std::size_t i = 0; i < kPackets; ++i) {
    const std::size_t size = write_sr_sdes(slot(i), kWebSsrc, kToWebSsrc);
    const auto protected_size = browser->protect_rtcp(slot(i), size);
    ASSERT_TRUE(protected_size.has_value());
    sizes_[i] = *protected_size;
  }
  std::array<std::byte, kSlot> legacy{};
  const std::size_t legacy_size = write_sr_sdes(legacy, kLegacySsrc, kToLegacySsrc);
  std::size_t relayed = 0;
  std::uint64_t before = 0;
  for (std::size_t i = 0; i < kPackets; ++i) {
    if (i == 1) before = rtcgate::test::operator_new_count();
    PacketPtr in = receive(datagram(i));  // web -> legacy
    if (!in || classify(in->data()) != PacketKind::Rtcp) continue;
    if (inbound->unprotect_rtcp(*in) != SrtpStatus::Ok) continue;
    const auto changed = rewrite_rtcp_ssrcs(in->data(), {kWebSsrc, kToLegacySsrc}, {kToWebSsrc, kLegacySsrc});
    if (!changed || *changed != 3) continue;
    PacketPtr out = receive(std::span(legacy).first(legacy_size));  // legacy -> web
    if (!out) continue;
    const auto back = rewrite_rtcp_ssrcs(out->data(), {kLegacySsrc, kToWebSsrc}, {kToLegacySsrc, kWebSsrc});
    if (!back || *back != 3) continue;
    if (outbound->protect_rtcp(*out) != SrtpStatus::Ok) continue;
    ++relayed;
  }
  EXPECT_EQ(rtcgate::test::operator_new_count() - before, 0U) << "operator new calls on the RTCP paths";
  EXPECT_EQ(relayed, kPackets);
}

INSTANTIATE_TEST_SUITE_P(Profiles, PacketPathAllocations,
                         ::testing::Values(SrtpProfile::AeadAes128Gcm, SrtpProfile::AesCm128HmacSha1_80),
                         [](const auto& p) { return std::string(to_string(p.param)); });

}  // namespace
}  // namespace rtcgate::media
