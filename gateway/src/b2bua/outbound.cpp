// Browser → PBX: the INVITE to the PBX with the legacy offer, and what its responses do to the
// browser's side (RFC 3261 §13.2.2 as UAC, relayed as UAS).
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call.hpp"
#include "call_clock.hpp"
#include "pbx_route.hpp"
#include "rtcgate/gateway/b2bua/offer_answer.hpp"
#include "rtcgate/gateway/b2bua/redirect.hpp"

#include "rtcgate/gateway/session_params.hpp"

#include <rtcgate/sdp/writer.hpp>
#include <rtcgate/sip/auth/digest_client.hpp>
#include <rtcgate/sip/auth/message_auth.hpp>
#include <rtcgate/sip/dialog/out_of_dialog_request.hpp>
#include <rtcgate/sip/transaction/transaction.hpp>

#include <string>

namespace rtcgate::gateway::b2bua {
namespace {

// What the browser hears for the PBX's final failure. Challenges are for us, not for the browser
// (its credentials are not the PBX's); a redirect we did not follow names a target the browser
// cannot reach.
int map_failure(int status) {
  if (status == 401 || status == 407) return 403;
  if (status >= 300 && status <= 399) return 480;
  return status;
}

}  // namespace

void B2bua::on_session_created(Call& call, const media::SessionCreated& created) {
  call.media_created = true;
  call.local.credentials = created.local_credentials;
  call.local.fingerprint = created.local_fingerprint;
  call.legacy.rtp_port = created.legacy_rtp_port;
  auto offer =
      legacy_offer(config_, call.legacy.rtp_port, call.bridge.codecs, session_params(call.sdp_session_id, 1));
  if (!offer) return fail_call(call, 500, offer.error().reason, CallOutcome::Failed);
  call.legacy.offer = std::move(*offer);
  // Host candidates on configured addresses take milliseconds; this bounds a stuck gathering.
  call.gather_timer = sip_.timers().schedule(std::chrono::seconds(3), [this, id = call.id] {
    Call* c = find_call(id);
    if (!c || c->local.gathering_done) return;
    c->gather_timer = {};
    on_gathering_done(*c);
  });
  auto pbx = sip::parse_uri(config_.pbx.uri);
  auto request = pbx ? resolve_request(*pbx) : std::nullopt;
  if (!request) return fail_call(call, 500, "[pbx] uri is not a SIP URI", CallOutcome::Failed);
  call.state = CallState::Resolving;
  sip_.resolver().resolve(*request, [this, id = call.id](std::vector<sip::asio::ResolvedTarget> targets) {
    Call* c = find_call(id);
    if (!c || c->state != CallState::Resolving) return;
    if (targets.empty()) return fail_call(*c, 503, "PBX address not found", CallOutcome::Failed);
    c->legacy.destination.kind = targets.front().kind;
    c->legacy.destination.address = targets.front().address;
    send_legacy_invite(*c);
  });
}

void B2bua::send_legacy_invite(Call& call) {
  sip::Uri pbx = *sip::parse_uri(config_.pbx.uri);
  const sip::Message& invite = call.web.invite;
  sip::OutOfDialogRequest spec;
  spec.request_uri = pbx;
  spec.request_uri.user = call.dialled_user;
  spec.to.uri = spec.request_uri;
  spec.to.uri.params.clear();
  std::string caller = invite.from() ? invite.from()->uri.user : std::string("rtcgate");
  if (invite.from()) spec.from.display_name = invite.from()->display_name;
  spec.from.uri = contact_uri(sip::TransportKind::Udp, caller);
  spec.from.uri.port.reset();
  spec.from.uri.params.clear();
  if (!config_.sip.domain.empty()) spec.from.uri.host = config_.sip.domain;
  spec.contact = contact_uri(call.legacy.destination.kind, caller);
  sip::Message request = sip::make_out_of_dialog_request(spec);
  request.add("Allow", kAllowedMethods);
  ask_for_session_timer(call, request);
  call.mid.legacy_sdp = sdp::write(call.legacy.offer);
  request.set_body(call.mid.legacy_sdp, "application/sdp");
  call.legacy.invite = request;
  call.legacy.tried_targets.push_back(spec.request_uri.to_string());
  call.state = CallState::Calling;
  auto id = send_request(call, std::move(request), call.legacy.destination, Purpose::LegacyInvite);
  if (!id) return fail_call(call, 503, "cannot send to the PBX", CallOutcome::Failed);
  call.legacy.invite_txn = *id;
  publish_pbx_leg(call);
  log_call("call.pbx_invite", call,
           {{"pbx", call.legacy.destination.address.to_string()},
            {"legacy_call_id", std::string(call.legacy.invite.call_id().value_or(""))}});
}

void B2bua::publish_pbx_leg(Call& call) {
  CallLegInfo leg;
  leg.kind = "legacy";
  leg.sip_call_id = std::string(call.legacy.invite.call_id().value_or(""));
  leg.remote_uri = call.legacy.invite.request_uri().to_string();
  leg.transport = transport_name(call.legacy.destination.kind);
  if (call.legacy.media) leg.codec = codec_label(*call.legacy.media->codec);
  registry_.set_leg(call.id, leg);
}

void B2bua::on_legacy_response(Call& call, const sip::Message& response) {
  const int status = response.status();
  if (status == 100 || call.state == CallState::Ending) return;
  if (status < 200) return on_legacy_provisional(call, response);
  if (status < 300) return on_legacy_success(call, response);
  on_legacy_failure(call, response);
}

void B2bua::on_legacy_provisional(Call& call, const sip::Message& response) {
  if (call.legacy.final_received) return;
  if (!call.legacy.dialog && !response.to().value_or(sip::NameAddr{}).tag().empty()) {
    if (auto dialog = sip::Dialog::create_uac(call.legacy.invite, response)) {
      call.legacy.dialog = std::move(*dialog);
      index_dialog(call, *call.legacy.dialog);
    }
  } else if (call.legacy.dialog) {
    (void)call.legacy.dialog->receive_response(response);
  }
  if (!response.body().empty() && !call.legacy.media && !take_legacy_answer(call, response)) return;
  registry_.set_state(call.id, "early");
  log_call("call.pbx_provisional", call, {{"code", response.status()}, {"sdp", !response.body().empty()}});
  if (call.legacy.media && !call.web.early_media_sent) {
    Readiness ready = prepare_web_answer(call);
    if (ready == Readiness::Failed) return;  // the call is gone
    if (ready == Readiness::Ready) return send_early_media(call);
  }
  (void)sip_.layer().send_response(call.web.invite_txn,
                                   web_response(call, response.status(), response.reason()));
}

void B2bua::on_legacy_success(Call& call, const sip::Message& response) {
  if (call.legacy.final_received) {
    // A retransmitted 2xx (or a fork's): our ACK may have been lost.
    if (call.legacy.dialog && sip::dialog_id_of_received_response(response) == call.legacy.dialog->id())
      ack_legacy(call, response);
    return;
  }
  call.legacy.final_received = true;
  auto id = sip::dialog_id_of_received_response(response);
  if (!call.legacy.dialog || !id || call.legacy.dialog->id() != *id) {
    auto dialog = sip::Dialog::create_uac(call.legacy.invite, response);
    if (!dialog) return fail_call(call, 502, "PBX 2xx without a usable dialog", CallOutcome::Failed);
    call.legacy.dialog = std::move(*dialog);
    index_dialog(call, *call.legacy.dialog);
  } else {
    (void)call.legacy.dialog->receive_response(response);
  }
  ack_legacy(call, response);
  log_call("call.pbx_answered", call, {{"code", response.status()}});
  start_uac_session_timer(call, SessionLeg::Legacy, response);
  if (!call.legacy.media) {
    if (response.body().empty()) return fail_call(call, 488, "PBX answered without SDP", CallOutcome::Failed);
    if (!take_legacy_answer(call, response)) return;
  }
  call.state = CallState::Answering;
  try_answer_web(call);
}

void B2bua::on_legacy_failure(Call& call, const sip::Message& response) {
  if (call.legacy.final_received) return;
  if ((response.status() == 401 || response.status() == 407) && retry_with_credentials(call, response))
    return;
  if (response.status() == 422 && retry_after_422(call, response)) return;
  if (response.status() >= 300 && response.status() <= 302 && follow_redirect(call, response)) return;
  call.legacy.final_received = true;
  call.legacy.dialog.reset();
  const int status = map_failure(response.status());
  log_call("call.pbx_rejected", call, {{"code", response.status()}, {"reason", response.reason()}});
  const bool no_answer = status == 408 || status == 480;
  fail_call(call, status, "PBX answered " + std::to_string(response.status()) + " " + response.reason(),
            no_answer ? CallOutcome::NoAnswer : CallOutcome::Rejected);
}

bool B2bua::retry_with_credentials(Call& call, const sip::Message& challenge) {
  if (call.legacy.auth_tried || config_.pbx.username.empty() || call.state == CallState::Ending) return false;
  call.legacy.auth_tried = true;
  sip::auth::DigestClient client(config_.pbx.username, config_.pbx.password);
  if (sip::auth::on_challenge(client, call.legacy.invite, challenge) != sip::auth::ClientVerdict::Answered) {
    return false;
  }
  sip::Message retry = call.legacy.invite;
  auto cseq = retry.cseq();
  if (!cseq) return false;
  cseq->number += 1;
  retry.set_cseq(*cseq);
  if (!sip::auth::authorize(client, retry)) return false;
  call.legacy.invite = retry;
  call.legacy.dialog.reset();
  auto id = send_request(call, std::move(retry), call.legacy.destination, Purpose::LegacyInvite);
  if (!id) return false;
  call.legacy.invite_txn = *id;
  log_call("call.pbx_auth", call, {{"code", challenge.status()}, {"username", config_.pbx.username}});
  return true;
}

// A 300-302 from the PBX side is followed here rather than relayed: its targets are the PBX's to
// reach, not the browser's. The same offer goes in a new INVITE with the same Call-ID, From and To
// (§8.1.3.4) to the chosen Contact, resolved as [pbx] uri is. Not once early media runs: the
// browser already has an answer tied to the first target's codec and address.
bool B2bua::follow_redirect(Call& call, const sip::Message& redirect) {
  if (call.state != CallState::Calling || call.legacy.media) return false;
  if (call.legacy.tried_targets.size() > kMaxRedirects) return false;
  auto target = redirect_target(redirect, call.legacy.tried_targets);
  if (!target) return false;
  auto request = resolve_request(*target);
  if (!request) return false;
  call.legacy.tried_targets.push_back(target->to_string());
  call.legacy.final_received = true;  // nothing to CANCEL while the new target resolves
  call.legacy.dialog.reset();
  call.legacy.auth_tried = false;  // the new target may challenge on its own
  call.state = CallState::Resolving;
  log_call("call.pbx_redirected", call, {{"code", redirect.status()}, {"target", target->to_string()}});
  if (call.web.invite_pending && !call.web.early_media_sent)
    (void)sip_.layer().send_response(call.web.invite_txn, web_response(call, 181, "Call Is Being Forwarded"));
  sip_.resolver().resolve(*request, [this, id = call.id,
                                     uri = *target](std::vector<sip::asio::ResolvedTarget> found) {
    Call* c = find_call(id);
    if (!c || c->state != CallState::Resolving) return;
    if (found.empty()) return fail_call(*c, 480, "redirect target not found", CallOutcome::NoAnswer);
    sip::Message retry = c->legacy.invite;
    auto cseq = retry.cseq();
    if (!cseq) return fail_call(*c, 500, "INVITE without CSeq", CallOutcome::Failed);
    cseq->number += 1;
    retry.set_cseq(*cseq);
    retry.request_uri() = uri;
    c->legacy.destination.kind = found.front().kind;
    c->legacy.destination.address = found.front().address;
    retry.remove("Contact");
    sip::NameAddr contact;
    contact.uri = contact_uri(c->legacy.destination.kind, retry.from() ? retry.from()->uri.user : "rtcgate");
    retry.add_contact(contact);
    retry.remove("Authorization");
    retry.remove("Proxy-Authorization");
    c->legacy.invite = retry;
    c->legacy.final_received = false;
    c->state = CallState::Calling;
    auto txn = send_request(*c, std::move(retry), c->legacy.destination, Purpose::LegacyInvite);
    if (!txn) return fail_call(*c, 503, "cannot send to the redirect target", CallOutcome::Failed);
    c->legacy.invite_txn = *txn;
    publish_pbx_leg(*c);
  });
  return true;
}

bool B2bua::take_legacy_answer(Call& call, const sip::Message& response) {
  auto media = legacy_answer(config_, call.legacy.rtp_port, call.bridge.codecs,
                             session_params(call.sdp_session_id, 1), call.legacy.offer, response);
  if (!media) {
    fail_call(call, media.error().status, media.error().reason, CallOutcome::Failed);
    return false;
  }
  auto remote = legacy_remote(*media);
  if (!remote) {
    fail_call(call, 488, remote.error(), CallOutcome::Failed);
    return false;
  }
  call.legacy.media = std::move(*media);
  media_.set_remote_legacy(call.session, *remote);
  return true;
}

void B2bua::ack_legacy(Call& call, const sip::Message& response) {
  if (!call.legacy.dialog) return;
  (void)response;
  sip_.layer().send_stateless(call.legacy.dialog->make_ack(call.legacy.invite), legacy_target(call));
}

sip::Destination B2bua::legacy_target(const Call& call) const {
  sip::Destination to = call.legacy.destination;
  if (!call.legacy.dialog) return to;
  const sip::Uri& hop = call.legacy.dialog->next_hop();
  auto ip = sip::asio::numeric_host(hop.host);
  if (!ip) return to;  // a host name: keep the address the INVITE went to
  to.address.ip = *ip;
  to.address.port = hop.port.value_or(sip::asio::default_port(to.kind));
  return to;
}

void B2bua::bye_orphan(sip::TransactionId id, const sip::Message& response) {
  const sip::Message* invite = sip_.layer().request(id);
  if (!invite) return;
  auto dialog = sip::Dialog::create_uac(*invite, response);
  if (!dialog) return;
  auto ref = txns_.find(static_cast<std::uint64_t>(id));
  log_info("call.late_answer_hung_up", {{"call_id", ref == txns_.end() ? std::string() : ref->second.call}});
  sip::Destination to;
  auto ip = sip::asio::numeric_host(dialog->next_hop().host);
  if (!ip) return;
  to.address = {*ip, dialog->next_hop().port.value_or(5060)};
  sip_.layer().send_stateless(dialog->make_ack(*invite), to);
  (void)sip_.layer().send_request(dialog->make_request(sip::Method::Bye), to);
}

}  // namespace rtcgate::gateway::b2bua
