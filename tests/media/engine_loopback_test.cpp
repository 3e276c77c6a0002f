// Two media sessions of one MediaEngine wired back to back on 127.0.0.1: session 1's web leg is the
// DTLS client and ICE controlling agent, session 2's the server and controlled agent, so a plain RTP
// packet sent to session 1's legacy port crosses ICE + DTLS-SRTP and comes out of session 2's legacy
// port (and back). Checks the relay plan end to end (payload type map incl. telephone-event, SSRC
// rewrite, sequence numbers), RTCP -> SRTCP -> RTCP with SSRC translation, a separate RTCP port on
// one leg and rtcp-mux on the other, drops counted by reason, stats, ICE restart, an SDES-keyed
// (SRTP) legacy leg, a fingerprint mismatch, and teardown through the thread-safe command API.
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "rtcgate/media/packet/classify.hpp"
#include "rtcgate/media/rtp/rtp_view.hpp"
#include "rtcgate/media/rtp/rtp_writer.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"
#include "rtcgate/media/worker/media_engine.hpp"
#include "session_test_support.hpp"

namespace rtcgate::media {
namespace {

using namespace std::chrono_literals;
using test::Events;
using test::UdpSocket;

constexpr std::uint32_t kSsrcToWeb = 0xa0a0a0a0;  // what session 1 sends on its web leg
constexpr std::uint32_t kSsrcFromB = 0xb0b0b0b0;  // what session 2 sends on its web leg
constexpr std::uint8_t kWebDtmf = 110;            // telephone-event on the web legs

std::vector<std::byte> rtp(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, std::uint32_t ssrc) {
  std::vector<std::byte> bytes(12 + 160, std::byte{0xff});
  bytes[0] = std::byte{0x80};
  auto w = RtpWriter::wrap(bytes);
  w->set_payload_type(pt);
  w->set_sequence(seq);
  w->set_timestamp(ts);
  w->set_ssrc(ssrc);
  return bytes;
}

void put32(std::vector<std::byte>& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[at + i] = static_cast<std::byte>(v >> (24 - 8 * i));
}
std::uint32_t get32(const std::vector<std::byte>& b, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v = (v << 8) | static_cast<std::uint8_t>(b[at + i]);
  return v;
}

// RFC 3550 §6.4.2 receiver report with one block about `media`.
std::vector<std::byte> receiver_report(std::uint32_t sender, std::uint32_t media, std::uint32_t jitter) {
  std::vector<std::byte> b(32);
  b[0] = std::byte{0x81};
  b[1] = std::byte{201};
  b[3] = std::byte{7};
  put32(b, 4, sender);
  put32(b, 8, media);
  put32(b, 16, 100);
  put32(b, 20, jitter);
  return b;
}

class EngineLoopbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(srtp_library_initialise(), SrtpStatus::Ok);
    auto certificate = Certificate::generate();
    ASSERT_TRUE(certificate.has_value());
    MediaEngineConfig config;
    config.workers = 1;
    config.port_min = 47100;
    config.port_max = 47199;
    auto engine =
        MediaEngine::create(config, *certificate, [this](SessionEvent e) { events.push(std::move(e)); });
    ASSERT_TRUE(engine.has_value()) << engine.error();
    engine_ = std::move(*engine);
  }

  static MediaSessionConfig config(IceRole role, DtlsRole dtls, bool mux) {
    MediaSessionConfig c;
    c.ice.role = role;
    c.ice.bind_addresses = {"127.0.0.1"};
    c.dtls_role = dtls;
    c.legacy.rtcp_mux = mux;
    return c;
  }

  // Creates sessions 1 and 2 and exchanges ICE parameters between them (full candidate lists).
  void connect(MediaSessionConfig c1, MediaSessionConfig c2, const Fingerprint& fingerprint_for_2) {
    engine_->create_session(1, "call-a", std::move(c1));
    engine_->create_session(2, "call-b", std::move(c2));
    created1_ = events.wait<SessionCreated>(5s, 1);
    created2_ = events.wait<SessionCreated>(5s, 2);
    ASSERT_TRUE(created1_ && created2_);
    ASSERT_TRUE(events.wait<GatheringDone>(5s, 1));
    ASSERT_TRUE(events.wait<GatheringDone>(5s, 2));
    engine_->set_remote_fingerprint(1, engine_->fingerprint());
    engine_->set_remote_fingerprint(2, fingerprint_for_2);
    engine_->set_remote_ice(1, created2_->local_credentials, events.candidates(2), true);
    engine_->set_remote_ice(2, created1_->local_credentials, events.candidates(1), true);
  }

