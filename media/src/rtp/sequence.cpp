#include "rtcgate/media/rtp/sequence.hpp"

#include <algorithm>

namespace rtcgate::media {

// RFC 3550 A.1 init_seq.
void SequenceTracker::init(std::uint16_t seq) noexcept {
  base_seq_ = seq;
  max_seq_ = seq;
  bad_seq_ = kSeqMod + 1;  // so seq == bad_seq is false
  cycles_ = 0;
  received_ = 0;
  received_prior_ = 0;
  expected_prior_ = 0;
}

// RFC 3550 A.1 update_seq, transcribed; kept as one function so it can be read against the RFC.
bool SequenceTracker::update(std::uint16_t seq) noexcept {
  if (!started_) {
    init(seq);
    started_ = true;
    max_seq_ = static_cast<std::uint16_t>(seq - 1);
    probation_ = kMinSequential;
  }
  const auto udelta = static_cast<std::uint16_t>(seq - max_seq_);
  if (probation_ > 0) {
    // Source is not valid until kMinSequential packets in sequence have been received.
    if (seq == static_cast<std::uint16_t>(max_seq_ + 1)) {
      --probation_;
      max_seq_ = seq;
      if (probation_ == 0) {
        init(seq);
        ++received_;
        return true;
      }
    } else {
      probation_ = kMinSequential - 1;
      max_seq_ = seq;
    }
    return false;
  }
  if (udelta < kMaxDropout) {
    // In order, with a permissible gap.
    if (seq < max_seq_) cycles_ += kSeqMod;  // wrapped
    max_seq_ = seq;
  } else if (udelta <= kSeqMod - kMaxMisorder) {
    // A very large jump: two sequential packets mean the source restarted.
    if (seq == bad_seq_) {
      init(seq);
    } else {
      bad_seq_ = (static_cast<std::uint32_t>(seq) + 1) & (kSeqMod - 1);
      return false;
    }
  }
  // else: duplicate or reordered packet; counted, max unchanged.
  ++received_;
  return true;
}

std::int64_t SequenceTracker::expected() const noexcept {
  if (!validated()) return 0;
  return static_cast<std::int64_t>(extended_max()) - static_cast<std::int64_t>(base_seq_) + 1;
}

// RFC 3550 A.3.
SequenceTracker::Interval SequenceTracker::take_interval() noexcept {
  const std::int64_t expected_now = expected();
  const std::int64_t expected_interval = expected_now - expected_prior_;
  expected_prior_ = expected_now;
  const auto received_interval = static_cast<std::int64_t>(received_ - received_prior_);
  received_prior_ = received_;
  const std::int64_t lost_interval = expected_interval - received_interval;
  std::uint8_t fraction = 0;
  if (expected_interval != 0 && lost_interval > 0) {
    fraction =
        static_cast<std::uint8_t>(std::min<std::int64_t>((lost_interval << 8) / expected_interval, 255));
  }
  return Interval{fraction, expected_interval, lost_interval};
}

// RFC 3711 §3.3.1: v = ROC-1, ROC or ROC+1, whichever puts SEQ closest to s_l.
SrtpIndexGuess estimate_srtp_index(std::uint32_t roc, std::uint16_t s_l, std::uint16_t seq) noexcept {
  std::uint32_t v = roc;
  if (s_l < 32768) {
    if (static_cast<std::int32_t>(seq) - static_cast<std::int32_t>(s_l) > 32768) v = roc - 1;
  } else {
    if (static_cast<std::int32_t>(s_l) - 32768 > static_cast<std::int32_t>(seq)) v = roc + 1;
  }
  return SrtpIndexGuess{v, (static_cast<std::uint64_t>(v) << 16) | seq};
}

void JitterEstimator::update(std::chrono::steady_clock::time_point arrival,
                             std::uint32_t rtp_timestamp) noexcept {
  if (!started_) origin_ = arrival;
  // Arrival converted to the RTP clock (A.8 "arrival"), relative to the first packet to stay exact.
  const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(arrival - origin_).count();
  const auto seconds = static_cast<std::uint64_t>(elapsed / 1'000'000'000);
  const auto rest = static_cast<std::uint64_t>(elapsed % 1'000'000'000);
  const auto arrival_ts =
      static_cast<std::uint32_t>(seconds * clock_rate_ + rest * clock_rate_ / 1'000'000'000U);
  const std::uint32_t transit = arrival_ts - rtp_timestamp;
  if (!started_) {
    started_ = true;
    last_transit_ = transit;
    return;
  }
  auto d = static_cast<std::int32_t>(transit - last_transit_);
  last_transit_ = transit;
  if (d < 0) d = -d;
  // J += (|D| - J) / 16, in the RFC's integer form with J kept scaled by 16.
  jitter_q4_ += static_cast<std::uint32_t>(d) - ((jitter_q4_ + 8) >> 4);
}

double JitterEstimator::jitter_ms() const noexcept {
  if (clock_rate_ == 0) return 0.0;
  return static_cast<double>(jitter_q4_) / 16.0 * 1000.0 / static_cast<double>(clock_rate_);
}

}  // namespace rtcgate::media
