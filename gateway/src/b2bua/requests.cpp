// Requests the B2BUA receives: a new INVITE from a browser, BYE and other requests within a
// dialog, CANCEL, OPTIONS.
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call_clock.hpp"

#include "call.hpp"
#include "rtcgate/gateway/b2bua/offer_answer.hpp"

#include "rtcgate/gateway/session_params.hpp"

#include <rtcgate/sip/identifiers.hpp>
#include <rtcgate/sip/response.hpp>

#include <chrono>

namespace rtcgate::gateway::b2bua {

void B2bua::respond(sip::TransactionId id, const sip::Message& request, int status, std::string_view reason,
                    std::string_view to_tag) {
  std::string_view phrase = sip::default_reason(status);
  sip::Message response = sip::make_response(request, status, phrase.empty() ? "Error" : phrase, to_tag);
  if (!reason.empty() && status >= 300) {
    std::string warning = "399 rtcgate \"";
    for (char c : reason)
      warning += (c == '"' || c == '\\' || c < ' ') ? ' ' : c;
    warning += '"';
    response.add("Warning", warning);
  }
  (void)sip_.layer().send_response(id, response);
}

void B2bua::on_new_invite(sip::TransactionId id, const sip::Message& invite, const sip::Flow& flow) {
  if (draining_) return respond(id, invite, 503, "shutting down");
  if (refuse_short_session(id, invite)) return;
  if (flow.kind != sip::TransportKind::Ws && flow.kind != sip::TransportKind::Wss) {
    return on_pbx_invite(id, invite, flow);
  }
  std::string call_id(invite.call_id().value_or(""));
  if (calls_.contains(call_id)) return respond(id, invite, 482);
  auto offer = check_web_offer(config_, media_.fingerprint(), invite);
  auto now = std::chrono::steady_clock::now();
  CallInfo info;
  info.id = call_id;
  info.from = invite.from() ? invite.from()->uri.to_string() : "";
  info.to = invite.request_uri().to_string();
  info.started_unix_ms = unix_ms_now();
  if (!offer) {
    log_info("call.refused",
             {{"call_id", call_id}, {"code", offer.error().status}, {"reason", offer.error().reason}});
    respond(id, invite, offer.error().status, offer.error().reason);
    if (registry_.begin(info, now)) registry_.end(call_id, CallOutcome::Refused);
    return;
  }
  auto owned = std::make_unique<Call>();
  Call& call = *owned;
  call.id = call_id;
  call.started = now;
  call.session = next_session_++;
  call.sdp_session_id = static_cast<std::uint64_t>(info.started_unix_ms);
  call.dialled_user = invite.request_uri().user;
  call.web.invite_txn = id;
  call.web.invite = invite;
  call.web.flow = flow;
  call.web.local_tag = sip::make_tag();
  call.mid.web_trickle = accepts_trickle_info(invite);
  call.web.offer = std::move(offer->description);
  call.bridge = std::move(offer->bridge);
  call.local.fingerprint = media_.fingerprint();
  calls_.emplace(call_id, std::move(owned));
  txns_[static_cast<std::uint64_t>(id)] = TxnRef{call_id, Purpose::WebInvite, std::nullopt};

  registry_.begin(info, now);
  CallLegInfo leg;
  leg.kind = "web";
  leg.sip_call_id = call_id;
  leg.remote_uri = info.from;
  leg.transport = transport_name(flow.kind);
  registry_.set_leg(call_id, leg);

  SessionSetup setup;
  setup.dtls_role = offer->remote.dtls_role;
  setup.remote_ice_lite = offer->remote.lite;
  setup.remote_fingerprint = offer->remote.fingerprint;
  sessions_[call.session] = call_id;
  media_.create_session(call.session, call_id, session_config(config_, setup));
  log_call("call.invite", call,
           {{"from", info.from},
            {"to", info.to},
            {"codecs", call.bridge.reason},
            {"remote_candidates", offer->remote.candidates.size()}});
}

void B2bua::on_in_dialog(sip::TransactionId id, const sip::Message& request) {
  Call* call = find_by_dialog(request);
  if (!call) return respond(id, request, 481);
  const bool from_web =
      call->web.dialog && call->web.dialog->id() == *sip::dialog_id_of_incoming_request(request);
  sip::Dialog* dialog =
      from_web ? &*call->web.dialog : (call->legacy.dialog ? &*call->legacy.dialog : nullptr);
  if (!dialog) return respond(id, request, 481);
  if (auto checked = dialog->receive_request(request); !checked) return respond(id, request, 500);
  switch (request.method()) {
    case sip::Method::Bye:
      return on_bye(id, request, *call, from_web);
    case sip::Method::Options:
      return respond(id, request, 200);
    case sip::Method::Update:
      // A session refresh (RFC 4028 §9) carries no offer: answered here, whatever the SDP state.
      if (request.body().empty()) return on_refresh_request(id, request, *call, from_web);
      [[fallthrough]];
    case sip::Method::Invite:
      // A mid-call offer from a leg also shows that leg's session is alive (RFC 4028 §10).
      on_session_refreshed(*call, from_web ? SessionLeg::Web : SessionLeg::Legacy);
      return on_reoffer(id, request, *call, from_web);
    case sip::Method::Info:
      return on_info(id, request, *call, from_web);
    default:
      return refuse_method(id, request);
  }
}

void B2bua::on_bye(sip::TransactionId id, const sip::Message& bye, Call& call, bool from_web) {
  respond(id, bye, 200);
  log_call(from_web ? "call.bye_from_web" : "call.bye_from_pbx", call);
  if (from_web) {
    call.web.dialog.reset();
    if (call.web.retransmitter) call.web.retransmitter->on_ack();
  } else {
    call.legacy.dialog.reset();
  }
  hang_up(call, from_web ? "browser hung up" : "PBX hung up", CallOutcome::Answered);
}

void B2bua::on_cancel(sip::TransactionId id, const sip::Message& cancel) {
  auto target = sip_.layer().find_cancelled_invite(cancel);
  respond(id, cancel, target ? 200 : 481);
  if (!target) return;
  auto ref = txns_.find(static_cast<std::uint64_t>(*target));
  if (ref != txns_.end() && ref->second.purpose == Purpose::PbxInvite) {
    Call* call = find_call(ref->second.call);
    if (!call || !call->inbound.invite_pending) return;
    log_call("call.cancel_from_pbx", *call);
    return fail_call(*call, 487, "cancelled by the caller", CallOutcome::Cancelled);
  }
  if (ref == txns_.end() || ref->second.purpose != Purpose::WebInvite) return;
  Call* call = find_call(ref->second.call);
  if (!call || !call->web.invite_pending) return;
  log_call("call.cancel_from_web", *call);
  fail_call(*call, 487, "cancelled by the caller", CallOutcome::Cancelled);
}

void B2bua::on_register(sip::TransactionId id, const sip::Message& request, const sip::Flow& flow) {
  if (relay_.serves(request, flow)) return relay_.on_register(id, request, flow);
  if (!registrar_.enabled()) return respond(id, request, 405, "no local users");
  sip::Message response = registrar_.handle(request, flow, sip_.timers().now());
  (void)sip_.layer().send_response(id, response);
  registry_.set_registrations(RegistrationKind::Local, registrar_.size());
  if (response.status() != 401) {
    log_info("registration", {{"call_id", request.call_id().value_or("")},
                              {"aor", request.to() ? request.to()->uri.to_string() : std::string()},
                              {"code", response.status()},
                              {"remote", flow.remote.to_string()}});
  }
}

void B2bua::on_options(sip::TransactionId id, const sip::Message& options) {
  sip::Message ok = sip::make_response(options, 200, "OK", sip::make_tag());
  ok.add("Allow", kAllowedMethods);
  ok.add("Accept", "application/sdp");
  (void)sip_.layer().send_response(id, ok);
}

}  // namespace rtcgate::gateway::b2bua
