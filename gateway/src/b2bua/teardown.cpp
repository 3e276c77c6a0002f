// Ending a call: the final response, CANCEL or BYE each leg still needs, then the media session's
// last stats and the registry entry (its outcome counted once).
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call.hpp"

#include <rtcgate/sip/response.hpp>

#include <chrono>

namespace rtcgate::gateway::b2bua {
namespace {

// How long to wait for the destroyed session's last stats before closing the registry entry.
constexpr auto kFinalStatsWait = std::chrono::seconds(2);

}  // namespace

void B2bua::fail_call(Call& call, int status, std::string_view reason, CallOutcome outcome) {
  if (call.state == CallState::Ending) return;
  const CallState was = call.state;
  call.state = CallState::Ending;
  if (call.inbound.active) {
    fail_inbound(call, status, reason);
  } else if (call.web.invite_pending) {
    call.web.invite_pending = false;
    respond(call.web.invite_txn, call.web.invite, status, reason, call.web.local_tag);
  } else if (call.web.dialog) {
    send_bye_web(call);
  }
  if (call.legacy.invite_txn && !call.legacy.final_received) {
    cancel_legacy(call);
  } else if (call.legacy.dialog && call.legacy.dialog->state() == sip::DialogState::Confirmed) {
    send_bye_legacy(call);
  }
  (void)was;
  finish(call, outcome, reason);
}

void B2bua::hang_up(Call& call, std::string_view why, CallOutcome outcome) {
  fail_call(call, 480, why, outcome);
}

void B2bua::send_bye_web(Call& call) {
  sip::Message bye = call.web.dialog->make_request(sip::Method::Bye);
  call.web.dialog.reset();
  (void)send_request(call, std::move(bye), web_destination(call), Purpose::WebBye);
}

void B2bua::send_bye_legacy(Call& call) {
  sip::Destination to = legacy_target(call);
  sip::Message bye = call.legacy.dialog->make_request(sip::Method::Bye);
  call.legacy.dialog.reset();
  (void)send_request(call, std::move(bye), to, Purpose::LegacyBye);
}

void B2bua::cancel_legacy(Call& call) {
  call.legacy.cancel_sent = true;
  if (auto sent = sip_.layer().cancel(*call.legacy.invite_txn); !sent) {
    log_call("call.cancel_failed", call, {{"reason", sent.error().message()}});
  }
}

void B2bua::finish(Call& call, CallOutcome outcome, std::string_view why) {
  // An answered call counts as answered however it ends (call_registry.hpp).
  if (call.web.ok || call.inbound.ok) outcome = CallOutcome::Answered;
  sip_.timers().cancel(call.gather_timer);
  sip_.timers().cancel(call.stats_timer);
  end_mid_call(call);
  stop_session_timers(call);
  for (const std::string& key : call.dialog_keys)
    dialogs_.erase(key);
  auto duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - call.started);
  log_call("call.ended", call,
           {{"outcome", to_string(outcome)},
            {"reason", why},
            {"duration_ms", static_cast<std::int64_t>(duration.count())}});
  const std::string id = call.id;
  if (call.session != 0) {
    media::SessionId session = call.session;
    sessions_.erase(session);
    // Commands run in order on the session's worker: the snapshot comes before the destruction.
    media_.request_stats(session);
    media_.destroy_session(session);
    Ending ending{id, outcome, {}};
    ending.timer = sip_.timers().schedule(kFinalStatsWait, [this, session] {
      auto it = ending_.find(session);
      if (it == ending_.end()) return;
      registry_.end(it->second.call, it->second.outcome);
      ending_.erase(it);
      check_drained();
    });
    ending_[session] = std::move(ending);
  } else {
    registry_.end(id, outcome);
  }
  // Keep the web INVITE's transaction reference until it terminates (late CANCEL, ACK); the
  // call itself is gone.
  calls_.erase(id);
  check_drained();
}

void B2bua::drain(std::chrono::milliseconds grace, std::function<void()> done) {
  draining_ = true;
  drained_ = std::move(done);
  log_info("b2bua.draining",
           {{"calls", calls_.size()}, {"grace_ms", static_cast<std::int64_t>(grace.count())}});
  drain_timer_ = sip_.timers().schedule(grace, [this] {
    drain_timer_ = {};
    std::vector<std::string> ids;
    for (const auto& [id, call] : calls_)
      ids.push_back(id);
    for (const std::string& id : ids) {
      if (Call* call = find_call(id)) fail_call(*call, 503, "shutting down", CallOutcome::Failed);
    }
  });
  check_drained();
}

void B2bua::check_drained() {
  if (!draining_ || !drained_ || !calls_.empty() || !ending_.empty()) return;
  sip_.timers().cancel(drain_timer_);
  drain_timer_ = {};
  auto done = std::move(drained_);
  drained_ = nullptr;
  done();
}

}  // namespace rtcgate::gateway::b2bua
