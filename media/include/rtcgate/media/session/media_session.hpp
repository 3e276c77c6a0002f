// MediaSession: one call's media on one worker — a web leg (ICE + DTLS-SRTP) and a legacy leg
// (plain RTP/RTCP on a UdpEndpoint) with a passthrough relay between them.
//
// Packet path, web -> legacy (DESIGN.md "The packet path"):
//   IceTransport receive (pool buffer) -> classify (RFC 7983) -> DTLS: DtlsEndpoint::feed
//   -> SRTP: unprotect in place -> RtpView::parse -> stats -> RouteState::apply -> UdpEndpoint::send
//   -> SRTCP: unprotect in place -> SSRC rewrite -> RTCP report stats -> UdpEndpoint::send (RTCP)
// legacy -> web:
//   UdpEndpoint receive (latched, pool buffer) -> RtpView::parse -> stats -> RouteState::apply
//   -> SrtpOutbound::protect in place (tail room) -> IceTransport::send; RTCP the same way as SRTCP.
// With LegacySrtp (SDES) the legacy leg is SRTP too: what it sends is unprotected in place before
// anything reads it, and what we send it is protected in place (with its own keys) just before the
// send, so the relay in between always sees plain RTP/RTCP.
// A transcoded direction (RoutePlan::transcode) replaces RouteState::apply with Transcoder push/pull:
// the decoded input's buffer carries each output packet in turn; RTCP then stays on its leg (our own
// SR/RR per leg, session_transcode.cpp).
// Nothing on these paths allocates, locks, logs or throws; every discarded packet is counted by
// reason in the direction's FlowStats.
// DTLS (RFC 5763/5764): the endpoint starts when ICE connects; its retransmission deadline runs on an
// Asio timer; keys from the handshake create the SRTP contexts. A fingerprint mismatch fails DTLS.
//
// Ownership: owned by its worker (MediaEngine), which keeps the SessionServices alive longer.
// Events go to the SessionObserver synchronously on the worker thread.
// Thread affinity: the owning worker, for every member.
#pragma once

#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "rtcgate/media/dtls/dtls_context.hpp"
#include "rtcgate/media/dtls/dtls_endpoint.hpp"
#include "rtcgate/media/ice/ice_transport.hpp"
#include "rtcgate/media/io/udp_endpoint.hpp"
#include "rtcgate/media/rtp/sequence.hpp"
#include "rtcgate/media/session/route_plan.hpp"
#include "rtcgate/media/session/session_types.hpp"
#include "rtcgate/media/srtp/srtp_session.hpp"
#include "rtcgate/media/transcode/rtcp_reporter.hpp"
#include "rtcgate/media/transcode/transcoder.hpp"

namespace rtcgate::media {

struct SessionServices {
  boost::asio::io_context& io;
  FdPoller& poller;
  GlibLoopSet& glib;
  PacketPool& pool;
  PortAllocator& ports;
  DtlsContext& dtls;
};

class SessionObserver {
 public:
  virtual void on_session_event(SessionEvent event) = 0;

