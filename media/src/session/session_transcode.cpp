// MediaSession's transcoded directions (media_session.hpp): Transcoder push/pull in place of
// RouteState::apply, and the RTCP reports each transcoded leg gets from us.
#include <random>

#include "rtcgate/media/rtp/wire.hpp"
#include "rtcgate/media/session/media_session.hpp"

namespace rtcgate::media {
namespace {

std::uint32_t random_u32() {
  std::random_device device;
  return static_cast<std::uint32_t>(device());
}

// The RTP timestamp of an output packet the Transcoder wrote (RFC 3550 §5.1 offset 4).
std::uint32_t rtp_timestamp(std::span<const std::byte> rtp) noexcept {
  return wire::be32(rtp, 4);
}

std::expected<std::unique_ptr<Transcoder>, std::string> make_transcoder(const RoutePlan& plan) {
  if (!plan.transcode) return std::unique_ptr<Transcoder>();
  // A new stream (RFC 3550 §7.1): its own SSRC unless the plan names one.
  return Transcoder::create(*plan.transcode, plan.ssrc ? *plan.ssrc : random_u32(), random_u32());
}

}  // namespace

// Codec state is allocated here, at creation or renegotiation, never on the packet path.
std::optional<std::string> MediaSession::install_transcoders(const RoutePlan& web_to_legacy,
                                                             const RoutePlan& legacy_to_web) {
  auto w2l = make_transcoder(web_to_legacy);
  if (!w2l) return "transcoder (web to legacy): " + w2l.error();
  auto l2w = make_transcoder(legacy_to_web);
  if (!l2w) return "transcoder (legacy to web): " + l2w.error();
  w2l_transcoder_ = std::move(*w2l);
  l2w_transcoder_ = std::move(*l2w);
  legacy_reporter_.reset();
  web_reporter_.reset();
  if (w2l_transcoder_)
    legacy_reporter_.emplace(w2l_transcoder_->output_ssrc(), w2l_transcoder_->output_clock_rate());
  if (l2w_transcoder_)
    web_reporter_.emplace(l2w_transcoder_->output_ssrc(), l2w_transcoder_->output_clock_rate());
  return std::nullopt;
}

// The decoded input's buffer then carries each output packet in turn: every one is protected and
// sent (synchronously) before the next is written, so no second buffer is needed.
void MediaSession::transcode_web_rtp(PacketPtr packet) noexcept {
  if (!web_to_legacy_.enabled()) return w2l_.drops.bump(Drop::Inactive);
  if (const auto drop = w2l_transcoder_->push(packet->data())) return w2l_.drops.bump(*drop);
  const auto now = packet->arrival;
  for (;;) {
    packet->reset();
    const std::size_t size = w2l_transcoder_->pull(packet->writable_tail().first(kPacketDataCapacity));
    if (size == 0 || !packet->set_size(size)) break;
    const std::uint32_t ts = rtp_timestamp(packet->data());
    if (legacy_srtp_out_) {
      if (const SrtpStatus status = legacy_srtp_out_->protect_rtp(*packet); status != SrtpStatus::Ok) {
        w2l_.drops.bump(to_drop(status));
        continue;
      }
    }
    if (!legacy_->send(LegacyChannel::Rtp, *packet)) continue;  // counted by the endpoint
    ++w2l_.packets_out;
    w2l_.bytes_out += packet->size();
    legacy_reporter_->on_sent(ts, size - Transcoder::kRtpHeader, now);
  }
  if (legacy_reporter_->due(now)) send_legacy_report(now);
}

void MediaSession::transcode_legacy_rtp(PacketPtr packet) noexcept {
  if (!legacy_to_web_.enabled()) return l2w_.drops.bump(Drop::Inactive);
  if (const auto drop = l2w_transcoder_->push(packet->data())) return l2w_.drops.bump(*drop);
  const auto now = packet->arrival;
  for (;;) {
    packet->reset();
    const std::size_t size = l2w_transcoder_->pull(packet->writable_tail().first(kPacketDataCapacity));
    if (size == 0 || !packet->set_size(size)) break;
    const std::uint32_t ts = rtp_timestamp(packet->data());
    if (const SrtpStatus status = srtp_out_->protect_rtp(*packet); status != SrtpStatus::Ok) {
      l2w_.drops.bump(to_drop(status));
      continue;
    }
    if (!ice_->send(packet->data())) continue;  // counted by the transport
    ++l2w_.packets_out;
    l2w_.bytes_out += packet->size();
    web_reporter_->on_sent(ts, size - Transcoder::kRtpHeader, now);
  }
  if (web_reporter_->due(now)) send_web_report(now);
}

void MediaSession::send_legacy_report(std::chrono::steady_clock::time_point now) noexcept {
  PacketPtr report = services_.pool.acquire();
  if (!report) return w2l_.drops.bump(Drop::PoolExhausted);
  const std::uint32_t remote = l2w_transcoder_ ? l2w_transcoder_->input_ssrc() : 0;
  const std::size_t size =
      legacy_reporter_->write(report->writable_tail().first(kPacketDataCapacity), now,
                              std::chrono::system_clock::now(), remote, l2w_seq_, l2w_jitter_);
  if (size == 0 || !report->set_size(size)) return;
  if (legacy_srtp_out_) {
    if (const SrtpStatus status = legacy_srtp_out_->protect_rtcp(*report); status != SrtpStatus::Ok)
      return w2l_.drops.bump(to_drop(status));
  }
  if (legacy_->send(LegacyChannel::Rtcp, *report)) ++w2l_.rtcp_out;
}

void MediaSession::send_web_report(std::chrono::steady_clock::time_point now) noexcept {
  PacketPtr report = services_.pool.acquire();
  if (!report) return l2w_.drops.bump(Drop::PoolExhausted);
  const std::uint32_t remote = w2l_transcoder_ ? w2l_transcoder_->input_ssrc() : 0;
  const std::size_t size =
      web_reporter_->write(report->writable_tail().first(kPacketDataCapacity), now,
                           std::chrono::system_clock::now(), remote, w2l_seq_, w2l_jitter_);
  if (size == 0 || !report->set_size(size)) return;
  if (const SrtpStatus status = srtp_out_->protect_rtcp(*report); status != SrtpStatus::Ok)
    return l2w_.drops.bump(to_drop(status));
  if (ice_->send(report->data())) ++l2w_.rtcp_out;
}

}  // namespace rtcgate::media
