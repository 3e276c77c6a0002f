#include "rtcgate/media/session/media_session.hpp"

#include <chrono>

#include "rtcgate/media/io/address.hpp"
#include "rtcgate/media/packet/classify.hpp"
#include "rtcgate/media/rtp/rtcp_view.hpp"
#include "rtcgate/media/rtp/rtp_view.hpp"

namespace rtcgate::media {
namespace {

using Clock = std::chrono::steady_clock;

// The report block about `ssrc` in a compound, if any (RFC 3550 §6.4.1).
std::optional<RtcpReportBlock> report_about(std::span<const std::byte> compound,
                                            std::uint32_t ssrc) noexcept {
  auto parsed = RtcpCompound::parse(compound);
  if (!parsed) return std::nullopt;
  std::optional<RtcpReportBlock> found;
  parsed->for_each([&](const RtcpPacket& packet) {
    if (packet.type() != rtcp_type::kSenderReport && packet.type() != rtcp_type::kReceiverReport) return;
    for (std::size_t i = 0; i < packet.count(); ++i) {
      const RtcpReportBlock block = packet.report_block(i);
      if (block.ssrc == ssrc) found = block;
    }
  });
  return found;
}

void note_report(FlowStats& flow, const std::optional<RtcpReportBlock>& block,
                 std::uint32_t clock_rate) noexcept {
  if (!block) return;
  flow.reported_fraction_lost = block->fraction_lost;
  flow.reported_lost = block->cumulative_lost;
  flow.reported_jitter_ms = clock_rate == 0 ? 0.0 : 1000.0 * block->jitter / clock_rate;
}

}  // namespace

MediaSession::MediaSession(SessionServices services, SessionId id, const MediaSessionConfig& config,
                           SessionObserver& observer)
    : services_(services),
      id_(id),
      config_(config),
      observer_(observer),
      dtls_timer_(services.io),
      w2l_jitter_(config.web_to_legacy.clock_rate),
      l2w_jitter_(config.legacy_to_web.clock_rate) {
  web_to_legacy_.set_plan(config.web_to_legacy);
  legacy_to_web_.set_plan(config.legacy_to_web);
}

std::expected<std::unique_ptr<MediaSession>, std::string> MediaSession::create(
    SessionServices services, SessionId id, const MediaSessionConfig& config, SessionObserver& observer) {
  std::unique_ptr<MediaSession> session(new MediaSession(services, id, config, observer));
  if (auto error = session->install_transcoders(config.web_to_legacy, config.legacy_to_web))
    return std::unexpected(*error);
  auto legacy = UdpEndpoint::open(services.poller, services.pool, services.ports, config.legacy, *session);
  if (!legacy) return std::unexpected("legacy ports: " + legacy.error().message());
  session->legacy_ = std::move(*legacy);
  if (config.legacy_remote) session->set_remote_legacy(*config.legacy_remote);
  if (config.legacy_srtp) {
    auto in = SrtpInbound::create(config.legacy_srtp->remote);
    if (!in) return std::unexpected("legacy srtp: " + std::string(to_string(in.error())));
    auto out = SrtpOutbound::create(config.legacy_srtp->local);
    if (!out) return std::unexpected("legacy srtp: " + std::string(to_string(out.error())));
    session->legacy_srtp_in_.emplace(std::move(*in));
    session->legacy_srtp_out_.emplace(std::move(*out));
  }
  auto dtls = DtlsEndpoint::create(services.dtls, config.dtls_role, *session);
  if (!dtls) return std::unexpected("dtls: " + describe(dtls.error()));
  session->dtls_ = std::move(*dtls);
  if (config.remote_fingerprint) session->dtls_->set_remote_fingerprint(*config.remote_fingerprint);
  auto ice = IceTransport::create(services.poller, services.glib, services.pool, config.ice, *session);
  if (!ice) return std::unexpected("ice: " + ice.error().message());
  session->ice_ = std::move(*ice);
  return session;
}

MediaSession::~MediaSession() {
  *alive_ = false;
  dtls_timer_.cancel();
  ice_.reset();  // first: no more packets or DTLS sends into a half-destroyed session
  legacy_.reset();
}

void MediaSession::emit(SessionEventBody body) {
  observer_.on_session_event(SessionEvent{id_, std::move(body)});
}

void MediaSession::start() {
  emit(SessionCreated{ice_->local_credentials(), services_.dtls.certificate().fingerprint(),
                      legacy_->rtp_port(), legacy_->rtcp_port()});
  if (auto ec = ice_->gather()) emit(SessionFailed{"ice gathering: " + ec.message()});
}

void MediaSession::set_remote_ice(const IceCredentials& credentials,
                                  const std::vector<IceCandidate>& candidates, bool end_of_candidates) {
  if (auto ec = ice_->set_remote_credentials(credentials))
    emit(SessionFailed{"ice credentials: " + ec.message()});
  for (const IceCandidate& candidate : candidates)
    add_remote_candidate(candidate);
  if (end_of_candidates) ice_->end_of_remote_candidates();
}

void MediaSession::add_remote_candidate(const IceCandidate& candidate) {
  // An unusable candidate (TCP, another component, over the cap) is ignored, as RFC 8445 §5.1.3 lets
  // an agent ignore candidates it cannot use; the call goes on with the others.
  (void)ice_->add_remote_candidate(candidate);
}

void MediaSession::end_of_remote_candidates() {
  ice_->end_of_remote_candidates();
}

void MediaSession::ice_restart() {
  if (auto ec = ice_->restart()) {
    emit(SessionFailed{"ice restart: " + ec.message()});
    return;
  }
  emit(IceRestarted{ice_->local_credentials()});
}

void MediaSession::set_remote_fingerprint(const Fingerprint& fingerprint) {
  dtls_->set_remote_fingerprint(fingerprint);
  arm_dtls_timer();
}

void MediaSession::set_remote_legacy(const LegacyRemote& remote) {
  const auto rtp = make_socket_address(remote.address, remote.rtp_port);
  if (!rtp) {
    emit(SessionFailed{"legacy address: " + remote.address});
    return;
  }
  std::optional<SocketAddress> rtcp;
  if (remote.rtcp_port != 0) rtcp = make_socket_address(remote.address, remote.rtcp_port);
  legacy_->set_remote(*rtp, rtcp);
}

void MediaSession::set_plans(const RoutePlan& web_to_legacy, const RoutePlan& legacy_to_web) {
  web_to_legacy_.set_plan(web_to_legacy);
  legacy_to_web_.set_plan(legacy_to_web);
  // Jitter is kept in the source's RTP clock, which the first plan may only now name (48000 for Opus).
  if (w2l_jitter_.clock_rate() != web_to_legacy.clock_rate)
    w2l_jitter_ = JitterEstimator(web_to_legacy.clock_rate);
  if (l2w_jitter_.clock_rate() != legacy_to_web.clock_rate)
    l2w_jitter_ = JitterEstimator(legacy_to_web.clock_rate);
  if (auto error = install_transcoders(web_to_legacy, legacy_to_web)) emit(SessionFailed{*error});
}

void MediaSession::set_direction(bool web_to_legacy, bool legacy_to_web) {
  web_to_legacy_.set_enabled(web_to_legacy);
  legacy_to_web_.set_enabled(legacy_to_web);
}

SessionStats MediaSession::stats() const {
  SessionStats out;
  out.id = id_;
  out.ice_state = ice_->state();
  out.dtls_state = dtls_->state();
  out.selected_remote = ice_->selected_remote();
  out.legacy_rtp_port = legacy_->rtp_port();
  out.web_to_legacy = w2l_;
  out.legacy_to_web = l2w_;
  out.web_to_legacy.lost = w2l_seq_.lost();
  out.legacy_to_web.lost = l2w_seq_.lost();
  out.web_to_legacy.jitter_ms = w2l_jitter_.jitter_ms();
  out.legacy_to_web.jitter_ms = l2w_jitter_.jitter_ms();
  out.web_transport = ice_->counters();
  out.legacy_transport = legacy_->counters();
  return out;
}

// ---- ICE and DTLS events -------------------------------------------------------------------------

void MediaSession::on_local_candidate(const IceCandidate& candidate) {
  emit(LocalCandidate{candidate});
}

void MediaSession::on_gathering_done() {
  emit(GatheringDone{});
}

void MediaSession::on_ice_state(IceState state) {
  emit(IceStateChanged{state});
  if ((state == IceState::Connected || state == IceState::Ready) && !dtls_started_) {
    dtls_started_ = true;
    dtls_->start(Clock::now());
    arm_dtls_timer();
  }
}

void MediaSession::on_consent_lost() {
  emit(ConsentLost{});
}

void MediaSession::on_dtls_send(std::span<const std::byte> datagram) {
  (void)ice_->send(datagram);
}

void MediaSession::on_dtls_connected(const SrtpKeys& keys) {
  auto in = SrtpInbound::create(keys.remote);
  auto out = SrtpOutbound::create(keys.local);
  if (!in || !out) {
    emit(SessionFailed{"srtp: " + std::string(to_string(!in ? in.error() : out.error()))});
    return;
  }
  srtp_in_.emplace(std::move(*in));
  srtp_out_.emplace(std::move(*out));
  emit(DtlsConnected{keys.profile()});
}

void MediaSession::on_dtls_failed(DtlsError error) {
  emit(DtlsFailed{describe(error)});
}

void MediaSession::on_dtls_closed() {
  emit(DtlsFailed{"closed by the peer (close_notify)"});
}

void MediaSession::arm_dtls_timer() {
  const auto deadline = dtls_->next_timeout();
  if (!deadline) {
    dtls_timer_.cancel();
    return;
  }
  dtls_timer_.expires_at(*deadline);
  dtls_timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](boost::system::error_code ec) {
    const auto guard = alive.lock();
    if (ec || !guard || !*guard) return;
    dtls_->handle_timeout(Clock::now());
    arm_dtls_timer();
  });
}

