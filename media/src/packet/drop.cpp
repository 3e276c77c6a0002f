#include "rtcgate/media/packet/drop.hpp"

namespace rtcgate::media {

std::string_view to_string(Drop reason) noexcept {
  switch (reason) {
    case Drop::NotRtp:
      return "not_rtp";
    case Drop::Malformed:
      return "malformed";
    case Drop::SrtpAuth:
      return "srtp_auth";
    case Drop::SrtpReplay:
      return "srtp_replay";
    case Drop::SrtpError:
      return "srtp_error";
    case Drop::UnknownSsrc:
      return "unknown_ssrc";
    case Drop::NoRoute:
      return "no_route";
    case Drop::PoolExhausted:
      return "pool_exhausted";
    case Drop::WouldBlock:
      return "would_block";
    case Drop::SourceMismatch:
      return "source_mismatch";
    case Drop::TooLarge:
      return "too_large";
    case Drop::NotReady:
      return "not_ready";
    case Drop::Inactive:
      return "inactive";
  }
  return "unknown";
}

std::uint64_t DropCounters::total() const noexcept {
  std::uint64_t sum = 0;
  for (const std::uint64_t count : counts_)
    sum += count;
  return sum;
}

DropCounters& DropCounters::operator+=(const DropCounters& other) noexcept {
  for (std::size_t i = 0; i < kDropReasonCount; ++i)
    counts_[i] += other.counts_[i];
  return *this;
}

}  // namespace rtcgate::media