  SessionStats stats(SessionId id) {
    engine_->request_stats(id);
    auto snapshot = events.wait<StatsSnapshot>(2s, id);
    EXPECT_TRUE(snapshot.has_value());
    return snapshot ? snapshot->stats : SessionStats{};
  }

  Events events;
  std::unique_ptr<MediaEngine> engine_;
  std::optional<SessionCreated> created1_;
  std::optional<SessionCreated> created2_;
};

TEST_F(EngineLoopbackTest, RelaysRtpAndRtcpThroughTwoSessionsBothWays) {
  UdpSocket pbx_a;       // legacy far end of session 1: RTP here ...
  UdpSocket pbx_a_rtcp;  // ... and RTCP on its own port
  UdpSocket pbx_b;       // legacy far end of session 2, rtcp-mux
  auto c1 = config(IceRole::Controlling, DtlsRole::Client, false);
  c1.legacy_remote = LegacyRemote{"127.0.0.1", pbx_a.port(), pbx_a_rtcp.port()};
  c1.legacy_to_web.payloads = {{0, 0}, {101, kWebDtmf}};
  c1.legacy_to_web.ssrc = kSsrcToWeb;
  c1.web_to_legacy.payloads = {{0, 0}, {kWebDtmf, 101}};
  auto c2 = config(IceRole::Controlled, DtlsRole::Server, true);
  c2.legacy_remote = LegacyRemote{"127.0.0.1", pbx_b.port(), 0};
  c2.web_to_legacy.payloads = {{0, 0}, {kWebDtmf, 96}};
  c2.legacy_to_web.payloads = {{0, 0}, {96, kWebDtmf}};
  c2.legacy_to_web.ssrc = kSsrcFromB;
  connect(std::move(c1), std::move(c2), engine_->fingerprint());
  ASSERT_TRUE(events.wait<DtlsConnected>(10s, 1)) << "session 1 DTLS";
  ASSERT_TRUE(events.wait<DtlsConnected>(10s, 2)) << "session 2 DTLS";
  EXPECT_NE(created1_->legacy_rtp_port, created1_->legacy_rtcp_port);
  EXPECT_EQ(created2_->legacy_rtp_port, created2_->legacy_rtcp_port);

  // PBX A -> session 1 -> ICE/SRTP -> session 2 -> PBX B: PCMU then one telephone-event.
  for (std::uint16_t i = 0; i < 20; ++i)
    ASSERT_TRUE(pbx_a.send_to(created1_->legacy_rtp_port, rtp(0, 100 + i, 160u * i, 0x1234)));
  ASSERT_TRUE(pbx_a.send_to(created1_->legacy_rtp_port, rtp(101, 120, 3200, 0x1234)));
  for (std::uint16_t i = 0; i < 21; ++i) {
    const auto got = pbx_b.receive(3s);
    ASSERT_TRUE(got.has_value()) << "packet " << i << " did not arrive";
    const auto view = RtpView::parse(*got);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->ssrc(), kSsrcToWeb);
    EXPECT_EQ(view->sequence(), 100 + i);
    EXPECT_EQ(view->payload_type(), i == 20 ? 96 : 0);
    EXPECT_EQ(view->payload().size(), 160u);
  }

  // PBX B -> session 2 -> session 1 -> PBX A.
  for (std::uint16_t i = 0; i < 10; ++i)
    ASSERT_TRUE(pbx_b.send_to(created2_->legacy_rtp_port, rtp(0, 7000 + i, 80u * i, 0x9999)));
  for (std::uint16_t i = 0; i < 10; ++i) {
    const auto got = pbx_a.receive(3s);
    ASSERT_TRUE(got.has_value()) << "reverse packet " << i;
    const auto view = RtpView::parse(*got);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->ssrc(), kSsrcFromB);
    EXPECT_EQ(view->sequence(), 7000 + i);
  }

  // RTCP from PBX A's RTCP port -> SRTCP -> RTCP at PBX B (rtcp-mux), SSRCs translated.
  ASSERT_TRUE(pbx_a_rtcp.send_to(created1_->legacy_rtcp_port, receiver_report(0x1234, kSsrcFromB, 80)));
  const auto report = pbx_b.receive(3s);
  ASSERT_TRUE(report.has_value()) << "RTCP did not cross";
  EXPECT_EQ(classify(*report), PacketKind::Rtcp);
  EXPECT_EQ(get32(*report, 4), kSsrcToWeb);  // the sender as PBX B knows it
  EXPECT_EQ(get32(*report, 8), 0x9999u);     // PBX B's own stream as it sent it

  // Drops by reason: an unrouted payload type, a stranger on the latched port, an inactive direction.
  ASSERT_TRUE(pbx_a.send_to(created1_->legacy_rtp_port, rtp(8, 121, 3360, 0x1234)));
  UdpSocket stranger;
  ASSERT_TRUE(stranger.send_to(created1_->legacy_rtp_port, rtp(0, 122, 3520, 0x1234)));
  std::this_thread::sleep_for(200ms);  // let the worker read those before the command below
  engine_->set_direction(1, true, false);
  ASSERT_TRUE(pbx_a.send_to(created1_->legacy_rtp_port, rtp(0, 123, 3680, 0x1234)));
  std::this_thread::sleep_for(200ms);

  const SessionStats s1 = stats(1);
  EXPECT_EQ(s1.ice_state, IceState::Ready);
  EXPECT_EQ(s1.dtls_state, DtlsState::Connected);
  EXPECT_EQ(s1.legacy_to_web.packets_out, 21u);
  EXPECT_EQ(s1.web_to_legacy.packets_out, 10u);
  EXPECT_EQ(s1.legacy_to_web.drops[Drop::NoRoute], 1u);
  EXPECT_EQ(s1.legacy_to_web.drops[Drop::Inactive], 1u);
  EXPECT_EQ(s1.legacy_transport.drops[Drop::SourceMismatch], 1u);
  EXPECT_EQ(s1.legacy_to_web.rtcp_in, 1u);
  EXPECT_EQ(s1.legacy_to_web.rtcp_out, 1u);
  EXPECT_NEAR(s1.web_to_legacy.reported_jitter_ms, 10.0, 0.01);  // 80 ticks at 8 kHz from PBX A's RR
  EXPECT_EQ(s1.legacy_to_web.lost, 1);                           // 122 never came from the latched source
  EXPECT_EQ(s1.web_to_legacy.lost, 0);
  // RFC 3550 A.8 from arrival times: 400 ms of audio arriving in a burst of a few ms is far from the
  // pace its timestamps promise (J -> 20 ms for a long burst; ~14 ms after 20 packets).
  EXPECT_GT(s1.legacy_to_web.jitter_ms, 5.0);
  const SessionStats s2 = stats(2);
  EXPECT_EQ(s2.web_to_legacy.packets_out, 21u);
  EXPECT_GT(s2.web_to_legacy.jitter_ms, 5.0);  // the same burst, measured after ICE + SRTP
  EXPECT_EQ(s2.web_to_legacy.lost, 0);
  EXPECT_EQ(s2.web_to_legacy.rtcp_out, 1u);
  EXPECT_EQ(s2.web_to_legacy.drops.total(), 0u);
  EXPECT_EQ(s2.legacy_to_web.packets_out, 10u);
}

