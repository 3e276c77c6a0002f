// Mid-call offers in either direction (RFC 3261 §14 re-INVITE, RFC 3311 UPDATE, RFC 3264 §8):
// an offer that changes what the other leg must do (its direction: hold and resume, §8.4; or a
// codec the call does not run on) is carried over to the other leg in a re-INVITE and our answer
// waits for that leg's; an offer that changes nothing there (an ICE restart, RFC 8839 §4.4.1.1.1;
// a session refresh) is answered here. Once both legs agree, the media session gets the new
// direction of each relay, the plans and the legacy address.
// One offer per call at a time (§14.1/§14.2): an offer from the leg we are sending our own to is
// glare (491); another one while an offer is handled gets 500 with Retry-After. A 491 to the
// re-INVITE we relay is retried by us after §14.1's wait, not handed to the offerer. A re-INVITE
// without SDP gets our offer in the 2xx and its answer from the ACK; an UPDATE without SDP is
// answered 200 (a refresh).
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call.hpp"
#include "rtcgate/gateway/b2bua/offer_answer.hpp"
#include "rtcgate/gateway/b2bua/refresh_method.hpp"
#include "rtcgate/gateway/b2bua/reoffer.hpp"

#include "rtcgate/gateway/session_params.hpp"

#include <rtcgate/sdp/writer.hpp>
#include <rtcgate/sip/response.hpp>

#include <algorithm>
#include <chrono>
#include <random>

