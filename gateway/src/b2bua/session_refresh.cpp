// Session timers (RFC 4028) in the B2BUA: each leg negotiates its own interval and refresher
// (session_timer.hpp decides, this file sends and arms). A request asking for less than Min-SE gets
// 422; the PBX is asked for kDefaultSessionExpires and a 422 from it is retried with its Min-SE. A
// refresh from a peer is an UPDATE without a body (answered here) or a re-INVITE (reinvite.cpp).
// Ours is an UPDATE without a body, or a re-INVITE repeating our current description for a peer
// that does not take UPDATE (refresh_method.hpp decides); the re-INVITE's 2xx is ACKed and its
// answer changes nothing. A leg whose session expires ends the call with BYE on both legs. A
// mid-call offer (reinvite.cpp) counts as a refresh of its leg too (on_session_refreshed, called
// where in-dialog requests are dispatched).
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call.hpp"

#include <rtcgate/sip/identifiers.hpp>
#include <rtcgate/sip/response.hpp>

namespace rtcgate::gateway::b2bua {
namespace {

TimerRequest timer_request(const sip::Message& request) {
  TimerRequest out;
  if (auto se = request.first(sip::HeaderId::SessionExpires))
    out.session_expires = parse_session_expires(*se);
  if (auto min = request.first(sip::HeaderId::MinSE)) out.min_se = parse_min_se(*min);
  out.supports_timer = request.supports("timer");
  return out;
}

std::optional<SessionExpires> response_interval(const sip::Message& response) {
  auto se = response.first(sip::HeaderId::SessionExpires);
  return se ? parse_session_expires(*se) : std::nullopt;
}

std::string_view leg_name(SessionLeg leg) {
  return leg == SessionLeg::Web ? "web" : "legacy";
}

}  // namespace

LegSessionTimer& B2bua::leg_timer(Call& call, SessionLeg leg) {
  return leg == SessionLeg::Web ? call.web_session_timer : call.legacy_session_timer;
}

bool B2bua::refuse_short_session(sip::TransactionId id, const sip::Message& invite) {
  UasDecision decision = negotiate_as_uas(timer_request(invite));
  if (decision.kind != UasDecision::Kind::Reject422) return false;
  sip::Message response = sip::make_response(invite, 422, "Session Interval Too Small", sip::make_tag());
  response.add("Min-SE", std::to_string(decision.min_se));
  (void)sip_.layer().send_response(id, response);
  log_info("call.refused", {{"call_id", invite.call_id().value_or("")},
                            {"code", 422},
                            {"reason", "Session-Expires below Min-SE"},
                            {"min_se", decision.min_se}});
  return true;
}

void B2bua::start_uas_session_timer(Call& call, SessionLeg leg, const sip::Message& request,
                                    sip::Message& response) {
  UasDecision decision = negotiate_as_uas(timer_request(request));
  LegSessionTimer& t = leg_timer(call, leg);
  t.peer.learn_allow(request.allow());
  if (decision.kind != UasDecision::Kind::Timer) {
    t.timer.stop();
    return arm_session_timer(call, leg);
  }
  response.replace("Session-Expires", to_string(decision.response));
  if (decision.require_timer) response.replace("Require", "timer");
  const bool we_refresh = decision.response.refresher == Refresher::Uas;
  if (t.timer.state() == SessionTimer::State::Off) {
    t.timer.start(sip_.timers().now(), decision.response.seconds, we_refresh);
  } else {
    t.timer.refreshed(sip_.timers().now(), decision.response.seconds, we_refresh);
  }
  log_call("call.session_timer", call,
           {{"leg", leg_name(leg)}, {"interval", t.timer.interval()}, {"we_refresh", we_refresh}});
  arm_session_timer(call, leg);
}

void B2bua::start_uac_session_timer(Call& call, SessionLeg leg, const sip::Message& response) {
  auto negotiated = negotiate_as_uac(response_interval(response));
  LegSessionTimer& t = leg_timer(call, leg);
  t.peer.learn_allow(response.allow());
  if (!negotiated) {
    t.timer.stop();
    return arm_session_timer(call, leg);
  }
  const bool we_refresh = negotiated->refresher == Refresher::Uac;
  if (t.timer.state() == SessionTimer::State::Off) {
    t.timer.start(sip_.timers().now(), negotiated->seconds, we_refresh);
    log_call("call.session_timer", call,
             {{"leg", leg_name(leg)}, {"interval", t.timer.interval()}, {"we_refresh", we_refresh}});
  } else {
    t.timer.refreshed(sip_.timers().now(), negotiated->seconds, we_refresh);
  }
  arm_session_timer(call, leg);
}

void B2bua::ask_for_session_timer(Call& call, sip::Message& invite) {
  invite.replace("Supported", "timer");
  invite.replace("Session-Expires", std::to_string(call.legacy_session_timer.requested));
  invite.replace("Min-SE", std::to_string(std::min(call.legacy_session_timer.requested, kMinSessionExpires)));
}

bool B2bua::retry_after_422(Call& call, const sip::Message& response) {
  LegSessionTimer& t = call.legacy_session_timer;
  if (t.retried_422 || call.state == CallState::Ending) return false;
  auto min_se = response.first(sip::HeaderId::MinSE);
  auto interval = interval_after_422(min_se ? parse_min_se(*min_se) : std::nullopt, t.requested);
  if (!interval) return false;
  t.retried_422 = true;
  t.requested = *interval;
  sip::Message retry = call.legacy.invite;
  auto cseq = retry.cseq();
  if (!cseq) return false;
  cseq->number += 1;
  retry.set_cseq(*cseq);
  retry.replace("Session-Expires", std::to_string(*interval));
  retry.replace("Min-SE", std::to_string(*interval));  // §7.1: the retry carries the Min-SE it was told
  call.legacy.invite = retry;
  call.legacy.dialog.reset();
  auto id = send_request(call, std::move(retry), call.legacy.destination, Purpose::LegacyInvite);
  if (!id) return false;
  call.legacy.invite_txn = *id;
  log_call("call.pbx_422", call, {{"session_expires", *interval}});
  return true;
}

void B2bua::on_refresh_request(sip::TransactionId id, const sip::Message& request, Call& call,
                               bool from_web) {
  const SessionLeg leg = from_web ? SessionLeg::Web : SessionLeg::Legacy;
  if (refuse_short_session(id, request)) return;
  sip::Message ok = sip::make_response(request, 200, "OK");
  sip::NameAddr contact;
  contact.uri = contact_uri(from_web ? call.web.flow.kind : call.legacy.destination.kind, call.dialled_user);
  ok.add_contact(contact);
  start_uas_session_timer(call, leg, request, ok);
  (void)sip_.layer().send_response(id, ok);
  log_call("call.session_refreshed", call, {{"leg", leg_name(leg)}, {"by", "peer"}});
}

void B2bua::on_session_refreshed(Call& call, SessionLeg leg) {
  LegSessionTimer& t = leg_timer(call, leg);
  t.timer.refreshed(sip_.timers().now());
  arm_session_timer(call, leg);
}

void B2bua::send_session_refresh(Call& call, SessionLeg leg) {
  sip::Dialog* dialog = leg == SessionLeg::Web ? (call.web.dialog ? &*call.web.dialog : nullptr)
                                               : (call.legacy.dialog ? &*call.legacy.dialog : nullptr);
  if (!dialog) return;
  LegSessionTimer& t = leg_timer(call, leg);
  const RefreshMethod method = t.peer.method();
  const std::string& sdp = leg == SessionLeg::Web ? call.mid.web_sdp : call.mid.legacy_sdp;
  if (method == RefreshMethod::Reinvite) {
    if (sdp.empty()) {
      log_call("call.session_refresh_failed", call,
               {{"leg", leg_name(leg)}, {"reason", "no description to repeat"}});
      return;  // the session expires
    }
    if (call.mid.pending || call.mid.sent_ok) {
      // RFC 3261 §14.1: no re-INVITE while another INVITE or offer of the call is in progress.
      const auto wait = random_glare_wait(owns_call_id(call, leg == SessionLeg::Legacy));
      t.timer.retry_refresh(sip_.timers().now() + wait);
      log_call("call.session_refresh_deferred", call,
               {{"leg", leg_name(leg)}, {"wait_ms", static_cast<std::int64_t>(wait.count())}});
      return;
    }
  }
  sip::Message request =
      dialog->make_request(method == RefreshMethod::Update ? sip::Method::Update : sip::Method::Invite);
  request.replace("Session-Expires", to_string(SessionExpires{t.timer.interval(), Refresher::Uac}));
  request.replace("Supported", "timer");
  // The dialog's request carries our Contact already (a target refresh, RFC 3261 §12.2.1.1).
  if (method == RefreshMethod::Reinvite) {
    request.add("Allow", kAllowedMethods);
    request.set_body(sdp, "application/sdp");  // unchanged, o= version included (RFC 3264 §8)
  }
  const sip::Destination to = leg == SessionLeg::Web ? web_destination(call) : legacy_target(call);
  auto id = send_request(call, std::move(request), to,
                         leg == SessionLeg::Web ? Purpose::WebRefresh : Purpose::LegacyRefresh);
  // A send that failed at once leaves the timer to expire the session.
  if (!id || !sip_.layer().state(*id)) return;
  t.refresh_txn = *id;
  t.refresh_sent = method;
  log_call("call.session_refresh", call, {{"leg", leg_name(leg)}, {"method", to_string(method)}});
}

bool B2bua::refresh_reinvite_out(const Call& call, SessionLeg leg) const {
  const LegSessionTimer& t = leg == SessionLeg::Web ? call.web_session_timer : call.legacy_session_timer;
  return t.refresh_txn && t.refresh_sent == RefreshMethod::Reinvite;
}

void B2bua::on_refresh_response(Call& call, SessionLeg leg, sip::TransactionId id,
                                const sip::Message& response) {
  const int status = response.status();
  if (status < 200) return;
  LegSessionTimer& t = leg_timer(call, leg);
  const sip::Message* request = sip_.layer().request(id);
  const RefreshMethod sent =
      request && request->method() == sip::Method::Invite ? RefreshMethod::Reinvite : RefreshMethod::Update;
  // Every 2xx to our re-INVITE is ACKed, retransmissions too (RFC 3261 §13.2.2.4).
  if (sent == RefreshMethod::Reinvite && sip::is_success(status)) ack_refresh(call, leg, *request, response);
  if (t.refresh_txn != id) return;
  t.refresh_txn.reset();
  t.peer.learn_allow(response.allow());
  const RefreshVerdict verdict = refresh_verdict(sent, status);
  if (verdict == RefreshVerdict::Refreshed) {
    // The answer to a re-INVITE refresh repeats the session; the media session is left as it is.
    start_uac_session_timer(call, leg, response);
    return log_call("call.session_refreshed", call,
                    {{"leg", leg_name(leg)},
                     {"by", "us"},
                     {"method", to_string(sent)},
                     {"sdp", !response.body().empty()}});
  }
  log_call(
      "call.session_refresh_failed", call,
      {{"leg", leg_name(leg)}, {"method", to_string(sent)}, {"code", status}, {"next", to_string(verdict)}});
  switch (verdict) {
    case RefreshVerdict::UseReinvite:
      t.peer.refused_update();
      send_session_refresh(call, leg);
      return arm_session_timer(call, leg);
    case RefreshVerdict::RetryLater:
      t.timer.retry_refresh(sip_.timers().now() +
                            random_glare_wait(owns_call_id(call, leg == SessionLeg::Legacy)));
      return arm_session_timer(call, leg);
    case RefreshVerdict::EndCall:
      // §10: 408 or 481 to a refresh ends the session.
      return hang_up(call, "session refresh failed", CallOutcome::Answered);
    case RefreshVerdict::Pending:
    case RefreshVerdict::Refreshed:
    case RefreshVerdict::LeaveToExpire:
      return;  // the timer still runs: the session expires unless a later refresh gets through
  }
}

void B2bua::ack_refresh(Call& call, SessionLeg leg, const sip::Message& reinvite,
                        const sip::Message& response) {
  sip::Dialog* dialog = leg == SessionLeg::Web ? (call.web.dialog ? &*call.web.dialog : nullptr)
                                               : (call.legacy.dialog ? &*call.legacy.dialog : nullptr);
  if (!dialog) return;
  (void)dialog->receive_response(response);
  sip_.layer().send_stateless(dialog->make_ack(reinvite),
                              leg == SessionLeg::Web ? web_destination(call) : legacy_target(call));
}

void B2bua::arm_session_timer(Call& call, SessionLeg leg) {
  LegSessionTimer& t = leg_timer(call, leg);
  sip_.timers().cancel(t.handle);
  t.handle = {};
  auto deadline = t.timer.next_deadline();
  if (!deadline) return;
  t.handle = sip_.timers().schedule(*deadline - sip_.timers().now(), [this, id = call.id, leg] {
    Call* c = find_call(id);
    if (!c) return;
    LegSessionTimer& lt = leg_timer(*c, leg);
    lt.handle = {};
    switch (lt.timer.poll(sip_.timers().now())) {
      case SessionTimer::Action::SendRefresh:
        send_session_refresh(*c, leg);
        break;
      case SessionTimer::Action::Expire:
        log_call("call.session_expired", *c, {{"leg", leg_name(leg)}});
        return hang_up(*c, "session expired", CallOutcome::Answered);
      case SessionTimer::Action::None:
        break;
    }
    arm_session_timer(*c, leg);
  });
}

void B2bua::stop_session_timers(Call& call) {
  for (LegSessionTimer* t : {&call.web_session_timer, &call.legacy_session_timer}) {
    sip_.timers().cancel(t->handle);
    t->handle = {};
    t->timer.stop();
  }
}

}  // namespace rtcgate::gateway::b2bua
