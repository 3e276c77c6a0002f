// The relay's packet path, step by step with the real media pieces, in one thread and in memory:
//
//   web -> legacy   SRTP  : pool buffer <- datagram, classify (RFC 7983), SrtpInbound::unprotect_rtp in
//                           place, RtpView::parse, SequenceTracker + JitterEstimator, RouteState::apply
//                           (payload type map, SSRC, sequence/timestamp offsets) -> plain RTP
//   legacy -> web   RTP   : pool buffer <- datagram, RtpView::parse, SequenceTracker, RouteState::apply,
//                           SrtpOutbound::protect_rtp in place into the tail room -> SRTP
//   web -> legacy   SRTCP : classify, unprotect_rtcp in place, rewrite_rtcp_ssrcs, report block read
//   legacy -> web   RTCP  : rewrite_rtcp_ssrcs, protect_rtcp in place -> SRTCP
//   plain RTP relay: the same steps without SRTP (our own pieces alone)
//   srtp_protect / srtp_unprotect alone, per profile (what libsrtp2's crypto backend costs here).
//
// Reported per packet: time (real and CPU), "allocs" = global operator new calls, "mallocs" =
// malloc/calloc/realloc calls including those inside libsrtp2 and its crypto backend (see
// bench/support/alloc_counter.hpp). Both must be 0 on the relay path. libsrtp2 allocates once per new
// SSRC (it clones the wildcard stream template); that happens in the warm-up packet, before counting.
//
// The datagram copy into the pool buffer stands in for recvmmsg/libnice writing into it; no socket is
// involved (sockets are measured by the relay throughput benchmark). The sending party's SRTP packets
// are made ahead, in batches, outside the timed region (libsrtp2's replay check forbids reusing them).
//
// The relay rewrite is the media session's RouteState with a RoutePlan, applied as MediaSession does.
//
// Usage: media_packet_path_bench [--benchmark_filter=REGEX] [--benchmark_min_time=0.5s]
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "rtcgate/media/packet/classify.hpp"
#include "rtcgate/media/packet/packet_pool.hpp"
#include "rtcgate/media/rtp/rtcp_view.hpp"
#include "rtcgate/media/rtp/rtp_view.hpp"
#include "rtcgate/media/rtp/sequence.hpp"
#include "rtcgate/media/rtp/wire.hpp"
#include "rtcgate/media/session/route_plan.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"
#include "support/alloc_counter.hpp"

