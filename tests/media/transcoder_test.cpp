#include "rtcgate/media/transcode/transcoder.hpp"

#include <gtest/gtest.h>
#include <opus/opus.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "rtcgate/media/codec/g711.hpp"
#include "rtcgate/media/rtp/rtp_view.hpp"

namespace rtcgate::media {
namespace {

constexpr std::uint32_t kSsrc = 0x11223344;

std::vector<std::byte> rtp(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts,
                           std::span<const std::byte> payload, bool marker = false) {
  std::vector<std::byte> out(12 + payload.size());
  out[0] = std::byte{0x80};
  out[1] = static_cast<std::byte>((marker ? 0x80 : 0) | pt);
  out[2] = static_cast<std::byte>(seq >> 8);
  out[3] = static_cast<std::byte>(seq);
  for (int i = 0; i < 4; ++i) {
    out[4 + static_cast<std::size_t>(i)] = static_cast<std::byte>(ts >> (24 - 8 * i));
    out[8 + static_cast<std::size_t>(i)] = static_cast<std::byte>(0xCAFEBABE >> (24 - 8 * i));
  }
  std::copy(payload.begin(), payload.end(), out.begin() + 12);
  return out;
}

std::vector<std::int16_t> tone(double hz, int rate, std::size_t samples, std::size_t offset = 0) {
  std::vector<std::int16_t> out(samples);
  for (std::size_t i = 0; i < samples; ++i)
    out[i] = static_cast<std::int16_t>(
        8000 * std::sin(2 * std::numbers::pi * hz * static_cast<double>(i + offset) / rate));
  return out;
}

// The frequency (10 Hz steps, 100 Hz to just below Nyquist or 4 kHz) with the most energy (Goertzel).
double dominant(std::span<const std::int16_t> pcm, int rate) {
  double best = 0;
  double best_hz = 0;
  for (double hz = 100; hz < std::min(rate / 2, 4000); hz += 10) {
    const double w = 2 * std::numbers::pi * hz / rate;
    const double c = 2 * std::cos(w);
    double s1 = 0, s2 = 0;
    for (std::int16_t x : pcm) {
      const double s0 = x + c * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const double power = s1 * s1 + s2 * s2 - c * s1 * s2;
    if (power > best) {
      best = power;
      best_hz = hz;
    }
  }
  return best_hz;
}

double rms(std::span<const std::int16_t> pcm) {
  double sum = 0;
  for (std::int16_t x : pcm)
    sum += static_cast<double>(x) * x;
  return pcm.empty() ? 0 : std::sqrt(sum / static_cast<double>(pcm.size()));
}

// A browser-like Opus sender: 48 kHz, 20 ms, in-band FEC on.
class OpusSource {
 public:
  explicit OpusSource(double hz) : hz_(hz) {
    int error = 0;
    enc_ = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &error);
    opus_encoder_ctl(enc_, OPUS_SET_BITRATE(32000));
    opus_encoder_ctl(enc_, OPUS_SET_INBAND_FEC(1));
    opus_encoder_ctl(enc_, OPUS_SET_PACKET_LOSS_PERC(20));
  }
  ~OpusSource() { opus_encoder_destroy(enc_); }
  OpusSource(const OpusSource&) = delete;
  OpusSource& operator=(const OpusSource&) = delete;
  std::vector<std::byte> next() {
    const auto pcm = tone(hz_, 48000, 960, 960 * frame_++);
    std::vector<std::byte> out(1500);
    const int n = opus_encode(enc_, pcm.data(), 960, reinterpret_cast<unsigned char*>(out.data()), 1500);
    out.resize(static_cast<std::size_t>(n > 0 ? n : 0));
    return out;
  }

 private:
  double hz_;
  std::size_t frame_ = 0;
  OpusEncoder* enc_ = nullptr;
};

std::vector<std::vector<std::byte>> drain(Transcoder& t) {
  std::vector<std::vector<std::byte>> out;
  std::array<std::byte, 1500> buffer{};
  while (std::size_t n = t.pull(buffer))
    out.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
  return out;
}

std::vector<std::int16_t> decode_pcmu(const std::vector<std::vector<std::byte>>& packets,
                                      std::size_t from = 0) {
  std::vector<std::int16_t> pcm;
  for (std::size_t i = from; i < packets.size(); ++i) {
    auto view = RtpView::parse(packets[i]);
    EXPECT_TRUE(view);
    for (std::byte b : view->payload())
      pcm.push_back(g711::ulaw_decode(static_cast<std::uint8_t>(b)));
  }
  return pcm;
}

TranscodePlan opus_to_pcmu() {
  TranscodePlan plan;
  plan.from = AudioCodec::Opus;
  plan.from_payload_type = 111;
  plan.to = AudioCodec::Pcmu;
  plan.to_payload_type = 0;
  plan.telephone_event = TelephoneEventMapping{110, 101};
  return plan;
}

TranscodePlan pcmu_to_opus(int complexity) {
  TranscodePlan plan;
  plan.from = AudioCodec::Pcmu;
  plan.from_payload_type = 0;
  plan.to = AudioCodec::Opus;
  plan.to_payload_type = 111;
  plan.opus_complexity = complexity;
  plan.telephone_event = TelephoneEventMapping{101, 110};
  return plan;
}

void expect_stream(const std::vector<std::vector<std::byte>>& packets, std::uint8_t pt,
                   std::uint32_t ts_step) {
  ASSERT_FALSE(packets.empty());
  auto first = RtpView::parse(packets.front());
  ASSERT_TRUE(first);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    auto view = RtpView::parse(packets[i]);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->payload_type(), pt);
    EXPECT_EQ(view->ssrc(), kSsrc);
    EXPECT_EQ(view->sequence(), static_cast<std::uint16_t>(first->sequence() + i)) << i;
    EXPECT_EQ(view->timestamp(), first->timestamp() + static_cast<std::uint32_t>(i) * ts_step) << i;
  }
}

