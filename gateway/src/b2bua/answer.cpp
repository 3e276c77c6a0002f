// The web leg's answer: built once both the PBX's codec and our ICE candidates are known, sent in
// a 183 (early media) or the 200, which is retransmitted until the browser's ACK (§13.3.1.4).
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call_clock.hpp"

#include "call.hpp"
#include "rtcgate/gateway/b2bua/offer_answer.hpp"

#include "rtcgate/gateway/session_params.hpp"

#include <rtcgate/sdp/writer.hpp>
#include <rtcgate/sip/response.hpp>

#include <chrono>

namespace rtcgate::gateway::b2bua {

sip::Message B2bua::web_response(Call& call, int status, std::string_view reason) {
  sip::Message response = sip::make_response(call.web.invite, status, reason, call.web.local_tag);
  if (status > 100 && status < 300) {
    sip::NameAddr contact;
    contact.uri = contact_uri(call.web.flow.kind, "rtcgate");
    response.add_contact(contact);
  }
  return response;
}

B2bua::Readiness B2bua::prepare_web_answer(Call& call) {
  if (call.web.answer) return Readiness::Ready;
  if (!call.legacy.media || !call.media_created || !call.local.gathering_done) return Readiness::Waiting;
  auto answer = web_answer(config_, call.local, call.web.offer, *call.legacy.media->codec,
                           session_params(call.sdp_session_id, 1));
  if (!answer) {
    fail_call(call, answer.error().status, answer.error().reason, CallOutcome::Refused);
    return Readiness::Failed;
  }
  auto plans = route_plans(answer->media, *call.legacy.media, config_.codecs);
  if (!plans) {
    fail_call(call, 488, plans.error(), CallOutcome::Refused);
    return Readiness::Failed;
  }
  auto remote = remote_web_params(answer->media);
  if (!remote) {
    fail_call(call, 488, remote.error(), CallOutcome::Refused);
    return Readiness::Failed;
  }
  // The browser's candidates are applied only now: it answers our checks once it has our
  // credentials, which travel in this answer.
  media_.set_remote_ice(call.session, remote->credentials, remote->candidates, remote->end_of_candidates);
  media_.set_plans(call.session, plans->web_to_legacy, plans->legacy_to_web);
  call.web.media = answer->media;
  call.web.answer = std::move(answer->description);
  CallLegInfo web;
  web.kind = "web";
  web.codec = codec_label(*call.web.media->codec);
  web.sip_call_id = call.id;
  web.remote_uri = call.web.invite.from() ? call.web.invite.from()->uri.to_string() : "";
  web.transport = transport_name(call.web.flow.kind);
  web.ice_state = call.ice_state;
  web.dtls_state = call.dtls_state;
  registry_.set_leg(call.id, web);
  publish_pbx_leg(call);
  registry_.set_transcoding(call.id, transcoded(*call.web.media, *call.legacy.media));
  arm_stats_timer(call);
  log_call("call.media_plan", call, {{"codec", web.codec}, {"remote_candidates", remote->candidates.size()}});
  return Readiness::Ready;
}

void B2bua::send_early_media(Call& call) {
  sip::Message response = web_response(call, 183, "Session Progress");
  response.set_body(sdp::write(*call.web.answer), "application/sdp");
  call.web.early_media_sent = true;
  (void)sip_.layer().send_response(call.web.invite_txn, response);
  log_call("call.early_media", call);
}

void B2bua::try_answer_web(Call& call) {
  if (call.state != CallState::Answering) return;
  if (prepare_web_answer(call) != Readiness::Ready) return;
  send_web_ok(call);
}

void B2bua::send_web_ok(Call& call) {
  sip::Message ok = web_response(call, 200, "OK");
  ok.add("Allow", kAllowedMethods);
  ok.add("Recv-Info", "trickle-ice");
  start_uas_session_timer(call, SessionLeg::Web, call.web.invite, ok);
  call.mid.web_sdp = sdp::write(*call.web.answer);
  ok.set_body(call.mid.web_sdp, "application/sdp");
  auto dialog = sip::Dialog::create_uas(call.web.invite, ok);
  if (!dialog) return hang_up(call, "browser INVITE cannot form a dialog", CallOutcome::Failed);
  dialog->confirm();
  call.web.dialog = std::move(*dialog);
  index_dialog(call, *call.web.dialog);
  call.web.ok = ok;
  call.web.invite_pending = false;
  (void)sip_.layer().send_response(call.web.invite_txn, ok);
  call.state = CallState::Active;
  const std::string id = call.id;
  call.web.retransmitter = std::make_unique<sip::AnswerRetransmitter>(
      sip_.timers(), sip::TransactionTimers{},
      [this, id] {
        Call* c = find_call(id);
        if (!c || !c->web.ok) return;
        if (!sip_.layer().send_response(c->web.invite_txn, *c->web.ok)) {
          sip_.layer().send_stateless(*c->web.ok, sip::response_destination(c->web.invite, c->web.flow));
        }
      },
      [this, id] {
        // The retransmitter must not be destroyed from its own callback: end the call later.
        sip_.timers().schedule(sip::Duration::zero(), [this, id] {
          if (Call* c = find_call(id)) hang_up(*c, "no ACK from the browser", CallOutcome::Failed);
        });
      });
  call.web.retransmitter->start();
  auto now = std::chrono::steady_clock::now();
  registry_.answered(call.id, now, unix_ms_now());
  auto setup_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - call.started).count();
  log_call("call.answered", call, {{"code", 200}, {"setup_ms", static_cast<std::int64_t>(setup_ms)}});
}

}  // namespace rtcgate::gateway::b2bua
