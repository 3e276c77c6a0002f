// Events of a call's media session (posted from its worker): our ICE parameters, gathering, ICE
// and DTLS state, stats, failures. A failed session ends the call on both legs.
#include "rtcgate/gateway/b2bua/b2bua.hpp"

#include "call.hpp"

#include <chrono>
#include <type_traits>
#include <variant>

namespace rtcgate::gateway::b2bua {
namespace {

constexpr std::size_t kMaxLocalCandidates = 16;
constexpr auto kStatsInterval = std::chrono::seconds(2);

std::string_view dtls_name(media::DtlsState state) {
  switch (state) {
    case media::DtlsState::New:
      return "new";
    case media::DtlsState::Connecting:
      return "connecting";
    case media::DtlsState::Connected:
      return "connected";
    case media::DtlsState::Failed:
      return "failed";
    case media::DtlsState::Closed:
      return "closed";
  }
  return "new";
}

CallMediaCounters counters(const media::SessionStats& stats) {
  CallMediaCounters out;
  out.web.packets_received = stats.web_to_legacy.packets_in;
  out.web.packets_sent = stats.legacy_to_web.packets_out;
  out.web.packets_lost = static_cast<std::uint64_t>(std::max<std::int64_t>(stats.web_to_legacy.lost, 0));
  out.web.jitter_ms = stats.web_to_legacy.jitter_ms;
  out.legacy.packets_received = stats.legacy_to_web.packets_in;
  out.legacy.packets_sent = stats.web_to_legacy.packets_out;
  out.legacy.packets_lost = static_cast<std::uint64_t>(std::max<std::int64_t>(stats.legacy_to_web.lost, 0));
  out.legacy.jitter_ms = stats.legacy_to_web.jitter_ms;
  out.drops = stats.web_to_legacy.drops;
  out.drops += stats.legacy_to_web.drops;
  return out;
}

}  // namespace

void B2bua::on_media_event(const media::SessionEvent& event) {
  if (auto ending = ending_.find(event.id); ending != ending_.end()) {
    if (const auto* snapshot = std::get_if<media::StatsSnapshot>(&event.body)) {
      registry_.update_media(ending->second.call, counters(snapshot->stats));
      registry_.end(ending->second.call, ending->second.outcome);
      sip_.timers().cancel(ending->second.timer);
      ending_.erase(ending);
      check_drained();
    }
    return;
  }
  auto owner = sessions_.find(event.id);
  if (owner == sessions_.end()) return;
  Call* call = find_call(owner->second);
  if (!call) return;
  std::visit(
      [&](const auto& body) {
        using T = std::decay_t<decltype(body)>;
        if constexpr (std::is_same_v<T, media::SessionCreated>) {
          if (call->inbound.active) return on_inbound_session_created(*call, body);
          on_session_created(*call, body);
        } else if constexpr (std::is_same_v<T, media::LocalCandidate>) {
          on_local_candidate(*call, body.candidate);
        } else if constexpr (std::is_same_v<T, media::GatheringDone>) {
          on_gathering_done(*call);
        } else if constexpr (std::is_same_v<T, media::IceStateChanged>) {
          call->ice_state = std::string(media::to_string(body.state));
          registry_.set_transport_state(call->id, call->ice_state, call->dtls_state);
          log_call("call.ice", *call, {{"ice_state", call->ice_state}});
          if (body.state == media::IceState::Failed) on_media_failure(*call, "ICE failed");
        } else if constexpr (std::is_same_v<T, media::DtlsConnected>) {
          call->dtls_state = "connected";
          registry_.set_transport_state(call->id, call->ice_state, call->dtls_state);
          log_call("call.dtls_connected", *call);
        } else if constexpr (std::is_same_v<T, media::DtlsFailed>) {
          call->dtls_state = "failed";
          on_media_failure(*call, "DTLS failed: " + body.reason);
        } else if constexpr (std::is_same_v<T, media::ConsentLost>) {
          on_media_failure(*call, "ICE consent lost");
        } else if constexpr (std::is_same_v<T, media::StatsSnapshot>) {
          on_stats(*call, body.stats);
        } else if constexpr (std::is_same_v<T, media::SessionFailed>) {
          on_media_failure(*call, "media session failed: " + body.reason);
        } else if constexpr (std::is_same_v<T, media::IceRestarted>) {
          call->local.credentials = body.local_credentials;
          on_ice_restarted(*call);
        }
      },
      event.body);
}

void B2bua::on_local_candidate(Call& call, const media::IceCandidate& candidate) {
  // Candidates found after our answer went out go in trickle-ice INFO (RFC 8840) to a browser
  // that takes it; otherwise they are dropped (host candidates on configured addresses are all
  // known before the answer).
  // PBX → browser: our offer went to the forks when gathering finished.
  if (call.mid.web_trickle && call.web.dialog && call.local.candidates.size() < kMaxLocalCandidates) {
    // After the answer: to a browser that takes trickle-ice INFO (RFC 8840), at once.
    if (call.mid.trickled == 0) call.mid.trickled = call.local.candidates.size();
    call.local.candidates.push_back(candidate);
    return trickle_to_web(call);
  }
  if (call.web.answer || (call.inbound.active && call.state != CallState::Creating) ||
      call.local.candidates.size() >= kMaxLocalCandidates)
    return;
  call.local.candidates.push_back(candidate);
}

void B2bua::on_gathering_done(Call& call) {
  sip_.timers().cancel(call.gather_timer);
  call.gather_timer = {};
  call.local.gathering_done = true;
  log_call("call.gathered", call, {{"candidates", call.local.candidates.size()}});
  if (call.mid.web_trickle && call.web.dialog && call.mid.trickled > 0) return trickle_to_web(call);
  if (call.inbound.active) return send_forks(call);
  if (call.state == CallState::Calling && call.legacy.media && !call.web.early_media_sent) {
    // The PBX's early media SDP came before our candidates: the 183 with our answer goes now.
    Readiness ready = prepare_web_answer(call);
    if (ready == Readiness::Ready) send_early_media(call);
    return;
  }
  try_answer_web(call);
}

void B2bua::on_stats(Call& call, const media::SessionStats& stats) {
  registry_.update_media(call.id, counters(stats));
  registry_.set_transport_state(call.id, media::to_string(stats.ice_state), dtls_name(stats.dtls_state));
}

void B2bua::arm_stats_timer(Call& call) {
  sip_.timers().cancel(call.stats_timer);
  call.stats_timer = sip_.timers().schedule(kStatsInterval, [this, id = call.id] {
    Call* c = find_call(id);
    if (!c) return;
    media_.request_stats(c->session);
    arm_stats_timer(*c);
  });
}

void B2bua::on_media_failure(Call& call, std::string_view reason) {
  log_call("call.media_failed", call, {{"reason", reason}});
  fail_call(call, 488, reason, CallOutcome::Failed);
}

}  // namespace rtcgate::gateway::b2bua