// ---- packet path ---------------------------------------------------------------------------------

void MediaSession::on_ice_packet(PacketPtr packet) noexcept {
  switch (classify(packet->data())) {
    case PacketKind::Rtp:
      return web_rtp(std::move(packet));
    case PacketKind::Rtcp:
      return web_rtcp(std::move(packet));
    case PacketKind::Dtls:
      dtls_->feed(packet->data(), packet->arrival);
      arm_dtls_timer();
      return;
    default:
      w2l_.drops.bump(Drop::NotRtp);
      return;
  }
}

void MediaSession::web_rtp(PacketPtr packet) noexcept {
  ++w2l_.packets_in;
  w2l_.bytes_in += packet->size();
  if (!srtp_in_) return w2l_.drops.bump(Drop::NotReady);
  if (const SrtpStatus status = srtp_in_->unprotect_rtp(*packet); status != SrtpStatus::Ok)
    return w2l_.drops.bump(to_drop(status));
  const auto view = RtpView::parse(packet->data());
  if (!view) return w2l_.drops.bump(Drop::Malformed);
  w2l_seq_.update(view->sequence());
  w2l_jitter_.update(packet->arrival, view->timestamp());
  if (w2l_transcoder_) return transcode_web_rtp(std::move(packet));
  if (const auto drop = web_to_legacy_.apply(packet->data(), packet->arrival)) return w2l_.drops.bump(*drop);
  if (legacy_srtp_out_) {
    if (const SrtpStatus status = legacy_srtp_out_->protect_rtp(*packet); status != SrtpStatus::Ok)
      return w2l_.drops.bump(to_drop(status));
  }
  if (!legacy_->send(LegacyChannel::Rtp, *packet)) return;  // counted by the endpoint
  ++w2l_.packets_out;
  w2l_.bytes_out += packet->size();
}