namespace {

using namespace rtcgate::media;
using rtcgate::bench::alloc_counts;
using rtcgate::bench::AllocCounts;
using Clock = std::chrono::steady_clock;

constexpr std::uint32_t kWebSsrc = 0x11223344;       // the browser's SSRC
constexpr std::uint32_t kToLegacySsrc = 0x0badcafe;  // what the legacy leg sees from us
constexpr std::uint32_t kLegacySsrc = 0x55667788;    // the PBX's SSRC
constexpr std::uint32_t kToWebSsrc = 0x600dbeef;     // what the browser sees from us
constexpr std::uint8_t kWebPt = 111;                 // e.g. what the browser sends
constexpr std::uint8_t kLegacyPt = 0;                // what the PBX expects
constexpr std::size_t kPoolSize = 64;
constexpr std::size_t kBatchBytes = std::size_t{16} << 20;

constexpr std::array<SrtpProfile, 4> kProfiles = {SrtpProfile::AeadAes128Gcm, SrtpProfile::AeadAes256Gcm,
                                                  SrtpProfile::AesCm128HmacSha1_80,
                                                  SrtpProfile::AesCm128HmacSha1_32};

SrtpMasterKey key_for(SrtpProfile profile, std::uint8_t seed) {
  std::array<std::byte, SrtpMasterKey::kMaxLength> material{};
  for (std::size_t i = 0; i < material.size(); ++i)
    material[i] = static_cast<std::byte>(seed + 7 * i);
  return *SrtpMasterKey::from_concatenated(profile, std::span(material).first(srtp_master_length(profile)));
}

// The passthrough plan of one direction, as negotiation fixes it: payload type map (telephone-event
// included), the SSRC the other leg sees, the clock rate for timestamp continuity.
RouteState make_route(std::uint8_t from, std::uint8_t to, std::uint32_t ssrc, std::uint32_t clock_rate) {
  RoutePlan plan;
  plan.payloads = {{from, to}, {126, 101}};
  plan.ssrc = ssrc;
  plan.clock_rate = clock_rate;
  RouteState route;
  route.set_plan(plan);
  return route;
}

// A browser-like RTP packet: RFC 8285 one-byte extensions (audio level, abs-send-time, mid) and a
// payload of `payload` bytes. Returns its size.
std::size_t write_rtp(std::span<std::byte> out, std::uint8_t pt, std::uint16_t seq, std::uint32_t ts,
                      std::uint32_t ssrc, std::size_t payload, bool extensions) {
  wire::put8(out, 0, extensions ? 0x90 : 0x80);
  wire::put8(out, 1, pt);
  wire::put16(out, 2, seq);
  wire::put32(out, 4, ts);
  wire::put32(out, 8, ssrc);
  std::size_t at = 12;
  if (extensions) {
    static constexpr std::array<std::uint8_t, 16> kExtension = {
        0xbe, 0xde, 0x00, 0x03, 0x10, 0x85, 0x22, 0x12, 0x34, 0x56, 0x31, 0x30, 0x00, 0x00, 0x00, 0x00};
    std::memcpy(out.data() + at, kExtension.data(), kExtension.size());
    at += kExtension.size();
  }
  std::memset(out.data() + at, 0x5a, payload);
  return at + payload;
}

// SR with one report block about `media` + SDES CNAME: a browser's regular compound (RFC 3550 §6.1).
std::size_t write_sr_sdes(std::span<std::byte> out, std::uint32_t sender, std::uint32_t media) {
  std::size_t at = 0;
  const auto put32 = [&](std::uint32_t v) {
    wire::put32(out, at, v);
    at += 4;
  };
  put32(0x81c8000c);  // V=2 RC=1 PT=200 length 12
  put32(sender);
  for (std::uint32_t v : {0xe8f0a1b2U, 0x80000000U, 48000U, 500U, 80000U})
    put32(v);
  put32(media);
  for (std::uint32_t v : {0x02000003U, 0x00010020U, 0x00000004U, 0x0000c350U, 0x00010000U})
    put32(v);
  put32(0x81ca0006);  // V=2 SC=1 PT=202 length 6
  put32(sender);
  put32(0x01107263);  // CNAME, 16 bytes: "rcgate-bench-cnm"
  for (std::uint32_t v : {0x67617465U, 0x2d62656eU, 0x63682d63U})
    put32(v);
  put32(0x6e6d0000);  // "nm", END, pad
  return at;
}

// Datagrams the far end made ahead of time, stored at a fixed stride.
class Batch {
 public:
  explicit Batch(std::size_t max_size) : stride_((max_size + kSrtpMaxTrailer + 63) / 64 * 64) {
    count_ = kBatchBytes / stride_;
    storage_.resize(count_ * stride_);
    sizes_.resize(count_);
  }
  [[nodiscard]] std::size_t count() const noexcept { return count_; }
  [[nodiscard]] std::span<std::byte> slot(std::size_t i) noexcept {
    return std::span(storage_).subspan(i * stride_, stride_);
  }
  void set_size(std::size_t i, std::size_t size) noexcept { sizes_[i] = size; }
  [[nodiscard]] std::span<const std::byte> datagram(std::size_t i) const noexcept {
    return std::span(storage_).subspan(i * stride_, sizes_[i]);
  }

 private:
  std::size_t stride_;
  std::size_t count_ = 0;
  std::vector<std::byte> storage_;
  std::vector<std::size_t> sizes_;
};

// Counts allocations of the measured loop only: work done while timing is paused (making the next
// batch) is excluded.
class AllocWindow {
 public:
  AllocWindow() noexcept : start_(alloc_counts()) {}
  void pause() noexcept { paused_at_ = alloc_counts(); }
  void resume() noexcept {
    const AllocCounts d = alloc_counts() - paused_at_;
    excluded_.news += d.news;
    excluded_.mallocs += d.mallocs;
  }
  void report(benchmark::State& state) const {
    const AllocCounts d = alloc_counts() - start_ - excluded_;
    state.counters["allocs"] =
        benchmark::Counter(static_cast<double>(d.news), benchmark::Counter::kAvgIterations);
    state.counters["mallocs"] =
        benchmark::Counter(static_cast<double>(d.mallocs), benchmark::Counter::kAvgIterations);
    state.counters["allocs_total"] = static_cast<double>(d.news);
    state.counters["mallocs_total"] = static_cast<double>(d.mallocs);
    state.SetItemsProcessed(state.iterations());
  }