TEST(Transcoder, OpusToPcmuToOpusKeepsTheTone) {
  auto down = Transcoder::create(opus_to_pcmu(), kSsrc, 1);
  auto up = Transcoder::create(pcmu_to_opus(0), kSsrc, 2);
  ASSERT_TRUE(down && up);
  OpusSource source(440);
  std::vector<std::vector<std::byte>> pcmu;
  std::vector<std::vector<std::byte>> opus;
  for (std::uint16_t i = 0; i < 100; ++i) {
    const auto packet = source.next();
    ASSERT_FALSE((*down)->push(rtp(111, static_cast<std::uint16_t>(1000 + i), 5000 + 960u * i, packet)));
    for (auto& p : drain(**down)) {
      EXPECT_EQ(p.size(), 12u + 160u);
      ASSERT_FALSE((*up)->push(p));
      for (auto& o : drain(**up))
        opus.push_back(std::move(o));
      pcmu.push_back(std::move(p));
    }
  }
  EXPECT_EQ(pcmu.size(), 100u);
  expect_stream(pcmu, 0, 160);
  const auto narrow = decode_pcmu(pcmu, 50);
  EXPECT_NEAR(dominant(narrow, 8000), 440, 15);
  EXPECT_GT(rms(narrow), 1000);

  EXPECT_EQ(opus.size(), 100u);
  expect_stream(opus, 111, 960);
  int error = 0;
  OpusDecoder* dec = opus_decoder_create(48000, 1, &error);
  std::vector<std::int16_t> wide;
  for (std::size_t i = 0; i < opus.size(); ++i) {
    auto view = RtpView::parse(opus[i]);
    std::int16_t pcm[960];
    const auto payload = view->payload();
    const int n = opus_decode(dec, reinterpret_cast<const unsigned char*>(payload.data()),
                              static_cast<opus_int32>(payload.size()), pcm, 960, 0);
    ASSERT_EQ(n, 960);
    if (i >= 50) wide.insert(wide.end(), pcm, pcm + n);
  }
  opus_decoder_destroy(dec);
  EXPECT_NEAR(dominant(wide, 48000), 440, 15);
  EXPECT_EQ((*up)->counters().frames_out, 100u);
}