// SRTCP -> RTCP: the legacy leg must see the SSRCs it knows (what we send it, what it sends us).
void MediaSession::web_rtcp(PacketPtr packet) noexcept {
  ++w2l_.rtcp_in;
  if (!srtp_in_) return w2l_.drops.bump(Drop::NotReady);
  if (const SrtpStatus status = srtp_in_->unprotect_rtcp(*packet); status != SrtpStatus::Ok)
    return w2l_.drops.bump(to_drop(status));
  if (transcoding()) return consume_web_rtcp(*packet);
  const SsrcMapping sender{web_to_legacy_.input_ssrc(), web_to_legacy_.output_ssrc()};
  const SsrcMapping media{legacy_to_web_.output_ssrc(), legacy_to_web_.input_ssrc()};
  if (!rewrite_rtcp_ssrcs(packet->data(), sender, media)) return w2l_.drops.bump(Drop::Malformed);
  // The browser reports on what we sent it: the legacy stream (its SSRC after the rewrite).
  note_report(l2w_, report_about(packet->data(), legacy_to_web_.input_ssrc()), legacy_to_web_.clock_rate());
  if (legacy_srtp_out_) {
    if (const SrtpStatus status = legacy_srtp_out_->protect_rtcp(*packet); status != SrtpStatus::Ok)
      return w2l_.drops.bump(to_drop(status));
  }
  if (legacy_->send(LegacyChannel::Rtcp, *packet)) ++w2l_.rtcp_out;
}

