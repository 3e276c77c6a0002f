// Parse throughput of the SIP message layer: a typical INVITE as a softphone or gateway sends it
// (16 headers, an SDP offer of ~400 bytes) and a REGISTER with digest credentials. Reported per
// iteration: time, messages per second on one core (items_per_second) and heap allocations per
// message (operator new calls, counted by bench/support/alloc_counter.cpp). Serialising
// and the StreamFramer are measured too, since a stream transport frames every message before
// parsing it.
//
// Usage: sip_parse_bench [--benchmark_filter=Invite] [--benchmark_min_time=2s]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "rtcgate/sip/parser.hpp"
#include "rtcgate/sip/serialize.hpp"
#include "rtcgate/sip/stream_framer.hpp"
#include "support/alloc_counter.hpp"

namespace {

using namespace rtcgate::sip;

constexpr std::string_view kInvite =
    "INVITE sip:+15551234567@pbx.example.com;user=phone SIP/2.0\r\n"
    "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK5678fghj;rport\r\n"
    "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;received=192.0.2.10\r\n"
    "Max-Forwards: 69\r\n"
    "Record-Route: <sip:gw.example.com;transport=udp;lr>\r\n"
    "To: <sip:+15551234567@pbx.example.com;user=phone>\r\n"
    "From: \"Alice Liddell\" <sip:alice@example.com>;tag=9fxced76sl\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 2 INVITE\r\n"
    "Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws;ob>;+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-"
    "a765-00a0c91e6bf6>\"\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, UPDATE, OPTIONS, REFER, NOTIFY, MESSAGE, INFO\r\n"
    "Supported: timer, replaces, outbound, gruu\r\n"
    "Session-Expires: 1800;refresher=uac\r\n"
    "User-Agent: rtcgate-bench/1.0\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 404\r\n"
    "\r\n"
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.10\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0 8 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=maxptime:150\r\n"
    "a=sendrecv\r\n"
    "a=rtcp:49171 IN IP4 192.0.2.10\r\n"
    "a=ssrc:3735928559 cname:alice@example.com\r\n"
    "a=label:audio-main-stream-identifier-0001\r\n"
    "a=x-extension-attribute:some-value-here\r\n";

constexpr std::string_view kRegister =
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKnashds7;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:alice@example.com>\r\n"
    "From: <sip:alice@example.com>;tag=456248\r\n"
    "Call-ID: 843817637684230@998sdasdh09\r\n"
    "CSeq: 1827 REGISTER\r\n"
    "Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws;ob>;reg-id=1;+sip.instance=\"<urn:uuid:"
    "f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\";expires=600\r\n"
    "Authorization: Digest username=\"alice\", realm=\"example.com\", "
    "nonce=\"ea9c8e88df84f1cec4341ae6cbe5a359\", "
    "uri=\"sip:example.com\", response=\"dfe56131d1958046689d83306477ecc\", algorithm=MD5, "
    "cnonce=\"0a4f113b\", "
    "qop=auth, nc=00000001\r\n"
    "Supported: path, outbound, gruu\r\n"
    "User-Agent: rtcgate-bench/1.0\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

void run_parse(benchmark::State& state, std::string_view text) {
  if (!parse_message(text)) {
    state.SkipWithError("the benchmark message does not parse");
    return;
  }
  const std::uint64_t before = rtcgate::bench::alloc_counts().news;
  for (auto _ : state) {
    auto m = parse_message(text);
    benchmark::DoNotOptimize(m);
  }
  const std::uint64_t allocations = rtcgate::bench::alloc_counts().news - before;
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
  state.counters["allocs_per_msg"] =
      static_cast<double>(allocations) / static_cast<double>(state.iterations());
}

void BM_ParseInvite(benchmark::State& state) {
  run_parse(state, kInvite);
}
BENCHMARK(BM_ParseInvite);

void BM_ParseRegister(benchmark::State& state) {
  run_parse(state, kRegister);
}
BENCHMARK(BM_ParseRegister);

// What a transaction layer reads from every INVITE after parsing: top Via, From/To tags, CSeq.
void BM_ParseInviteAndReadTransactionKeys(benchmark::State& state) {
  for (auto _ : state) {
    auto m = parse_message(kInvite);
    auto via = m->top_via();
    auto from = m->from();
    auto to = m->to();
    auto cseq = m->cseq();
    benchmark::DoNotOptimize(via);
    benchmark::DoNotOptimize(from);
    benchmark::DoNotOptimize(to);
    benchmark::DoNotOptimize(cseq);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseInviteAndReadTransactionKeys);

void BM_SerializeInvite(benchmark::State& state) {
  const auto m = parse_message(kInvite);
  std::string out;
  for (auto _ : state) {
    out.clear();
    serialize_to(out, *m);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SerializeInvite);

// A TCP stream delivering the INVITE in 1400-byte segments: framing plus parsing.
void BM_FrameAndParseInviteStream(benchmark::State& state) {
  std::string stream;
  for (int i = 0; i < 16; ++i)
    stream.append(kInvite);
  std::size_t messages = 0;
  for (auto _ : state) {
    StreamFramer framer;
    for (std::size_t at = 0; at < stream.size(); at += 1400) {
      framer.feed(std::string_view(stream).substr(at, 1400));
      while (framer.next() == StreamFramer::Frame::Message) {
        auto m = parse_message(framer.message());
        benchmark::DoNotOptimize(m);
        ++messages;
      }
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(messages));
}
BENCHMARK(BM_FrameAndParseInviteStream);

}  // namespace

BENCHMARK_MAIN();