namespace rtcgate::gateway::b2bua {
namespace {

LegState web_state(const Call& call) {
  LegState state;
  state.side = Side::Web;
  state.local = call.local;
  state.dtls_role = call.web.media->dtls_role;
  state.codec = *call.web.media->codec;
  state.session = session_params(call.sdp_session_id, call.mid.web_version + 1);
  return state;
}

LegState legacy_state(const Call& call) {
  LegState state;
  state.side = Side::Legacy;
  state.rtp_port = call.legacy.rtp_port;
  state.codec = *call.legacy.media->codec;
  state.session = session_params(call.sdp_session_id, call.mid.legacy_version + 1);
  return state;
}

LegState state_of(const Call& call, Side side) {
  return side == Side::Web ? web_state(call) : legacy_state(call);
}

void bump_version(Call& call, Side side) {
  if (side == Side::Web)
    ++call.mid.web_version;
  else
    ++call.mid.legacy_version;
}

const sdp::NegotiatedMedia* accepted(const sdp::Answer& answer) {
  auto it = std::find_if(answer.media.begin(), answer.media.end(),
                         [](const sdp::NegotiatedMedia& m) { return m.accepted && m.codec; });
  return it == answer.media.end() ? nullptr : &*it;
}

// §14.2: "a Retry-After header field with a randomly chosen value of between 0 and 10 seconds".
std::string retry_after() {
  static std::minstd_rand rng{std::random_device{}()};
  return std::to_string(std::uniform_int_distribution<int>(0, 10)(rng));
}

std::string_view side_name(Side side) {
  return side == Side::Web ? "web" : "pbx";
}

SessionLeg session_leg(Side side) {
  return side == Side::Web ? SessionLeg::Web : SessionLeg::Legacy;
}

std::string& sent_sdp(Call& call, Side side) {
  return side == Side::Web ? call.mid.web_sdp : call.mid.legacy_sdp;
}

}  // namespace

void B2bua::on_reoffer(sip::TransactionId id, const sip::Message& request, Call& call, bool from_web) {
  const Side from = from_web ? Side::Web : Side::Legacy;
  const bool invite = request.method() == sip::Method::Invite;
  if (call.state != CallState::Active || !call.web.media || !call.legacy.media || !call.web.dialog ||
      !call.legacy.dialog || !call.web.media->codec || !call.legacy.media->codec)
    return respond(id, request, 491, "the call is not set up yet");
  if (call.mid.pending) {
    // §14.1: our own offer is out on this leg — glare. §14.2: one of its offers is still handled.
    if (call.mid.pending->relayed && call.mid.pending->from != from) return respond(id, request, 491);
    return refuse_busy(id, request);
  }
  // Our session refresh re-INVITE to this leg crossed its offer (§14.1).
  if (refresh_reinvite_out(call, session_leg(from))) return respond(id, request, 491);
  if (call.mid.sent_ok && call.mid.sent_ok->offer && call.mid.sent_ok->to == from)
    return respond(id, request, 491, "our offer awaits its answer in the ACK");
  sip::Dialog& dialog = from_web ? *call.web.dialog : *call.legacy.dialog;
  if (request.body().empty()) {
    if (!invite) {
      sip::Message ok = sip::make_response(request, 200, "OK");
      ok.add("Allow", kAllowedMethods);
      (void)sip_.layer().send_response(id, ok);
      return;
    }
    sdp::Direction ours = from_web ? call.web.media->direction : call.legacy.media->direction;
    auto offer = current_offer(config_, state_of(call, from), ours);
    if (!offer) return respond(id, request, offer.error().status, offer.error().reason);
    bump_version(call, from);
    log_call("call.reoffer", call, {{"from", side_name(from)}, {"sdp", false}});
    sip::Message ok = sip::make_response(request, 200, "OK");
    sip::NameAddr contact;
    contact.uri = dialog.local_target();
    ok.add_contact(contact);
    ok.add("Allow", kAllowedMethods);
    sent_sdp(call, from) = sdp::write(*offer);
    ok.set_body(sent_sdp(call, from), "application/sdp");
    (void)sip_.layer().send_response(id, ok);
    call.mid.sent_ok.reset();
    SentOk sent;
    sent.to = from;
    sent.txn = id;
    sent.request = request;
    sent.ok = std::move(ok);
    sent.offer = std::move(*offer);
    call.mid.sent_ok = std::move(sent);
    retransmit_reinvite_ok(call);
    return;
  }
  auto offer = sdp_body(request);
  if (!offer) return respond(id, request, offer.error().status, offer.error().reason);
  PendingOffer pending;
  pending.from = from;
  pending.server_txn = id;
  pending.request = request;
  if (from_web) {
    const sdp::Direction previous = call.mid.web_peer.value_or(sdp::reverse(call.web.media->direction));
    auto classified = classify_web_reoffer(config_, call.local, *offer, previous, *call.web.media);
    if (!classified) return respond(id, request, classified.error().status, classified.error().reason);
    pending.web = std::move(*classified);
    pending.stated = pending.web.direction;
    pending.relayed = pending.web.needs_relay();
  } else {
    auto stated = stated_direction(*offer);
    if (!stated) return respond(id, request, 488, "re-offer without an audio stream");
    const sdp::Direction previous = call.mid.legacy_peer.value_or(sdp::reverse(call.legacy.media->direction));
    pending.stated = *stated;
    pending.relayed = *stated != previous || !offers_codec(*offer, *call.legacy.media->codec);
  }
  // The other leg has our session refresh re-INVITE out: the offer cannot go there yet (§14.2).
  if (pending.relayed && refresh_reinvite_out(call, session_leg(from_web ? Side::Legacy : Side::Web)))
    return refuse_busy(id, request);
  pending.offer = std::move(*offer);
  log_call("call.reoffer", call,
           {{"from", side_name(from)},
            {"method", invite ? "INVITE" : "UPDATE"},
            {"direction", sdp::to_string(pending.stated)},
            {"relay", pending.relayed},
            {"ice_restart", pending.web.ice_restart}});
  if (pending.web.ice_restart) {
    // Our new credentials come back in IceRestarted; the answer waits for them.
    pending.awaiting_ice_restart = true;
    media_.ice_restart(call.session);
    const RemoteWebParams& remote = pending.web.remote;
    media_.set_remote_ice(call.session, remote.credentials, remote.candidates, remote.end_of_candidates);
  }
  call.mid.pending = std::move(pending);
  if (!call.mid.pending->relayed) return finish_reoffer(call);
  relay_reoffer(call);
}

// Our re-INVITE on the other leg with the pending offer bridged to it (again after a 491: a new
// transaction and a new o= version, RFC 3264 §8).
void B2bua::relay_reoffer(Call& call) {
  PendingOffer& p = *call.mid.pending;
  const bool from_web = p.from == Side::Web;
  const Side to = from_web ? Side::Legacy : Side::Web;
  auto bridged = bridge_reoffer(config_, state_of(call, to), p.offer);
  if (!bridged) return end_reoffer(call, bridged.error().status, bridged.error().reason);
  sip::Dialog& other = from_web ? *call.legacy.dialog : *call.web.dialog;
  sip::Message reinvite = other.make_request(sip::Method::Invite);
  reinvite.add("Allow", kAllowedMethods);
  reinvite.set_body(sdp::write(*bridged), "application/sdp");
  bump_version(call, to);
  p.client_request = reinvite;
  p.client_offer = std::move(*bridged);
  auto txn = send_request(call, std::move(reinvite), from_web ? legacy_target(call) : web_destination(call),
                          Purpose::MidCallInvite);
  if (!txn) return end_reoffer(call, 503, "the other leg cannot be reached");
  if (call.mid.pending) call.mid.pending->client_txn = *txn;
}

// §14.1: the other leg had an offer of its own out (it answered 491). Rather than hand the 491 to
// the offerer (JsSIP, for one, ends a call whose hold got 491), retry after the random wait the
// RFC gives the Call-ID's owner (2.1-4 s) or the other party (0-2 s), with the offerer's
// transaction kept open; its offer is still the one to relay.
bool B2bua::retry_reoffer_after_glare(Call& call) {
  PendingOffer& p = *call.mid.pending;
  if (p.glare_retries >= kGlareRetries) return false;
  ++p.glare_retries;
  const Side to = p.from == Side::Web ? Side::Legacy : Side::Web;
  const auto wait = random_glare_wait(owns_call_id(call, to == Side::Legacy));
  log_call("call.reoffer_glare", call, {{"to", side_name(to)}, {"retry_in_ms", wait.count()}});
  p.client_txn.reset();
  sip_.timers().schedule(wait, [this, call_id = call.id, server_txn = p.server_txn] {
    Call* c = find_call(call_id);
    if (c == nullptr || !c->mid.pending || c->mid.pending->server_txn != server_txn ||
        c->mid.pending->client_txn)
      return;  // the offer was withdrawn or the call ended meanwhile
    relay_reoffer(*c);
  });
  return true;
}

void B2bua::on_reoffer_response(Call& call, sip::TransactionId id, const sip::Message& response) {
  const int status = response.status();
  if (status < 200) return;
  if (!call.mid.pending || call.mid.pending->client_txn != id) return;
  PendingOffer& p = *call.mid.pending;
  const Side to = p.from == Side::Web ? Side::Legacy : Side::Web;
  sip::Dialog& other = to == Side::Legacy ? *call.legacy.dialog : *call.web.dialog;
  if (status >= 300) {
    log_call("call.reoffer_refused", call, {{"to", side_name(to)}, {"code", status}});
    if (status == 491 && retry_reoffer_after_glare(call)) return;
    // A 491 that persists goes back as 491: the offerer retries after its own random wait (§14.1).
    const int mapped = status == 491 || status == 488 || status == 606 ? status : 500;
    return end_reoffer(call, mapped, "the other leg answered " + std::to_string(status));
  }
  (void)other.receive_response(response);
  sip_.layer().send_stateless(other.make_ack(p.client_request),
                              to == Side::Legacy ? legacy_target(call) : web_destination(call));
  auto body = sdp_body(response);
  if (!body) return end_reoffer(call, 488, "the other leg's answer: " + body.error().reason);
  auto media = reoffer_answered(config_, state_of(call, to), p.client_offer, *body);
  if (!media) return end_reoffer(call, media.error().status, media.error().reason);
  sent_sdp(call, to) = p.client_request.body();
  p.other = std::move(*media);
  finish_reoffer(call);
}

void B2bua::on_reoffer_failed(Call& call, sip::TransactionId id, int status, std::string_view reason) {
  if (!call.mid.pending || call.mid.pending->client_txn != id) return;
  end_reoffer(call, status, reason);
}

void B2bua::finish_reoffer(Call& call) {
  PendingOffer& p = *call.mid.pending;
  if (p.awaiting_ice_restart || (p.relayed && !p.other)) return;
  const bool from_web = p.from == Side::Web;
  const sdp::NegotiatedMedia other = p.other ? *p.other : (from_web ? *call.legacy.media : *call.web.media);
  auto answer = reanswer(config_, state_of(call, p.from), p.offer, *other.codec, mirrored(other.direction));
  if (!answer) return end_reoffer(call, answer.error().status, answer.error().reason);
  const sdp::NegotiatedMedia* mine = accepted(*answer);
  sdp::NegotiatedMedia web = from_web ? *mine : other;
  sdp::NegotiatedMedia legacy = from_web ? other : *mine;
  web.dtls_role = call.web.media->dtls_role;  // the association goes on (RFC 8842 §5.3)
  auto plans = passthrough_plans(web, legacy);
  if (!plans) return end_reoffer(call, 488, plans.error());
  auto remote = legacy_remote(legacy);
  if (!remote) return end_reoffer(call, 488, remote.error());
  media_.set_remote_legacy(call.session, *remote);
  media_.set_plans(call.session, plans->web_to_legacy, plans->legacy_to_web);
  const RelayDirections flows = relay_directions(web.direction, legacy.direction);
  media_.set_direction(call.session, flows.web_to_legacy, flows.legacy_to_web);
  call.web.media = std::move(web);
  call.legacy.media = std::move(legacy);
  (from_web ? call.mid.web_peer : call.mid.legacy_peer) = p.stated;
  if (p.other) (from_web ? call.mid.legacy_peer : call.mid.web_peer) = sdp::reverse(p.other->direction);
  bump_version(call, p.from);
  log_call("call.reanswered", call,
           {{"from", side_name(p.from)},
            {"relayed", p.relayed},
            {"web_to_legacy", flows.web_to_legacy},
            {"legacy_to_web", flows.legacy_to_web}});

  sip::Dialog& dialog = from_web ? *call.web.dialog : *call.legacy.dialog;
  sip::Message ok = sip::make_response(p.request, 200, "OK");
  sip::NameAddr contact;
  contact.uri = dialog.local_target();
  ok.add_contact(contact);
  ok.add("Allow", kAllowedMethods);
  sent_sdp(call, p.from) = sdp::write(answer->description);
  ok.set_body(sent_sdp(call, p.from), "application/sdp");
  (void)sip_.layer().send_response(p.server_txn, ok);
  if (p.request.method() == sip::Method::Invite) {
    SentOk sent;
    sent.to = p.from;
    sent.txn = p.server_txn;
    sent.request = p.request;
    sent.ok = std::move(ok);
    call.mid.sent_ok = std::move(sent);
    retransmit_reinvite_ok(call);
  }
  call.mid.pending.reset();
}

// Our 2xx to a re-INVITE is resent until its ACK (RFC 3261 §13.3.1.4); no ACK at all ends the call.
void B2bua::retransmit_reinvite_ok(Call& call) {
  const std::string call_id = call.id;
  call.mid.sent_ok->retransmitter = std::make_unique<sip::AnswerRetransmitter>(
      sip_.timers(), sip::TransactionTimers{},
      [this, call_id] {
        Call* c = find_call(call_id);
        if (c && c->mid.sent_ok) (void)sip_.layer().send_response(c->mid.sent_ok->txn, c->mid.sent_ok->ok);
      },
      [this, call_id] {
        sip_.timers().schedule(sip::Duration::zero(), [this, call_id] {
          if (Call* c = find_call(call_id))
            hang_up(*c, "no ACK to our 2xx to a re-INVITE", CallOutcome::Answered);
        });
      });
  call.mid.sent_ok->retransmitter->start();
}

// §14.2: an offer while another one of the call is handled gets 500 with a random Retry-After.
void B2bua::refuse_busy(sip::TransactionId id, const sip::Message& request) {
  sip::Message busy = sip::make_response(request, 500, "Server Internal Error");
  busy.add("Retry-After", retry_after());
  (void)sip_.layer().send_response(id, busy);
}

void B2bua::end_reoffer(Call& call, int status, std::string_view reason) {
  if (!call.mid.pending) return;
  log_call("call.reoffer_failed", call, {{"code", status}, {"reason", reason}});
  PendingOffer p = std::move(*call.mid.pending);
  call.mid.pending.reset();
  // The session keeps its previous state (RFC 3264 §8: a refused offer changes nothing).
  respond(p.server_txn, p.request, status, reason);
}

bool B2bua::on_mid_call_ack(Call& call, const sip::Message& ack) {
  if (!call.mid.sent_ok) return false;
  SentOk& sent = *call.mid.sent_ok;
  auto cseq = ack.cseq();
  auto ours = sent.request.cseq();
  if (!cseq || !ours || cseq->number != ours->number || ack.call_id() != sent.request.call_id()) return false;
  sent.retransmitter->on_ack();
  if (sent.offer) {
    // §14.2: the answer to the offer in our 2xx.
    auto body = sdp_body(ack);
    auto media = body ? reoffer_answered(config_, state_of(call, sent.to), *sent.offer, *body)
                      : std::expected<sdp::NegotiatedMedia, SdpRefusal>(std::unexpected(body.error()));
    if (!media) {
      log_call("call.reoffer_failed", call, {{"reason", "answer in the ACK: " + media.error().reason}});
      // RFC 3261 §14.2 leaves no response to a bad answer in an ACK: the session cannot go on.
      call.mid.sent_ok.reset();
      hang_up(call, "bad answer in the ACK of a re-INVITE", CallOutcome::Answered);
      return true;
    }
    sdp::NegotiatedMedia web = sent.to == Side::Web ? *media : *call.web.media;
    sdp::NegotiatedMedia legacy = sent.to == Side::Web ? *call.legacy.media : *media;
    web.dtls_role = call.web.media->dtls_role;
    if (auto remote = legacy_remote(legacy)) media_.set_remote_legacy(call.session, *remote);
    if (auto plans = passthrough_plans(web, legacy))
      media_.set_plans(call.session, plans->web_to_legacy, plans->legacy_to_web);
    const RelayDirections flows = relay_directions(web.direction, legacy.direction);
    media_.set_direction(call.session, flows.web_to_legacy, flows.legacy_to_web);
    call.web.media = std::move(web);
    call.legacy.media = std::move(legacy);
    log_call(
        "call.reanswered", call,
        {{"from", "ack"}, {"web_to_legacy", flows.web_to_legacy}, {"legacy_to_web", flows.legacy_to_web}});
  }
  call.mid.sent_ok.reset();
  return true;
}

void B2bua::end_mid_call(Call& call) {
  // §15.1.2: requests still pending when the dialog ends get 487.
  if (call.mid.pending) {
    PendingOffer p = std::move(*call.mid.pending);
    call.mid.pending.reset();
    respond(p.server_txn, p.request, 487, "the call ended");
  }
  for (auto& [txn, relayed] : call.mid.infos)
    respond(relayed.server_txn, relayed.request, 487, "the call ended");
  call.mid.infos.clear();
  call.mid.sent_ok.reset();
}

void B2bua::on_ice_restarted(Call& call) {
  log_call("call.ice_restarted", call);
  if (!call.mid.pending || !call.mid.pending->awaiting_ice_restart) return;
  call.mid.pending->awaiting_ice_restart = false;
  finish_reoffer(call);
}

}  // namespace rtcgate::gateway::b2bua
