#include "rtcgate/media/session/route_plan.hpp"

#include "rtcgate/media/rtp/rtp_writer.hpp"

namespace rtcgate::media {

void RouteState::set_plan(const RoutePlan& plan) {
  pt_map_.fill(-1);
  for (const PayloadMapping& m : plan.payloads)
    if (m.from < 128 && m.to < 128) pt_map_[m.from] = static_cast<std::int16_t>(m.to);
  if (started_ && plan.ssrc && plan.ssrc != plan_ssrc_) out_ssrc_ = *plan.ssrc;
  plan_ssrc_ = plan.ssrc;
  clock_rate_ = plan.clock_rate == 0 ? 8000 : plan.clock_rate;
  enabled_ = plan.enabled;
  // The next packet re-anchors the offsets, so a source that restarts its numbering with the new
  // negotiation still continues our output stream.
  rebase_pending_ = true;
}

// Output = input + offset, with offsets chosen so that the first packet after a (re)start follows the
// last one sent: sequence + 1, timestamp advanced by the elapsed time in the plan's clock.
void RouteState::rebase(std::uint32_t ssrc, std::uint16_t seq, std::uint32_t ts,
                        Clock::time_point now) noexcept {
  in_ssrc_ = ssrc;
  rebase_pending_ = false;
  if (!started_) {
    started_ = true;
    out_ssrc_ = plan_ssrc_ ? *plan_ssrc_ : ssrc;
    seq_offset_ = 0;
    ts_offset_ = 0;
    return;
  }
  if (!plan_ssrc_) out_ssrc_ = ssrc;
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(now - last_out_time_).count();
  const auto ticks = static_cast<std::uint64_t>(elapsed < 0 ? 0 : elapsed) * clock_rate_ / 1000000u;
  const std::uint32_t want_ts = last_out_ts_ + static_cast<std::uint32_t>(ticks == 0 ? 1 : ticks);
  seq_offset_ = static_cast<std::uint16_t>(static_cast<std::uint16_t>(last_out_seq_ + 1) - seq);
  ts_offset_ = want_ts - ts;
}

std::optional<Drop> RouteState::apply(std::span<std::byte> rtp, Clock::time_point now) noexcept {
  if (!enabled_) return Drop::Inactive;
  auto writer = RtpWriter::wrap(rtp);
  if (!writer) return Drop::Malformed;
  const std::int16_t pt = pt_map_[writer->payload_type() & 0x7f];
  if (pt < 0) return Drop::NoRoute;
  const std::uint32_t ssrc = writer->ssrc();
  if (rebase_pending_ && started_ && ssrc == in_ssrc_) {
    rebase_pending_ = false;  // same source continues across the new plan: keep its offsets
  }
  if (rebase_pending_ || ssrc != in_ssrc_) rebase(ssrc, writer->sequence(), writer->timestamp(), now);
  const auto seq = static_cast<std::uint16_t>(writer->sequence() + seq_offset_);
  const std::uint32_t ts = writer->timestamp() + ts_offset_;
  writer->set_payload_type(static_cast<std::uint8_t>(pt));
  writer->set_ssrc(out_ssrc_);
  writer->set_sequence(seq);
  writer->set_timestamp(ts);
  // Track the newest output (sequence order, wrap-aware) for the next rebase.
  if (static_cast<std::int16_t>(seq - last_out_seq_) > 0 || last_out_time_ == Clock::time_point{}) {
    last_out_seq_ = seq;
    last_out_ts_ = ts;
    last_out_time_ = now;
  }
  return std::nullopt;
}

}  // namespace rtcgate::media
