// PBX → browser (DESIGN.md "Call flows that must work" 2): the PBX's INVITE for a local user is
// forked in parallel to every registration of that user with our WebRTC offer (we are the web
// leg's offerer: actpass, our ICE credentials and gathered candidates); the first 2xx wins and
// the other forks are cancelled (RFC 3261 §16.7 as a B2BUA applies it); the browser's answer is
// applied to the media session and the PBX gets 200 with a legacy answer to its own offer. An
// INVITE without SDP gets our legacy offer in the 200 instead, and the PBX's answer in its ACK
// completes the media session.
// Without a registration the PBX gets 480; when every fork fails, the best final response.
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call_clock.hpp"

#include "call.hpp"
#include "rtcgate/gateway/b2bua/offer_answer.hpp"

#include "rtcgate/gateway/session_params.hpp"

#include <rtcgate/sdp/writer.hpp>
#include <rtcgate/sip/dialog/dialog_id.hpp>
#include <rtcgate/sip/dialog/out_of_dialog_request.hpp>
#include <rtcgate/sip/identifiers.hpp>
#include <rtcgate/sip/response.hpp>

#include <algorithm>
#include <chrono>

namespace rtcgate::gateway::b2bua {
namespace {

const sdp::NegotiatedMedia* first_accepted(const std::vector<sdp::NegotiatedMedia>& media) {
  auto it = std::find_if(media.begin(), media.end(),
                         [](const sdp::NegotiatedMedia& m) { return m.accepted && m.codec; });
  return it == media.end() ? nullptr : &*it;
}

// RFC 3261 §16.7 step 6, as a proxy picks among its branches: a 6xx ends the search; otherwise
// the lowest class, and within it the first. Challenges and redirects are the browser's business.
int rank(int status) {
  if (status >= 600) return 0;
  return status;
}

int map_fork_failure(int status) {
  if (status == 401 || status == 407) return 403;
  if (status >= 300 && status <= 399) return 480;
  return status;
}

sip::Destination flow_destination(const sip::Flow& flow) {
  sip::Destination to;
  to.kind = flow.kind;
  to.address = flow.remote;
  to.flow = flow;
  return to;
}

}  // namespace

void B2bua::on_pbx_invite(sip::TransactionId id, const sip::Message& invite, const sip::Flow& flow) {
  std::string call_id(invite.call_id().value_or(""));
  if (calls_.contains(call_id)) return respond(id, invite, 482);
  const std::string user = invite.request_uri().user;
  // A relayed registration's Contact (its key in the user part) before a local user's name.
  auto relayed = relay_.target(invite.request_uri(), sip_.timers().now());
  const bool known = relayed || std::any_of(config_.users.begin(), config_.users.end(),
                                            [&](const LocalUser& u) { return u.name == user; });
  if (!known) return respond(id, invite, 404, "no such web user");
  sip::Uri aor;
  aor.user = user;
  aor.host = config_.sip.domain.empty() ? invite.request_uri().host : config_.sip.domain;
  std::vector<sip::Flow> targets;
  std::vector<std::string> target_uris;
  std::vector<sip::registrar::Binding> local;
  if (relayed) {
    targets.push_back(relayed->flow);
    target_uris.push_back(relayed->uri);
  } else {
    local = registrar_.lookup(aor, sip_.timers().now());
  }
  for (const auto& binding : local) {
    auto target = registrar_.flow_of(binding);
    if (!target) continue;
    targets.push_back(*target);
    target_uris.push_back(binding.uri);
  }
  CallInfo info;
  info.id = call_id;
  info.from = invite.from() ? invite.from()->uri.to_string() : "";
  info.to = invite.request_uri().to_string();
  info.started_unix_ms = unix_ms_now();
  auto now = std::chrono::steady_clock::now();
  auto refuse = [&](int status, std::string_view reason) {
    log_info("call.refused", {{"call_id", call_id}, {"code", status}, {"reason", reason}});
    respond(id, invite, status, reason);
    if (registry_.begin(info, now)) registry_.end(call_id, CallOutcome::Refused);
  };
  if (targets.empty()) return refuse(480, "web user not registered");
  const bool offerless = invite.body().empty();
  auto offer = offerless ? assumed_pbx_offer(config_) : sdp_body(invite);
  if (!offer) return refuse(offer.error().status, offer.error().reason);
  auto bridge = plan_bridge_codecs(config_.codecs, sdp::Leg::Legacy, *offer);
  if (!bridge) return refuse(488, bridge.error());

  auto owned = std::make_unique<Call>();
  Call& call = *owned;
  call.id = call_id;
  call.started = now;
  call.session = next_session_++;
  call.sdp_session_id = static_cast<std::uint64_t>(info.started_unix_ms);
  call.dialled_user = relayed ? relayed->aor_user : user;
  call.inbound.active = true;
  call.inbound.invite_txn = id;
  call.inbound.invite = invite;
  call.inbound.flow = flow;
  call.inbound.local_tag = sip::make_tag();
  call.inbound.offerless = offerless;
  call.inbound.pbx_offer = std::move(*offer);
  call.inbound.targets = std::move(targets);
  call.inbound.target_uris = std::move(target_uris);
  call.web.invite_pending = false;  // our web INVITEs are the forks'
  call.legacy.destination = sip::response_destination(invite, flow);
  call.bridge = std::move(*bridge);
  call.local.fingerprint = media_.fingerprint();
  calls_.emplace(call_id, std::move(owned));
  txns_[static_cast<std::uint64_t>(id)] = TxnRef{call_id, Purpose::PbxInvite, std::nullopt};

  registry_.begin(info, now);
  CallLegInfo leg;
  leg.kind = "legacy";
  leg.sip_call_id = call_id;
  leg.remote_uri = info.from;
  leg.transport = transport_name(flow.kind);
  registry_.set_leg(call_id, leg);

  SessionSetup setup;
  setup.we_offer_web = true;
  // Our offer says actpass; browsers answer active (RFC 8842 §5.3), so we are the DTLS server.
  setup.dtls_role = media::DtlsRole::Server;
  sessions_[call.session] = call_id;
  media_.create_session(call.session, call_id, session_config(config_, setup));
  log_call("call.pbx_invite_in", call,
           {{"from", info.from},
            {"to", info.to},
            {"registrations", call.inbound.targets.size()},
            {"offerless", offerless},
            {"codecs", call.bridge.reason}});
}

void B2bua::on_inbound_session_created(Call& call, const media::SessionCreated& created) {
  call.media_created = true;
  call.local.credentials = created.local_credentials;
  call.local.fingerprint = created.local_fingerprint;
  call.legacy.rtp_port = created.legacy_rtp_port;
  // Host candidates on configured addresses take milliseconds; this bounds a stuck gathering.
  call.gather_timer = sip_.timers().schedule(std::chrono::seconds(3), [this, id = call.id] {
    Call* c = find_call(id);
    if (!c || c->local.gathering_done) return;
    c->gather_timer = {};
    on_gathering_done(*c);
  });
}

void B2bua::send_forks(Call& call) {
  if (call.state != CallState::Creating || !call.media_created) return;
  auto offer = sdp::create_offer(
      web_policy(config_, call.local, call.bridge.codecs, session_params(call.sdp_session_id, 1)));
  if (!offer) return fail_call(call, 500, "web offer: " + offer.error().reason, CallOutcome::Failed);
  call.inbound.web_offer = std::move(*offer);
  const std::string body = sdp::write(call.inbound.web_offer);
  call.mid.web_sdp = body;
  const sip::Message& invite = call.inbound.invite;
  std::string caller =
      invite.from() && !invite.from()->uri.user.empty() ? invite.from()->uri.user : std::string("rtcgate");
  call.state = CallState::Calling;
  for (std::size_t i = 0; i < call.inbound.targets.size(); ++i) {
    const sip::Flow& target = call.inbound.targets[i];
    auto uri = sip::parse_uri(call.inbound.target_uris[i]);
    if (!uri) continue;
    sip::OutOfDialogRequest spec;
    spec.request_uri = *uri;
    spec.to.uri.user = call.dialled_user;
    spec.to.uri.host = config_.sip.domain.empty() ? std::string(uri->host) : config_.sip.domain;
    if (invite.from()) spec.from.display_name = invite.from()->display_name;
    spec.from.uri = contact_uri(target.kind, caller);
    spec.from.uri.port.reset();
    spec.from.uri.params.clear();
    if (!config_.sip.domain.empty()) spec.from.uri.host = config_.sip.domain;
    spec.contact = contact_uri(target.kind, caller);
    sip::Message request = sip::make_out_of_dialog_request(spec);
    request.add("Allow", kAllowedMethods);
    request.add("Recv-Info", "trickle-ice");
    request.set_body(body, "application/sdp");
    Fork fork;
    fork.invite = request;
    fork.flow = target;
    auto id = send_request(call, std::move(request), flow_destination(target), Purpose::ForkInvite);
    if (!id) continue;
    if (auto ref = txns_.find(static_cast<std::uint64_t>(*id)); ref != txns_.end()) ref->second.flow = target;
    fork.txn = *id;
    call.inbound.forks.push_back(std::move(fork));
  }
  log_call("call.forked", call, {{"forks", call.inbound.forks.size()}});
  if (call.inbound.forks.empty()) fail_call(call, 480, "no registration reachable", CallOutcome::NoAnswer);
}

void B2bua::on_fork_response(Call& call, sip::TransactionId id, const sip::Message& response) {
  auto it = std::find_if(call.inbound.forks.begin(), call.inbound.forks.end(),
                         [&](const Fork& f) { return f.txn == id; });
  if (it == call.inbound.forks.end()) return;
  Fork& fork = *it;
  const int status = response.status();
  if (status == 100) return;
  if (status < 200) {
    if (call.state != CallState::Calling || call.inbound.ringing_sent || !call.inbound.invite_pending) return;
    call.inbound.ringing_sent = true;
    sip::Message ringing = sip::make_response(call.inbound.invite, 180, "Ringing", call.inbound.local_tag);
    sip::NameAddr contact;
    contact.uri = contact_uri(call.inbound.flow.kind, call.dialled_user);
    ringing.add_contact(contact);
    (void)sip_.layer().send_response(call.inbound.invite_txn, ringing);
    registry_.set_state(call.id, "early");
    log_call("call.web_ringing", call, {{"code", status}});
    return;
  }
  if (status < 300) {
    if (fork.final_received) {
      // A retransmitted 2xx: our ACK was lost (§13.2.2.4).
      if (call.web.dialog && sip::dialog_id_of_received_response(response) == call.web.dialog->id())
        sip_.layer().send_stateless(call.web.dialog->make_ack(fork.invite), flow_destination(fork.flow));
      return;
    }
    fork.final_received = true;
    if (call.inbound.winner || call.state != CallState::Calling)
      return end_late_fork(fork.invite, response, fork.flow);
    return on_fork_answered(call, fork, response);
  }
  if (fork.final_received) return;
  fork.final_received = true;
  on_fork_failed(call, id, status, response.reason());
}

void B2bua::on_fork_failed(Call& call, sip::TransactionId id, int status, std::string_view reason) {
  for (Fork& fork : call.inbound.forks) {
    if (fork.txn == id) fork.final_received = true;
  }
  log_call("call.fork_failed", call, {{"code", status}, {"reason", reason}});
  if (call.inbound.winner || call.state == CallState::Ending) return;
  const int mapped = map_fork_failure(status);
  if (call.inbound.best_status == 0 || rank(mapped) < rank(call.inbound.best_status)) {
    call.inbound.best_status = mapped;
    call.inbound.best_reason = "browser answered " + std::to_string(status) + " " + std::string(reason);
  }
  const bool all_done = std::all_of(call.inbound.forks.begin(), call.inbound.forks.end(),
                                    [](const Fork& f) { return f.final_received; });
  if (!all_done && status < 600) return;
  const int best = call.inbound.best_status;
  const bool no_answer = best == 408 || best == 480;
  fail_call(call, best, call.inbound.best_reason, no_answer ? CallOutcome::NoAnswer : CallOutcome::Rejected);
}

void B2bua::on_fork_answered(Call& call, Fork& fork, const sip::Message& response) {
  call.inbound.winner = true;
  auto dialog = sip::Dialog::create_uac(fork.invite, response);
  if (!dialog) {
    end_late_fork(fork.invite, response, fork.flow);
    return fail_call(call, 502, "browser 2xx without a usable dialog", CallOutcome::Failed);
  }
  call.web.invite = fork.invite;
  call.web.flow = fork.flow;
  call.web.dialog = std::move(*dialog);
  index_dialog(call, *call.web.dialog);
  call.mid.web_trickle = accepts_trickle_info(response);
  sip_.layer().send_stateless(call.web.dialog->make_ack(fork.invite), flow_destination(fork.flow));
  const sip::TransactionId winner = fork.txn;
  for (Fork& other : call.inbound.forks) {
    if (other.txn != winner && !other.final_received) (void)sip_.layer().cancel(other.txn);
  }
  log_call("call.web_answered", call, {{"forks", call.inbound.forks.size()}});
  if (!answer_pbx(call, response)) return;
  start_uac_session_timer(call, SessionLeg::Web, response);
}

bool B2bua::answer_pbx(Call& call, const sip::Message& response) {
  auto fail = [&](int status, std::string reason) {
    fail_call(call, status, reason, CallOutcome::Failed);
    return false;
  };
  auto body = sdp_body(response);
  if (!body) return fail(488, "browser answer: " + body.error().reason);
  auto web_media = sdp::process_answer(
      web_policy(config_, call.local, call.bridge.codecs, session_params(call.sdp_session_id, 1)),
      call.inbound.web_offer, *body);
  if (!web_media) return fail(488, "browser answer: " + web_media.error().reason);
  const sdp::NegotiatedMedia* web = first_accepted(*web_media);
  if (!web) return fail(488, "browser answer: no accepted audio stream");
  auto remote = remote_web_params(*web);
  if (!remote) return fail(488, "browser answer: " + remote.error());
  if (remote->dtls_role != media::DtlsRole::Server)
    return fail(488, "browser answer: a=setup other than active is not supported");
  auto codecs = answer_codecs(config_.codecs, sdp::Leg::Legacy, call.inbound.pbx_offer, *web->codec);
  if (!codecs) return fail(488, codecs.error());
  const sdp::SessionParams session = session_params(call.sdp_session_id, 1);
  std::string legacy_sdp;
  if (call.inbound.offerless) {
    // Our offer, on the codec the browser took when the legacy policy allows it (else the policy's
    // list, transcoded); the media toward the PBX waits for the answer in its ACK.
    auto offer = legacy_offer(config_, call.legacy.rtp_port, codecs->codecs, session);
    if (!offer) return fail(500, "PBX offer: " + offer.error().reason);
    call.inbound.offer_codecs = codecs->codecs;
    call.legacy.offer = std::move(*offer);
    legacy_sdp = sdp::write(call.legacy.offer);
  } else {
    auto legacy = sdp::answer_offer(legacy_policy(config_, call.legacy.rtp_port, codecs->codecs, session),
                                    call.inbound.pbx_offer);
    if (!legacy) return fail(488, "PBX offer: " + legacy.error().reason);
    const sdp::NegotiatedMedia* legacy_media = first_accepted(legacy->media);
    if (!legacy_media) return fail(488, "PBX offer: no accepted audio stream");
    auto legacy_to = legacy_remote(*legacy_media);
    if (!legacy_to) return fail(488, legacy_to.error());
    auto plans = route_plans(*web, *legacy_media, config_.codecs);
    if (!plans) return fail(488, plans.error());
    media_.set_remote_legacy(call.session, *legacy_to);
    media_.set_plans(call.session, plans->web_to_legacy, plans->legacy_to_web);
    call.legacy.media = *legacy_media;
    legacy_sdp = sdp::write(legacy->description);
  }
  media_.set_remote_fingerprint(call.session, remote->fingerprint);
  media_.set_remote_ice(call.session, remote->credentials, remote->candidates, remote->end_of_candidates);
  call.web.media = *web;

  sip::Message ok = sip::make_response(call.inbound.invite, 200, "OK", call.inbound.local_tag);
  sip::NameAddr contact;
  contact.uri = contact_uri(call.inbound.flow.kind, call.dialled_user);
  ok.add_contact(contact);
  ok.add("Allow", kAllowedMethods);
  start_uas_session_timer(call, SessionLeg::Legacy, call.inbound.invite, ok);
  call.mid.legacy_sdp = std::move(legacy_sdp);
  ok.set_body(call.mid.legacy_sdp, "application/sdp");
  auto dialog = sip::Dialog::create_uas(call.inbound.invite, ok);
  if (!dialog) return fail(400, "PBX INVITE cannot form a dialog");
  dialog->confirm();
  call.legacy.dialog = std::move(*dialog);
  index_dialog(call, *call.legacy.dialog);
  call.inbound.ok = ok;
  call.inbound.invite_pending = false;
  (void)sip_.layer().send_response(call.inbound.invite_txn, ok);
  call.state = CallState::Active;
  const std::string id = call.id;
  call.inbound.retransmitter = std::make_unique<sip::AnswerRetransmitter>(
      sip_.timers(), sip::TransactionTimers{},
      [this, id] {
        Call* c = find_call(id);
        if (!c || !c->inbound.ok) return;
        if (!sip_.layer().send_response(c->inbound.invite_txn, *c->inbound.ok)) {
          sip_.layer().send_stateless(*c->inbound.ok,
                                      sip::response_destination(c->inbound.invite, c->inbound.flow));
        }
      },
      [this, id] {
        sip_.timers().schedule(sip::Duration::zero(), [this, id] {
          if (Call* c = find_call(id)) hang_up(*c, "no ACK from the PBX", CallOutcome::Failed);
        });
      });
  call.inbound.retransmitter->start();

  CallLegInfo web_leg;
  web_leg.kind = "web";
  web_leg.codec = codec_label(*web->codec);
  web_leg.sip_call_id = std::string(call.web.invite.call_id().value_or(""));
  web_leg.remote_uri = call.web.invite.request_uri().to_string();
  web_leg.transport = transport_name(call.web.flow.kind);
  web_leg.ice_state = call.ice_state;
  web_leg.dtls_state = call.dtls_state;
  registry_.set_leg(call.id, web_leg);
  if (call.legacy.media) publish_legacy_leg(call);
  arm_stats_timer(call);
  auto now = std::chrono::steady_clock::now();
  registry_.answered(call.id, now, unix_ms_now());
  auto setup_ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - call.started).count();
  log_call("call.answered", call,
           {{"code", 200}, {"codec", web_leg.codec}, {"setup_ms", static_cast<std::int64_t>(setup_ms)}});
  return true;
}

