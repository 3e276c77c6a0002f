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
#include "rtcgate/media/ice/ice_types.hpp"
#include "rtcgate/media/io/fd_poller.hpp"
#include "rtcgate/media/packet/drop.hpp"
#include "rtcgate/media/packet/packet_pool.hpp"

namespace rtcgate::media {

struct IceCounters {
  std::uint64_t rx_packets = 0;
  std::uint64_t rx_bytes = 0;
  std::uint64_t tx_packets = 0;
  std::uint64_t tx_bytes = 0;
  DropCounters drops;
};

class IceTransport final : private FdHandler {
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

 private:
  IceTransport(FdPoller& poller, GlibLoopSet& loops, PacketPool& pool, const IceConfig& config,
               Observer& observer);
  std::error_code init();
  void sync_sockets();
  bool on_readable() noexcept override;
  void changed() noexcept { loop_->request_pump(); }

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
  std::vector<std::pair<int, FdPoller::Token>> sockets_;
  std::size_t remote_candidates_ = 0;
  IceState state_ = IceState::New;
  bool gathered_ = false;
  std::string selected_remote_;
  IceCounters counters_;
};

}  // namespace rtcgate::media