 private:
  AllocCounts start_;
  AllocCounts paused_at_{};
  AllocCounts excluded_{};
};

SrtpProfile profile_arg(const benchmark::State& state) {
  return kProfiles[static_cast<std::size_t>(state.range(0))];
}

void label(benchmark::State& state) {
  state.SetLabel(std::string(to_string(profile_arg(state))));
}

// Copies a datagram into a fresh pool buffer, as the receive path would have written it.
PacketPtr receive(PacketPool& pool, std::span<const std::byte> datagram, Clock::time_point arrival) noexcept {
  PacketPtr packet = pool.acquire();
  if (!packet) return packet;
  std::memcpy(packet->receive_area().data(), datagram.data(), datagram.size());
  packet->set_size(datagram.size());
  packet->arrival = arrival;
  return packet;
}

bool header_is(std::span<const std::byte> rtp, std::uint8_t pt, std::uint32_t ssrc) {
  auto view = RtpView::parse(rtp);
  return view && view->payload_type() == pt && view->ssrc() == ssrc;
}

// web -> legacy, RTP: SRTP in, plain RTP out.
struct WebToLegacyRtp {
  PacketPool& pool;
  SrtpInbound srtp;
  RouteState route = make_route(kWebPt, kLegacyPt, kToLegacySsrc, 48000);
  SequenceTracker sequence{};
  JitterEstimator jitter{48000};

  bool relay(std::span<const std::byte> datagram, Clock::time_point arrival, bool check) noexcept {
    PacketPtr packet = receive(pool, datagram, arrival);
    if (!packet || classify(packet->data()) != PacketKind::Rtp) return false;
    if (srtp.unprotect_rtp(*packet) != SrtpStatus::Ok) return false;
    const auto view = RtpView::parse(packet->data());
    if (!view) return false;
    sequence.update(view->sequence());
    jitter.update(packet->arrival, view->timestamp());
    if (route.apply(packet->data(), packet->arrival)) return false;
    benchmark::DoNotOptimize(packet->data().data());  // the send
    benchmark::ClobberMemory();
    return !check || header_is(packet->data(), kLegacyPt, kToLegacySsrc);
  }
};

// legacy -> web, RTP: plain RTP in, SRTP out (protected in the pool buffer's tail room).
struct LegacyToWebRtp {
  PacketPool& pool;
  SrtpOutbound srtp;
  RouteState route = make_route(kLegacyPt, kWebPt, kToWebSsrc, 8000);
  SequenceTracker sequence{};
  std::array<std::byte, kPacketDataCapacity> source{};
  std::size_t size = 0;
  std::uint16_t next_seq = 65000;
  std::uint32_t next_ts = 160;