TEST(Transcoder, OpusGapIsConcealedWithPlcAndFec) {
  auto t = Transcoder::create(opus_to_pcmu(), kSsrc, 1);
  ASSERT_TRUE(t);
  OpusSource source(440);
  std::vector<std::vector<std::byte>> out;
  for (std::uint16_t i = 0; i < 100; ++i) {
    const auto packet = source.next();
    if (i == 30 || i == 60 || i == 61) continue;  // lost on the way
    ASSERT_FALSE((*t)->push(rtp(111, i, 960u * i, packet)));
    for (auto& p : drain(**t))
      out.push_back(std::move(p));
  }
  // Every 20 ms of the source comes out, the lost ones recreated, with no timestamp break.
  EXPECT_EQ(out.size(), 100u);
  expect_stream(out, 0, 160);
  EXPECT_EQ((*t)->counters().recovered, 2u);      // the last lost frame of each gap, from FEC
  EXPECT_EQ((*t)->counters().concealed_ms, 60u);  // 20 ms + 40 ms
  // The recreated frames still carry the tone.
  std::vector<std::vector<std::byte>> gap(out.begin() + 60, out.begin() + 62);
  const auto pcm = decode_pcmu(gap);
  EXPECT_GT(rms(pcm), 500);
  EXPECT_NEAR(dominant(pcm, 8000), 440, 30);
}

TEST(Transcoder, LateAndDuplicatePacketsAreDiscarded) {
  auto t = Transcoder::create(opus_to_pcmu(), kSsrc, 1);
  ASSERT_TRUE(t);
  OpusSource source(440);
  const auto a = source.next();
  const auto b = source.next();
  EXPECT_FALSE((*t)->push(rtp(111, 10, 0, a)));
  EXPECT_FALSE((*t)->push(rtp(111, 11, 960, b)));
  EXPECT_FALSE((*t)->push(rtp(111, 11, 960, b)));
  EXPECT_FALSE((*t)->push(rtp(111, 9, 0, a)));
  EXPECT_EQ((*t)->counters().late, 2u);
  EXPECT_EQ(drain(**t).size(), 2u);
  EXPECT_EQ((*t)->push(rtp(96, 12, 1920, a)), Drop::NoRoute);
  const std::byte junk[] = {std::byte{0x80}};
  EXPECT_EQ((*t)->push(junk), Drop::Malformed);
}

