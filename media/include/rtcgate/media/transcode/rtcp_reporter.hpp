// RtcpReporter: our own RTCP for one leg of a transcoding bridge (RFC 3550 §6.4). When a call is
// transcoded each leg is a separate RTP session as far as its peer knows (DESIGN.md "The packet
// path", RTCP), so the other leg's reports are not forwarded: they describe a stream this peer never
// sees. Instead each leg gets a compound of SR (about the stream we send it) + one report block
// (about the stream it sends us) + SDES CNAME, every kInterval.
//
// LSR/DLSR are sent as 0 (RFC 3550 §6.4.1 allows it when no SR is tracked), so the peer does not
// compute a round-trip time from our reports.
//
// No allocation; thread affinity: the owning worker.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "rtcgate/media/rtp/sequence.hpp"

namespace rtcgate::media {

class RtcpReporter {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kInterval{5};  // RFC 3550 §6.2 minimum for a two-party session
  static constexpr std::size_t kMaxReportSize = 28 + 24 + 8 + 20;

  RtcpReporter(std::uint32_t ssrc, std::uint32_t clock_rate) noexcept
      : ssrc_(ssrc), clock_rate_(clock_rate) {}

  // Each RTP packet we send on this leg.
  void on_sent(std::uint32_t rtp_timestamp, std::size_t payload_bytes, Clock::time_point now) noexcept;
  [[nodiscard]] bool due(Clock::time_point now) const noexcept;

  // Writes the compound into `out` (at least kMaxReportSize) and returns its size (0: nothing sent
  // yet). `received`/`jitter` describe the stream the peer sends us on this leg (SSRC `remote_ssrc`,
  // 0 = none yet: no report block).
  std::size_t write(std::span<std::byte> out, Clock::time_point now,
                    std::chrono::system_clock::time_point wall, std::uint32_t remote_ssrc,
                    SequenceTracker& received, const JitterEstimator& jitter) noexcept;

 private:
  std::uint32_t ssrc_;
  std::uint32_t clock_rate_;
  bool sent_any_ = false;
  std::uint32_t packets_ = 0;
  std::uint32_t octets_ = 0;
  std::uint32_t last_ts_ = 0;
  Clock::time_point last_sent_{};
  Clock::time_point last_report_{};
};

}  // namespace rtcgate::media
