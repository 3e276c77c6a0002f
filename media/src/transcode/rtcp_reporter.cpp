#include "rtcgate/media/transcode/rtcp_reporter.hpp"

#include <algorithm>

#include "rtcgate/media/rtp/rtcp_view.hpp"
#include "rtcgate/media/rtp/wire.hpp"

namespace rtcgate::media {
namespace {

using wire::put16;
using wire::put32;
using wire::put8;

// Seconds between 1900-01-01 (NTP era 0) and 1970-01-01 (RFC 868).
constexpr std::uint64_t kNtpUnixOffset = 2208988800ULL;
constexpr std::string_view kCname = "rtcgate";

std::uint64_t ntp_time(std::chrono::system_clock::time_point wall) {
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(wall.time_since_epoch()).count();
  const auto u = static_cast<std::uint64_t>(us < 0 ? 0 : us);
  const std::uint64_t seconds = u / 1000000 + kNtpUnixOffset;
  const std::uint64_t fraction = ((u % 1000000) << 32) / 1000000;
  return (seconds << 32) | fraction;
}

}  // namespace

void RtcpReporter::on_sent(std::uint32_t rtp_timestamp, std::size_t payload_bytes,
                           Clock::time_point now) noexcept {
  if (!sent_any_) last_report_ = now;  // the first report follows one interval after media starts
  sent_any_ = true;
  ++packets_;
  octets_ += static_cast<std::uint32_t>(payload_bytes);
  last_ts_ = rtp_timestamp;
  last_sent_ = now;
}

bool RtcpReporter::due(Clock::time_point now) const noexcept {
  return sent_any_ && now - last_report_ >= kInterval;
}

std::size_t RtcpReporter::write(std::span<std::byte> out, Clock::time_point now,
                                std::chrono::system_clock::time_point wall, std::uint32_t remote_ssrc,
                                SequenceTracker& received, const JitterEstimator& jitter) noexcept {
  if (!sent_any_ || out.size() < kMaxReportSize) return 0;
  last_report_ = now;
  const bool block = remote_ssrc != 0 && received.received() > 0;
  // SR (RFC 3550 §6.4.1): header, sender info, report blocks.
  const std::size_t sr_words = block ? 12 : 6;
  put8(out, 0, static_cast<std::uint8_t>(0x80 | (block ? 1 : 0)));
  put8(out, 1, rtcp_type::kSenderReport);
  put16(out, 2, static_cast<std::uint16_t>(sr_words));
  put32(out, 4, ssrc_);
  const std::uint64_t ntp = ntp_time(wall);
  put32(out, 8, static_cast<std::uint32_t>(ntp >> 32));
  put32(out, 12, static_cast<std::uint32_t>(ntp));
  // The RTP timestamp of this instant: the last one sent, advanced by the time since.
  const auto since = std::chrono::duration_cast<std::chrono::microseconds>(now - last_sent_).count();
  const auto ticks = static_cast<std::uint64_t>(since < 0 ? 0 : since) * clock_rate_ / 1000000;
  put32(out, 16, last_ts_ + static_cast<std::uint32_t>(ticks));
  put32(out, 20, packets_);
  put32(out, 24, octets_);
  std::size_t at = 28;
  if (block) {
    const SequenceTracker::Interval interval = received.take_interval();
    const std::int64_t lost = std::clamp<std::int64_t>(received.lost(), -0x800000, 0x7FFFFF);
    put32(out, at, remote_ssrc);
    put32(out, at + 4,
          (std::uint32_t{interval.fraction_lost} << 24) | (static_cast<std::uint32_t>(lost) & 0xFFFFFF));
    put32(out, at + 8, received.extended_max());
    put32(out, at + 12, jitter.jitter());
    put32(out, at + 16, 0);  // LSR
    put32(out, at + 20, 0);  // DLSR
    at += 24;
  }
  // SDES with one chunk: SSRC, CNAME item, end item, padded to a 32-bit boundary (§6.5).
  const std::size_t chunk = 4 + 2 + kCname.size() + 1;
  const std::size_t padded = (chunk + 3) / 4 * 4;
  put8(out, at, 0x81);
  put8(out, at + 1, rtcp_type::kSourceDescription);
  put16(out, at + 2, static_cast<std::uint16_t>(padded / 4));
  put32(out, at + 4, ssrc_);
  put8(out, at + 8, 1);  // CNAME
  put8(out, at + 9, static_cast<std::uint8_t>(kCname.size()));
  for (std::size_t i = 0; i < kCname.size(); ++i)
    out[at + 10 + i] = static_cast<std::byte>(kCname[i]);
  for (std::size_t i = at + 10 + kCname.size(); i < at + 4 + padded; ++i)
    out[i] = std::byte{0};
  return at + 4 + padded;
}

}  // namespace rtcgate::media