// RFC 8445 §9 through the command API: both sides restart, exchange their new credentials, and media
// keeps flowing over the same DTLS association and SRTP contexts.
TEST_F(EngineLoopbackTest, IceRestartKeepsMediaFlowing) {
  UdpSocket pbx_a;
  UdpSocket pbx_b;
  auto c1 = config(IceRole::Controlling, DtlsRole::Client, true);
  c1.legacy_remote = LegacyRemote{"127.0.0.1", pbx_a.port(), 0};
  c1.legacy_to_web.payloads = {{0, 0}};
  auto c2 = config(IceRole::Controlled, DtlsRole::Server, true);
  c2.legacy_remote = LegacyRemote{"127.0.0.1", pbx_b.port(), 0};
  c2.web_to_legacy.payloads = {{0, 0}};
  connect(std::move(c1), std::move(c2), engine_->fingerprint());
  const auto candidates1 = events.candidates(1);
  const auto candidates2 = events.candidates(2);
  ASSERT_TRUE(events.wait<DtlsConnected>(10s, 1));
  ASSERT_TRUE(events.wait<DtlsConnected>(10s, 2));
  std::uint16_t seq = 1;
  ASSERT_TRUE(pbx_a.send_to(created1_->legacy_rtp_port, rtp(0, seq++, 0, 0x42)));
  ASSERT_TRUE(pbx_b.receive(3s).has_value());

  engine_->ice_restart(1);
  engine_->ice_restart(2);
  const auto restarted1 = events.wait<IceRestarted>(5s, 1);
  const auto restarted2 = events.wait<IceRestarted>(5s, 2);
  ASSERT_TRUE(restarted1 && restarted2);
  EXPECT_NE(restarted1->local_credentials, created1_->local_credentials);
  EXPECT_NE(restarted2->local_credentials, created2_->local_credentials);
  engine_->set_remote_ice(1, restarted2->local_credentials, candidates2, true);
  engine_->set_remote_ice(2, restarted1->local_credentials, candidates1, true);
  // Media flows again within a few seconds (packets sent while checks run may be dropped as NotReady).
  bool arrived = false;
  for (int i = 0; i < 100 && !arrived; ++i) {
    ASSERT_TRUE(pbx_a.send_to(created1_->legacy_rtp_port, rtp(0, seq, 160u * seq, 0x42)));
    ++seq;
    arrived = pbx_b.receive(50ms).has_value();
  }
  EXPECT_TRUE(arrived) << "no media after the ICE restart";
}

