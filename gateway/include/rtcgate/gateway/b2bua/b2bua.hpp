// B2bua: the call control of rtcgate (DESIGN.md "Call flows that must work", issue 5): bridges a
// browser's SIP-over-WebSocket call with a WebRTC offer to the configured PBX with a legacy offer,
// and ties both dialogs to one media session of the MediaEngine.
//
// Browser → PBX (RFC 3261 §13, B2BUA per §6): the INVITE's offer is checked (400 unparseable,
// 488 not acceptable or not bridgeable) before anything is allocated; the media session is created
// (ICE+DTLS-SRTP web leg, plain RTP legacy leg); an INVITE with a legacy offer goes to `[pbx] uri`
// with the dialled user kept; 180/183 are relayed (183 with our WebRTC answer as early media once
// the PBX's SDP is known); the PBX's 2xx is ACKed and the browser gets 200 with the WebRTC answer,
// retransmitted until its ACK (§13.3.1.4). BYE from either side ends both legs; CANCEL before the
// answer is relayed (§9); a 300-302 is followed to its best SIP Contact (§8.1.3.4, redirect.hpp;
// the browser hears 181) until early media runs; other 3xx–6xx are mapped back; a PBX that never
// answers gives 408; a failed media session (ICE, DTLS, fingerprint, consent) ends both legs.
// PBX → browser (inbound.cpp): an INVITE that does not arrive over WebSocket is for a local user;
// it is forked with our WebRTC offer to every registration of that user (first 2xx wins, the
// others are cancelled), and the PBX gets 200 with a legacy answer to its own offer (or, to an
// INVITE without SDP, our offer, answered in its ACK); 404 for an
// unknown user, 480 without a registration, else the best final response of the forks.
// Mid-call (reinvite.cpp, info.cpp): re-INVITE and UPDATE from either leg are answered here or
// carried over to the other leg (hold/resume, ICE restart, codec change; 491 on glare); INFO DTMF
// is relayed, trickle-ice INFO from the browser applied; other methods get 501 with Allow.
// Every call is in the CallRegistry from INVITE to its end (then removed with its outcome); its
// media session is destroyed, which frees its ports. One log line per call event, with call_id.
// REGISTER from `[[users]]` is authenticated and recorded (LocalRegistrar); with
// `[registration] relay`, other browsers' REGISTERs are relayed to the PBX (RegistrationRelay) and
// the PBX's INVITEs for those registrations reach their WebSocket. Out of dialog, OPTIONS is
// answered 200; other methods get 405/501.
//
// Ownership: borrows the configuration, the SIP stack, the media engine and the registry; all must
// outlive it. Media events arrive through the sink made by media_sink(), which posts them to the
// signaling io_context. Thread affinity: the signaling thread for every member.
#pragma once

#include "rtcgate/gateway/b2bua/local_registrar.hpp"
#include "rtcgate/gateway/b2bua/registration_relay.hpp"
#include "rtcgate/gateway/b2bua/sip_stack.hpp"
#include "rtcgate/gateway/call_registry.hpp"
#include "rtcgate/gateway/config.hpp"
#include "rtcgate/gateway/log.hpp"

#include <rtcgate/media/worker/media_engine.hpp>
#include <rtcgate/sip/dialog/dialog.hpp>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rtcgate::gateway::b2bua {

struct Call;
struct Fork;
struct LegSessionTimer;
enum class SessionLeg : std::uint8_t;
enum class CallState : std::uint8_t;

class B2bua final : private SipHandler {
 public:
  // A media event sink that posts to `io` and hands the event to `*target` while it is set.
  static media::SessionEventSink media_sink(boost::asio::io_context& io, std::weak_ptr<B2bua*> target);

  B2bua(const Config& config, SipStack& sip, media::MediaEngine& media, CallRegistry& calls);
  ~B2bua();
  B2bua(const B2bua&) = delete;
  B2bua& operator=(const B2bua&) = delete;

  void on_media_event(const media::SessionEvent& event);

  // Refuses new calls with 503 from now on; calls still up after `grace` get BYE (or CANCEL).
  // `done` runs once no call is left (at once when there is none).
  void drain(std::chrono::milliseconds grace, std::function<void()> done);

  std::size_t call_count() const { return calls_.size(); }

