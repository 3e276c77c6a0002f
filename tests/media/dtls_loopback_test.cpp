// Two DtlsEndpoints wired back to back in memory (no sockets): handshakes in both role combinations
// and with every SRTP profile, crosswise key agreement proven by SRTP traffic, fingerprint checks,
// retransmission driven by a fake clock, close_notify and garbage input.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "rtcgate/media/dtls/certificate.hpp"
#include "rtcgate/media/dtls/dtls_context.hpp"
#include "rtcgate/media/dtls/dtls_endpoint.hpp"
#include "rtcgate/media/packet/packet_buffer.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"

namespace rtcgate::media {
namespace {

using Clock = DtlsEndpoint::Clock;
using namespace std::chrono_literals;

struct Side final : DtlsObserver {
  std::deque<std::vector<std::byte>> outbox;
  std::optional<SrtpKeys> keys;
  std::optional<DtlsError> failure;
  bool closed = false;
  std::size_t sent = 0;
  std::size_t largest = 0;

  void on_dtls_send(std::span<const std::byte> datagram) override {
    outbox.emplace_back(datagram.begin(), datagram.end());
    ++sent;
    largest = std::max(largest, datagram.size());
  }
  void on_dtls_connected(const SrtpKeys& k) override {
    EXPECT_FALSE(keys.has_value()) << "connected reported twice";
    keys = k;
  }
  void on_dtls_failed(DtlsError error) override { failure = error; }
  void on_dtls_closed() override { closed = true; }
};

const Certificate& certificate_a() {
  static const Certificate c = *Certificate::generate("a");
  return c;
}
const Certificate& certificate_b() {
  static const Certificate c = *Certificate::generate("b");
  return c;
}

struct Pair {
  Side side_a, side_b;
  std::unique_ptr<DtlsContext> context_a, context_b;
  std::unique_ptr<DtlsEndpoint> a, b;
  Clock::time_point now = Clock::time_point{} + 1000s;

  Pair(DtlsRole role_a, std::vector<SrtpProfile> profiles_a, std::vector<SrtpProfile> profiles_b,
       const DtlsOptions& options = {}) {
    context_a = std::move(*DtlsContext::create(certificate_a(), {std::move(profiles_a)}));
    context_b = std::move(*DtlsContext::create(certificate_b(), {std::move(profiles_b)}));
    const DtlsRole role_b = role_a == DtlsRole::Client ? DtlsRole::Server : DtlsRole::Client;
    a = std::move(*DtlsEndpoint::create(*context_a, role_a, side_a, options));
    b = std::move(*DtlsEndpoint::create(*context_b, role_b, side_b, options));
  }
  Pair(DtlsRole role_a = DtlsRole::Client)
      : Pair(role_a, {kSrtpProfilesByPreference.begin(), kSrtpProfilesByPreference.end()},
             {kSrtpProfilesByPreference.begin(), kSrtpProfilesByPreference.end()}) {}