// RFC 4568 SDES on session 1's legacy leg (RTP/SAVP, rtcp-mux): the PBX sends SRTP and SRTCP keyed
// with its a=crypto key, session 2's PBX gets plain RTP/RTCP; the other way PBX A gets SRTP it can
// unprotect with our key. A plain packet on the SRTP leg is dropped as an authentication failure.
TEST_F(EngineLoopbackTest, SdesKeyedLegacyLegCarriesSrtpBothWays) {
  UdpSocket pbx_a;  // SRTP, rtcp-mux
  UdpSocket pbx_b;  // plain RTP, rtcp-mux
  auto ours = SrtpMasterKey::generate(SrtpProfile::AesCm128HmacSha1_80);
  auto theirs = SrtpMasterKey::generate(SrtpProfile::AesCm128HmacSha1_80);
  ASSERT_TRUE(ours && theirs);
  auto pbx_a_out = SrtpOutbound::create(*theirs);
  auto pbx_a_in = SrtpInbound::create(*ours);
  ASSERT_TRUE(pbx_a_out && pbx_a_in);

  auto c1 = config(IceRole::Controlling, DtlsRole::Client, true);
  c1.legacy_remote = LegacyRemote{"127.0.0.1", pbx_a.port(), 0};
  c1.legacy_srtp = LegacySrtp{*ours, *theirs};
  c1.legacy_to_web.payloads = {{0, 0}};
  c1.web_to_legacy.payloads = {{0, 0}};
  auto c2 = config(IceRole::Controlled, DtlsRole::Server, true);
  c2.legacy_remote = LegacyRemote{"127.0.0.1", pbx_b.port(), 0};
  c2.legacy_to_web.payloads = {{0, 0}};
  c2.web_to_legacy.payloads = {{0, 0}};
  connect(std::move(c1), std::move(c2), engine_->fingerprint());
  ASSERT_TRUE(events.wait<DtlsConnected>(10s, 1));
  ASSERT_TRUE(events.wait<DtlsConnected>(10s, 2));

  const auto protect = [&](std::vector<std::byte> plain, bool rtcp) {
    plain.resize(plain.size() + kSrtpMaxTrailer);
    const std::size_t size = plain.size() - kSrtpMaxTrailer;
    auto n = rtcp ? pbx_a_out->protect_rtcp(plain, size) : pbx_a_out->protect_rtp(plain, size);
    EXPECT_TRUE(n.has_value());
    plain.resize(n.value_or(0));
    return plain;
  };
  // PBX A (SRTP) -> session 1 -> session 2 -> PBX B (plain).
  for (std::uint16_t i = 0; i < 5; ++i) {
    const auto plain = rtp(0, 300 + i, 160u * i, 0x5a5a);
    const auto wire = protect(plain, false);
    ASSERT_NE(wire, plain);
    ASSERT_TRUE(pbx_a.send_to(created1_->legacy_rtp_port, wire));
    const auto got = pbx_b.receive(3s);
    ASSERT_TRUE(got.has_value()) << "SRTP packet " << i << " did not come out as RTP";
    EXPECT_EQ(*got, plain);
  }
  ASSERT_TRUE(pbx_a.send_to(created1_->legacy_rtp_port, rtp(0, 305, 800, 0x5a5a)));  // plain: refused
  ASSERT_TRUE(
      pbx_a.send_to(created1_->legacy_rtp_port, protect(receiver_report(0x5a5a, kSsrcFromB, 8), true)));
  const auto report = pbx_b.receive(3s);
  ASSERT_TRUE(report.has_value()) << "SRTCP did not come out as RTCP";
  EXPECT_EQ(classify(*report), PacketKind::Rtcp);
  EXPECT_EQ(report->size(), 32u);

  // PBX B (plain) -> session 2 -> session 1 -> PBX A (SRTP under our key).
  const auto plain = rtp(0, 900, 0, 0x7777);
  ASSERT_TRUE(pbx_b.send_to(created2_->legacy_rtp_port, plain));
  auto got = pbx_a.receive(3s);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->size(), plain.size() + 10u);  // HMAC-SHA1-80 tag
  auto n = pbx_a_in->unprotect_rtp(*got);
  ASSERT_TRUE(n.has_value()) << "PBX A cannot unprotect what session 1 sent";
  got->resize(*n);
  EXPECT_EQ(*got, plain);

  const SessionStats s1 = stats(1);
  EXPECT_EQ(s1.legacy_to_web.packets_out, 5u);
  EXPECT_EQ(s1.legacy_to_web.rtcp_out, 1u);
  EXPECT_EQ(s1.legacy_to_web.drops[Drop::SrtpAuth], 1u);
  EXPECT_EQ(s1.web_to_legacy.packets_out, 1u);
}