TEST(Transcoder, TelephoneEventIsRescaledNotDecoded) {
  auto t = Transcoder::create(opus_to_pcmu(), kSsrc, 1);
  ASSERT_TRUE(t);
  OpusSource source(440);
  ASSERT_FALSE((*t)->push(rtp(111, 1, 48000, source.next())));
  auto audio = drain(**t);
  ASSERT_EQ(audio.size(), 1u);
  const std::uint32_t audio_ts = RtpView::parse(audio[0])->timestamp();
  // Event "5" starting right after the audio packet; 3 updates then 3 end packets (RFC 4733 §2.5.1).
  std::uint16_t seq = 2;
  std::vector<std::vector<std::byte>> events;
  for (int duration : {960, 1920, 2880, 3840, 3840, 3840}) {
    const bool end = seq >= 5;
    const std::byte payload[] = {std::byte{5}, std::byte{static_cast<unsigned char>((end ? 0x80 : 0) | 10)},
                                 static_cast<std::byte>(duration >> 8),
                                 static_cast<std::byte>(duration & 0xFF)};
    ASSERT_FALSE((*t)->push(rtp(110, seq, 48960, payload, seq == 2)));
    ++seq;
    for (auto& p : drain(**t))
      events.push_back(std::move(p));
  }
  ASSERT_EQ(events.size(), 6u);
  for (std::size_t i = 0; i < events.size(); ++i) {
    auto view = RtpView::parse(events[i]);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->payload_type(), 101);
    EXPECT_EQ(view->ssrc(), kSsrc);
    EXPECT_EQ(view->marker(), i == 0);
    EXPECT_EQ(view->timestamp(), audio_ts + 160);  // 48960 - 48000 = 960 at 48 kHz = 160 at 8 kHz
    EXPECT_EQ(view->sequence(), static_cast<std::uint16_t>(RtpView::parse(audio[0])->sequence() + 1 + i));
    const auto p = view->payload();
    ASSERT_EQ(p.size(), 4u);
    EXPECT_EQ(p[0], std::byte{5});
    const unsigned duration = (static_cast<unsigned>(p[2]) << 8) | static_cast<unsigned>(p[3]);
    EXPECT_EQ(duration, std::min<std::size_t>(i, 3) * 160 + 160) << i;
    EXPECT_EQ((static_cast<unsigned>(p[1]) & 0x80) != 0, i >= 3);
  }
  // And back: 8000 -> 48000.
  auto up = Transcoder::create(pcmu_to_opus(0), kSsrc, 1);
  ASSERT_TRUE(up);
  const std::byte payload[] = {std::byte{1}, std::byte{10}, std::byte{0x01}, std::byte{0x40}};  // 320
  ASSERT_FALSE((*up)->push(rtp(101, 7, 8000, payload, true)));
  auto back = drain(**up);
  ASSERT_EQ(back.size(), 1u);
  auto view = RtpView::parse(back[0]);
  EXPECT_EQ(view->payload_type(), 110);
  EXPECT_EQ((static_cast<unsigned>(view->payload()[2]) << 8) | static_cast<unsigned>(view->payload()[3]),
            1920u);
}

// A PBX's 2.5 s digit is 20000 units at 8000 Hz but 120000 at 48000, past the 16-bit duration:
// RFC 4733 §2.5.2.3 segments, not a duration stuck at 0xFFFF (which a browser stops playing at 1.37 s).
TEST(Transcoder, LongTelephoneEventIsSegmentedAt48kHz) {
  auto t = Transcoder::create(pcmu_to_opus(0), kSsrc, 1);
  ASSERT_TRUE(t);
  struct Event {
    std::uint32_t ts;
    unsigned duration;
    bool end;
    bool marker;
  };
  std::vector<Event> out;
  for (std::uint16_t i = 0; i < 127; ++i) {
    const unsigned duration = std::min(160U * (i + 1U), 20000U);
    const bool end = i >= 124;
    const std::byte payload[] = {std::byte{7}, std::byte{static_cast<unsigned char>((end ? 0x80 : 0) | 10)},
                                 static_cast<std::byte>(duration >> 8),
                                 static_cast<std::byte>(duration & 0xFF)};
    ASSERT_FALSE((*t)->push(rtp(101, static_cast<std::uint16_t>(100 + i), 8000, payload, i == 0)));
    for (auto& p : drain(**t)) {
      auto view = RtpView::parse(p);
      ASSERT_TRUE(view);
      ASSERT_EQ(view->payload_type(), 110);
      const auto b = view->payload();
      ASSERT_EQ(b.size(), 4u);
      out.push_back({view->timestamp(), (static_cast<unsigned>(b[2]) << 8) | static_cast<unsigned>(b[3]),
                     (static_cast<unsigned>(b[1]) & 0x80) != 0, view->marker()});
    }
  }
  // 68 updates fit the first segment (960 .. 65280); the 69th (66240) closes it with 0xFFFF and
  // opens the second at +65535.
  ASSERT_EQ(out.size(), 128u);
  const std::uint32_t start = out[0].ts;
  EXPECT_TRUE(out[0].marker);
  for (std::size_t i = 0; i < 68; ++i) {
    EXPECT_EQ(out[i].ts, start) << i;
    EXPECT_EQ(out[i].duration, 960 * (i + 1)) << i;
    EXPECT_FALSE(out[i].end) << i;
  }
  EXPECT_EQ(out[68].ts, start);
  EXPECT_EQ(out[68].duration, 0xFFFFu);
  EXPECT_FALSE(out[68].end);
  EXPECT_EQ(out[69].ts, start + 65535);
  EXPECT_EQ(out[69].duration, 66240u - 65535u);
  for (std::size_t i = 1; i < out.size(); ++i)
    EXPECT_FALSE(out[i].marker) << i;
  for (std::size_t i = 69; i < out.size(); ++i) {
    EXPECT_EQ(out[i].ts, start + 65535) << i;
    EXPECT_EQ(out[i].end, i >= 125) << i;
  }
  // The event still ends 2.5 s after it began.
  EXPECT_EQ(out.back().ts + out.back().duration, start + 120000);
}