// The answer to the offer in our 2xx to an offerless INVITE (RFC 3261 §13.2.1). An ACK gets no
// response, so one without a usable answer leaves a session that cannot carry media: both legs
// get BYE, as §13.2.2.4 has a caller do with an offer it cannot accept.
void B2bua::on_offerless_ack(Call& call, const sip::Message& ack) {
  auto refuse = [&](const std::string& reason) {
    log_call("call.pbx_answer_refused", call, {{"reason", reason}});
    hang_up(call, "PBX ACK: " + reason, CallOutcome::Failed);
  };
  if (ack.body().empty()) return refuse("no SDP answer to our offer");
  auto legacy_media = legacy_answer(config_, call.legacy.rtp_port, call.inbound.offer_codecs,
                                    session_params(call.sdp_session_id, 1), call.legacy.offer, ack);
  if (!legacy_media) return refuse(legacy_media.error().reason);
  auto legacy_to = legacy_remote(*legacy_media);
  if (!legacy_to) return refuse(legacy_to.error());
  auto plans = route_plans(*call.web.media, *legacy_media, config_.codecs);
  if (!plans) return refuse(plans.error());
  media_.set_remote_legacy(call.session, *legacy_to);
  media_.set_plans(call.session, plans->web_to_legacy, plans->legacy_to_web);
  call.legacy.media = std::move(*legacy_media);
  publish_legacy_leg(call);
  log_call("call.pbx_answered", call, {{"codec", call.legacy.media->codec->name}});
}

