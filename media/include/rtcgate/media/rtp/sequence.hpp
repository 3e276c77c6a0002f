// Sequence-number bookkeeping for RTP receivers:
//  - SequenceTracker: RFC 3550 Appendix A.1 source validation (probation, dropout, misorder, the
//    extended highest sequence number with its wrap count) plus A.3 loss accounting.
//  - estimate_srtp_index(): RFC 3711 §3.3.1 guess of the rollover counter and packet index.
//  - JitterEstimator: RFC 3550 §6.4.1 / A.8 interarrival jitter in RTP timestamp units.
// Plain value types, no allocation; owned by one worker. Units: RTP clock ticks, steady clock arrival.
#pragma once

#include <chrono>
#include <cstdint>

namespace rtcgate::media {

class SequenceTracker {
 public:
  static constexpr std::uint32_t kMaxDropout = 3000;  // A.1 MAX_DROPOUT
  static constexpr std::uint32_t kMaxMisorder = 100;  // A.1 MAX_MISORDER
  static constexpr std::uint32_t kMinSequential = 2;  // A.1 MIN_SEQUENTIAL
  static constexpr std::uint32_t kSeqMod = 1U << 16;

  // Feeds one received sequence number. Returns true when the packet counts as valid (A.1
  // update_seq): false while the source is on probation or after an unexplained jump.
  bool update(std::uint16_t seq) noexcept;

  [[nodiscard]] bool validated() const noexcept { return started_ && probation_ == 0; }
  [[nodiscard]] std::uint32_t cycles() const noexcept { return cycles_; }  // multiples of 2^16
  [[nodiscard]] std::uint32_t extended_max() const noexcept { return cycles_ + max_seq_; }
  [[nodiscard]] std::uint64_t received() const noexcept { return received_; }
  [[nodiscard]] std::int64_t expected() const noexcept;
  // Cumulative lost (A.3); negative with duplicates, as the RFC allows.
  [[nodiscard]] std::int64_t lost() const noexcept {
    return expected() - static_cast<std::int64_t>(received_);
  }

  struct Interval {
    std::uint8_t fraction_lost;  // 8-bit fixed point, as in a report block
    std::int64_t expected;
    std::int64_t lost;
  };
  // Loss since the previous call (A.3 expected_prior/received_prior), for an RR report block.
  Interval take_interval() noexcept;

 private:
  void init(std::uint16_t seq) noexcept;

  bool started_ = false;
  std::uint16_t max_seq_ = 0;
  std::uint32_t cycles_ = 0;
  std::uint32_t base_seq_ = 0;
  std::uint32_t bad_seq_ = kSeqMod + 1;
  std::uint32_t probation_ = kMinSequential;
  std::uint64_t received_ = 0;
  std::int64_t expected_prior_ = 0;
  std::uint64_t received_prior_ = 0;
};

struct SrtpIndexGuess {
  std::uint32_t roc;    // the guessed rollover counter v
  std::uint64_t index;  // 2^16 * v + SEQ (48-bit)
};

// RFC 3711 §3.3.1: given the receiver's ROC and highest sequence number s_l, guess the index of a
// packet with sequence number seq (it may belong to the previous or next rollover).
[[nodiscard]] SrtpIndexGuess estimate_srtp_index(std::uint32_t roc, std::uint16_t s_l,
                                                 std::uint16_t seq) noexcept;

class JitterEstimator {
 public:
  explicit JitterEstimator(std::uint32_t clock_rate) noexcept : clock_rate_(clock_rate) {}

  void update(std::chrono::steady_clock::time_point arrival, std::uint32_t rtp_timestamp) noexcept;

  // The RFC 3550 jitter J in timestamp units (what an RR report block carries).
  [[nodiscard]] std::uint32_t jitter() const noexcept { return jitter_q4_ >> 4; }
  [[nodiscard]] double jitter_ms() const noexcept;
  [[nodiscard]] std::uint32_t clock_rate() const noexcept { return clock_rate_; }

 private:
  std::uint32_t clock_rate_;
  bool started_ = false;
  std::chrono::steady_clock::time_point origin_{};
  std::uint32_t last_transit_ = 0;
  std::uint32_t jitter_q4_ = 0;  // J scaled by 16 (A.8 integer form)
};

}  // namespace rtcgate::media