 private:
  enum class Purpose : std::uint8_t {
    WebInvite,
    LegacyInvite,
    LegacyBye,
    WebBye,
    PbxInvite,
    ForkInvite,
    MidCallInvite,  // our re-INVITE carrying an offer of the other leg
    MidCallInfo,    // an INFO relayed from the other leg
    WebRefresh,
    LegacyRefresh,
    Other
  };
  struct TxnRef {
    std::string call;
    Purpose purpose = Purpose::Other;
    std::optional<sip::Flow> flow;  // a fork's WebSocket: a late 2xx is ACKed and ended there
  };
  struct Ending {
    std::string call;
    CallOutcome outcome = CallOutcome::Failed;
    sip::TimerHandle timer;
  };

  // SipHandler
  void on_request(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow) override;
  void on_ack(const sip::Message& ack, const sip::Flow& flow) override;
  void on_response(sip::TransactionId id, const sip::Message& response) override;
  void on_stray_2xx(const sip::Message& response, const sip::Flow& flow) override;
  void on_failure(sip::TransactionId id, sip::TransactionFailure failure) override;
  void on_terminated(sip::TransactionId id) override;
  void on_flow_closed(const sip::Flow& flow, std::error_code reason) override;

  // Requests (requests.cpp)
  void on_new_invite(sip::TransactionId id, const sip::Message& invite, const sip::Flow& flow);
  void on_in_dialog(sip::TransactionId id, const sip::Message& request);
  void on_bye(sip::TransactionId id, const sip::Message& bye, Call& call, bool from_web);
  void on_cancel(sip::TransactionId id, const sip::Message& cancel);
  void on_options(sip::TransactionId id, const sip::Message& options);
  void on_register(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow);
  void respond(sip::TransactionId id, const sip::Message& request, int status, std::string_view reason = {},
               std::string_view to_tag = {});

  // Mid-call offers: re-INVITE and UPDATE in either direction (reinvite.cpp)
  void on_reoffer(sip::TransactionId id, const sip::Message& request, Call& call, bool from_web);
  void relay_reoffer(Call& call);
  bool retry_reoffer_after_glare(Call& call);
  void on_reoffer_response(Call& call, sip::TransactionId id, const sip::Message& response);
  void on_reoffer_failed(Call& call, sip::TransactionId id, int status, std::string_view reason);
  void finish_reoffer(Call& call);
  void end_reoffer(Call& call, int status, std::string_view reason);
  void refuse_busy(sip::TransactionId id, const sip::Message& request);
  void retransmit_reinvite_ok(Call& call);
  bool on_mid_call_ack(Call& call, const sip::Message& ack);
  void on_ice_restarted(Call& call);
  void end_mid_call(Call& call);

  // INFO: DTMF relayed, trickle ICE (info.cpp)
  void on_info(sip::TransactionId id, const sip::Message& request, Call& call, bool from_web);
  void on_info_response(Call& call, sip::TransactionId id, int status);
  void trickle_to_web(Call& call);
  void refuse_method(sip::TransactionId id, const sip::Message& request);

  // Browser → PBX (outbound.cpp)
  void on_session_created(Call& call, const media::SessionCreated& created);
  void send_legacy_invite(Call& call);
  void on_legacy_response(Call& call, const sip::Message& response);
  void on_legacy_provisional(Call& call, const sip::Message& response);
  void on_legacy_success(Call& call, const sip::Message& response);
  void on_legacy_failure(Call& call, const sip::Message& response);
  bool take_legacy_answer(Call& call, const sip::Message& response);
  bool retry_with_credentials(Call& call, const sip::Message& challenge);
  bool follow_redirect(Call& call, const sip::Message& redirect);
  // The legacy leg of a browser → PBX call as /api/calls shows it (target, transport, codec once known).
  void publish_pbx_leg(Call& call);
  void ack_legacy(Call& call, const sip::Message& response);