TEST(Transcoder, PtimeIsAdaptedByBufferingSamples) {
  TranscodePlan plan = opus_to_pcmu();
  plan.ptime_ms = 30;
  auto t = Transcoder::create(plan, kSsrc, 1);
  ASSERT_TRUE(t);
  OpusSource source(440);
  std::vector<std::vector<std::byte>> out;
  for (std::uint16_t i = 0; i < 9; ++i) {
    ASSERT_FALSE((*t)->push(rtp(111, i, 960u * i, source.next())));
    for (auto& p : drain(**t))
      out.push_back(std::move(p));
  }
  ASSERT_EQ(out.size(), 6u);  // 180 ms as 30 ms packets
  for (auto& p : out)
    EXPECT_EQ(p.size(), 12u + 240u);
  expect_stream(out, 0, 240);

  // 10 ms G.711 packets in, 20 ms Opus packets out.
  auto up = Transcoder::create(pcmu_to_opus(0), kSsrc, 1);
  ASSERT_TRUE(up);
  std::vector<std::vector<std::byte>> opus;
  for (std::uint16_t i = 0; i < 10; ++i) {
    const auto pcm = tone(440, 8000, 80, 80u * i);
    std::vector<std::byte> ulaw(80);
    g711::ulaw_encode(pcm, ulaw);
    ASSERT_FALSE((*up)->push(rtp(0, i, 80u * i, ulaw)));
    for (auto& p : drain(**up))
      opus.push_back(std::move(p));
  }
  EXPECT_EQ(opus.size(), 5u);
  expect_stream(opus, 111, 960);
}

TEST(Transcoder, SourcePauseMovesOurTimestampsWithAMarker) {
  auto t = Transcoder::create(pcmu_to_opus(0), kSsrc, 1);
  ASSERT_TRUE(t);
  std::vector<std::vector<std::byte>> out;
  std::vector<std::byte> ulaw(160, std::byte{0xFF});
  for (std::uint16_t i = 0; i < 3; ++i) {
    const std::uint32_t ts = i < 2 ? 160u * i : 160u * i + 8000;  // one second of silence suppressed
    ASSERT_FALSE((*t)->push(rtp(0, i, ts, ulaw)));
    for (auto& p : drain(**t))
      out.push_back(std::move(p));
  }
  ASSERT_EQ(out.size(), 3u);
  auto a = RtpView::parse(out[1]);
  auto b = RtpView::parse(out[2]);
  EXPECT_EQ(b->timestamp() - a->timestamp(), 960u + 48000u);
  EXPECT_TRUE(b->marker());
  EXPECT_FALSE(a->marker());
  EXPECT_EQ(b->sequence(), static_cast<std::uint16_t>(a->sequence() + 1));
}

TEST(Transcoder, RefusesAPlanWithoutTranscoding) {
  TranscodePlan plan;
  plan.from = plan.to = AudioCodec::Pcmu;
  EXPECT_FALSE(Transcoder::create(plan, kSsrc, 1));
  plan = pcmu_to_opus(11);
  EXPECT_FALSE(Transcoder::create(plan, kSsrc, 1));
}

}  // namespace
}  // namespace rtcgate::media