  // Returns the protected packet's bytes through `out` when asked (for the check), else nothing.
  bool relay(Clock::time_point arrival, std::vector<std::byte>* out) noexcept {
    // The PBX's packets differ in sequence number and timestamp only.
    wire::put16(source, 2, next_seq++);
    wire::put32(source, 4, next_ts += 160);
    PacketPtr packet = receive(pool, std::span(source).first(size), arrival);
    if (!packet) return false;
    const auto view = RtpView::parse(packet->data());
    if (!view) return false;
    sequence.update(view->sequence());
    if (route.apply(packet->data(), packet->arrival)) return false;
    if (srtp.protect_rtp(*packet) != SrtpStatus::Ok) return false;
    benchmark::DoNotOptimize(packet->data().data());
    benchmark::ClobberMemory();
    if (out != nullptr) out->assign(packet->data().begin(), packet->data().end());
    return true;
  }
};

void fill_web_rtp(Batch& batch, SrtpOutbound& browser, std::uint16_t& seq, std::uint32_t& ts,
                  std::size_t payload) {
  for (std::size_t i = 0; i < batch.count(); ++i) {
    const std::size_t size = write_rtp(batch.slot(i), kWebPt, seq++, ts += 960, kWebSsrc, payload, true);
    const auto protected_size = browser.protect_rtp(batch.slot(i), size);
    batch.set_size(i, protected_size ? *protected_size : 0);
  }
}

void BM_WebToLegacyRtp(benchmark::State& state) {
  label(state);
  const SrtpProfile profile = profile_arg(state);
  const auto payload = static_cast<std::size_t>(state.range(1));
  auto browser = SrtpOutbound::create(key_for(profile, 1));
  auto inbound = SrtpInbound::create(key_for(profile, 1));
  if (!browser || !inbound) return state.SkipWithError("srtp_create failed");
  PacketPool pool(kPoolSize);
  WebToLegacyRtp path{pool, std::move(*inbound)};
  Batch batch(12 + 16 + payload);
  std::uint16_t seq = 65000;  // wraps within the first batch: the ROC path is exercised
  std::uint32_t ts = 0;
  fill_web_rtp(batch, *browser, seq, ts, payload);
  Clock::time_point arrival = Clock::now();
  // Warm-up: the first packet of an SSRC makes libsrtp2 clone its stream template (allocates once).
  if (!path.relay(batch.datagram(0), arrival, true)) return state.SkipWithError("warm-up packet failed");
  std::size_t next = 1;
  AllocWindow window;
  for (auto _ : state) {
    if (next == batch.count()) {
      state.PauseTiming();
      window.pause();
      fill_web_rtp(batch, *browser, seq, ts, payload);
      next = 0;
      window.resume();
      state.ResumeTiming();
    }
    arrival += std::chrono::milliseconds(20);
    if (!path.relay(batch.datagram(next++), arrival, false)) return state.SkipWithError("packet dropped");
  }
  window.report(state);
}

void BM_LegacyToWebRtp(benchmark::State& state) {
  label(state);
  const SrtpProfile profile = profile_arg(state);
  const auto payload = static_cast<std::size_t>(state.range(1));
  auto outbound = SrtpOutbound::create(key_for(profile, 2));
  auto browser = SrtpInbound::create(key_for(profile, 2));
  if (!outbound || !browser) return state.SkipWithError("srtp_create failed");
  PacketPool pool(kPoolSize);
  LegacyToWebRtp path{pool, std::move(*outbound)};
  path.size = write_rtp(path.source, kLegacyPt, 0, 0, kLegacySsrc, payload, false);
  // Check the first packets end to end: the browser must authenticate them and see our header.
  std::vector<std::byte> sent;
  sent.reserve(kPacketDataCapacity + kSrtpMaxTrailer);
  Clock::time_point arrival = Clock::now();
  for (int i = 0; i < 3; ++i) {
    PacketBuffer check;
    if (!path.relay(arrival, &sent) || !check.assign(sent) ||
        browser->unprotect_rtp(check) != SrtpStatus::Ok || !header_is(check.data(), kWebPt, kToWebSsrc)) {
      return state.SkipWithError("relayed packet did not verify at the far end");
    }
  }
  AllocWindow window;
  for (auto _ : state) {
    arrival += std::chrono::milliseconds(20);
    if (!path.relay(arrival, nullptr)) return state.SkipWithError("packet dropped");
  }
  window.report(state);
}

void fill_web_rtcp(Batch& batch, SrtpOutbound& browser) {
  for (std::size_t i = 0; i < batch.count(); ++i) {
    const std::size_t size = write_sr_sdes(batch.slot(i), kWebSsrc, kToWebSsrc);
    const auto protected_size = browser.protect_rtcp(batch.slot(i), size);
    batch.set_size(i, protected_size ? *protected_size : 0);
  }
}

// web -> legacy, RTCP: SRTCP in, the browser's SSRCs mapped to the ones the PBX knows, plain RTCP out;
// the report block about our stream is read for the call's statistics.
bool web_to_legacy_rtcp(PacketPool& pool, SrtpInbound& srtp, std::span<const std::byte> datagram,
                        std::uint32_t& jitter_out) noexcept {
  PacketPtr packet = receive(pool, datagram, {});
  if (!packet || classify(packet->data()) != PacketKind::Rtcp) return false;
  if (srtp.unprotect_rtcp(*packet) != SrtpStatus::Ok) return false;
  const auto changed =
      rewrite_rtcp_ssrcs(packet->data(), {kWebSsrc, kToLegacySsrc}, {kToWebSsrc, kLegacySsrc});
  if (!changed || *changed != 3) return false;  // SR sender, SDES chunk, report block
  const auto compound = RtcpCompound::parse(packet->data());
  if (!compound) return false;
  compound->for_each([&](const RtcpPacket& p) {
    if (p.type() == rtcp_type::kSenderReport && p.count() > 0) jitter_out = p.report_block(0).jitter;
  });
  benchmark::DoNotOptimize(packet->data().data());
  benchmark::ClobberMemory();
  return true;
}

void BM_WebToLegacyRtcp(benchmark::State& state) {
  label(state);
  const SrtpProfile profile = profile_arg(state);
  auto browser = SrtpOutbound::create(key_for(profile, 3));
  auto inbound = SrtpInbound::create(key_for(profile, 3));
  if (!browser || !inbound) return state.SkipWithError("srtp_create failed");
  PacketPool pool(kPoolSize);
  Batch batch(128);
  fill_web_rtcp(batch, *browser);
  std::uint32_t jitter = 0;
  if (!web_to_legacy_rtcp(pool, *inbound, batch.datagram(0), jitter) || jitter != 4) {
    return state.SkipWithError("warm-up compound failed");
  }
  std::size_t next = 1;
  AllocWindow window;
  for (auto _ : state) {
    if (next == batch.count()) {
      state.PauseTiming();
      window.pause();
      fill_web_rtcp(batch, *browser);
      next = 0;
      window.resume();
      state.ResumeTiming();
    }
    if (!web_to_legacy_rtcp(pool, *inbound, batch.datagram(next++), jitter)) {
      return state.SkipWithError("compound dropped");
    }
  }
  window.report(state);
}

// legacy -> web, RTCP: plain RTCP in, SSRCs mapped to the browser's view, SRTCP out.
void BM_LegacyToWebRtcp(benchmark::State& state) {
  label(state);
  const SrtpProfile profile = profile_arg(state);
  auto outbound = SrtpOutbound::create(key_for(profile, 4));
  auto browser = SrtpInbound::create(key_for(profile, 4));
  if (!outbound || !browser) return state.SkipWithError("srtp_create failed");
  PacketPool pool(kPoolSize);
  std::array<std::byte, 128> source{};
  const std::size_t size = write_sr_sdes(source, kLegacySsrc, kToLegacySsrc);
  const auto relay = [&](PacketBuffer* check) noexcept {
    PacketPtr packet = receive(pool, std::span(source).first(size), {});
    if (!packet) return false;
    const auto changed =
        rewrite_rtcp_ssrcs(packet->data(), {kLegacySsrc, kToWebSsrc}, {kToLegacySsrc, kWebSsrc});
    if (!changed || *changed != 3) return false;
    if (outbound->protect_rtcp(*packet) != SrtpStatus::Ok) return false;
    benchmark::DoNotOptimize(packet->data().data());
    benchmark::ClobberMemory();
    return check == nullptr || check->assign(packet->data());
  };
  PacketBuffer check;
  if (!relay(&check) || browser->unprotect_rtcp(check) != SrtpStatus::Ok ||
      wire::be32(check.data(), 4) != kToWebSsrc) {
    return state.SkipWithError("relayed compound did not verify at the far end");
  }
  AllocWindow window;
  for (auto _ : state) {
    if (!relay(nullptr)) return state.SkipWithError("compound dropped");
  }
  window.report(state);
}

// The same steps without SRTP (a plain RTP leg on both sides): what our own pieces cost and
// allocate, with libsrtp2 and its crypto backend out of the picture.
void BM_PlainRtpRelay(benchmark::State& state) {
  const auto payload = static_cast<std::size_t>(state.range(0));
  PacketPool pool(kPoolSize);
  RouteState route = make_route(kLegacyPt, kWebPt, kToWebSsrc, 8000);
  SequenceTracker sequence;
  JitterEstimator jitter(8000);
  std::array<std::byte, kPacketDataCapacity> source{};
  const std::size_t size = write_rtp(source, kLegacyPt, 0, 0, kLegacySsrc, payload, true);
  std::uint16_t seq = 0;
  std::uint32_t ts = 0;
  Clock::time_point arrival = Clock::now();
  AllocWindow window;
  for (auto _ : state) {
    wire::put16(source, 2, seq++);
    wire::put32(source, 4, ts += 160);
    arrival += std::chrono::milliseconds(20);
    PacketPtr packet = receive(pool, std::span(source).first(size), arrival);
    if (!packet || classify(packet->data()) != PacketKind::Rtp) return state.SkipWithError("not RTP");
    const auto view = RtpView::parse(packet->data());
    if (!view) return state.SkipWithError("malformed");
    sequence.update(view->sequence());
    jitter.update(packet->arrival, view->timestamp());
    if (route.apply(packet->data(), packet->arrival)) return state.SkipWithError("no route");
    benchmark::DoNotOptimize(packet->data().data());
    benchmark::ClobberMemory();
  }
  window.report(state);
}

// libsrtp2 alone on a 172-byte RTP packet (12-byte header, 160-byte payload), as in LIMITS.md §2.
void BM_SrtpProtect(benchmark::State& state) {
  label(state);
  auto outbound = SrtpOutbound::create(key_for(profile_arg(state), 5));
  if (!outbound) return state.SkipWithError("srtp_create failed");
  PacketBuffer packet;
  std::array<std::byte, 172> source{};
  write_rtp(source, kWebPt, 0, 0, kWebSsrc, 160, false);
  std::uint16_t seq = 0;
  // Warm-up: the first packet of an SSRC makes libsrtp2 clone its stream template (allocates once).
  packet.assign(source);
  if (outbound->protect_rtp(packet) != SrtpStatus::Ok) return state.SkipWithError("warm-up failed");
  AllocWindow window;
  for (auto _ : state) {
    wire::put16(source, 2, ++seq);
    packet.assign(source);
    if (outbound->protect_rtp(packet) != SrtpStatus::Ok) return state.SkipWithError("protect failed");
    benchmark::DoNotOptimize(packet.data().data());
  }
  window.report(state);
}

void BM_SrtpUnprotect(benchmark::State& state) {
  label(state);
  const SrtpProfile profile = profile_arg(state);
  auto browser = SrtpOutbound::create(key_for(profile, 6));
  auto inbound = SrtpInbound::create(key_for(profile, 6));
  if (!browser || !inbound) return state.SkipWithError("srtp_create failed");
  Batch batch(172);
  std::uint16_t seq = 0;
  const auto fill = [&] {
    for (std::size_t i = 0; i < batch.count(); ++i) {
      const std::size_t size = write_rtp(batch.slot(i), kWebPt, seq++, 0, kWebSsrc, 160, false);
      const auto protected_size = browser->protect_rtp(batch.slot(i), size);
      batch.set_size(i, protected_size ? *protected_size : 0);
    }
  };
  fill();
  PacketBuffer packet;
  packet.assign(batch.datagram(0));
  if (inbound->unprotect_rtp(packet) != SrtpStatus::Ok) return state.SkipWithError("warm-up failed");
  std::size_t next = 1;
  AllocWindow window;
  for (auto _ : state) {
    if (next == batch.count()) {
      state.PauseTiming();
      window.pause();
      fill();
      next = 0;
      window.resume();
      state.ResumeTiming();
    }
    packet.assign(batch.datagram(next++));
    if (inbound->unprotect_rtp(packet) != SrtpStatus::Ok) return state.SkipWithError("unprotect failed");
    benchmark::DoNotOptimize(packet.data().data());
  }
  window.report(state);
}

void profiles_and_sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"profile", "payload"});
  for (std::int64_t profile = 0; profile < static_cast<std::int64_t>(kProfiles.size()); ++profile)
    for (std::int64_t payload : {160, 1000})
      b->Args({profile, payload});
}

void profiles(benchmark::internal::Benchmark* b) {
  b->ArgNames({"profile"});
  b->DenseRange(0, static_cast<std::int64_t>(kProfiles.size()) - 1);
}

}  // namespace

BENCHMARK(BM_WebToLegacyRtp)->Apply(profiles_and_sizes);
BENCHMARK(BM_LegacyToWebRtp)->Apply(profiles_and_sizes);
BENCHMARK(BM_WebToLegacyRtcp)->Apply(profiles);
BENCHMARK(BM_LegacyToWebRtcp)->Apply(profiles);
BENCHMARK(BM_PlainRtpRelay)->ArgName("payload")->Arg(160)->Arg(1000);
BENCHMARK(BM_SrtpProtect)->Apply(profiles);
BENCHMARK(BM_SrtpUnprotect)->Apply(profiles);

BENCHMARK_MAIN();
