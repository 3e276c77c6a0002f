// Call: the state of one bridged call inside the B2BUA — its web leg (we are the UAS of the
// browser's INVITE), its legacy leg (we are the UAC of the INVITE to the PBX) and its media session.
//
// States (browser → PBX):
//   Creating   INVITE checked, media session being created (waiting for SessionCreated)
//   Resolving  legacy offer built, resolving the PBX address
//   Calling    INVITE sent to the PBX; 1xx relayed to the browser
//   Answering  the PBX answered (ACKed); our 200 waits for candidate gathering to finish
//   Active     200 sent to the browser (ACK awaited by the AnswerRetransmitter)
//   Ending     BYE/CANCEL sent, waiting for the media session's last stats
// Owned by B2bua in a map keyed by the call id; every callback looks the call up by id.
// Thread affinity: the signaling thread.
#pragma once

#include "mid_call.hpp"
#include "rtcgate/gateway/b2bua/refresh_method.hpp"
#include "rtcgate/gateway/b2bua/session_timer.hpp"
#include "rtcgate/gateway/codec_policy.hpp"
#include "rtcgate/gateway/media_params.hpp"

#include <rtcgate/media/session/session_types.hpp>
#include <rtcgate/sdp/negotiate.hpp>
#include <rtcgate/sdp/profiles.hpp>
#include <rtcgate/sip/dialog/answer_retransmitter.hpp>
#include <rtcgate/sip/dialog/dialog.hpp>
#include <rtcgate/sip/transaction_layer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rtcgate::gateway::b2bua {

enum class CallState : std::uint8_t { Creating, Resolving, Calling, Answering, Active, Ending };
std::string_view to_string(CallState state);

struct WebLeg {
  sip::TransactionId invite_txn{};
  bool invite_pending = true;  // no final response sent yet
  sip::Message invite;
  sip::Flow flow;
  std::string local_tag;
  sdp::SessionDescription offer;
  std::optional<sdp::SessionDescription> answer;  // sent in 183 or 200
  std::optional<sdp::NegotiatedMedia> media;
  std::optional<sip::Dialog> dialog;
  std::optional<sip::Message> ok;  // our 200, retransmitted until the ACK
  std::unique_ptr<sip::AnswerRetransmitter> retransmitter;
  bool early_media_sent = false;
};

struct LegacyLeg {
  std::optional<sip::TransactionId> invite_txn;
  bool final_received = false;
  bool cancel_sent = false;
  bool auth_tried = false;                 // one retry with [pbx] credentials (RFC 3261 §22.2)
  std::vector<std::string> tried_targets;  // Request-URIs a 3xx may not send us back to
  sip::Message invite;
  sip::Destination destination;
  std::uint16_t rtp_port = 0;
  sdp::SessionDescription offer;
  std::optional<sdp::NegotiatedMedia> media;
  std::optional<sip::Dialog> dialog;
};

// One INVITE with our WebRTC offer to one registration of the called user (PBX → browser).
struct Fork {
  sip::TransactionId txn{};
  sip::Message invite;
  sip::Flow flow;
  bool final_received = false;
};

// PBX → browser (inbound.cpp): we are the UAS of the PBX's INVITE and the UAC of one INVITE per
// registration of the called user; `web` then holds the winning fork, `legacy` the PBX's dialog.
struct InboundLeg {
  bool active = false;
  sip::TransactionId invite_txn{};
  bool invite_pending = true;
  sip::Message invite;
  sip::Flow flow;
  std::string local_tag;
  // Without SDP in the PBX's INVITE (offerless), the offer we would make it stands in for its own
  // while we plan the browser's leg; the real one goes in our 2xx and its answer in the ACK.
  bool offerless = false;
  LegCodecs offer_codecs;  // offerless: the codecs of the offer in our 2xx
  sdp::SessionDescription pbx_offer;
  sdp::SessionDescription web_offer;
  std::vector<sip::Flow> targets;
  std::vector<std::string> target_uris;
  std::vector<Fork> forks;
  bool winner = false;
  bool ringing_sent = false;
  int best_status = 0;
  std::string best_reason;
  std::optional<sip::Message> ok;  // our 200 to the PBX, retransmitted until its ACK
  std::unique_ptr<sip::AnswerRetransmitter> retransmitter;
};

// One leg's RFC 4028 session timer (session_refresh.cpp), the interval we ask the PBX for, and
// how we refresh that leg's peer.
enum class SessionLeg : std::uint8_t { Web, Legacy };
struct LegSessionTimer {
  SessionTimer timer;
  sip::TimerHandle handle;
  std::uint32_t requested = kDefaultSessionExpires;
  bool retried_422 = false;
  PeerRefreshMethod peer;
  std::optional<sip::TransactionId> refresh_txn;  // our refresh, until its final response
  RefreshMethod refresh_sent = RefreshMethod::Update;
};

struct Call {
  std::string id;  // the browser's Call-ID: what every log line and /api/calls shows
  CallState state = CallState::Creating;
  std::chrono::steady_clock::time_point started;
  media::SessionId session = 0;
  WebLeg web;
  LegacyLeg legacy;
  InboundLeg inbound;
  MidCall mid;  // re-INVITE, UPDATE and INFO after the answer
  BridgePlan bridge;
  LocalWebParams local;
  bool media_created = false;
  std::uint64_t sdp_session_id = 0;
  std::uint64_t sdp_version = 1;
  std::string dialled_user;
  std::vector<std::string> dialog_keys;  // entries of B2bua's dialog index
  std::string ice_state = "new";
  std::string dtls_state = "new";
  sip::TimerHandle gather_timer;
  sip::TimerHandle stats_timer;
  LegSessionTimer web_session_timer;
  LegSessionTimer legacy_session_timer;
};

// We made the Call-ID of the INVITE to the PBX (browser → PBX) and of the forks to the browsers
// (PBX → browser); the other leg's is the caller's. RFC 3261 §14.1 makes the owner wait longer
// after a 491.
inline bool owns_call_id(const Call& call, bool legacy_leg) {
  return legacy_leg != call.inbound.active;
}

}  // namespace rtcgate::gateway::b2bua
