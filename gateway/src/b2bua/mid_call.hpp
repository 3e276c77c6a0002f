// MidCall: the state of a call's mid-call exchanges (reinvite.cpp, info.cpp) — the one offer in
// progress (RFC 3261 §14: at most one per dialog, so at most one per bridged call), the 2xx to a
// re-INVITE we answered (retransmitted until its ACK, §13.3.1.4), what each peer last said about
// its direction, and the INFO requests relayed from one leg to the other.
// Owned by its Call. Thread affinity: the signaling thread.
#pragma once

#include "rtcgate/gateway/b2bua/reoffer.hpp"

#include <rtcgate/sdp/session_description.hpp>
#include <rtcgate/sip/dialog/answer_retransmitter.hpp>
#include <rtcgate/sip/message.hpp>
#include <rtcgate/sip/transaction_layer.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rtcgate::gateway::b2bua {

// What every dialog of ours accepts (Allow, RFC 3261 §20.5).
inline constexpr std::string_view kAllowedMethods = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, INFO";

// A re-INVITE or UPDATE with an offer from one leg, answered by us or relayed to the other leg.
struct PendingOffer {
  Side from = Side::Web;
  sip::TransactionId server_txn{};
  sip::Message request;
  sdp::SessionDescription offer;
  sdp::Direction stated = sdp::Direction::SendRecv;  // the offerer's direction
  WebReoffer web;                                    // how the browser's offer was classified (from == Web)
  bool relayed = false;
  std::optional<sip::TransactionId> client_txn;  // our re-INVITE on the other leg
  sip::Message client_request;
  sdp::SessionDescription client_offer;
  std::optional<sdp::NegotiatedMedia> other;  // the other leg's answer to client_offer
  bool awaiting_ice_restart = false;          // our new ICE credentials are not known yet
  int glare_retries = 0;                      // our re-INVITE got 491 and was sent again
};

// How often our relayed re-INVITE is sent again after a 491 before the 491 goes to the offerer.
inline constexpr int kGlareRetries = 2;

// Our 2xx to a re-INVITE; its ACK may carry the answer to an offer we put in it (§14.2 without
// SDP in the re-INVITE).
struct SentOk {
  Side to = Side::Web;
  sip::TransactionId txn{};
  sip::Message request;
  sip::Message ok;
  std::optional<sdp::SessionDescription> offer;
  std::unique_ptr<sip::AnswerRetransmitter> retransmitter;
};

struct RelayedInfo {
  sip::TransactionId server_txn{};
  sip::Message request;
};

// The message lists trickle-ice in its Recv-Info (RFC 6086 §5.2.2, RFC 8840 §5).
bool accepts_trickle_info(const sip::Message& message);

struct MidCall {
  std::optional<PendingOffer> pending;
  std::optional<SentOk> sent_ok;
  std::optional<sdp::Direction> web_peer;     // the browser's last stated direction
  std::optional<sdp::Direction> legacy_peer;  // the PBX's
  std::uint64_t web_version = 1;              // o= version of our last description on each leg
  std::uint64_t legacy_version = 1;
  // Our last description that each leg accepted, as sent: a session refresh by re-INVITE repeats
  // it unchanged (RFC 4028 §9, RFC 3264 §8).
  std::string web_sdp;
  std::string legacy_sdp;
  std::unordered_map<std::uint64_t, RelayedInfo> infos;  // by our INFO's client transaction
  bool web_trickle = false;  // the browser takes trickle-ice INFO (Recv-Info, RFC 8840 §5)
  std::size_t trickled = 0;  // our candidates already in the answer or an INFO
};

}  // namespace rtcgate::gateway::b2bua