TEST_F(EngineLoopbackTest, FingerprintMismatchFailsDtls) {
  auto other = Certificate::generate();
  ASSERT_TRUE(other.has_value());
  connect(config(IceRole::Controlling, DtlsRole::Client, true),
          config(IceRole::Controlled, DtlsRole::Server, true), other->fingerprint());
  ASSERT_TRUE(events.wait<IceStateChanged>(10s, 2));
  const auto failed = events.wait<DtlsFailed>(10s, 2);
  ASSERT_TRUE(failed.has_value());
  EXPECT_FALSE(failed->reason.empty());
  EXPECT_FALSE(events.wait<DtlsConnected>(100ms, 2).has_value());
}

TEST_F(EngineLoopbackTest, DestroyReleasesSessionsAndPorts) {
  connect(config(IceRole::Controlling, DtlsRole::Client, false),
          config(IceRole::Controlled, DtlsRole::Server, true), engine_->fingerprint());
  EXPECT_EQ(engine_->session_count(), 2u);
  EXPECT_EQ(engine_->ports().in_use(), 3u);  // 2 for session 1 (RTP + RTCP), 1 for session 2 (mux)
  engine_->destroy_session(1);
  engine_->destroy_session(2);
  engine_->destroy_session(3);  // unknown: ignored
  engine_->request_stats(1);    // after destroy: ignored, no event
  EXPECT_EQ(engine_->session_count(), 0u);
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (engine_->ports().in_use() != 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(engine_->ports().in_use(), 0u);
  EXPECT_FALSE(events.wait<StatsSnapshot>(200ms).has_value());
}

}  // namespace
}  // namespace rtcgate::media
