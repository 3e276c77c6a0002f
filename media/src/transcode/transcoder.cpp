#include "rtcgate/media/transcode/transcoder.hpp"

#include <algorithm>

#include "rtcgate/media/codec/g711.hpp"
#include "rtcgate/media/rtp/wire.hpp"

using rtcgate::media::wire::be16;
using rtcgate::media::wire::put16;
using rtcgate::media::wire::put32;
using rtcgate::media::wire::put8;

namespace rtcgate::media {
namespace {

constexpr std::uint32_t kPcmRate = 8000;
constexpr std::size_t kMaxEventPayload = 48;

std::size_t frame_samples(const TranscodePlan& plan) {
  std::uint32_t ms = plan.ptime_ms;
  if (plan.to == AudioCodec::Opus) {
    // RFC 6716 §2.1.4 frame sizes that one Opus frame can carry.
    if (ms != 10 && ms != 20 && ms != 40 && ms != 60) ms = 20;
  } else if (ms < 10 || ms > 60 || ms % 10 != 0) {
    ms = 20;
  }
  return ms * kPcmRate / 1000;
}

// xorshift32: enough to make the initial sequence number and timestamp unpredictable per call.
std::uint32_t next_random(std::uint32_t& state) {
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

}  // namespace

Transcoder::Transcoder(const TranscodePlan& plan, std::uint32_t ssrc, std::uint32_t seed)
    : plan_(plan),
      ssrc_(ssrc),
      in_rate_(rtp_clock_rate(plan.from)),
      out_rate_(rtp_clock_rate(plan.to)),
      frame_samples_(frame_samples(plan)) {
  std::uint32_t state = seed == 0 ? 0x9e3779b9U : seed;
  out_seq_ = static_cast<std::uint16_t>(next_random(state));
  out_next_ts_ = next_random(state);
  pull_ts_ = out_next_ts_;
}

std::expected<std::unique_ptr<Transcoder>, std::string> Transcoder::create(const TranscodePlan& plan,
                                                                           std::uint32_t ssrc,
                                                                           std::uint32_t seed) {
  if (plan.from == plan.to) return std::unexpected(std::string("transcoding needs two different codecs"));
  std::unique_ptr<Transcoder> out(new Transcoder(plan, ssrc, seed));
  if (plan.from == AudioCodec::Opus) {
    auto decoder = OpusDecoder8k::create();
    if (!decoder) return std::unexpected("opus decoder: " + decoder.error());
    out->opus_in_.emplace(std::move(*decoder));
  }
  if (plan.to == AudioCodec::Opus) {
    auto encoder = OpusEncoder8k::create(plan.opus_complexity);
    if (!encoder) return std::unexpected("opus encoder: " + encoder.error());
    out->opus_out_.emplace(std::move(*encoder));
  }
  return out;
}

std::uint32_t Transcoder::to_output_clock(std::int64_t source_ticks) const noexcept {
  return static_cast<std::uint32_t>(source_ticks * out_rate_ / in_rate_);
}

std::optional<Drop> Transcoder::push(std::span<const std::byte> rtp) noexcept {
  const auto view = RtpView::parse(rtp);
  if (!view) return Drop::Malformed;
  const std::uint8_t pt = view->payload_type();
  const bool is_event = plan_.telephone_event && pt == plan_.telephone_event->from;
  if (!is_event && pt != plan_.from_payload_type) return Drop::NoRoute;
  const bool first = !started_ || view->ssrc() != in_ssrc_;
  std::size_t lost = 0;
  if (!first) {
    const auto delta = static_cast<std::int16_t>(view->sequence() - last_seq_);
    if (delta <= 0) {
      ++counters_.late;  // its time has been played out (or concealed) already
      return std::nullopt;
    }
    lost = static_cast<std::size_t>(delta - 1);
  }
  last_seq_ = view->sequence();
  if (first) {
    if (started_) realign(view->timestamp());  // a new source: keep our stream going
    started_ = true;
    in_ssrc_ = view->ssrc();
    in_next_ts_ = view->timestamp();
  }
  if (is_event) {
    take_event(*view);
    return std::nullopt;
  }
  return push_audio(*view, lost, first);
}

std::optional<Drop> Transcoder::push_audio(const RtpView& rtp, std::size_t lost, bool first) noexcept {
  const std::span<const std::byte> payload = rtp.payload();
  const int samples = opus_in_ ? OpusDecoder8k::packet_samples(payload) : static_cast<int>(payload.size());
  if (samples <= 0 || static_cast<std::size_t>(samples) > scratch_.size()) {
    ++counters_.decode_errors;
    return Drop::Malformed;
  }
  if (!first) {
    // The source's timestamps say how much time is missing, whatever the lost packets' durations.
    const auto gap_ticks =
        static_cast<std::int64_t>(static_cast<std::int32_t>(rtp.timestamp() - in_next_ts_));
    const std::int64_t gap = gap_ticks * kPcmRate / in_rate_;
    if (lost > 0 && gap > 0 && gap <= static_cast<std::int64_t>(kMaxConcealSamples)) {
      conceal(static_cast<std::size_t>(gap), payload, static_cast<std::size_t>(samples));
    } else if (gap != 0) {
      realign(rtp.timestamp());  // DTX, a pause, a long loss or a restart: keep time, not samples
    }
  }
  int decoded = 0;
  if (opus_in_) {
    decoded = opus_in_->decode(payload, scratch_);
  } else {
    decoded = samples;
    if (plan_.from == AudioCodec::Pcmu) {
      g711::ulaw_decode(payload, scratch_);
    } else {
      g711::alaw_decode(payload, scratch_);
    }
  }
  if (decoded <= 0) {
    ++counters_.decode_errors;
    return Drop::Malformed;
  }
  ++counters_.frames_in;
  append(std::span<const std::int16_t>(scratch_).first(static_cast<std::size_t>(decoded)));
  in_next_ts_ =
      rtp.timestamp() + static_cast<std::uint32_t>(static_cast<std::uint64_t>(decoded) * in_rate_ / kPcmRate);
  return std::nullopt;
}

// `samples` of the source are missing just before a packet of `next_samples` (its payload:
// `next_payload`). Opus: PLC for all but the last lost frame, which the next packet's in-band FEC
// may carry (libopus falls back to PLC when it does not). G.711 has neither: silence.
void Transcoder::conceal(std::size_t samples, std::span<const std::byte> next_payload,
                         std::size_t next_samples) noexcept {
  samples -= samples % 20;  // Opus works in 2.5 ms steps
  if (samples == 0) return;
  counters_.concealed_ms += samples * 1000 / kPcmRate;
  if (!opus_in_) {
    const std::size_t before = fifo_.size();
    fifo_.push_silence(samples);
    out_next_ts_ += static_cast<std::uint32_t>((fifo_.size() - before) * out_rate_ / kPcmRate);
    return;
  }
  const std::size_t fec = std::min(samples, next_samples);
  std::size_t plc = samples - fec;
  while (plc > 0) {
    const std::size_t chunk = std::min(plc, scratch_.size());
    const int n = opus_in_->conceal(scratch_, chunk);
    if (n <= 0) break;
    append(std::span<const std::int16_t>(scratch_).first(static_cast<std::size_t>(n)));
    plc -= chunk;
  }
  const int n = opus_in_->recover(next_payload, scratch_, fec);
  if (n > 0) {
    ++counters_.recovered;
    append(std::span<const std::int16_t>(scratch_).first(static_cast<std::size_t>(n)));
  }
}

void Transcoder::append(std::span<const std::int16_t> pcm) noexcept {
  const std::size_t taken = fifo_.push(pcm);
  out_next_ts_ += static_cast<std::uint32_t>(taken * out_rate_ / kPcmRate);
}

// The source jumped to `ts`: finish the partial frame with silence so the jump falls on a frame
// boundary, then move our clock by the same time.
void Transcoder::realign(std::uint32_t ts) noexcept {
  const std::size_t partial = fifo_.size() % frame_samples_;
  if (partial != 0) {
    const std::size_t pad = fifo_.push_silence(frame_samples_ - partial);
    out_next_ts_ += static_cast<std::uint32_t>(pad * out_rate_ / kPcmRate);
  }
  const auto delta = static_cast<std::int64_t>(static_cast<std::int32_t>(ts - in_next_ts_));
  const std::uint32_t jump =
      delta > 0 && delta < 10 * static_cast<std::int64_t>(in_rate_) ? to_output_clock(delta) : 0;
  out_next_ts_ += jump;
  in_next_ts_ = ts;
  if (fifo_.size() == 0) {
    pull_ts_ += jump;
    marker_next_ = true;
    return;
  }
  pending_jump_ = (jump_pending_ ? pending_jump_ : 0) + jump;
  jump_after_ = fifo_.size();
  jump_pending_ = true;
}

void Transcoder::take_event(const RtpView& rtp) noexcept {
  const std::span<const std::byte> payload = rtp.payload();
  // RFC 4733 §2.3: one or more 4-byte event blocks.
  if (payload.empty() || payload.size() % 4 != 0 || payload.size() > kMaxEventPayload) {
    ++counters_.decode_errors;
    return;
  }
  // Every packet of one event carries the event's start timestamp (RFC 4733 §2.5.1.2).
  if (!have_event_ts_ || rtp.timestamp() != event_in_ts_) {
    const auto offset = static_cast<std::int64_t>(static_cast<std::int32_t>(rtp.timestamp() - in_next_ts_));
    event_ts_ = out_next_ts_ + static_cast<std::uint32_t>(offset * out_rate_ / in_rate_);
    event_in_ts_ = rtp.timestamp();
    have_event_ts_ = true;
    event_segment_ = 0;
  }
  std::span<std::byte> out(event_);
  std::copy(payload.begin(), payload.end(), out.begin() + kRtpHeader);
  // The first block's duration decides the segment (a packet's blocks share one timestamp).
  const std::uint64_t scaled = std::uint64_t{be16(out, kRtpHeader + 2)} * out_rate_ / in_rate_;
  segment_end_pending_ = false;
  while (scaled > std::uint64_t{event_segment_} + 0xFFFF) {
    event_segment_ += 0xFFFF;
    segment_end_pending_ = true;
  }
  for (std::size_t at = kRtpHeader; at < kRtpHeader + payload.size(); at += 4) {
    const std::uint64_t duration = std::uint64_t{be16(out, at + 2)} * out_rate_ / in_rate_;
    const std::uint64_t in_segment = duration > event_segment_ ? duration - event_segment_ : 0;
    put16(out, at + 2, static_cast<std::uint16_t>(std::min<std::uint64_t>(in_segment, 0xFFFF)));
  }
  event_size_ = kRtpHeader + payload.size();
  event_marker_ = rtp.marker() && event_segment_ == 0;  // §2.5.1.3: a new segment is no new event
  ++counters_.events;
}

void Transcoder::write_header(std::span<std::byte> out, std::uint8_t payload_type, bool marker,
                              std::uint32_t ts) noexcept {
  put8(out, 0, 0x80);  // RFC 3550 §5.1: version 2, no padding, extension or CSRC
  put8(out, 1, static_cast<std::uint8_t>((marker ? 0x80 : 0) | (payload_type & 0x7F)));
  put16(out, 2, out_seq_++);
  put32(out, 4, ts);
  put32(out, 8, ssrc_);
}

std::size_t Transcoder::encode(std::span<const std::int16_t> frame, std::span<std::byte> payload) noexcept {
  switch (plan_.to) {
    case AudioCodec::Opus: {
      const int n = opus_out_->encode(frame, payload);
      return n > 0 ? static_cast<std::size_t>(n) : 0;
    }
    case AudioCodec::Pcmu:
      g711::ulaw_encode(frame, payload);
      return frame.size();
    case AudioCodec::Pcma:
      g711::alaw_encode(frame, payload);
      return frame.size();
  }
  return 0;
}

std::size_t Transcoder::pull(std::span<std::byte> out) noexcept {
  if (event_size_ != 0) {
    if (out.size() < event_size_) return 0;
    std::copy_n(event_.begin() + kRtpHeader, event_size_ - kRtpHeader, out.begin() + kRtpHeader);
    const std::size_t size = event_size_;
    if (segment_end_pending_) {
      // The segment just outgrown: full length, not the end of the event.
      for (std::size_t at = kRtpHeader; at < size; at += 4) {
        put8(out, at + 1, static_cast<std::uint8_t>(std::to_integer<unsigned>(out[at + 1]) & 0x7FU));
        put16(out, at + 2, 0xFFFF);
      }
      write_header(out, plan_.telephone_event->to, false, event_ts_ + event_segment_ - 0xFFFF);
      segment_end_pending_ = false;
      return size;
    }
    write_header(out, plan_.telephone_event->to, event_marker_, event_ts_ + event_segment_);
    event_size_ = 0;
    return size;
  }
  if (fifo_.size() < frame_samples_ || out.size() < kRtpHeader + frame_samples_) return 0;
  std::array<std::int16_t, 480> frame{};  // 60 ms at 8 kHz, the longest ptime
  const std::span<std::int16_t> pcm = std::span(frame).first(frame_samples_);
  (void)fifo_.pop(pcm);
  const std::uint32_t ts = pull_ts_;
  pull_ts_ += static_cast<std::uint32_t>(frame_samples_ * out_rate_ / kPcmRate);
  const bool marker = marker_next_;
  marker_next_ = false;
  if (jump_pending_) {
    jump_after_ = jump_after_ > frame_samples_ ? jump_after_ - frame_samples_ : 0;
    if (jump_after_ == 0) {
      pull_ts_ += pending_jump_;
      jump_pending_ = false;
      marker_next_ = true;
    }
  }
  const std::size_t bytes = encode(pcm, out.subspan(kRtpHeader));
  if (bytes == 0) {
    ++counters_.encode_errors;
    return 0;
  }
  write_header(out, plan_.to_payload_type, marker, ts);
  ++counters_.frames_out;
  return kRtpHeader + bytes;
}

}  // namespace rtcgate::media
