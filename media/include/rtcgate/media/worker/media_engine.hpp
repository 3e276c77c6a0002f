// MediaEngine: the owner's thread-safe command/event interface to the media workers.
//
// The owner (the gateway's signaling thread) calls the command functions from any thread; each one
// posts a value-carrying message to the worker the session is pinned to (by hash of the call id at
// create_session) and returns at once. Commands for one session run in the order they were issued.
// Events (SessionEvent: created with local ICE credentials and legacy ports, local candidates,
// gathering done, ICE state, DTLS connected/failed, consent lost, stats, failure) are handed to the
// sink on the worker thread that produced them; the sink must be thread-safe and quick — typically
// it posts the event to the owner's executor. Nothing but values crosses threads.
//
// Ownership: owns the WorkerPool, the PortAllocator, one DtlsContext per worker and every session.
// The destructor destroys every session on its own worker, then joins the workers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rtcgate/media/dtls/certificate.hpp"
#include "rtcgate/media/session/media_session.hpp"
#include "rtcgate/media/worker/worker_pool.hpp"

namespace rtcgate::media {

struct MediaEngineConfig {
  std::size_t workers = 0;  // 0: one per hardware thread
  WorkerConfig worker;
  std::uint16_t port_min = 20000;  // legacy-leg RTP/RTCP ports ([media] port_min/port_max)
  std::uint16_t port_max = 29999;
};

using SessionEventSink = std::function<void(SessionEvent)>;

class MediaEngine {
 public:
  static std::expected<std::unique_ptr<MediaEngine>, std::string> create(const MediaEngineConfig& config,
                                                                         const Certificate& certificate,
                                                                         SessionEventSink sink);
  ~MediaEngine();
  MediaEngine(const MediaEngine&) = delete;
  MediaEngine& operator=(const MediaEngine&) = delete;

  [[nodiscard]] const Fingerprint& fingerprint() const noexcept { return certificate_.fingerprint(); }
  [[nodiscard]] WorkerPool& workers() noexcept { return pool_; }
  [[nodiscard]] PortAllocator& ports() noexcept { return ports_; }
  [[nodiscard]] std::size_t session_count() const;

  // Commands: any thread. Unknown session ids are ignored (the session may have failed already).
  void create_session(SessionId id, std::string_view call_id, MediaSessionConfig config);
  void set_remote_ice(SessionId id, IceCredentials credentials, std::vector<IceCandidate> candidates,
                      bool end_of_candidates);
  void add_remote_candidate(SessionId id, IceCandidate candidate);
  void end_of_remote_candidates(SessionId id);
  void set_direction(SessionId id, bool web_to_legacy, bool legacy_to_web);
  void ice_restart(SessionId id);
  void set_remote_legacy(SessionId id, LegacyRemote remote);
  void set_remote_fingerprint(SessionId id, Fingerprint fingerprint);
  void set_plans(SessionId id, RoutePlan web_to_legacy, RoutePlan legacy_to_web);
  void request_stats(SessionId id);
  void destroy_session(SessionId id);

 private:
  struct WorkerState;

  MediaEngine(const MediaEngineConfig& config, const Certificate& certificate, SessionEventSink sink);
  // Runs fn(session) on the session's worker, if the session exists there.
  template <typename Fn>
  void with_session(SessionId id, Fn&& fn);
  WorkerState* state_of(SessionId id);

  Certificate certificate_;
  SessionEventSink sink_;
  PortAllocator ports_;
  WorkerPool pool_;
  std::vector<std::unique_ptr<WorkerState>> states_;
  mutable std::mutex mutex_;  // guards placement_ (control plane only)
  std::unordered_map<SessionId, std::size_t> placement_;
};

}  // namespace rtcgate::media