void MediaSession::on_legacy_packet(LegacyChannel channel, PacketPtr packet) noexcept {
  if (channel == LegacyChannel::Rtp) return legacy_rtp(std::move(packet));
  legacy_rtcp(std::move(packet));
}

void MediaSession::legacy_rtp(PacketPtr packet) noexcept {
  ++l2w_.packets_in;
  l2w_.bytes_in += packet->size();
  if (legacy_srtp_in_) {
    if (const SrtpStatus status = legacy_srtp_in_->unprotect_rtp(*packet); status != SrtpStatus::Ok)
      return l2w_.drops.bump(to_drop(status));
  }
  const auto view = RtpView::parse(packet->data());
  if (!view) return l2w_.drops.bump(Drop::Malformed);
  l2w_seq_.update(view->sequence());
  l2w_jitter_.update(packet->arrival, view->timestamp());
  if (!srtp_out_ || !ice_->writable()) return l2w_.drops.bump(Drop::NotReady);
  if (l2w_transcoder_) return transcode_legacy_rtp(std::move(packet));
  if (const auto drop = legacy_to_web_.apply(packet->data(), packet->arrival)) return l2w_.drops.bump(*drop);
  if (const SrtpStatus status = srtp_out_->protect_rtp(*packet); status != SrtpStatus::Ok)
    return l2w_.drops.bump(to_drop(status));
  if (!ice_->send(packet->data())) return;  // counted by the transport
  ++l2w_.packets_out;
  l2w_.bytes_out += packet->size();
}

// RTCP -> SRTCP, with the browser-side SSRCs.
void MediaSession::legacy_rtcp(PacketPtr packet) noexcept {
  ++l2w_.rtcp_in;
  if (legacy_srtp_in_) {
    if (const SrtpStatus status = legacy_srtp_in_->unprotect_rtcp(*packet); status != SrtpStatus::Ok)
      return l2w_.drops.bump(to_drop(status));
  }
  if (!srtp_out_ || !ice_->writable()) return l2w_.drops.bump(Drop::NotReady);
  if (transcoding()) return consume_legacy_rtcp(*packet);
  // The PBX reports on what we sent it: our web->legacy output SSRC (before the rewrite).
  note_report(w2l_, report_about(packet->data(), web_to_legacy_.output_ssrc()), web_to_legacy_.clock_rate());
  const SsrcMapping sender{legacy_to_web_.input_ssrc(), legacy_to_web_.output_ssrc()};
  const SsrcMapping media{web_to_legacy_.output_ssrc(), web_to_legacy_.input_ssrc()};
  if (!rewrite_rtcp_ssrcs(packet->data(), sender, media)) return l2w_.drops.bump(Drop::Malformed);
  if (const SrtpStatus status = srtp_out_->protect_rtcp(*packet); status != SrtpStatus::Ok)
    return l2w_.drops.bump(to_drop(status));
  if (ice_->send(packet->data())) ++l2w_.rtcp_out;
}

// Transcoding: the peer's RTCP is about the streams of its own leg only; it feeds our statistics and
// stops here (each leg gets our own reports, session_transcode.cpp).
void MediaSession::consume_web_rtcp(const PacketBuffer& packet) noexcept {
  if (l2w_transcoder_)
    note_report(l2w_, report_about(packet.data(), l2w_transcoder_->output_ssrc()),
                l2w_transcoder_->output_clock_rate());
}

void MediaSession::consume_legacy_rtcp(const PacketBuffer& packet) noexcept {
  if (w2l_transcoder_)
    note_report(w2l_, report_about(packet.data(), w2l_transcoder_->output_ssrc()),
                w2l_transcoder_->output_clock_rate());
}

}  // namespace rtcgate::media