 protected:
  ~SessionObserver() = default;
};

class MediaSession final : private IceTransport::Observer,
                           private DtlsObserver,
                           private UdpEndpoint::Receiver {
 public:
  static std::expected<std::unique_ptr<MediaSession>, std::string> create(SessionServices services,
                                                                          SessionId id,
                                                                          const MediaSessionConfig& config,
                                                                          SessionObserver& observer);
  ~MediaSession();
  MediaSession(const MediaSession&) = delete;
  MediaSession& operator=(const MediaSession&) = delete;

  // Reports SessionCreated and starts gathering (candidates follow as events).
  void start();
  void set_remote_ice(const IceCredentials& credentials, const std::vector<IceCandidate>& candidates,
                      bool end_of_candidates);
  void add_remote_candidate(const IceCandidate& candidate);
  void end_of_remote_candidates();
  // RFC 8445 §9: new local credentials (reported as IceRestarted); the remote ones follow with
  // set_remote_ice().
  void ice_restart();
  void set_remote_fingerprint(const Fingerprint& fingerprint);
  void set_remote_legacy(const LegacyRemote& remote);
  void set_plans(const RoutePlan& web_to_legacy, const RoutePlan& legacy_to_web);
  void set_direction(bool web_to_legacy, bool legacy_to_web);

  [[nodiscard]] SessionId id() const noexcept { return id_; }
  [[nodiscard]] SessionStats stats() const;

  // Packet-path entry points (public for benchmarks that drive the path without sockets).
  void on_ice_packet(PacketPtr packet) noexcept override;
  void on_legacy_packet(LegacyChannel channel, PacketPtr packet) noexcept override;

 private:
  MediaSession(SessionServices services, SessionId id, const MediaSessionConfig& config,
               SessionObserver& observer);

  // IceTransport::Observer
  void on_local_candidate(const IceCandidate& candidate) override;
  void on_gathering_done() override;
  void on_ice_state(IceState state) override;
  void on_consent_lost() override;
  // DtlsObserver
  void on_dtls_send(std::span<const std::byte> datagram) override;
  void on_dtls_connected(const SrtpKeys& keys) override;
  void on_dtls_failed(DtlsError error) override;
  void on_dtls_closed() override;

  void web_rtp(PacketPtr packet) noexcept;
  void web_rtcp(PacketPtr packet) noexcept;
  void legacy_rtp(PacketPtr packet) noexcept;
  void legacy_rtcp(PacketPtr packet) noexcept;
  void arm_dtls_timer();
  void emit(SessionEventBody body);

  // Transcoding (session_transcode.cpp): a direction whose plan has a TranscodePlan runs through
  // its Transcoder, and each leg gets its own RTCP instead of the other leg's.
  [[nodiscard]] std::optional<std::string> install_transcoders(const RoutePlan& web_to_legacy,
                                                               const RoutePlan& legacy_to_web);
  [[nodiscard]] bool transcoding() const noexcept { return w2l_transcoder_ || l2w_transcoder_; }
  void transcode_web_rtp(PacketPtr packet) noexcept;
  void transcode_legacy_rtp(PacketPtr packet) noexcept;
  void consume_web_rtcp(const PacketBuffer& packet) noexcept;
  void consume_legacy_rtcp(const PacketBuffer& packet) noexcept;
  void send_legacy_report(std::chrono::steady_clock::time_point now) noexcept;
  void send_web_report(std::chrono::steady_clock::time_point now) noexcept;

  SessionServices services_;
  SessionId id_;
  MediaSessionConfig config_;
  SessionObserver& observer_;
  std::unique_ptr<IceTransport> ice_;
  std::unique_ptr<UdpEndpoint> legacy_;
  std::unique_ptr<DtlsEndpoint> dtls_;
  std::optional<SrtpInbound> srtp_in_;
  std::optional<SrtpOutbound> srtp_out_;
  std::optional<SrtpInbound> legacy_srtp_in_;  // SDES; empty for a plain RTP legacy leg
  std::optional<SrtpOutbound> legacy_srtp_out_;
  boost::asio::steady_timer dtls_timer_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  bool dtls_started_ = false;

  RouteState web_to_legacy_;
  RouteState legacy_to_web_;
  FlowStats w2l_;
  FlowStats l2w_;
  SequenceTracker w2l_seq_;
  SequenceTracker l2w_seq_;
  JitterEstimator w2l_jitter_;
  JitterEstimator l2w_jitter_;

  std::unique_ptr<Transcoder> w2l_transcoder_;
  std::unique_ptr<Transcoder> l2w_transcoder_;
  std::optional<RtcpReporter> legacy_reporter_;  // about what we send the legacy leg
  std::optional<RtcpReporter> web_reporter_;     // about what we send the browser
};

}  // namespace rtcgate::media
