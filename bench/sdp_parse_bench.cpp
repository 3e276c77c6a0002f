// Parse and write throughput of rtcgate::sdp on real descriptions from tests/sdp/corpus: the live
// Chromium audio offer (the number issue 2 asks for: parse+write, ns per description), Chromium's
// audio+video offer (165 lines) and a desk phone's offer. Also the two halves alone and
// answer_offer on the WebRTC leg, which the gateway runs once per incoming browser call.
// Reported per iteration: time (= per description), bytes_per_second over the input text and
// heap allocations per description (bench/support/alloc_counter.cpp).
//
// Usage: sdp_parse_bench [--benchmark_filter=ParseWrite] [--benchmark_min_time=2s]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/parser.hpp>
#include <rtcgate/sdp/writer.hpp>

#include "support/alloc_counter.hpp"

namespace {

using namespace rtcgate::sdp;

std::string load(const char* name) {
  const auto path = std::filesystem::path(RTCGATE_SOURCE_DIR) / "tests/sdp/corpus/sdp" / name;
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().empty() || !parse(ss.str())) {
    std::fprintf(stderr, "cannot load %s\n", path.c_str());
    std::exit(1);
  }
  return ss.str();
}

void report(benchmark::State& state, std::size_t bytes, rtcgate::bench::AllocCounts before) {
  const auto allocs = rtcgate::bench::alloc_counts() - before;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["allocs_per_desc"] =
      benchmark::Counter(static_cast<double>(allocs.news), benchmark::Counter::kAvgIterations);
}

void parse_write(benchmark::State& state, const char* file) {
  const std::string text = load(file);
  std::string out;
  const auto before = rtcgate::bench::alloc_counts();
  for (auto _ : state) {
    auto d = parse(text);
    out.clear();
    write_to(*d, out);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, text.size(), before);
}

void parse_only(benchmark::State& state, const char* file) {
  const std::string text = load(file);
  const auto before = rtcgate::bench::alloc_counts();
  for (auto _ : state) {
    auto d = parse(text);
    benchmark::DoNotOptimize(d);
  }
  report(state, text.size(), before);
}

void write_only(benchmark::State& state, const char* file) {
  const std::string text = load(file);
  const SessionDescription d = *parse(text);
  std::string out;
  const auto before = rtcgate::bench::alloc_counts();
  for (auto _ : state) {
    out.clear();
    write_to(d, out);
    benchmark::DoNotOptimize(out.data());
  }
  report(state, text.size(), before);
}

void answer_webrtc(benchmark::State& state, const char* file) {
  const std::string text = load(file);
  const SessionDescription offer = *parse(text);
  LocalPolicy p;
  p.leg = Leg::WebRtc;
  p.session.address = "192.0.2.10";
  p.port = 40000;
  p.codecs = {opus_codec(), pcmu_codec(), pcma_codec()};
  p.ice = IceCredentials{"gAtE", "rtcgateicepassword0123"};
  p.fingerprint = Fingerprint{HashFunction::Sha256, std::vector<std::uint8_t>(32, 0x5A)};
  const auto before = rtcgate::bench::alloc_counts();
  for (auto _ : state) {
    auto answer = answer_offer(p, offer);
    benchmark::DoNotOptimize(answer);
  }
  report(state, text.size(), before);
}

constexpr const char* kChromiumAudio = "chromium_audio_offer.sdp";
constexpr const char* kChromiumAudioVideo = "chromium_audio_video_offer.sdp";
constexpr const char* kDeskPhone = "yealink_t46_offer.sdp";

BENCHMARK_CAPTURE(parse_write, chromium_audio, kChromiumAudio);
BENCHMARK_CAPTURE(parse_write, chromium_audio_video, kChromiumAudioVideo);
BENCHMARK_CAPTURE(parse_write, desk_phone, kDeskPhone);
BENCHMARK_CAPTURE(parse_only, chromium_audio, kChromiumAudio);
BENCHMARK_CAPTURE(write_only, chromium_audio, kChromiumAudio);
BENCHMARK_CAPTURE(answer_webrtc, chromium_audio, kChromiumAudio);

}  // namespace

BENCHMARK_MAIN();
