// The transcoder's cost per 20 ms frame, each way, as the media session runs it (Transcoder::push
// then pull until empty: RTP header checks, sequence tracking, decode, FIFO, encode, RTP header):
//
//   web -> legacy   Opus (48 kHz-encoded, 32 kbps, in-band FEC: what a browser sends) -> PCMU
//   legacy -> web   PCMU -> Opus from 8 kHz, at encoder complexity 0, 5 and 10
//   web -> legacy with 5 % of the Opus packets lost (PLC / FEC on every gap)
//
// The signal is synthetic speech-like audio (a gliding harmonic voice with syllable-rate envelope
// and a little noise), 10 s, encoded ahead of the timed region. Each figure is the best of 5 runs of
// thread CPU time over all frames. "calls/core" = one second of CPU divided by one call-second of
// codec work (50 frames each way): codec only, no I/O or SRTP (LIMITS.md §4.5 adds those).
// "allocs" counts heap allocations inside the timed runs (must be 0).
//
// Usage: transcode_bench [SECONDS_OF_AUDIO]
#include <opus/opus.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <numbers>
#include <vector>

#include "rtcgate/media/transcode/transcoder.hpp"
#include "support/alloc_counter.hpp"

namespace {

using namespace rtcgate::media;

double thread_cpu_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

std::vector<std::int16_t> voice(int rate, std::size_t samples) {
  std::vector<std::int16_t> out(samples);
  std::uint32_t noise = 12345;
  double phase = 0;
  for (std::size_t i = 0; i < samples; ++i) {
    const double t = static_cast<double>(i) / rate;
    const double f0 = 140 + 40 * std::sin(2 * std::numbers::pi * 0.7 * t);
    phase += 2 * std::numbers::pi * f0 / rate;
    double v = 0;
    for (int h = 1; h <= 12; ++h)
      v += std::sin(h * phase) / h;
    const double envelope = 0.5 + 0.5 * std::sin(2 * std::numbers::pi * 4 * t);
    noise = noise * 1664525 + 1013904223;
    const double n = (static_cast<double>(noise >> 16) / 65536.0 - 0.5) * 0.05;
    out[i] = static_cast<std::int16_t>(std::clamp((v * envelope * 0.35 + n) * 32767, -32767.0, 32767.0));
  }
  return out;
}

std::vector<std::byte> rtp(std::uint8_t pt, std::uint16_t seq, std::uint32_t ts, const std::byte* payload,
                           std::size_t size) {
  std::vector<std::byte> out(12 + size);
  out[0] = std::byte{0x80};
  out[1] = std::byte{pt};
  out[2] = static_cast<std::byte>(seq >> 8);
  out[3] = static_cast<std::byte>(seq & 0xFF);
  for (std::size_t i = 0; i < 4; ++i) {
    out[4 + i] = static_cast<std::byte>((ts >> (24 - 8 * i)) & 0xFF);
    out[8 + i] = static_cast<std::byte>((0x01020304U >> (24 - 8 * i)) & 0xFF);
  }
  std::copy(payload, payload + size, out.begin() + 12);
  return out;
}

// A browser-like Opus stream: 48 kHz, 20 ms, 32 kbps, in-band FEC.
std::vector<std::vector<std::byte>> browser_stream(std::size_t frames) {
  const auto pcm = voice(48000, frames * 960);
  int error = 0;
  OpusEncoder* enc = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &error);
  opus_encoder_ctl(enc, OPUS_SET_BITRATE(32000));
  opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(1));
  opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(10));
  std::vector<std::vector<std::byte>> out;
  std::array<unsigned char, 1500> buffer{};
  for (std::size_t i = 0; i < frames; ++i) {
    const int n = opus_encode(enc, pcm.data() + i * 960, 960, buffer.data(), 1500);
    out.push_back(rtp(111, static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(i * 960),
                      reinterpret_cast<const std::byte*>(buffer.data()), static_cast<std::size_t>(n)));
  }
  opus_encoder_destroy(enc);
  return out;
}

