// Fuzzing of DtlsEndpoint in the server role (a=setup:passive), the side that takes a browser's
// first datagram: any sequence of datagrams must neither crash nor leak, and must never produce SRTP
// keys (completing a handshake needs our random and ECDHE share, which no input can forge).
//
// Input: a flags byte (bit 0: the peer's SDP fingerprint is known before the first datagram), then
// datagrams, each a 16-bit big-endian length and that many bytes (a short last one takes the rest).
// Time advances 30 ms per datagram and due retransmission timers run, as the worker would run them.
// Seeds in tests/media/corpus/dtls are a real client's flights (ClientHello; Certificate,
// ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished) in this framing.
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>

#include "rtcgate/media/dtls/certificate.hpp"
#include "rtcgate/media/dtls/dtls_context.hpp"
#include "rtcgate/media/dtls/dtls_endpoint.hpp"

namespace {

using namespace rtcgate::media;

void check(bool condition) {
  if (!condition) std::abort();
}

constexpr std::uint16_t kMtu = 1200;

struct Observer final : DtlsObserver {
  int failures = 0;
  void on_dtls_send(std::span<const std::byte> datagram) override {
    // One write is one datagram, sized for the MTU (OpenSSL may overshoot by a few bytes).
    check(!datagram.empty() && datagram.size() <= kMtu + 64);
  }
  void on_dtls_connected(const SrtpKeys&) override { std::abort(); }
  void on_dtls_failed(DtlsError) override { ++failures; }
  void on_dtls_closed() override {}
};

DtlsContext& context() {
  static const Certificate certificate = [] {
    auto c = Certificate::generate("fuzz");
    check(c.has_value());
    return *c;
  }();
  static const std::unique_ptr<DtlsContext> instance = [] {
    auto c = DtlsContext::create(certificate);
    check(c.has_value());
    return std::move(*c);
  }();
  return *instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const auto input = std::as_bytes(std::span(data, size));
  Observer observer;
  DtlsOptions options;
  options.mtu = kMtu;
  auto endpoint = DtlsEndpoint::create(context(), DtlsRole::Server, observer, options);
  check(endpoint.has_value());
  DtlsEndpoint& server = **endpoint;
  // Any fingerprint: no input can present a certificate with our test key anyway.
  if ((data[0] & 1U) != 0) server.set_remote_fingerprint(context().certificate().fingerprint());
  auto now = DtlsEndpoint::Clock::time_point{} + std::chrono::hours(1);
  std::size_t at = 1;
  for (int datagrams = 0; at < size && datagrams < 32; ++datagrams) {
    std::size_t length = size - at;
    if (size - at >= 2) {
      length = std::min<std::size_t>(
          (std::to_integer<std::size_t>(input[at]) << 8) | std::to_integer<std::size_t>(input[at + 1]),
          size - at - 2);
      at += 2;
    }
    server.feed(input.subspan(at, length), now);
    at += length;
    now += std::chrono::milliseconds(30);
    if (const auto due = server.next_timeout(); due && *due <= now) server.handle_timeout(now);
    check(server.state() != DtlsState::Connected);
    check(observer.failures <= 1);
    check(observer.failures == 0 || server.state() == DtlsState::Failed);
  }
  return 0;
}