  // PBX → browser (inbound.cpp)
  void on_pbx_invite(sip::TransactionId id, const sip::Message& invite, const sip::Flow& flow);
  void on_inbound_session_created(Call& call, const media::SessionCreated& created);
  void send_forks(Call& call);
  void on_fork_response(Call& call, sip::TransactionId id, const sip::Message& response);
  void on_fork_failed(Call& call, sip::TransactionId id, int status, std::string_view reason);
  void on_fork_answered(Call& call, Fork& fork, const sip::Message& response);
  bool answer_pbx(Call& call, const sip::Message& response);
  void on_offerless_ack(Call& call, const sip::Message& ack);
  void publish_legacy_leg(Call& call);
  void cancel_forks(Call& call);
  void end_late_fork(const sip::Message& invite, const sip::Message& response, const sip::Flow& flow);
  void fail_inbound(Call& call, int status, std::string_view reason);

  // The web leg's answer (answer.cpp)
  enum class Readiness : std::uint8_t { Ready, Waiting, Failed };
  Readiness prepare_web_answer(Call& call);
  void send_early_media(Call& call);
  void try_answer_web(Call& call);
  void send_web_ok(Call& call);
  sip::Message web_response(Call& call, int status, std::string_view reason);

  // Media events (media_events.cpp)
  void on_local_candidate(Call& call, const media::IceCandidate& candidate);
  void on_gathering_done(Call& call);
  void on_stats(Call& call, const media::SessionStats& stats);
  void on_media_failure(Call& call, std::string_view reason);
  void arm_stats_timer(Call& call);

  // Session timers, RFC 4028 (session_refresh.cpp)
  LegSessionTimer& leg_timer(Call& call, SessionLeg leg);
  bool refuse_short_session(sip::TransactionId id, const sip::Message& invite);
  void start_uas_session_timer(Call& call, SessionLeg leg, const sip::Message& request,
                               sip::Message& response);
  void start_uac_session_timer(Call& call, SessionLeg leg, const sip::Message& response);
  void ask_for_session_timer(Call& call, sip::Message& invite);
  bool retry_after_422(Call& call, const sip::Message& response);
  void on_refresh_request(sip::TransactionId id, const sip::Message& request, Call& call, bool from_web);
  void on_session_refreshed(Call& call, SessionLeg leg);
  void send_session_refresh(Call& call, SessionLeg leg);
  bool refresh_reinvite_out(const Call& call, SessionLeg leg) const;
  void on_refresh_response(Call& call, SessionLeg leg, sip::TransactionId id, const sip::Message& response);
  void ack_refresh(Call& call, SessionLeg leg, const sip::Message& reinvite, const sip::Message& response);
  void arm_session_timer(Call& call, SessionLeg leg);
  void stop_session_timers(Call& call);

  // Ending a call (teardown.cpp)
  void fail_call(Call& call, int status, std::string_view reason, CallOutcome outcome);
  void hang_up(Call& call, std::string_view why, CallOutcome outcome);
  void send_bye_web(Call& call);
  void send_bye_legacy(Call& call);
  void cancel_legacy(Call& call);
  void finish(Call& call, CallOutcome outcome, std::string_view why);
  void forget_session(media::SessionId session);

  // Bookkeeping (b2bua.cpp)
  Call* find_call(std::string_view id);
  Call* find_by_dialog(const sip::Message& request);
  void index_dialog(Call& call, const sip::Dialog& dialog);
  sip::Destination legacy_target(const Call& call) const;
  void bye_orphan(sip::TransactionId id, const sip::Message& response);
  std::optional<sip::TransactionId> send_request(Call& call, sip::Message request, const sip::Destination& to,
                                                 Purpose purpose);
  sip::Destination web_destination(const Call& call) const;
  sip::Uri contact_uri(sip::TransportKind kind, std::string_view user) const;
  void log_call(std::string_view event, const Call& call, std::initializer_list<LogField> extra = {});
  void check_drained();

  const Config& config_;
  SipStack& sip_;
  media::MediaEngine& media_;
  CallRegistry& registry_;
  LocalRegistrar registrar_;
  RegistrationRelay relay_;
  std::unordered_map<std::string, std::unique_ptr<Call>> calls_;
  std::unordered_map<std::uint64_t, TxnRef> txns_;
  std::unordered_map<std::string, std::string> dialogs_;  // call-id + ';' + local tag -> call
  std::unordered_map<media::SessionId, std::string> sessions_;
  std::unordered_map<media::SessionId, Ending> ending_;
  media::SessionId next_session_ = 1;
  bool draining_ = false;
  sip::TimerHandle drain_timer_;
  std::function<void()> drained_;
};

}  // namespace rtcgate::gateway::b2bua