std::vector<std::vector<std::byte>> pcmu_stream(std::size_t frames, std::uint8_t pt) {
  const auto pcm = voice(8000, frames * 160);
  std::vector<std::vector<std::byte>> out;
  std::array<std::byte, 160> payload{};
  for (std::size_t i = 0; i < frames; ++i) {
    for (std::size_t s = 0; s < 160; ++s) {
      // mu-law by the reference formula, so the input does not depend on the code under test
      int v = pcm[i * 160 + s] >> 2;
      int mask = 0xFF;
      if (v < 0) {
        v = -v;
        mask = 0x7F;
      }
      v = std::min(v, 8159) + 33;
      int seg = 0;
      while (seg < 8 && v > (0x3F << seg))
        ++seg;
      payload[s] =
          static_cast<std::byte>(seg >= 8 ? (0x7F ^ mask) : (((seg << 4) | ((v >> (seg + 1)) & 0xF)) ^ mask));
    }
    out.push_back(
        rtp(pt, static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(i * 160), payload.data(), 160));
  }
  return out;
}

struct Result {
  double us_per_frame = 0;
  std::uint64_t allocs = 0;
  std::uint64_t frames_out = 0;
};

// Best of 5: a fresh transcoder each run (as a new call), every input frame pushed and pulled.
Result run(const TranscodePlan& plan, const std::vector<std::vector<std::byte>>& input,
           std::size_t drop_every) {
  Result best{1e18, 0, 0};
  std::array<std::byte, 1500> out{};
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto transcoder = Transcoder::create(plan, 0xABCDEF01, 7);
    if (!transcoder) {
      std::fprintf(stderr, "transcoder: %s\n", transcoder.error().c_str());
      std::exit(1);
    }
    Transcoder& t = **transcoder;
    const auto before = rtcgate::bench::alloc_counts();
    const double start = thread_cpu_us();
    for (std::size_t i = 0; i < input.size(); ++i) {
      if (drop_every != 0 && i % drop_every == drop_every - 1) continue;
      (void)t.push(input[i]);
      while (t.pull(out) != 0) {
      }
    }
    const double us = thread_cpu_us() - start;
    const auto allocs = (rtcgate::bench::alloc_counts() - before).mallocs;
    const double per = us / static_cast<double>(input.size());
    if (per < best.us_per_frame) best = {per, allocs, t.counters().frames_out};
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 10.0;
  const auto frames = static_cast<std::size_t>(std::max(1.0, seconds * 50));
  const auto opus = browser_stream(frames);
  const auto pcmu = pcmu_stream(frames, 0);

  TranscodePlan down;
  down.from = AudioCodec::Opus;
  down.from_payload_type = 111;
  down.to = AudioCodec::Pcmu;
  down.to_payload_type = 0;
  const Result w2l = run(down, opus, 0);
  const Result w2l_loss = run(down, opus, 20);
  std::printf("transcode_bench: %zu frames of 20 ms, best of 5, thread CPU time\n", frames);
  std::printf("%-46s %8.1f us/frame  allocs %llu  frames out %llu\n",
              "web->legacy  opus(48k, 32 kbps, FEC) -> PCMU", w2l.us_per_frame,
              static_cast<unsigned long long>(w2l.allocs), static_cast<unsigned long long>(w2l.frames_out));
  std::printf("%-46s %8.1f us/frame  allocs %llu  frames out %llu\n",
              "web->legacy  same, 5 % packets lost (PLC/FEC)", w2l_loss.us_per_frame,
              static_cast<unsigned long long>(w2l_loss.allocs),
              static_cast<unsigned long long>(w2l_loss.frames_out));
  for (int complexity : {0, 5, 10}) {
    TranscodePlan up;
    up.from = AudioCodec::Pcmu;
    up.from_payload_type = 0;
    up.to = AudioCodec::Opus;
    up.to_payload_type = 111;
    up.opus_complexity = complexity;
    const Result l2w = run(up, pcmu, 0);
    char label[64];
    std::snprintf(label, sizeof label, "legacy->web  PCMU -> opus(8k) complexity %d", complexity);
    std::printf("%-46s %8.1f us/frame  allocs %llu  frames out %llu\n", label, l2w.us_per_frame,
                static_cast<unsigned long long>(l2w.allocs), static_cast<unsigned long long>(l2w.frames_out));
    const double per_call_second_us = 50 * (w2l.us_per_frame + l2w.us_per_frame);
    std::printf(
        "  -> both ways at complexity %2d: %.0f us CPU per call-second, ~%.0f transcoded calls/core (codec "
        "only)\n",
        complexity, per_call_second_us, 1e6 / per_call_second_us);
  }
  return 0;
}
