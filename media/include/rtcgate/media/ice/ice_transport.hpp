// IceTransport: one ICE component (rtcp-mux, BUNDLE: a WebRTC leg needs exactly one) over a libnice
// NiceAgent, RFC 5245/8445 compatibility, UDP only, UPnP off.
//
// Data path (LIMITS.md §1.5): the agent's sockets are registered with the worker's FdPoller; when one
// is readable, nice_agent_recv_messages_nonblocking reads into PacketPool buffers (≥1280 B, so libnice
// does not copy); STUN is consumed inside libnice, everything else goes to Observer::on_ice_packet.
// The agent's timers run on a GlibLoop of the worker's GlibLoopSet. send() uses
// nice_agent_send_messages_nonblocking; a full socket or a revoked consent drops and counts.
// Control: gather() emits local candidates (host addresses replaced by IceConfig::public_address when
// set, for a 1:1 NAT) then on_gathering_done(); remote credentials and candidates may come before or
// after, trickled one by one; end_of_remote_candidates() lets libnice declare failure (RFC 8838 §11).
// restart() (RFC 8445 §9) makes new local credentials; the owner then sets the remote ones again.
// Consent (RFC 7675): a Failed state after Connected/Ready is reported as on_consent_lost().
//
// Fast path (IceConfig::fast_path, ice_fast_path.hpp): when libnice selects a pair whose local
// candidate is a plain UDP socket, that socket leaves libnice's read path and an IceFastPath reads
// and writes it, answers STUN and runs consent freshness. A TURN-relayed pair keeps the libnice path.
// The fast path is used only when no TURN server is configured, and then libnice's own consent
// freshness is off, because:
//  * libnice's consent is construct-only and its checks' answers arrive on the socket we now read,
//    where libnice never sees them; left on, it would revoke consent after 10 s of a healthy call;
//  * the fast path gives the same guarantees and better ones: checks every ~5 s, authenticated
//    answers only, consent lost after 30 s (RFC 7675 §5.1; libnice 0.1.21 says 10 s, LIMITS.md §1.3),
//    reported through on_consent_lost() exactly as before, and sending stops;
//  * without TURN every selected pair is a UDP host/srflx/prflx one (ICE-TCP is off), so no session
//    is left without consent. With TURN configured a session may end up relayed, where only libnice
//    can check consent, so such agents keep libnice's consent and its data path throughout.
// restart() gives the socket back to libnice (the fast path stops reading it) until a new pair is
// selected, then takes it again with the new credentials; a re-selection on the same socket (or a
// USE-CANDIDATE from a new remote address seen by the fast path) moves the remote address.
//
// Ownership: owns the agent; the Observer, FdPoller, GlibLoopSet and PacketPool must outlive it.
// Observer callbacks run inside IceTransport calls or the poller's dispatch: do not destroy the
// transport from within them (post the destruction instead).
// Thread affinity: every member on the owning worker thread (libnice signals fire on the calling
// thread, so this keeps them on the worker too).
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <span>
#include <system_error>
#include <vector>

#include <nice/agent.h>

#include "rtcgate/media/ice/glib_loop.hpp"
#include "rtcgate/media/ice/ice_fast_path.hpp"
#include "rtcgate/media/ice/ice_types.hpp"
#include "rtcgate/media/io/fd_poller.hpp"
#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/packet/packet_pool.hpp"

namespace rtcgate::media {

class IceTransport final : private FdHandler, private IceFastPath::Observer {
 public:
  static constexpr std::size_t kBatch = 8;
  static constexpr std::size_t kMaxRemoteCandidates = 25;  // NICE_AGENT_MAX_REMOTE_CANDIDATES

  class Observer {
   public:
    virtual void on_local_candidate(const IceCandidate& candidate) = 0;
    virtual void on_gathering_done() = 0;
    virtual void on_ice_state(IceState state) = 0;
    virtual void on_consent_lost() = 0;
    // Packet path: a datagram that is not STUN (DTLS, SRTP, SRTCP, or junk to classify).
    virtual void on_ice_packet(PacketPtr packet) noexcept = 0;

   protected:
    ~Observer() = default;
  };

  static std::expected<std::unique_ptr<IceTransport>, std::error_code> create(
      FdPoller& poller, GlibLoopSet& loops, PacketPool& pool, const IceConfig& config, Observer& observer);
  ~IceTransport();
  IceTransport(const IceTransport&) = delete;
  IceTransport& operator=(const IceTransport&) = delete;

  [[nodiscard]] IceCredentials local_credentials() const;
  std::error_code gather();
  std::error_code set_remote_credentials(const IceCredentials& credentials);
  std::error_code add_remote_candidate(const IceCandidate& candidate);
  void end_of_remote_candidates();
  std::error_code restart();
  void set_role(IceRole role);

  // Packet path. False when dropped (counted).
  bool send(std::span<const std::byte> datagram) noexcept;

  [[nodiscard]] IceState state() const noexcept { return state_; }
  [[nodiscard]] bool writable() const noexcept {
    return state_ == IceState::Connected || state_ == IceState::Ready;
  }
  [[nodiscard]] const IceCounters& counters() const noexcept { return counters_; }
  // The selected pair's remote address ("ip:port"), empty before one is selected.
  [[nodiscard]] const std::string& selected_remote() const noexcept { return selected_remote_; }
  [[nodiscard]] const IceConfig& config() const noexcept { return config_; }
  // Whether the selected pair's socket is read and written by the fast path right now.
  [[nodiscard]] bool fast_path_active() const noexcept { return fast_ != nullptr; }

 private:
  IceTransport(FdPoller& poller, GlibLoopSet& loops, PacketPool& pool, const IceConfig& config,
               Observer& observer);
  std::error_code init();
  void sync_sockets();
  bool on_readable() noexcept override;
  void changed() noexcept { loop_->request_pump(); }
  void take_over_selected_pair();
  void release_fast_path() noexcept;
  void park_socket(int fd, bool parked) noexcept;
  // IceFastPath::Observer
  void on_fast_packet(PacketPtr packet) noexcept override;
  void on_fast_consent_lost() override;
  void on_fast_remote_changed(const SocketAddress& remote) override;

  static void on_new_candidate(NiceAgent*, NiceCandidate* candidate, gpointer self);
  static void on_gathering_done_cb(NiceAgent*, guint stream, gpointer self);
  static void on_state_cb(NiceAgent*, guint stream, guint component, guint state, gpointer self);
  static void on_selected_pair(NiceAgent*, guint, guint, NiceCandidate*, NiceCandidate* remote,
                               gpointer self);

  FdPoller& poller_;
  GlibLoopSet& loops_;
  GlibLoop* loop_;
  PacketPool& pool_;
  IceConfig config_;
  Observer& observer_;
  NiceAgent* agent_ = nullptr;
  guint stream_ = 0;
  struct Socket {
    int fd = -1;
    FdPoller::Token token = 0;
    bool parked = false;  // read by the fast path, not libnice
  };
  std::vector<Socket> sockets_;
  std::size_t remote_candidates_ = 0;
  IceState state_ = IceState::New;
  bool gathered_ = false;
  std::string selected_remote_;
  IceCounters counters_;
  bool fast_path_allowed_ = false;  // config says so and no TURN server (libnice consent off)
  bool nice_consent_ = false;       // libnice's consent freshness is on
  IceCredentials remote_credentials_;
  std::uint64_t tie_breaker_ = 0;
  std::unique_ptr<IceFastPath> fast_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace rtcgate::media