  void exchange_fingerprints() {
    a->set_remote_fingerprint(certificate_b().fingerprint());
    b->set_remote_fingerprint(certificate_a().fingerprint());
  }
  void start() {
    a->start(now);
    b->start(now);
  }
  // Delivers queued datagrams both ways until quiet.
  void pump(int limit = 50) {
    for (int i = 0; i < limit && (!side_a.outbox.empty() || !side_b.outbox.empty()); ++i) {
      while (!side_a.outbox.empty()) {
        auto d = std::move(side_a.outbox.front());
        side_a.outbox.pop_front();
        b->feed(d, now);
      }
      while (!side_b.outbox.empty()) {
        auto d = std::move(side_b.outbox.front());
        side_b.outbox.pop_front();
        a->feed(d, now);
      }
    }
  }
};

void expect_srtp_both_ways(const SrtpKeys& a, const SrtpKeys& b) {
  for (int direction = 0; direction < 2; ++direction) {
    const SrtpKeys& sender = direction == 0 ? a : b;
    const SrtpKeys& receiver = direction == 0 ? b : a;
    auto out = SrtpOutbound::create(sender.local);
    auto in = SrtpInbound::create(receiver.remote);
    ASSERT_TRUE(out && in);
    PacketBuffer packet;
    std::vector<std::byte> rtp(172, std::byte{0x33});
    rtp[0] = std::byte{0x80};
    rtp[1] = std::byte{111};
    ASSERT_TRUE(packet.assign(rtp));
    ASSERT_EQ(out->protect_rtp(packet), SrtpStatus::Ok);
    EXPECT_EQ(in->unprotect_rtp(packet), SrtpStatus::Ok) << "direction " << direction;
    // The sender's own inbound key must not open it (keys differ per direction).
    auto wrong = SrtpInbound::create(sender.remote);
    ASSERT_TRUE(wrong.has_value());
    rtp[3] = std::byte{1};  // next sequence number (the sender keeps a replay database)
    ASSERT_TRUE(packet.assign(rtp));
    ASSERT_EQ(out->protect_rtp(packet), SrtpStatus::Ok);
    EXPECT_EQ(wrong->unprotect_rtp(packet), SrtpStatus::AuthFail);
  }
}

struct Case {
  DtlsRole role_a;
  SrtpProfile profile;
};

class DtlsHandshake : public ::testing::TestWithParam<Case> {};

TEST_P(DtlsHandshake, ConnectsWithCrosswiseKeysAndSrtpWorks) {
  const Case c = GetParam();
  Pair pair(c.role_a, {c.profile}, {c.profile});
  pair.exchange_fingerprints();
  pair.start();
  pair.pump();
  ASSERT_FALSE(pair.side_a.failure.has_value()) << describe(*pair.side_a.failure);
  ASSERT_FALSE(pair.side_b.failure.has_value()) << describe(*pair.side_b.failure);
  ASSERT_TRUE(pair.side_a.keys && pair.side_b.keys);
  EXPECT_EQ(pair.a->state(), DtlsState::Connected);
  EXPECT_EQ(pair.b->state(), DtlsState::Connected);
  EXPECT_EQ(pair.a->srtp_profile(), c.profile);
  EXPECT_EQ(pair.side_a.keys->profile(), c.profile);
  EXPECT_EQ(pair.side_a.keys->local.salt().size(), srtp_salt_length(c.profile));
  EXPECT_TRUE(pair.side_a.keys->local == pair.side_b.keys->remote);
  EXPECT_TRUE(pair.side_a.keys->remote == pair.side_b.keys->local);
  EXPECT_FALSE(pair.side_a.keys->local == pair.side_a.keys->remote);
  EXPECT_FALSE(pair.a->next_timeout().has_value());
  EXPECT_LE(pair.side_a.largest, 1200U + 16U) << "MTU 1200 (OpenSSL may overshoot by a few bytes)";
  expect_srtp_both_ways(*pair.side_a.keys, *pair.side_b.keys);
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const DtlsRole role : {DtlsRole::Client, DtlsRole::Server}) {
    for (const SrtpProfile profile : kSrtpProfilesByPreference)
      cases.push_back({role, profile});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(RolesAndProfiles, DtlsHandshake, ::testing::ValuesIn(all_cases()),
                         [](const auto& param_info) {
                           return std::string(param_info.param.role_a == DtlsRole::Client ? "AClient_"
                                                                                          : "AServer_") +
                                  std::string(to_string(param_info.param.profile));
                         });

TEST(DtlsEndpoint, ServerPreferenceSelectsGcm) {
  // a = client offering CM first; b = server preferring GCM: RFC 5764 §4.1.1 lets the server choose.
  Pair pair(DtlsRole::Client, {SrtpProfile::AesCm128HmacSha1_80, SrtpProfile::AeadAes128Gcm},
            {SrtpProfile::AeadAes128Gcm, SrtpProfile::AesCm128HmacSha1_80});
  pair.exchange_fingerprints();
  pair.start();
  pair.pump();
  ASSERT_TRUE(pair.side_a.keys && pair.side_b.keys);
  EXPECT_EQ(pair.a->srtp_profile(), SrtpProfile::AeadAes128Gcm);
}

TEST(DtlsEndpoint, NoCommonSrtpProfileFails) {
  Pair pair(DtlsRole::Client, {SrtpProfile::AesCm128HmacSha1_32}, {SrtpProfile::AeadAes256Gcm});
  pair.exchange_fingerprints();
  pair.start();
  pair.pump();
  EXPECT_FALSE(pair.side_a.keys.has_value());
  EXPECT_FALSE(pair.side_b.keys.has_value());
  ASSERT_TRUE(pair.side_b.failure.has_value());
  EXPECT_EQ(pair.side_b.failure->code, DtlsErrorCode::NoSrtpProfile);
}

TEST(DtlsEndpoint, FingerprintMismatchFailsDuringHandshake) {
  for (const DtlsRole role : {DtlsRole::Client, DtlsRole::Server}) {
    Pair pair(role);
    pair.a->set_remote_fingerprint(certificate_a().fingerprint());  // wrong: b presents certificate_b
    pair.b->set_remote_fingerprint(certificate_a().fingerprint());
    pair.start();
    pair.pump();
    ASSERT_TRUE(pair.side_a.failure.has_value());
    EXPECT_EQ(pair.side_a.failure->code, DtlsErrorCode::FingerprintMismatch)
        << describe(*pair.side_a.failure);
    EXPECT_EQ(pair.a->state(), DtlsState::Failed);
    EXPECT_FALSE(pair.side_a.keys.has_value());
    EXPECT_FALSE(pair.side_b.keys.has_value()) << "the peer never gets keys either";
  }
}

TEST(DtlsEndpoint, FingerprintArrivingAfterHandshakeGatesKeys) {
  Pair pair(DtlsRole::Server);
  pair.start();
  pair.pump();
  EXPECT_FALSE(pair.side_a.keys.has_value()) << "no keys before the SDP fingerprint is known";
  EXPECT_FALSE(pair.side_b.keys.has_value());
  EXPECT_EQ(pair.a->state(), DtlsState::Connecting);
  pair.a->set_remote_fingerprint(certificate_b().fingerprint());
  ASSERT_TRUE(pair.side_a.keys.has_value());
  auto sha1 = certificate_b().fingerprint(HashFunction::Sha1);
  ASSERT_TRUE(sha1.has_value());
  pair.b->set_remote_fingerprint(*sha1);  // wrong certificate's hash: must fail
  EXPECT_FALSE(pair.side_b.keys.has_value());
  ASSERT_TRUE(pair.side_b.failure.has_value());
  EXPECT_EQ(pair.side_b.failure->code, DtlsErrorCode::FingerprintMismatch);
}

TEST(DtlsEndpoint, AnyAdvertisedHashFunctionIsVerified) {
  for (const HashFunction hash : {HashFunction::Sha1, HashFunction::Sha224, HashFunction::Sha256,
                                  HashFunction::Sha384, HashFunction::Sha512}) {
    Pair pair(DtlsRole::Client);
    pair.a->set_remote_fingerprint(*certificate_b().fingerprint(hash));
    pair.b->set_remote_fingerprint(*certificate_a().fingerprint(hash));
    pair.start();
    pair.pump();
    EXPECT_TRUE(pair.side_a.keys && pair.side_b.keys) << to_string(hash);
  }
}

// OpenSSL 3.0 runs its retransmission timer on the wall clock and offers no clock hook; it counts
// a timer as expired once less than 15 ms remain. The fake clock decides when handle_timeout() acts;
// this lets the whole interval pass in real time so OpenSSL agrees however slowly the machine runs.
// `armed` must be read after the call that armed OpenSSL's timer returned (an upper bound on when
// OpenSSL started it): reading it before made the test flaky on a loaded machine, where making a
// flight (key generation, signing) takes longer than the 5 ms margin OpenSSL's rule leaves.
void let_openssl_timer_expire(std::chrono::steady_clock::time_point armed,
                              std::chrono::milliseconds interval) {
  std::this_thread::sleep_until(armed + interval + 1ms);
}

TEST(DtlsEndpoint, RetransmitsAfterDroppedFlightOnFakeClock) {
  const DtlsOptions options{.initial_timeout = 20ms, .max_timeout = 4000ms, .mtu = 1200};
  const std::vector<SrtpProfile> all(kSrtpProfilesByPreference.begin(), kSrtpProfilesByPreference.end());
  Pair pair(DtlsRole::Client, all, all, options);
  pair.exchange_fingerprints();
  pair.start();
  const auto armed = std::chrono::steady_clock::now();
  ASSERT_EQ(pair.side_a.outbox.size(), 1U) << "ClientHello";
  ASSERT_TRUE(pair.a->next_timeout().has_value());
  EXPECT_LE(*pair.a->next_timeout(), pair.now + 20ms);
  EXPECT_GT(*pair.a->next_timeout(), pair.now + 15ms);
  const auto hello = pair.side_a.outbox.front();
  pair.side_a.outbox.clear();
  pair.b->feed(hello, pair.now);
  const auto server_armed = std::chrono::steady_clock::now();
  ASSERT_FALSE(pair.side_b.outbox.empty()) << "ServerHello flight";
  pair.side_b.outbox.clear();  // the whole server flight is lost

  const std::size_t sent_before = pair.side_a.sent;
  let_openssl_timer_expire(armed, 20ms);
  pair.a->handle_timeout(pair.now + 10ms);  // not yet due on the caller's clock: nothing happens
  EXPECT_EQ(pair.side_a.sent, sent_before);
  pair.now += 20ms;
  pair.a->handle_timeout(pair.now);
  ASSERT_EQ(pair.side_a.sent, sent_before + 1) << "ClientHello retransmitted";
  EXPECT_EQ(pair.side_a.outbox.front().size(), hello.size());
  ASSERT_TRUE(pair.a->next_timeout().has_value());
  EXPECT_GT(*pair.a->next_timeout(), pair.now + 30ms) << "interval doubled to 40 ms";
  // The repeated ClientHello is lost as well, so only the server's own timer can resend its flight.
  // (Delivering it would let OpenSSL act on the server's timer from inside its read path, depending
  // on how much real time has passed, which made this test flaky.)
  pair.side_a.outbox.clear();
  let_openssl_timer_expire(server_armed, 20ms);
  pair.b->handle_timeout(pair.now);
  pair.pump();
  EXPECT_GE(pair.side_b.sent, 2U) << "server flight retransmitted";
  EXPECT_TRUE(pair.side_a.keys && pair.side_b.keys);
}

TEST(DtlsEndpoint, DefaultTimerIs100MsAndBacksOff) {
  Pair pair(DtlsRole::Client);
  pair.a->start(pair.now);
  ASSERT_TRUE(pair.a->next_timeout().has_value());
  const auto wait = *pair.a->next_timeout() - pair.now;
  EXPECT_LE(wait, 100ms);
  EXPECT_GT(wait, 50ms);
  const DtlsOptions options;
  EXPECT_EQ(DtlsEndpoint::next_retransmit_interval(0us, options), 100ms);
  EXPECT_EQ(DtlsEndpoint::next_retransmit_interval(100ms, options), 200ms);
  EXPECT_EQ(DtlsEndpoint::next_retransmit_interval(3000ms, options), 4000ms);
  EXPECT_EQ(DtlsEndpoint::next_retransmit_interval(4000ms, options), 4000ms);
  const DtlsOptions tiny{.initial_timeout = 1ms, .max_timeout = 1ms, .mtu = 1200};
  EXPECT_EQ(DtlsEndpoint::next_retransmit_interval(0us, tiny), DtlsEndpoint::kMinTimeout);
  EXPECT_EQ(DtlsEndpoint::next_retransmit_interval(20ms, tiny), DtlsEndpoint::kMinTimeout);
}

TEST(DtlsEndpoint, GivesUpAfterRepeatedTimeouts) {
  const DtlsOptions options{.initial_timeout = 20ms, .max_timeout = 20ms, .mtu = 1200};
  const std::vector<SrtpProfile> all(kSrtpProfilesByPreference.begin(), kSrtpProfilesByPreference.end());
  Pair pair(DtlsRole::Client, all, all, options);
  pair.a->start(pair.now);
  auto armed = std::chrono::steady_clock::now();
  for (int i = 0; i < 20 && pair.a->state() == DtlsState::Connecting; ++i) {
    let_openssl_timer_expire(armed, 20ms);
    pair.now += 20ms;
    pair.a->handle_timeout(pair.now);
    armed = std::chrono::steady_clock::now();
  }
  ASSERT_TRUE(pair.side_a.failure.has_value());
  EXPECT_EQ(pair.side_a.failure->code, DtlsErrorCode::Timeout) << describe(*pair.side_a.failure);
  EXPECT_FALSE(pair.a->next_timeout().has_value());
  EXPECT_GE(pair.side_a.sent, 12U) << "the ClientHello and its retransmissions";
}

TEST(DtlsEndpoint, CloseNotifyReachesThePeer) {
  Pair pair(DtlsRole::Client);
  pair.exchange_fingerprints();
  pair.start();
  pair.pump();
  ASSERT_TRUE(pair.side_a.keys && pair.side_b.keys);
  pair.a->close();
  EXPECT_EQ(pair.a->state(), DtlsState::Closed);
  pair.pump();
  EXPECT_TRUE(pair.side_b.closed);
  EXPECT_EQ(pair.b->state(), DtlsState::Closed);
  EXPECT_FALSE(pair.side_b.failure.has_value());
}

TEST(DtlsEndpoint, GarbageNeverCrashesAndLeavesAConnectedPairAlone) {
  std::mt19937 rng(7);
  auto garbage = [&](std::size_t size, bool dtls_header) {
    std::vector<std::byte> bytes(size);
    for (auto& b : bytes)
      b = static_cast<std::byte>(rng());
    if (dtls_header && size >= 13) {
      bytes[0] = std::byte{22};  // handshake record, DTLS 1.2, length matching the rest
      bytes[1] = std::byte{0xfe};
      bytes[2] = std::byte{0xfd};
      bytes[11] = static_cast<std::byte>((size - 13) >> 8);
      bytes[12] = static_cast<std::byte>((size - 13) & 0xff);
    }
    return bytes;
  };
  Side lone;
  auto context = DtlsContext::create(certificate_a());
  ASSERT_TRUE(context.has_value());
  auto server = DtlsEndpoint::create(**context, DtlsRole::Server, lone);
  ASSERT_TRUE(server.has_value());
  const auto t = Clock::now();
  for (int i = 0; i < 300; ++i)
    (*server)->feed(garbage(1 + rng() % 1400, i % 2 == 0), t);
  (*server)->feed({}, t);
  EXPECT_FALSE(lone.keys.has_value());

  Pair pair(DtlsRole::Client);
  pair.exchange_fingerprints();
  pair.start();
  pair.pump();
  ASSERT_TRUE(pair.side_a.keys && pair.side_b.keys);
  for (int i = 0; i < 300; ++i) {
    pair.a->feed(garbage(1 + rng() % 1400, i % 2 == 0), pair.now);
    pair.b->feed(garbage(1 + rng() % 1400, i % 2 == 1), pair.now);
  }
  EXPECT_EQ(pair.a->state(), DtlsState::Connected);
  EXPECT_EQ(pair.b->state(), DtlsState::Connected);
  EXPECT_FALSE(pair.side_a.failure.has_value());
}

}  // namespace
}  // namespace rtcgate::media
