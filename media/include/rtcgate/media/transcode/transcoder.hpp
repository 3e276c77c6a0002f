// Transcoder: one direction of an Opus ⇄ G.711 bridge at the RTP level (DESIGN.md "Transcoding and
// codec policy"). RTP of the source codec goes in, RTP of the destination codec comes out as a new
// stream: our own SSRC, sequence numbers and timestamps (RFC 3550 §7.1: a translator that changes
// the encoding is the source of a new stream).
//
//   push(rtp)  sequence check -> gap? conceal it (Opus: PLC, then the next packet's in-band FEC,
//              LIMITS.md §4.3; G.711: silence) -> decode to 8 kHz into a PcmFifo
//              telephone-event (RFC 4733): copied aside with its timestamp and duration rescaled
//              to the destination clock (48000 ⇄ 8000), never decoded; a duration that outgrows
//              16 bits at the destination starts a new segment (§2.5.2.3)
//   pull(out)  a pending telephone-event first, else one output frame (ptime) from the FIFO,
//              encoded, with its RTP header; 0 when nothing is ready
// The caller pulls until 0 after every push; one push may give zero, one or several packets (ptime
// adaptation). Timestamps follow the source's: a jump in the source (DTX, a pause, a long loss) is
// a jump in ours, at a frame boundary, flagged with the marker bit.
//
// Allocation: create() allocates the codec state; push/pull never allocate, lock or log.
// Thread affinity: the owning worker. Units: samples at 8 kHz inside; RTP clock units on the wire.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "rtcgate/media/codec/opus_decoder.hpp"
#include "rtcgate/media/codec/opus_encoder.hpp"
#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/rtp/rtp_view.hpp"
#include "rtcgate/media/transcode/pcm_fifo.hpp"
#include "rtcgate/media/transcode/transcode_plan.hpp"

namespace rtcgate::media {

struct TranscodeCounters {
  std::uint64_t frames_in = 0;     // audio packets decoded
  std::uint64_t concealed_ms = 0;  // filled by PLC (Opus) or silence (G.711)
  std::uint64_t recovered = 0;     // lost Opus packets decoded from the next one's in-band FEC
  std::uint64_t late = 0;          // arrived after a newer packet: discarded
  std::uint64_t decode_errors = 0;
  std::uint64_t frames_out = 0;  // audio packets encoded
  std::uint64_t encode_errors = 0;
  std::uint64_t events = 0;  // telephone-event packets translated
};

class Transcoder {
 public:
  static constexpr std::size_t kRtpHeader = 12;
  static constexpr std::size_t kMaxConcealSamples = 960;  // 120 ms: a longer gap is a discontinuity

  // `ssrc`: the SSRC of the stream we send. Sequence and timestamp start at random values
  // (RFC 3550 §5.1); `seed` supplies them so tests can be deterministic.
  static std::expected<std::unique_ptr<Transcoder>, std::string> create(const TranscodePlan& plan,
                                                                        std::uint32_t ssrc,
                                                                        std::uint32_t seed);

  // One RTP packet of the source leg, plain (after SRTP); it is validated here.
  // Returns the reason when nothing of it can be used.
  [[nodiscard]] std::optional<Drop> push(std::span<const std::byte> rtp) noexcept;
  // Writes the next RTP packet into `out` and returns its size, or 0.
  [[nodiscard]] std::size_t pull(std::span<std::byte> out) noexcept;

  [[nodiscard]] std::uint32_t output_ssrc() const noexcept { return ssrc_; }
  [[nodiscard]] std::uint32_t input_ssrc() const noexcept { return in_ssrc_; }
  [[nodiscard]] std::uint32_t output_clock_rate() const noexcept { return out_rate_; }
  [[nodiscard]] const TranscodeCounters& counters() const noexcept { return counters_; }
  [[nodiscard]] const TranscodePlan& plan() const noexcept { return plan_; }

 private:
  Transcoder(const TranscodePlan& plan, std::uint32_t ssrc, std::uint32_t seed);

  std::optional<Drop> push_audio(const RtpView& rtp, std::size_t lost, bool first) noexcept;
  void take_event(const RtpView& rtp) noexcept;
  void conceal(std::size_t samples, std::span<const std::byte> next_payload,
               std::size_t next_samples) noexcept;
  void append(std::span<const std::int16_t> pcm) noexcept;
  void realign(std::uint32_t ts) noexcept;
  [[nodiscard]] std::uint32_t to_output_clock(std::int64_t source_ticks) const noexcept;
  std::size_t encode(std::span<const std::int16_t> frame, std::span<std::byte> payload) noexcept;
  void write_header(std::span<std::byte> out, std::uint8_t payload_type, bool marker,
                    std::uint32_t ts) noexcept;

  TranscodePlan plan_;
  std::uint32_t ssrc_;
  std::uint32_t in_rate_;
  std::uint32_t out_rate_;
  std::size_t frame_samples_;  // output frame at 8 kHz

  std::optional<OpusDecoder8k> opus_in_;
  std::optional<OpusEncoder8k> opus_out_;
  PcmFifo fifo_;
  std::array<std::int16_t, OpusDecoder8k::kMaxFrameSamples> scratch_{};

  // Source side.
  bool started_ = false;
  std::uint32_t in_ssrc_ = 0;
  std::uint16_t last_seq_ = 0;
  std::uint32_t in_next_ts_ = 0;  // source timestamp just after the last sample decoded

  // Output side.
  std::uint16_t out_seq_;
  std::uint32_t out_next_ts_;  // our timestamp of the next sample appended to the FIFO
  std::uint32_t pull_ts_;      // our timestamp of the FIFO's oldest sample
  std::uint32_t pending_jump_ = 0;
  std::size_t jump_after_ = 0;  // samples to pull before pending_jump_ applies
  bool jump_pending_ = false;
  bool marker_next_ = true;  // RFC 3551 §4.1: the first packet of a talkspurt

  // One telephone-event waiting for pull(); RFC 4733 end packets repeat their start timestamp.
  std::array<std::byte, 64> event_{};
  std::size_t event_size_ = 0;
  bool event_marker_ = false;
  std::uint32_t event_ts_ = 0;
  bool have_event_ts_ = false;
  std::uint32_t event_in_ts_ = 0;
  // An event longer than 16 bits of the destination's clock (8000 -> 48000: past 1.365 s) goes out
  // in segments (RFC 4733 §2.5.2.3): each has its own timestamp, event_ts_ + event_segment_; a
  // segment ends with a packet reporting 0xFFFF without the end bit, sent before the next one's.
  std::uint32_t event_segment_ = 0;
  bool segment_end_pending_ = false;

  TranscodeCounters counters_;
};

}  // namespace rtcgate::media
