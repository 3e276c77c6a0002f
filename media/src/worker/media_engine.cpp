#include "rtcgate/media/worker/media_engine.hpp"

#include <future>

namespace rtcgate::media {

// Worker-owned: touched only on its worker's thread (except construction and the final teardown,
// which happen while that thread does nothing else with it).
struct MediaEngine::WorkerState final : SessionObserver {
  MediaEngine* engine = nullptr;
  Worker* worker = nullptr;
  std::unique_ptr<DtlsContext> dtls;
  std::unordered_map<SessionId, std::unique_ptr<MediaSession>> sessions;

  void on_session_event(SessionEvent event) override { engine->sink_(std::move(event)); }
  SessionServices services() {
    return {worker->io(), worker->poller(), worker->glib(), worker->pool(), engine->ports_, *dtls};
  }
};

MediaEngine::MediaEngine(const MediaEngineConfig& config, const Certificate& certificate,
                         SessionEventSink sink)
    : certificate_(certificate),
      sink_(std::move(sink)),
      ports_(config.port_min, config.port_max),
      pool_(config.workers, config.worker) {}

std::expected<std::unique_ptr<MediaEngine>, std::string> MediaEngine::create(const MediaEngineConfig& config,
                                                                             const Certificate& certificate,
                                                                             SessionEventSink sink) {
  std::unique_ptr<MediaEngine> engine(new MediaEngine(config, certificate, std::move(sink)));
  for (std::size_t i = 0; i < engine->pool_.size(); ++i) {
    auto state = std::make_unique<WorkerState>();
    state->engine = engine.get();
    state->worker = &engine->pool_.at(i);
    auto dtls = DtlsContext::create(certificate);  // one SSL_CTX per worker (LIMITS.md §3)
    if (!dtls) return std::unexpected("dtls context: " + describe(dtls.error()));
    state->dtls = std::move(*dtls);
    engine->states_.push_back(std::move(state));
  }
  engine->pool_.start();
  return engine;
}

MediaEngine::~MediaEngine() {
  for (auto& state : states_) {
    std::promise<void> done;
    state->worker->post([&state, &done] {
      state->sessions.clear();
      done.set_value();
    });
    done.get_future().wait();
  }
  pool_.stop();
}

std::size_t MediaEngine::session_count() const {
  std::lock_guard lock(mutex_);
  return placement_.size();
}

MediaEngine::WorkerState* MediaEngine::state_of(SessionId id) {
  std::lock_guard lock(mutex_);
  const auto it = placement_.find(id);
  return it == placement_.end() ? nullptr : states_[it->second].get();
}

template <typename Fn>
void MediaEngine::with_session(SessionId id, Fn&& fn) {
  WorkerState* state = state_of(id);
  if (state == nullptr) return;
  state->worker->post([state, id, fn = std::forward<Fn>(fn)]() mutable {
    const auto it = state->sessions.find(id);
    if (it != state->sessions.end()) fn(*it->second);
  });
}

void MediaEngine::create_session(SessionId id, std::string_view call_id, MediaSessionConfig config) {
  Worker& worker = pool_.pick_by_hash(call_id);
  WorkerState* state = states_[worker.index()].get();
  {
    std::lock_guard lock(mutex_);
    if (!placement_.emplace(id, worker.index()).second) return;  // duplicate id: keep the first
  }
  worker.add_load(1);
  worker.post([this, state, id, config = std::move(config)] {
    auto session = MediaSession::create(state->services(), id, config, *state);
    if (!session) {
      {
        std::lock_guard lock(mutex_);
        placement_.erase(id);
      }
      state->worker->add_load(-1);
      sink_(SessionEvent{id, SessionFailed{session.error()}});
      return;
    }
    MediaSession& ref = **session;
    state->sessions.emplace(id, std::move(*session));
    ref.start();
  });
}

void MediaEngine::set_remote_ice(SessionId id, IceCredentials credentials,
                                 std::vector<IceCandidate> candidates, bool end_of_candidates) {
  with_session(id,
               [credentials = std::move(credentials), candidates = std::move(candidates), end_of_candidates](
                   MediaSession& s) { s.set_remote_ice(credentials, candidates, end_of_candidates); });
}

void MediaEngine::add_remote_candidate(SessionId id, IceCandidate candidate) {
  with_session(id,
               [candidate = std::move(candidate)](MediaSession& s) { s.add_remote_candidate(candidate); });
}

void MediaEngine::end_of_remote_candidates(SessionId id) {
  with_session(id, [](MediaSession& s) { s.end_of_remote_candidates(); });
}

void MediaEngine::set_direction(SessionId id, bool web_to_legacy, bool legacy_to_web) {
  with_session(id, [=](MediaSession& s) { s.set_direction(web_to_legacy, legacy_to_web); });
}

void MediaEngine::ice_restart(SessionId id) {
  with_session(id, [](MediaSession& s) { s.ice_restart(); });
}

void MediaEngine::set_remote_legacy(SessionId id, LegacyRemote remote) {
  with_session(id, [remote = std::move(remote)](MediaSession& s) { s.set_remote_legacy(remote); });
}

void MediaEngine::set_remote_fingerprint(SessionId id, Fingerprint fingerprint) {
  with_session(id, [fingerprint](MediaSession& s) { s.set_remote_fingerprint(fingerprint); });
}

void MediaEngine::set_plans(SessionId id, RoutePlan web_to_legacy, RoutePlan legacy_to_web) {
  with_session(id, [w = std::move(web_to_legacy), l = std::move(legacy_to_web)](MediaSession& s) {
    s.set_plans(w, l);
  });
}

void MediaEngine::request_stats(SessionId id) {
  with_session(id, [this](MediaSession& s) { sink_(SessionEvent{s.id(), StatsSnapshot{s.stats()}}); });
}

void MediaEngine::destroy_session(SessionId id) {
  WorkerState* state = state_of(id);
  if (state == nullptr) return;
  {
    std::lock_guard lock(mutex_);
    placement_.erase(id);
  }
  state->worker->post([state, id] {
    if (state->sessions.erase(id) > 0) state->worker->add_load(-1);
  });
}

}  // namespace rtcgate::media