void B2bua::publish_legacy_leg(Call& call) {
  CallLegInfo legacy_leg;
  legacy_leg.kind = "legacy";
  legacy_leg.codec = codec_label(*call.legacy.media->codec);
  legacy_leg.sip_call_id = call.id;
  legacy_leg.remote_uri = call.inbound.invite.from() ? call.inbound.invite.from()->uri.to_string() : "";
  legacy_leg.transport = transport_name(call.inbound.flow.kind);
  registry_.set_leg(call.id, legacy_leg);
  registry_.set_transcoding(call.id, transcoded(*call.web.media, *call.legacy.media));
}

void B2bua::cancel_forks(Call& call) {
  for (Fork& fork : call.inbound.forks) {
    if (!fork.final_received) (void)sip_.layer().cancel(fork.txn);
  }
}

void B2bua::end_late_fork(const sip::Message& invite, const sip::Message& response, const sip::Flow& flow) {
  auto dialog = sip::Dialog::create_uac(invite, response);
  if (!dialog) return;
  log_info("call.late_fork_hung_up", {{"call_id", std::string(invite.call_id().value_or(""))}});
  sip_.layer().send_stateless(dialog->make_ack(invite), flow_destination(flow));
  (void)sip_.layer().send_request(dialog->make_request(sip::Method::Bye), flow_destination(flow));
}

void B2bua::fail_inbound(Call& call, int status, std::string_view reason) {
  if (call.inbound.invite_pending) {
    call.inbound.invite_pending = false;
    respond(call.inbound.invite_txn, call.inbound.invite, status, reason, call.inbound.local_tag);
  } else if (call.legacy.dialog) {
    send_bye_legacy(call);
  }
  if (call.inbound.retransmitter) call.inbound.retransmitter->on_ack();
  cancel_forks(call);
  if (call.web.dialog) send_bye_web(call);
}

}  // namespace rtcgate::gateway::b2bua
